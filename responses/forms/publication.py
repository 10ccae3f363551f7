"""The disclosure log choice on the issue page, and the administrator's withdrawal."""

from django import forms
from django.utils import timezone

from exemptions.models import Regime
from responses.forms.clock import RealDateField
from responses.models import Decision

PUBLISH, DO_NOT_PUBLISH = "publish", "do-not-publish"


class PublicationForm(forms.Form):
    publish = forms.ChoiceField(
        label="Publish this response in the disclosure log?",
        choices=[
            (PUBLISH, "Yes, publish the public copy shown below"),
            (DO_NOT_PUBLISH, "No, do not publish it"),
        ],
        initial=PUBLISH,
        widget=forms.RadioSelect,
        required=False,
    )
    publish_on = RealDateField(
        label="Publish on a later date (optional)",
        help_text="Leave blank to publish when the letter is issued. For example 27 3 2026",
        required=False,
    )
    reason = forms.CharField(
        label="If not published: why not",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["publish"] = cleaned.get("publish") or PUBLISH
        cleaned["reason"] = (cleaned.get("reason") or "").strip()
        if cleaned["publish"] == DO_NOT_PUBLISH:
            if not cleaned["reason"]:
                self.add_error("reason", "Say why this response will not be published.")
            cleaned["publish_on"] = None
        day = cleaned.get("publish_on")
        if day is not None and day < timezone.localdate():
            self.add_error("publish_on", "The date cannot be in the past.")
        return cleaned

    @property
    def wants_publication(self):
        return self.cleaned_data["publish"] == PUBLISH


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why is this entry withdrawn?",
        help_text="Recorded in the case history. The public page says only that it was "
        "withdrawn, and when.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the entry is withdrawn."},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the entry is withdrawn.")
        return reason


class LogFilterForm(forms.Form):
    """The disclosure log's search and filters; every field is optional."""

    q = forms.CharField(label="Search the responses", required=False, max_length=200)
    published_from = forms.DateField(
        label="Published from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, for example 2026-03-27"},
    )
    published_to = forms.DateField(
        label="Published to",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a date, for example 2026-03-27"},
    )
    outcome = forms.ChoiceField(
        label="Outcome", required=False, choices=[("", "Any outcome"), *Decision.Outcome.choices]
    )
    provision = forms.CharField(
        label="Provision cited",
        required=False,
        max_length=60,
        help_text="For example section 31(3)",
    )
    regime = forms.ChoiceField(
        label="Law",
        required=False,
        choices=[("", "Any"), *Regime.CODES],
    )

    def filter_values(self):
        """The valid filters as keyword arguments; an invalid one is left out."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        return {
            name: data.get(name) or ("" if name not in ("published_from", "published_to") else None)
            for name in self.fields
            if name not in self.errors
        }
