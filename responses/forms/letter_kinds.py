"""Forms for the letters that answer something earlier: the decision notice behind a fresh
response, a switch of regime, and an internal review's finding on each disputed answer.
They only validate; the workflow does the work."""

from django import forms
from django.utils import timezone

from responses.models import InternalReviewOutcome, ReviewQuestionFinding

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d %B %Y"]
DATE_HELP = "For example, 27 3 2026 or 2026-03-27."


def date_field(label, help_text=DATE_HELP):
    return forms.DateField(
        label=label,
        help_text=help_text,
        input_formats=DATE_FORMATS,
        error_messages={
            "invalid": "Enter the date as, for example, 2026-03-27.",
            "required": f"Enter the {label[0].lower()}{label[1:]}.",
        },
    )


class DecisionNoticeForm(forms.Form):
    replaces = forms.TypedChoiceField(
        label="The response the notice is about",
        coerce=int,
        error_messages={"required": "Choose the response the notice is about."},
    )
    reference = forms.CharField(
        label="Decision notice reference",
        max_length=60,
        help_text="As printed on the notice, for example IC-123456-A1B2.",
        error_messages={"required": "Enter the decision notice's reference."},
    )
    notice_date = date_field("Date of the notice")
    finding = forms.CharField(
        label="What the Commissioner found",
        help_text="In a sentence or two, e.g. “we were not entitled to rely on section 12 "
        "because our estimate included redaction time”. The letter quotes it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say what the Commissioner found."},
    )
    required_step = forms.CharField(
        label="The step the notice requires",
        help_text="Completing “The notice required us to …”, e.g. “issue a fresh response "
        "that does not rely on section 12”.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say what step the notice requires."},
    )
    compliance_deadline = date_field(
        "Compliance date", "The date by which the notice says the step must be taken."
    )

    def __init__(self, *args, responses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaces"].choices = [
            (letter.pk, f"{letter.get_kind_display()} issued on {issued:%-d %B %Y}")
            for letter, issued in responses
        ]
        if len(responses) == 1 and not self.is_bound:
            self.initial["replaces"] = responses[0][0].pk

    def clean_notice_date(self):
        value = self.cleaned_data["notice_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("The date of the notice must be today or in the past.")
        return value

    def clean(self):
        cleaned = super().clean()
        notice_date, deadline = cleaned.get("notice_date"), cleaned.get("compliance_deadline")
        if notice_date and deadline and deadline < notice_date:
            self.add_error(
                "compliance_deadline", "The compliance date must be on or after the notice's date."
            )
        for name in ("reference", "finding", "required_step"):
            if name in cleaned:
                cleaned[name] = cleaned[name].strip()
        return cleaned


class RegimeSwitchForm(forms.Form):
    reason = forms.CharField(
        label="What makes the information environmental (or not)? (optional)",
        help_text="The facts only, e.g. “it is about emissions from the incinerator”. The "
        "letter already explains the law; this sentence follows that explanation.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def finding_field_names(question):
    prefix = f"q{question.pk}"
    return f"{prefix}-disputed", f"{prefix}-finding", f"{prefix}-reasons"


class ReviewFindingsForm(forms.Form):
    """The review question by question: which answers are disputed, and the finding on each.

    With no question ticked (a review of the whole response, or a request without
    numbered questions) the officer chooses the overall outcome and gives its reasons.
    """

    outcome = forms.ChoiceField(
        label="Overall outcome (only if no question is ticked above)",
        choices=InternalReviewOutcome.Outcome.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    reasons = forms.CharField(
        label="Reasons for the outcome",
        help_text="Optional when each disputed answer has its own reasons.",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    def __init__(self, *args, questions=(), outcome=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        existing = {}
        if outcome is not None:
            existing = {f.question_id: f for f in outcome.findings.all()}
            self.initial.setdefault("outcome", outcome.outcome)
            self.initial.setdefault("reasons", outcome.reasons)
        for question in self.questions:
            disputed, finding, reasons = finding_field_names(question)
            found = existing.get(question.pk)
            self.fields[disputed] = forms.BooleanField(
                label=f"The requester disputes our answer to Q{question.number}",
                required=False,
                initial=found is not None,
            )
            self.fields[finding] = forms.ChoiceField(
                label=f"Finding on Q{question.number}",
                choices=ReviewQuestionFinding.Finding.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=found.finding if found else None,
            )
            self.fields[reasons] = forms.CharField(
                label=f"Reasons for the finding on Q{question.number}",
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                initial=found.reasons if found else "",
            )

    def rows(self):
        """(question, disputed field, finding field, reasons field) for the template."""
        for question in self.questions:
            yield (question, *(self[name] for name in finding_field_names(question)))

    def clean(self):
        cleaned = super().clean()
        self.findings = []
        for question in self.questions:
            disputed, finding, reasons = finding_field_names(question)
            if not cleaned.get(disputed):
                continue
            if not cleaned.get(finding):
                self.add_error(finding, f"Choose the finding on Q{question.number}.")
            why = (cleaned.get(reasons) or "").strip()
            if not why:
                self.add_error(reasons, f"Give the reasons for the finding on Q{question.number}.")
            self.findings.append((question, cleaned.get(finding), why))
        reasons = (cleaned.get("reasons") or "").strip()
        cleaned["reasons"] = reasons
        if not self.findings:
            if not cleaned.get("outcome"):
                self.add_error(
                    "outcome",
                    "Tick each answer the requester disputes and give a finding on it, or "
                    "choose the overall outcome.",
                )
            if not reasons:
                self.add_error("reasons", "Give the reasons for the review's outcome.")
        return cleaned
