"""Forms for decisions and for the letter editor."""

from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size
from django import forms

from exemptions.models import Exemption, Regime
from responses.drafting.decisions import (
    COST_ACTIVITIES,
    cost_estimate_from_hours,
    parse_table,
    table_text,
)
from responses.drafting.wording import (
    ADVICE_DUTY,
    MAX_PARAGRAPH_CHARS,
    NCND,
    WITHHOLD,
    DraftingError,
    cost_limit,
    provision_label,
)
from responses.forms.fields import RevisionField
from responses.forms.layout import Details
from responses.models import Decision


def drop_maxlength_attributes(form):
    """Browsers silently cut pasted text at maxlength; we would rather say it is too long
    and keep every character, so the limit is checked on the server only."""
    for field in form.fields.values():
        field.widget.attrs.pop("maxlength", None)


class QuestionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, question):
        text = question.text if len(question.text) <= 120 else question.text[:117] + "…"
        return f"Q{question.number}. {text}"


class ExemptionsField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, mode, **kwargs):
        self.mode = mode
        super().__init__(*args, **kwargs)

    def label_from_instance(self, exemption):
        # The subsection the letter will cite: Exemption.provision_for(mode).
        if self.mode == NCND and not exemption.has_ncnd_provision:
            word = exemption.provision_word.title()
            return f"{word} {exemption.section}: {exemption.title} (no NCND provision)"
        return f"{provision_label(exemption, self.mode)}: {exemption.title}"


# Refusal grounds the EIR do not have.
NOT_UNDER_THE_EIR = {
    Decision.Outcome.COST_LIMIT,
    Decision.Outcome.VEXATIOUS,
    Decision.Outcome.REPEATED,
}

DECISION_REVISION_UNKNOWN = (
    "The form did not say which version of this decision you started from, so nothing was "
    "saved. The saved decision is shown below and your changes are still in the form: check "
    "them against it and save again."
)
LETTER_REVISION_UNKNOWN = (
    "The editor did not say which revision of the letter you started from, so nothing was saved."
)


class DecisionForm(forms.Form):
    questions = QuestionsField(
        label="Which questions does this decision answer?",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one question"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Decision.Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the outcome"},
    )
    answer = forms.CharField(
        label="What you confirm or provide",
        help_text="Shown under the question heading. It can sit beside a neither confirm nor "
        "deny for the rest of the question.",
        required=False,
        max_length=MAX_PARAGRAPH_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    table = forms.CharField(
        label="Table of figures (optional)",
        help_text="Copy the cells from a spreadsheet and paste them here. The first row is the "
        "header.",
        required=False,
        max_length=MAX_PARAGRAPH_CHARS,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )
    ncnd_exemptions = ExemptionsField(
        mode=NCND,
        label="Exemptions relied on to neither confirm nor deny",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    withhold_exemptions = ExemptionsField(
        mode=WITHHOLD,
        label="Exemptions relied on to withhold information",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Required when changing a decision (see __init__); a new one has no revision yet.
    revision = RevisionField(message=DECISION_REVISION_UNKNOWN, required=False)
    advice = forms.CharField(
        label="Advice and assistance (section 16)",
        help_text="Printed in the letter under this decision. For example, how the request "
        "could be narrowed to come within the cost limit, or where the information can be found.",
        required=False,
        max_length=MAX_PARAGRAPH_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, case, decision=None, **kwargs):
        self.case = case
        if decision is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(decision)
        super().__init__(*args, **kwargs)
        self.fields["revision"].required = decision is not None
        self.fields["questions"].queryset = case.questions.all()
        exemptions = Exemption.objects.filter(regime=case.regime, procedural=False).select_related(
            "regime"
        )
        self.fields["ncnd_exemptions"].queryset = exemptions
        self.fields["withhold_exemptions"].queryset = exemptions
        limit = cost_limit(case).hours
        self.use_the_regimes_terms(case.regime.code)
        for key, label in COST_ACTIVITIES:
            self.fields[f"hours_{key}"] = forms.DecimalField(
                label=f"{label} (hours)",
                required=False,
                min_value=Decimal(0),
                max_value=Decimal(100000),
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.25"}),
            )
        drop_maxlength_attributes(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("questions", legend_size=Size.MEDIUM),
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.textarea("answer", label_size=Size.SMALL),
            # The parts only some decisions need are folded away (and open by themselves
            # once they hold something or need correcting), so the form stays short.
            Details("Add a table of figures", Field.textarea("table", label_size=Size.SMALL)),
            Details(
                "Exemptions relied on to neither confirm nor deny",
                Field.checkboxes("ncnd_exemptions", legend_size=Size.SMALL, small=True),
                css_id="ncnd-exemptions",
            ),
            Details(
                "Exemptions relied on to withhold information",
                Field.checkboxes("withhold_exemptions", legend_size=Size.SMALL, small=True),
                css_id="withhold-exemptions",
            ),
            Details(
                "Section 12 cost estimate",
                Fieldset(
                    *[Field.text(f"hours_{key}", field_width=5) for key, _ in COST_ACTIVITIES],
                    legend=f"Section 12 cost estimate (the limit is {limit} hours)",
                    legend_size=Size.SMALL,
                ),
                css_id="cost-estimate",
            ),
            Details("Advice and assistance (section 16)", Field.textarea("advice")),
            "revision",
        )

    @staticmethod
    def initial_from(decision):
        citations = list(decision.citations.all())
        initial = {
            "questions": list(decision.questions.all()),
            "outcome": decision.outcome,
            "answer": decision.answer,
            "table": table_text(decision.table),
            "advice": decision.advice,
            "revision": decision.revision,
            "ncnd_exemptions": [c.exemption for c in citations if c.mode == NCND],
            "withhold_exemptions": [c.exemption for c in citations if c.mode == WITHHOLD],
        }
        for item in decision.cost_estimate or []:
            if item.get("key"):
                initial[f"hours_{item['key']}"] = item.get("hours")
        return initial

    def clean_table(self):
        try:
            return parse_table(self.cleaned_data["table"])
        except DraftingError as error:
            raise forms.ValidationError(str(error)) from None

    def use_the_regimes_terms(self, regime_code):
        """The EIR speak of exceptions and regulations, and have no section 12 or 14 (an
        excessive or vexatious request is manifestly unreasonable, regulation 12(4)(b));
        each law has its own duty to advise (FOIA s16, EIR reg 9, FOISA s15)."""
        self.fields["advice"].label = f"Advice and assistance ({ADVICE_DUTY[regime_code]})"
        if regime_code != Regime.EIR:
            return
        for name in ("ncnd_exemptions", "withhold_exemptions"):
            self.fields[name].label = self.fields[name].label.replace("Exemptions", "Exceptions")
        self.fields["outcome"].choices = [
            (value, label.replace("exemptions", "exceptions"))
            for value, label in Decision.Outcome.choices
            if value not in NOT_UNDER_THE_EIR
        ]

    def clean_ncnd_exemptions(self):
        chosen = self.cleaned_data["ncnd_exemptions"]
        without = [e for e in chosen if not e.has_ncnd_provision]
        if without:
            names = ", ".join(f"{e.provision_word} {e.section}" for e in without)
            raise forms.ValidationError(
                f"You cannot neither confirm nor deny under {names}: it has no "
                "neither-confirm-nor-deny provision. Cite it to withhold instead, or untick it."
            )
        return chosen

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        ncnd = data.get("ncnd_exemptions") or []
        withhold = data.get("withhold_exemptions") or []
        if outcome == Decision.Outcome.NCND and "ncnd_exemptions" in data and not ncnd:
            self.add_error(
                "ncnd_exemptions",
                "Select the exemptions relied on to neither confirm nor deny",
            )
        if outcome == Decision.Outcome.WITHHELD and "withhold_exemptions" in data and not withhold:
            self.add_error("withhold_exemptions", "Select the exemptions relied on to withhold")
        if outcome == Decision.Outcome.COST_LIMIT:
            hours = {key: data.get(f"hours_{key}") for key, _ in COST_ACTIVITIES}
            if all(value is None for value in hours.values()):
                self.add_error(
                    f"hours_{COST_ACTIVITIES[0][0]}",
                    "Enter the hours estimated for at least one activity",
                )
        return data

    def service_arguments(self):
        """Keyword arguments for decisions.save_decision."""
        data = self.cleaned_data
        hours = {key: data.get(f"hours_{key}") for key, _ in COST_ACTIVITIES}
        citations = [(e, NCND) for e in data["ncnd_exemptions"]] + [
            (e, WITHHOLD) for e in data["withhold_exemptions"]
        ]
        return {
            "questions": list(data["questions"]),
            "outcome": data["outcome"],
            "answer": data["answer"].strip(),
            "table": data["table"],
            "cost_estimate": cost_estimate_from_hours(hours),
            "advice": data["advice"].strip(),
            "citations": citations,
            "revision": data.get("revision"),
        }


def paragraph_field_name(paragraph_pk):
    return f"p-{paragraph_pk}"


def personal_field_name(paragraph_pk):
    return f"p-{paragraph_pk}-personal"


def slot_field_name(slot_name):
    return f"slot-{slot_name}"


class LetterEditForm(forms.Form):
    """Every paragraph's text, the slot values and the revision the editor started from."""

    revision = RevisionField(message=LETTER_REVISION_UNKNOWN)

    def __init__(self, *args, letter, paragraphs, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.letter = letter
        self.paragraphs = list(paragraphs)
        self.slots = list(slots)
        self.fields["revision"].initial = letter.revision
        for paragraph in self.paragraphs:
            self.fields[paragraph_field_name(paragraph.pk)] = forms.CharField(
                label="Paragraph",
                required=False,
                strip=False,
                initial=paragraph.text,
                widget=forms.Textarea(attrs={"rows": 4, "class": "govuk-textarea"}),
            )
            self.fields[personal_field_name(paragraph.pk)] = forms.BooleanField(
                label="Personal: leave this paragraph out of the disclosure log's public copy",
                required=False,
                initial=paragraph.personal,
            )
        for slot in self.slots:
            self.fields[slot_field_name(slot.name)] = forms.CharField(
                label=slot.label,
                help_text=slot.help or ("Used in " + ", ".join(slot.used_in)),
                required=False,
                max_length=2000,
                initial=(letter.slot_values or {}).get(slot.name, ""),
            )
        drop_maxlength_attributes(self)

    def clean(self):
        data = super().clean()
        for paragraph in self.paragraphs:
            name = paragraph_field_name(paragraph.pk)
            text = (data.get(name) or "").replace("\r\n", "\n")
            if len(text) > MAX_PARAGRAPH_CHARS:
                self.add_error(
                    name,
                    f"This paragraph is too long: the limit is {MAX_PARAGRAPH_CHARS:,} "
                    f"characters (it has {len(text):,}). Your text is still here: shorten it "
                    "or split it into two paragraphs.",
                )
        return data

    def paragraph_texts(self):
        # Only what was posted: a paragraph added by someone else since the page was loaded
        # is not in the form and must not be blanked.
        return {
            paragraph.pk: self.cleaned_data[paragraph_field_name(paragraph.pk)]
            for paragraph in self.paragraphs
            if paragraph_field_name(paragraph.pk) in self.data
        }

    def paragraph_personal(self):
        """{pk: marked personal}, for the paragraphs whose text was posted (an unticked box
        sends nothing, so the text field says the paragraph was in the form)."""
        return {
            paragraph.pk: self.cleaned_data[personal_field_name(paragraph.pk)]
            for paragraph in self.paragraphs
            if paragraph_field_name(paragraph.pk) in self.data
        }

    def slot_values(self):
        return {
            slot.name: self.cleaned_data[slot_field_name(slot.name)]
            for slot in self.slots
            if slot_field_name(slot.name) in self.data
        }

    def lost_paragraphs(self, data):
        """Text posted for paragraphs that no longer exist (deleted by someone else)."""
        known = {paragraph_field_name(p.pk) for p in self.paragraphs}
        lost = []
        for name, value in data.items():
            if name.startswith("p-") and name.count("-") == 1 and name not in known:
                section_key = data.get(f"{name}-section", "")
                if value.strip():
                    lost.append((section_key, value[:MAX_PARAGRAPH_CHARS]))
        return lost
