"""`load_demo` gives a newcomer a working authority, three users and the reference-like case."""

import pytest
from django.core.management import call_command

from responses.demo import DEMO_SUBJECT
from responses.demo_gallery import PREFIX
from responses.models import Case, CaseEvent, Decision, Letter, Publication
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


def test_a_request_like_a_demo_one_shows_it_as_precedent_and_repeat(demo, client):
    """A round robin arriving after the demo's drone request: the officer sees the demo's
    issued answer beside the decision form and the demo case among similar requests, and
    neither confirming nor denying what the demo answered is flagged."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from responses import checks
    from responses.models import Authority, Requester
    from tests import builders
    from tests.builders import NCND

    drones = Case.objects.get(subject="drone flights over the city centre")
    officer = get_user_model().objects.get(username="officer")
    authority = Authority.current()
    question = "How many times did the force fly drones over the city centre during 2025?"
    case = builders.open_case(
        actor=officer,
        authority=authority,
        requester=Requester.objects.create(name="Robin Round", email="robin@example.org"),
        questions=[question],
        request_text=question,
        received_on=timezone.localdate(),
    )
    client.force_login(officer)

    panel = client.get(f"/cases/{case.pk}/decisions/new/precedents/").content.decode()
    assert drones.reference in panel
    assert "Close match" in panel
    page = client.get(f"/cases/{case.pk}/").content.decode()
    others = page.split('id="similar-requests-others"')[1].split("</ul>")[0]
    assert drones.reference in others

    builders.decide(case, actor=officer, outcome=Decision.Outcome.NCND, citations=[("31", NCND)])
    messages = [f.message for f in checks.case_findings(case) if f.code == "precedent-differs"]
    assert any(drones.reference in message for message in messages)
