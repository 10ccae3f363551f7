"""The Regime rows describe what the clock applies; an administrator cannot change them."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from exemptions.models import Regime
from responses import deadlines, working_days

STATUTORY_FIELDS = [
    "response_days",
    "extended_response_days",
    "bank_holiday_divisions",
    "refusal_notice_provision",
    "internal_review",
]


@pytest.fixture
def regimes(db):
    call_command("load_catalogue", verbosity=0)
    return {regime.code: regime for regime in Regime.objects.all()}


def test_the_catalogue_says_what_the_clock_does(regimes):
    for code, regime in regimes.items():
        assert regime.response_days == deadlines.RESPONSE_DAYS
        calendar = working_days.REGIME_CALENDARS[code]
        assert tuple(regime.bank_holiday_divisions) == working_days.CALENDAR_DIVISIONS[calendar]
    assert regimes[Regime.EIR].extended_response_days == deadlines.EIR_EXTENDED_DAYS
    assert regimes[Regime.FOIA].extended_response_days is None
    assert regimes[Regime.FOISA].extended_response_days is None


def test_statutory_fields_are_read_only_in_the_admin(admin_client, regimes):
    foia = regimes[Regime.FOIA]
    url = reverse("admin:exemptions_regime_change", args=[foia.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    form_fields = page.context["adminform"].form.fields
    for name in STATUTORY_FIELDS:
        assert name not in form_fields
    assert "Fixed by statute" in page.text

    response = admin_client.post(
        url,
        {
            "code": "FOIA",
            "statute": foia.statute,
            "regulator": foia.regulator,
            "cost_limit": foia.cost_limit,
            "response_days": "30",
            "bank_holiday_divisions": '["england-and-wales"]',
        },
    )
    assert response.status_code == 302
    foia.refresh_from_db()
    assert foia.response_days == 20
    assert tuple(foia.bank_holiday_divisions) == working_days.UK_DIVISIONS
