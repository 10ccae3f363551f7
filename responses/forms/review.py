"""Forms for review, issue, the requester's page and verification; they only validate."""

import re

from django import forms
from django.conf import settings
from django.utils import timezone

from responses.forms.fields import RevisionField
from responses.models import Case

SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_PDF_BYTES = 20 * 1024 * 1024


class ReasonForm(forms.Form):
    """A required explanation: returning a letter, revealing a requester, reopening."""

    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a reason."},
    )

    def __init__(self, *args, label=None, help_text="", **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["reason"].label = label
        self.fields["reason"].help_text = help_text

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter a reason.")
        return reason


VERSION_UNKNOWN = (
    "The page did not say which version of the letter you read, so nothing was decided. "
    "Read the version shown below, then approve or return it again."
)


class ApproveForm(forms.Form):
    """The version the reviewer read: an approval lands on that version or on none."""

    version = RevisionField(message=VERSION_UNKNOWN, min_value=1)


class ReturnForm(forms.Form):
    version = RevisionField(message=VERSION_UNKNOWN, min_value=1)
    comment = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say what needs to change before returning the letter."},
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError("Say what needs to change before returning the letter.")
        return comment


class ReviewCommentForm(forms.Form):
    section_key = forms.ChoiceField(label="About", required=False)
    text = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a comment first."},
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section_key"].choices = [("", "The whole letter")] + [
            (section["key"], section.get("heading") or section["key"])
            for section in version.sections
        ]


class VerifyForm(forms.Form):
    pdf = forms.FileField(label="Upload the PDF letter, or a file enclosed with it", required=False)
    sha256 = forms.CharField(
        label="Or paste its SHA-256 fingerprint",
        required=False,
        max_length=100,
        help_text="64 characters, 0 to 9 and a to f.",
    )

    def clean_pdf(self):
        upload = self.cleaned_data.get("pdf")
        if upload and upload.size > max(MAX_PDF_BYTES, settings.ENCLOSURE_MAX_MB * 1024 * 1024):
            raise forms.ValidationError("The file is too large to be one of our letters.")
        return upload

    def clean_sha256(self):
        value = re.sub(r"\s+", "", self.cleaned_data.get("sha256", "")).lower()
        if value and not SHA256.match(value):
            raise forms.ValidationError(
                "A SHA-256 fingerprint is 64 characters long, using only 0 to 9 and a to f."
            )
        return value

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("pdf") and not cleaned.get("sha256"):
            raise forms.ValidationError("Upload a PDF or paste its SHA-256 fingerprint.")
        return cleaned


class LoggedReviewRequestForm(forms.Form):
    """An internal review request that arrived by email or post, logged by an officer."""

    text = forms.CharField(
        label="What the requester asked us to look at again",
        help_text="Copy their words exactly.",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter what the requester asked for."},
    )
    received_on = forms.DateField(
        label="Date received",
        help_text="For example, 27 3 2026 or 2026-03-27.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d %B %Y"],
        error_messages={"invalid": "Enter the date as, for example, 2026-03-27."},
    )
    received_via = forms.ChoiceField(label="How it arrived", choices=Case.Channel.choices)

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError("The date received must be today or in the past.")
        return received_on


class ReviewRequestForm(forms.Form):
    text = forms.CharField(
        label="What would you like us to look at again, and why?",
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10000,
        error_messages={"required": "Tell us what you would like us to look at again."},
    )
