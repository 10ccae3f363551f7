"""Forms for what moves a case's deadline: stops, pauses, extensions and undo.

Each form validates what a person can get wrong (dates, missing reasons, a long
extension) and hands the work to responses.clock_events.
"""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.utils import timezone

from responses import clock_events, deadlines, working_days
from responses.models import ClockEvent

Kind = ClockEvent.Kind


class ClockForm(forms.Form):
    submit_label = "Save"
    checked_date = None  # the DateInputField checked against the case's dates

    def __init__(self, *args, case, event=None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.event = event
        self.actor = actor
        if self.checked_date and not self.is_bound:
            self.initial.setdefault(self.checked_date, timezone.localdate())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(*self.layout_fields(), Button("submit", self.submit_label))

    def layout_fields(self):
        return [self.layout_field(name, field) for name, field in self.fields.items()]

    @staticmethod
    def layout_field(name, field):
        if isinstance(field.widget, forms.Textarea):
            return Field.textarea(name, rows=field.widget.attrs.get("rows", 3))
        if isinstance(field.widget, forms.CheckboxInput):
            return Field.checkbox(name)
        if isinstance(field, forms.IntegerField):
            return Field.text(name, field_width=4)
        return name

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get(self.checked_date) if self.checked_date else None
        if day is not None:
            if day > timezone.localdate():
                self.add_error(self.checked_date, "The date cannot be in the future.")
            elif day < self.earliest_date():
                self.add_error(
                    self.checked_date,
                    f"The date cannot be before {working_days.format_day(self.earliest_date())}.",
                )
        return cleaned

    def earliest_date(self):
        return self.case.received_on

    def save(self):
        try:
            return self.apply()
        except clock_events.ClockEventError as error:
            # Someone else changed the clock meanwhile; show why instead of failing.
            self.add_error(None, str(error))
            return None

    def apply(self):
        raise NotImplementedError


class RealDateField(DateInputField):
    """GOV.UK date input, with a plain message for days like 31 February."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError:
            raise forms.ValidationError("Enter a real date, for example 27 3 2025") from None


def make_date_field(label, help_text):
    return RealDateField(label=label, help_text=help_text)


def reason_field(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why, so the deadline can be checked later"},
    )


class ClarificationRequestForm(ClockForm):
    title = "Record a request for clarification"
    submit_label = "Stop the clock"
    checked_date = "starts_on"

    starts_on = make_date_field(
        "Date the clarification was asked for",
        "The clock stops; 20 working days start again when the reply arrives.",
    )
    reason = reason_field("What needs clarifying")

    def apply(self):
        return clock_events.start_event(
            self.case,
            actor=self.actor,
            kind=Kind.CLARIFICATION,
            starts_on=self.cleaned_data["starts_on"],
            reason=self.cleaned_data["reason"],
        )


class FeesNoticeForm(ClockForm):
    title = "Record a fees notice"
    submit_label = "Pause the clock"
    checked_date = "starts_on"

    starts_on = make_date_field(
        "Date the fees notice was given",
        "Working days from this day until the fee is received are not counted.",
    )
    reason = reason_field("Amount and what it covers")

    def apply(self):
        return clock_events.start_event(
            self.case,
            actor=self.actor,
            kind=Kind.FEES_NOTICE,
            starts_on=self.cleaned_data["starts_on"],
            reason=self.cleaned_data["reason"],
        )


class ReplyForm(ClockForm):
    """The clarification arrived, or the fee was paid."""

    checked_date = "ends_on"
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def earliest_date(self):
        return self.event.starts_on

    def apply(self):
        return clock_events.end_event(
            self.event,
            actor=self.actor,
            ends_on=self.cleaned_data["ends_on"],
            note=self.cleaned_data["note"],
        )


class ClarificationReceivedForm(ReplyForm):
    title = "Record the clarification received"
    submit_label = "Restart the clock"
    ends_on = make_date_field(
        "Date the clarification was received",
        "The 20 working days start again from this date.",
    )
    field_order = ["ends_on", "note"]


class FeePaidForm(ReplyForm):
    title = "Record the fee paid"
    submit_label = "Restart the clock"
    ends_on = make_date_field("Date the fee was received", "The clock runs again after this day.")
    field_order = ["ends_on", "note"]


class PitExtensionForm(ClockForm):
    title = "Extend the deadline to consider the public interest"
    submit_label = "Extend the deadline"

    extension_days = forms.IntegerField(
        label="Further working days",
        min_value=1,
        max_value=60,
        # GOV.UK advises a text input over type=number for whole numbers.
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        help_text=(
            "Section 10(3). The ICO expects no more than 20 further working days "
            "except in exceptional cases."
        ),
        error_messages={
            "required": "Enter the number of further working days",
            "invalid": "Enter a whole number of working days",
            "min_value": "Enter at least 1 working day",
            "max_value": "Enter no more than 60 working days",
        },
    )
    reason = reason_field(
        "Why more time is needed",
        "Name the exemption whose public interest test is outstanding.",
    )
    confirm_exceptional = forms.BooleanField(
        label="This case is exceptional: extensions totalling more than 20 working days are "
        "justified",
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        days = cleaned.get("extension_days")
        if days:
            total = clock_events.pit_extension_days(self.case) + days
            if total > deadlines.PIT_EXTENSION_NORMAL_MAX and not cleaned.get(
                "confirm_exceptional"
            ):
                self.add_error(
                    "confirm_exceptional",
                    f"Public interest extensions would total {total} working days, more than "
                    f"the {deadlines.PIT_EXTENSION_NORMAL_MAX} the ICO normally accepts. "
                    "Tick to confirm the case is exceptional, or give fewer days.",
                )
        return cleaned

    def apply(self):
        return clock_events.start_event(
            self.case,
            actor=self.actor,
            kind=Kind.PIT_EXTENSION,
            starts_on=timezone.localdate(),
            reason=self.cleaned_data["reason"],
            extension_days=self.cleaned_data["extension_days"],
        )


class EirExtensionForm(ClockForm):
    title = "Extend to 40 working days (EIR regulation 7)"
    submit_label = "Extend the deadline"

    reason = reason_field(
        "Why the request is complex and voluminous",
        "Regulation 7 allows 40 working days only where the complexity and volume make "
        "20 impracticable. Tell the requester within the first 20 working days.",
    )

    def apply(self):
        return clock_events.start_event(
            self.case,
            actor=self.actor,
            kind=Kind.EIR_EXTENSION,
            starts_on=timezone.localdate(),
            reason=self.cleaned_data["reason"],
        )


class ComplexReviewForm(ClockForm):
    title = "Mark this internal review as complex (40 working days)"
    submit_label = "Mark as complex"

    reason = reason_field(
        "Why the review is complex",
        "The section 45 Code of Practice expects a review within 20 working days, and no "
        "more than 40 where it is complex or voluminous. Tell the requester the new date.",
    )

    def apply(self):
        return clock_events.start_event(
            self.case,
            actor=self.actor,
            kind=Kind.COMPLEX_REVIEW,
            starts_on=timezone.localdate(),
            reason=self.cleaned_data["reason"],
        )


class UndoEventForm(ClockForm):
    title = "Undo a clock event"
    submit_label = "Undo"

    reason = reason_field("Why is this being undone")

    def apply(self):
        return clock_events.undo_event(
            self.event, actor=self.actor, reason=self.cleaned_data["reason"]
        )


# URL slug -> (form, the event kind it needs, whether it answers an open event).
ACTIONS = {
    "clarification": (ClarificationRequestForm, Kind.CLARIFICATION, False),
    "clarification_received": (ClarificationReceivedForm, Kind.CLARIFICATION, True),
    "fees_notice": (FeesNoticeForm, Kind.FEES_NOTICE, False),
    "fee_paid": (FeePaidForm, Kind.FEES_NOTICE, True),
    "pit_extension": (PitExtensionForm, Kind.PIT_EXTENSION, False),
    "eir_extension": (EirExtensionForm, Kind.EIR_EXTENSION, False),
    "complex_review": (ComplexReviewForm, Kind.COMPLEX_REVIEW, False),
}
