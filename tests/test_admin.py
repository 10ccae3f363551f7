"""The Django admin as an administrator uses it: the library, settings and the audit trail."""

import datetime
import json

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from exemptions.models import Clause, Exemption, Regime
from responses.deadlines import case_deadline
from responses.models import Authority, BankHolidayOverride, Case, CaseEvent
from tests import builders

pytestmark = pytest.mark.django_db

HARM_BODY = "Disclosure would harm relations with {{ foreign_state }}."
SLOTS = [{"name": "foreign_state", "label": "The foreign state"}]


@pytest.fixture
def admin_client(client, administrator):
    client.force_login(administrator)
    return client


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.org", "pw-root-123")


@pytest.fixture
def exemptions_loaded(catalogue):
    """The catalogue without the clause library: these tests write their own clauses."""
    Clause.objects.all().delete()


@pytest.fixture
def clause(exemptions_loaded):
    return Clause.objects.create(
        code="foia-s27-harm-withhold",
        kind=Clause.Kind.HARM,
        mode=Clause.Mode.WITHHOLD,
        exemption=Exemption.objects.get(regime__code="FOIA", section="27(1)"),
        title="Harm to international relations",
        body=HARM_BODY,
        slots=SLOTS,
    )


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def revision_post(body, title="Harm to international relations", slots=SLOTS, **extra):
    return {
        "title": title,
        "body": body,
        "slots": json.dumps(slots),
        "takes_effect_from": timezone.localdate().isoformat(),
        **extra,
    }


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Clauses: editing makes a new version ---------------------------------------------


def test_editing_a_clause_creates_a_new_version_and_keeps_the_old_text(admin_client, clause):
    new_body = "Disclosure would be likely to damage the UK's relations with {{ foreign_state }}."

    response = admin_client.post(change_url(clause), revision_post(new_body), follow=True)

    assert response.status_code == 200
    versions = list(Clause.objects.filter(code=clause.code).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    old, new = versions
    assert old.pk == clause.pk
    assert old.body == HARM_BODY
    assert old.effective_to is not None
    assert new.body == new_body
    assert new.effective_to is None
    assert new.created_by.username == "adam"
    assert (new.kind, new.mode, new.exemption_id) == (clause.kind, clause.mode, clause.exemption_id)
    assert any("Saved as version 2" in message for message in messages_of(response))
    assert not any("was changed successfully" in message for message in messages_of(response))


def test_saving_without_changes_makes_no_version(admin_client, clause):
    response = admin_client.post(change_url(clause), revision_post(HARM_BODY), follow=True)

    assert Clause.objects.filter(code=clause.code).count() == 1
    assert any("no new version" in message for message in messages_of(response))


def test_revision_using_an_undeclared_slot_is_refused(admin_client, clause):
    response = admin_client.post(
        change_url(clause), revision_post("Harm to {{ foreign_state }} and {{ region }}.")
    )

    assert response.status_code == 200
    assert "not declared: region" in response.content.decode()
    assert Clause.objects.filter(code=clause.code).count() == 1
    clause.refresh_from_db()
    assert clause.body == HARM_BODY


def test_superseded_version_is_read_only_and_lists_all_versions(admin_client, clause):
    clause.revise(body="Second text about {{ foreign_state }}.")

    page = admin_client.get(change_url(clause))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="body"' not in html  # shown, not editable
    assert "Version 1" in html and "Version 2" in html

    response = admin_client.post(change_url(clause), revision_post("Third text."))
    assert response.status_code == 403
    assert Clause.objects.filter(code=clause.code).count() == 2


def test_new_clause_with_undeclared_slot_is_refused(admin_client, exemptions_loaded):
    data = {
        "code": "foia-s24-harm-ncnd",
        "kind": Clause.Kind.HARM,
        "mode": Clause.Mode.NCND,
        "exemption": "",
        "title": "Harm to national security",
        "body": "Confirming would help {{ adversary }}.",
        "slots": "[]",
        "effective_from": timezone.localdate().isoformat(),
    }

    response = admin_client.post(reverse("admin:exemptions_clause_add"), data)

    assert response.status_code == 200
    assert "not declared: adversary" in response.content.decode()
    assert not Clause.objects.filter(code="foia-s24-harm-ncnd").exists()

    data["slots"] = json.dumps([{"name": "adversary", "label": "Who would benefit"}])
    admin_client.post(reverse("admin:exemptions_clause_add"), data)
    created = Clause.objects.get(code="foia-s24-harm-ncnd")
    assert (created.version, created.created_by.username) == (1, "adam")


def test_clause_list_shows_latest_versions_and_filters(admin_client, clause):
    clause.revise(body="Newer text about {{ foreign_state }}.")
    url = reverse("admin:exemptions_clause_changelist")

    latest = admin_client.get(url)
    assert latest.status_code == 200
    assert [c.version for c in latest.context["cl"].result_list] == [2]

    everything = admin_client.get(url, {"versions": "all"})
    assert sorted(c.version for c in everything.context["cl"].result_list) == [1, 2]

    by_regime = admin_client.get(url, {"exemption__regime__id__exact": clause.exemption.regime_id})
    assert len(by_regime.context["cl"].result_list) == 1
    by_kind = admin_client.get(url, {"kind__exact": Clause.Kind.CLOSING})
    assert len(by_kind.context["cl"].result_list) == 0


def test_clauses_cannot_be_deleted(admin_client, clause):
    response = admin_client.post(
        reverse("admin:exemptions_clause_delete", args=[clause.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Clause.objects.filter(pk=clause.pk).exists()


# --- The exemption catalogue ------------------------------------------------------------


def test_exemption_list_loads_and_searches(admin_client, exemptions_loaded):
    url = reverse("admin:exemptions_exemption_changelist")

    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["cl"].result_count == 87

    eir = Regime.objects.get(code="EIR")
    absolute_eir = admin_client.get(url, {"regime__id__exact": eir.pk, "absolute__exact": "1"})
    assert absolute_eir.status_code == 200
    sections = {e.section for e in absolute_eir.context["cl"].result_list}
    assert sections == {"5(3)", "13 first condition"}

    common = admin_client.get(url, {"commonly_used__exact": "1"})
    assert common.status_code == 200
    assert 0 < common.context["cl"].result_count < 87

    found = admin_client.get(url, {"q": "national security"})
    assert {str(e.regime) for e in found.context["cl"].result_list} >= {"FOIA", "FOISA"}


# --- Settings -------------------------------------------------------------------------


def test_authority_settings_open_directly_and_no_second_authority(admin_client, authority):
    response = admin_client.get(reverse("admin:responses_authority_changelist"))
    assert response.status_code == 302
    assert response["Location"] == change_url(authority)

    page = admin_client.get(change_url(authority))
    html = page.content.decode()
    for heading in ("Identity", "Letterhead", "Signatory", "Calendar", "Cost limit"):
        assert heading in html

    assert admin_client.get(reverse("admin:responses_authority_add")).status_code == 403
    assert Authority.objects.count() == 1


def test_bank_holiday_override_records_who_added_it(admin_client, administrator):
    response = admin_client.post(
        reverse("admin:responses_bankholidayoverride_add"),
        {
            "date": "2027-06-07",
            "calendar": BankHolidayOverride.Calendar.BOTH,
            "is_holiday": "on",
            "title": "Proclaimed holiday",
            "reason": "Royal proclamation not yet in the GOV.UK data.",
        },
    )

    assert response.status_code == 302
    override = BankHolidayOverride.objects.get()
    assert override.created_by == administrator


OVERRIDE = {
    "date": "2027-06-07",
    "calendar": BankHolidayOverride.Calendar.BOTH,
    "is_holiday": "on",
    "title": "Proclaimed holiday",
    "reason": "Royal proclamation not yet in the GOV.UK data.",
}


@pytest.fixture
def june_and_august_cases(catalogue, authority, requester, officer):
    """One open case whose 20 working days run through 7 June 2027, one received after."""
    people = dict(actor=officer, authority=authority, requester=requester)
    with time_machine.travel(datetime.datetime(2027, 8, 10, 12, tzinfo=datetime.UTC)):
        june = builders.open_case(received_on=datetime.date(2027, 6, 1), **people)
        august = builders.open_case(received_on=datetime.date(2027, 8, 2), **people)
    return june, august


def moved_events(case):
    return list(case.events.filter(action=CaseEvent.Action.DEADLINE_MOVED_BY_CALENDAR))


def test_adding_an_override_writes_an_event_on_the_cases_it_moves(
    admin_client, june_and_august_cases
):
    june, august = june_and_august_cases
    before = case_deadline(june).deadline

    response = admin_client.post(
        reverse("admin:responses_bankholidayoverride_add"), OVERRIDE, follow=True
    )

    assert response.status_code == 200
    after = case_deadline(june).deadline
    assert after == before + datetime.timedelta(days=1)
    [event] = moved_events(june)
    assert event.details == {
        "deadline_before": before.isoformat(),
        "deadline_after": after.isoformat(),
    }
    assert event.actor_name == "Adam"
    assert "7 June 2027" in event.comment and "Proclaimed holiday" in event.comment
    assert event.label == "Deadline moved by a bank holiday change"
    assert moved_events(august) == []
    assert any(june.reference in message for message in messages_of(response))


def test_changing_and_deleting_an_override_write_events_too(admin_client, june_and_august_cases):
    june, august = june_and_august_cases
    admin_client.post(reverse("admin:responses_bankholidayoverride_add"), OVERRIDE)
    override = BankHolidayOverride.objects.get()

    # Moved to a Saturday: no longer a working day that counts, so the deadline goes back.
    admin_client.post(change_url(override), {**OVERRIDE, "date": "2027-06-12"})
    admin_client.post(
        reverse("admin:responses_bankholidayoverride_delete", args=[override.pk]), {"post": "yes"}
    )

    assert not BankHolidayOverride.objects.exists()
    comments = [event.comment for event in moved_events(june)]
    assert [comment.split(" ")[0] for comment in comments] == ["Added", "Changed"]
    assert moved_events(august) == []


def test_deleting_an_override_that_moved_a_deadline_moves_it_back(
    admin_client, june_and_august_cases
):
    june, _ = june_and_august_cases
    admin_client.post(reverse("admin:responses_bankholidayoverride_add"), OVERRIDE)
    override = BankHolidayOverride.objects.get()

    admin_client.post(
        reverse("admin:responses_bankholidayoverride_delete", args=[override.pk]), {"post": "yes"}
    )

    assert [event.comment.split(" ")[0] for event in moved_events(june)] == ["Added", "Deleted"]


# --- Cases and the audit trail ------------------------------------------------------------


@pytest.fixture
def case_event(authority, requester):
    case = Case.objects.create(
        authority=authority,
        regime=authority.default_regime,
        requester=requester,
        request_text="Please send the contract.",
    )
    return CaseEvent.objects.create(case=case, action="case_opened", to_status=case.status)


@pytest.mark.parametrize("who", ["administrator", "superuser"])
def test_case_events_cannot_be_added_changed_or_deleted(client, request, case_event, who):
    client.force_login(request.getfixturevalue(who))
    change = change_url(case_event)

    assert client.get(change).status_code == 200  # can be read
    posted = client.post(change, {"action": "tampered", "comment": "edited"})
    deleted = client.post(
        reverse("admin:responses_caseevent_delete", args=[case_event.pk]), {"post": "yes"}
    )
    added = client.get(reverse("admin:responses_caseevent_add"))

    assert (posted.status_code, deleted.status_code, added.status_code) == (403, 403, 403)
    case_event.refresh_from_db()
    assert (case_event.action, case_event.comment) == ("case_opened", "")
    assert CaseEvent.objects.count() == 1


def test_cases_are_listed_read_only_and_searchable(client, superuser, case_event):
    client.force_login(superuser)
    case = case_event.case
    url = reverse("admin:responses_case_changelist")

    found = client.get(url, {"q": case.reference})
    assert [c.pk for c in found.context["cl"].result_list] == [case.pk]
    by_requester = client.get(url, {"q": "Rowan"})
    assert [c.pk for c in by_requester.context["cl"].result_list] == [case.pk]

    page = client.get(change_url(case))
    assert page.status_code == 200
    assert 'name="status"' not in page.content.decode()  # shown, not editable
    assert "case_opened" in page.content.decode()  # the audit trail, inline

    posted = client.post(change_url(case), {"status": Case.Status.WITHDRAWN})
    assert posted.status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_an_administrator_can_turn_off_someones_review_emails(admin_client, officer):
    from responses.models import NotificationSetting

    page = admin_client.get(reverse("admin:responses_notificationsetting_add"))
    assert page.status_code == 200
    response = admin_client.post(
        reverse("admin:responses_notificationsetting_add"), {"user": officer.pk}
    )  # the box left unticked: no review emails
    assert response.status_code == 302
    assert NotificationSetting.objects.get(user=officer).review_emails is False
