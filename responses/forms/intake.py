"""Logging a request and editing its questions."""

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from exemptions.models import Regime
from responses.forms.fields import RevisionField
from responses.intake import MAX_QUESTIONS, split_at_marker
from responses.models import Case
from responses.questions import QuestionDraft


class RegimeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, regime):
        return f"{regime.code}: {regime.statute}" if regime.statute else regime.code


class ReceivedDateField(DateInputField):
    """The GOV.UK date input, with a plain message for a date that does not exist."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError:
            raise forms.ValidationError("Date received must be a real date") from None


class LogRequestForm(forms.Form):
    requester_name = forms.CharField(
        label="Requester's name",
        max_length=200,
        error_messages={"required": "Enter the requester's name"},
    )
    requester_email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="Give an email address, a postal address or both.",
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    requester_address = forms.CharField(
        label="Postal address", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    received_on = ReceivedDateField(
        label="Date received",
        help_text="For example, 27 3 2026",
        require_all_fields=False,
    )
    received_via = forms.ChoiceField(
        label="How did the request arrive?",
        choices=Case.Channel.choices,
        initial=Case.Channel.EMAIL,
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the request arrived"},
    )
    subject = forms.CharField(
        label="Subject",
        max_length=200,
        help_text="A few words to recognise the case by, for example 'facial recognition'.",
        error_messages={"required": "Enter a short subject"},
    )
    regime = RegimeChoiceField(
        label="Regime",
        queryset=Regime.objects.all(),
        empty_label=None,
        error_messages={"required": "Select the regime the request falls under"},
    )
    request_text = forms.CharField(
        label="The request, exactly as received",
        help_text="Paste the whole request. We will propose its numbered questions next.",
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": "Paste the text of the request"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template's <form> has the token
        self.helper.layout = Layout(
            Fieldset(
                Field.text("requester_name"),
                Field.text("requester_email"),
                Field.textarea("requester_address", rows=4),
                legend="Who asked",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field("received_on"),
                Field.radios("received_via", inline=True),
                Field.text("subject"),
                Field.select("regime"),
                Field.textarea("request_text", rows=14),
                legend="The request",
                legend_size=Size.MEDIUM,
            ),
        )

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on is None:
            raise forms.ValidationError("Enter the date the request was received")
        if received_on > timezone.localdate():
            raise forms.ValidationError("The date received must be today or in the past")
        return received_on

    def clean(self):
        cleaned = super().clean()
        has_email = bool(cleaned.get("requester_email")) or self.has_error("requester_email")
        if not has_email and not (cleaned.get("requester_address") or "").strip():
            self.add_error(
                "requester_email",
                "Enter the requester's email address or postal address, so we can reply",
            )
        return cleaned


class RequestDetailsForm(forms.Form):
    """The parts of the request around the questions, and the searches made."""

    revision = RevisionField(
        message="The page did not say which version of the request you started from, so "
        "nothing was saved. The saved request is shown below and your version is in the form: "
        "compare them, then save yours again if it is right."
    )
    subject = forms.CharField(
        label="Subject",
        max_length=200,
        help_text="A short label for officers, such as \u201cdrones at protests\u201d. It is "
        "never put into a letter.",
        error_messages={"required": "Enter a short subject"},
    )
    scope = forms.CharField(
        label="Scope",
        required=False,
        help_text="The requester's own scope line, for example the period they asked about.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    prioritisation_note = forms.CharField(
        label="Prioritisation note",
        required=False,
        help_text="What the requester asked us to answer first if we cannot answer everything.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    searches = forms.CharField(
        label="Extent and result of searches",
        required=False,
        help_text="Which parts of the authority were searched, and what was found.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class QuestionForm(forms.Form):
    question_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(
        label="Question text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    selected = forms.BooleanField(label="Select to merge", required=False)


class BaseQuestionFormSet(forms.BaseFormSet):
    """The questions, with the checks that only matter when saving."""

    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_many_forms": "A request can have at most %(num)d questions here. Merge some, or "
        "log the rest as a separate request.",
    }

    def __init__(self, *args, saving=False, **kwargs):
        self.saving = saving
        super().__init__(*args, **kwargs)

    def clean(self):
        if not self.saving or any(self.errors):
            return
        kept = 0
        for number, form in enumerate(self.forms, start=1):
            if self._should_delete_form(form):
                continue
            if not form.cleaned_data.get("text", "").strip():
                form.add_error("text", f"Enter the text of question {number}, or remove it")
            kept += 1
        if not kept:
            raise forms.ValidationError("Add at least one question", code="no_questions")

    def items(self):
        """Each form as a dict, the way ``apply_action`` and ``initial`` want them."""
        return [
            {
                "question_id": form.cleaned_data.get("question_id"),
                "text": form.cleaned_data.get("text", ""),
                "selected": form.cleaned_data.get("selected", False),
                "DELETE": form.cleaned_data.get("DELETE", False),
            }
            for form in self.forms
        ]

    def drafts(self):
        """The questions to save, in order, without the removed ones."""
        return [
            QuestionDraft(
                text=form.cleaned_data["text"].strip("\n").rstrip(),
                question_id=form.cleaned_data.get("question_id"),
            )
            for form in self.forms
            if not self._should_delete_form(form)
        ]


QuestionFormSet = forms.formset_factory(
    QuestionForm,
    formset=BaseQuestionFormSet,
    extra=0,
    can_delete=True,
    max_num=MAX_QUESTIONS,
    validate_max=True,
)
QUESTION_PREFIX = "questions"


def question_items(texts_or_questions):
    """Initial formset rows from saved Question objects or proposed texts."""
    items = []
    for entry in texts_or_questions:
        if isinstance(entry, str):
            items.append({"question_id": None, "text": entry})
        else:
            items.append({"question_id": entry.pk, "text": entry.text})
    return items


class ActionError(Exception):
    """An editing action that cannot be done; the message is for the officer."""


def apply_action(items, action):
    """Apply one editing button (add, merge, split:N, up:N, down:N) to the rows.

    Returns new rows; raises ActionError with a message for the officer. Nothing is
    saved: the officer sees the result and saves when happy.
    """
    items = [dict(item) for item in items]
    name, _, argument = action.partition(":")
    if name == "add":
        return [*items, {"question_id": None, "text": "", "selected": False, "DELETE": False}]
    if name == "merge":
        chosen = [
            i for i, item in enumerate(items) if item.get("selected") and not item.get("DELETE")
        ]
        if len(chosen) < 2:
            raise ActionError("Select two or more questions to merge")
        first = chosen[0]
        merged = dict(items[first])
        merged["text"] = "\n".join(items[i]["text"].strip("\n").rstrip() for i in chosen)
        merged["selected"] = False
        result = [item for i, item in enumerate(items) if i not in chosen[1:]]
        result[first] = merged
        return result
    try:
        index = int(argument)
        item = items[index]
    except (ValueError, IndexError):
        raise ActionError("That button no longer matches a question: try again") from None
    if name == "split":
        parts = split_at_marker(item["text"])
        if len(parts) < 2:
            raise ActionError(
                f"To split question {index + 1}, type a line containing only --- where it "
                "should break, then choose Split"
            )
        replacement = [{**item, "text": parts[0], "selected": False}] + [
            {"question_id": None, "text": part, "selected": False, "DELETE": False}
            for part in parts[1:]
        ]
        return items[:index] + replacement + items[index + 1 :]
    if name in ("up", "down"):
        other = index - 1 if name == "up" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
        return items
    raise ActionError("Unknown action")
