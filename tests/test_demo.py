"""`load_demo` gives a newcomer a working authority, three users and the reference-like case."""

import pytest
from django.core.management import call_command

from responses.models import Case, CaseEvent


@pytest.fixture
def demo(catalogue, monkeypatch, capsys):
    monkeypatch.setenv("DEMO_PASSWORD", "a-demo-password-for-tests")
    call_command("load_demo")
    return capsys.readouterr().out


def test_prints_users_and_password(demo):
    assert "officer" in demo and "reviewer" in demo and "admin" in demo
    assert "a-demo-password-for-tests" in demo


def test_demo_case_is_shaped_like_the_reference_letter(demo):
    case = Case.objects.get()
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
    case = Case.objects.get()
    page = client.get("/").content.decode()
    assert case.reference in page
    library = client.get("/library/").content.decode()
    assert "Section 23" in library or "23(5)" in library


def test_refuses_without_a_catalogue(empty_catalogue):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="load_catalogue"):
        call_command("load_demo")
