"""Closing a case without a letter: how it ended, why, and for a duplicate, which case."""

from django import forms

from responses.models import Case

WITHDRAWN = "withdrawn"
LAPSED_CLARIFICATION = "lapsed_clarification"
LAPSED_FEE = "lapsed_fee"
DUPLICATE = "duplicate"


class CloseCaseForm(forms.Form):
    how = forms.ChoiceField(
        label="How did the request end?",
        widget=forms.RadioSelect,
        choices=[
            (WITHDRAWN, "The requester withdrew it"),
            (LAPSED_CLARIFICATION, "It lapsed: the clarification we asked for did not arrive"),
            (LAPSED_FEE, "It lapsed: the fee was not paid"),
            (DUPLICATE, "It duplicates another request we are answering"),
        ],
        error_messages={"required": "Choose how the request ended."},
    )
    duplicate_of = forms.CharField(
        label="Reference of the case it duplicates",
        help_text="Only for a duplicate, for example FOI/2026/000123.",
        required=False,
        max_length=30,
    )
    reason = forms.CharField(
        label="Reason",
        help_text=(
            "How and when the requester withdrew it, what we asked for and how long we "
            "waited, or why the two requests are the same. The requester sees this on their "
            "page."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a reason."},
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.original = None

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter a reason.")
        return reason

    def clean(self):
        cleaned = super().clean()
        reference = (cleaned.get("duplicate_of") or "").strip().upper()
        if cleaned.get("how") == DUPLICATE:
            if not reference:
                self.add_error("duplicate_of", "Enter the reference of the case it duplicates.")
            else:
                self.original = Case.objects.filter(reference=reference).first()
                if self.original is None:
                    self.add_error(
                        "duplicate_of", f"There is no case with the reference {reference}."
                    )
        return cleaned
