"""`load_demo` gives a newcomer a working authority, three users and the reference-like case."""

import pytest
from django.core.management import call_command

from responses.demo import DEMO_SUBJECT
from responses.demo_gallery import PREFIX
from responses.models import Case, CaseEvent, Letter, Publication
from responses.statistics import figures

pytest_plugins = ["tests.review_fixtures"]


@pytest.fixture
def demo(catalogue, monkeypatch, capsys, fake_renderer):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-for-tests")
    call_command("load_demo")
    return capsys.readouterr().out


def test_prints_users_and_password(demo):
    assert "officer" in demo and "reviewer" in demo and "admin" in demo
    assert "a-demo-password-for-tests" in demo


def test_demo_case_is_shaped_like_the_reference_letter(demo):
    case = Case.objects.get(subject=DEMO_SUBJECT)
    assert [q.number for q in case.questions.all()] == [1, 2, 3]
    assert case.scope.startswith("From 1 January 2022")
    assert "questions 2 and 3 first" in case.prioritisation_note
    first, second = case.decisions.order_by("position")
    assert [q.number for q in first.questions.all()] == [1, 2]
    assert first.answer  # the overt position is confirmed ...
    assert [c.provision for c in first.citations.all()] == ["23(5)", "24(2)", "31(3)"]
    assert [c.provision for c in second.citations.all()] == ["23(5)", "24(2)", "27(4)", "31(3)"]


def test_running_twice_changes_nothing(demo, capsys):
    cases, events = Case.objects.count(), CaseEvent.objects.count()
    call_command("load_demo")
    assert (Case.objects.count(), CaseEvent.objects.count()) == (cases, events)


def test_officer_signs_in_and_sees_the_demo_case(demo, client):
    assert client.login(username="officer", password="a-demo-password-for-tests")
    case = Case.objects.get(subject=DEMO_SUBJECT)
    page = client.get("/").content.decode()
    assert case.reference in page
    library = client.get("/library/").content.decode()
    assert "Section 23" in library or "23(5)" in library


def test_refuses_without_a_catalogue(empty_catalogue):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="load_catalogue"):
        call_command("load_demo")


def test_the_disclosure_log_is_not_empty(demo, client):
    """Three demo letters are issued and published; the walk-through case stays a draft."""
    entries = Publication.objects.listed()
    assert entries.count() == 3
    page = client.get("/disclosure-log/").content.decode()
    assert all(entry.slug in page for entry in entries)
    draft = Case.objects.get(subject=DEMO_SUBJECT).letters.get(kind=Letter.Kind.RESPONSE)
    assert draft.status == Letter.Status.DRAFT
    call_command("load_demo")
    assert Publication.objects.listed().count() == 3


def test_the_demo_letters_are_counted_in_the_statistics(demo):
    """The three issued demo responses count as answered requests; the draft as not yet.
    (The gallery's examples are counted too, like any case: see test_demo_gallery.)"""
    gallery = Case.objects.filter(reference__startswith=f"{PREFIX}/")
    years = {case.received_on.year for case in Case.objects.all()}
    data = [figures.year_figures(year) for year in years]
    answered = (
        gallery.filter(kind=Case.Kind.REQUEST, letters__status=Letter.Status.ISSUED)
        .distinct()
        .count()
    )
    assert sum(year.answered.year for year in data) == 3 + answered
    requests = Case.objects.filter(kind=Case.Kind.REQUEST).count()
    assert sum(year.received.year for year in data) == requests
    open_examples = gallery.filter(
        kind=Case.Kind.REQUEST, status__in=[Case.Status.OPEN, Case.Status.ON_HOLD]
    ).count()
    assert sum(year.requests["not_yet_processed"].year for year in data) == 1 + open_examples


def test_the_demo_authority_records_its_nation_and_its_letters_name_the_ico(demo):
    from responses.models import Authority

    authority = Authority.current()
    assert authority.nation == Authority.Nation.ENGLAND
    letter = Case.objects.get(subject=DEMO_SUBJECT).letters.get()
    closing = " ".join(p.text for p in letter.sections.get(key="closing").paragraphs.all())
    assert "Wycliffe House, Water Lane, Wilmslow" in closing
