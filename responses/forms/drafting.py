"""Forms for decisions and for the letter editor."""

from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
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
from responses.drafting.layouts import LAID_OUT_KINDS
from responses.drafting.outcome_wording import COST_DRIVERS
from responses.drafting.planning import decision_groups
from responses.drafting.wording import (
    ADVICE_DUTY,
    MAX_PARAGRAPH_CHARS,
    NCND,
    WITHHOLD,
    DraftingError,
    cost_limit,
    provision_label,
    question_label,
)
from responses.forms.fields import ReadOnceChoiceIterator, RevisionField
from responses.forms.layout import Details
from responses.models import Decision, Letter


def drop_maxlength_attributes(form):
    """Browsers silently cut pasted text at maxlength; we would rather say it is too long
    and keep every character, so the limit is checked on the server only."""
    for field in form.fields.values():
        field.widget.attrs.pop("maxlength", None)


class QuestionsField(forms.ModelMultipleChoiceField):
    iterator = ReadOnceChoiceIterator

    def label_from_instance(self, question):
        text = question.text if len(question.text) <= 120 else question.text[:117] + "…"
        return f"Q{question.number}. {text}"


class AdviceQuestionsField(QuestionsField):
    """The questions section 16 advice names; labelled apart from the decision's own."""

    def label_from_instance(self, question):
        text = question.text if len(question.text) <= 80 else question.text[:77] + "…"
        return f"Drop or narrow Q{question.number} ({text})"


class ExemptionsField(forms.ModelMultipleChoiceField):
    iterator = ReadOnceChoiceIterator

    def __init__(self, *args, mode, **kwargs):
        self.mode = mode
        super().__init__(*args, **kwargs)

    def label_from_instance(self, exemption):
        # The subsection the letter will cite: Exemption.provision_for(mode).
        if self.mode == NCND and not exemption.has_ncnd_provision:
            word = exemption.provision_word.title()
            return f"{word} {exemption.section}: {exemption.title} (no NCND provision)"
        return f"{provision_label(exemption, self.mode)}: {exemption.title}"


# The folded parts of the decision form name each law's own provision.
SIGNPOST_PROVISION = {
    Regime.FOIA: "section 21",
    Regime.EIR: "regulation 6(1)(b)",
    Regime.FOISA: "section 25",
}

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


class AsAtDateField(DateInputField):
    """The GOV.UK date input, with a plain message for a date that does not exist."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except forms.ValidationError:
            raise forms.ValidationError("The “as at” date must be a real date") from None


class QuestionChoiceField(forms.ModelChoiceField):
    iterator = ReadOnceChoiceIterator

    def label_from_instance(self, question):
        text = question.text if len(question.text) <= 120 else question.text[:117] + "…"
        return f"Q{question.number}. {text}"


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
    part_label = forms.CharField(
        label="Which part of the question does this decision answer? (optional)",
        help_text="Only when a question has more than one decision, for example “Names "
        "already published” and “Other names”. The letter prints the parts together under "
        "the question, each with this heading.",
        required=False,
        max_length=120,
    )
    rest_reason = forms.ChoiceField(
        label="Provided in part: why is the rest not provided?",
        choices=Decision.RestReason.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    depends_on = QuestionChoiceField(
        label="Not applicable: which earlier question does it depend on?",
        help_text="For example Q2 “If so, what did it conclude?” after the answer “no” to Q1.",
        queryset=None,
        required=False,
        empty_label="Choose the question",
    )
    signpost = forms.CharField(
        label="Where the published information is (optional)",
        help_text="For information already published: completes “You can find it ...”, for example "
        "“on our website at https://www.example.gov.uk/board-members”, or just the link. "
        "One link per part.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    as_at = AsAtDateField(
        label="The figures are as at (optional)",
        help_text="For example, 31 3 2026.",
        required=False,
        require_all_fields=False,
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
    cost_minimum_hours = forms.DecimalField(
        label="Or: at least how many hours (a lower bound)",
        help_text="When you stopped estimating once the limit was clearly passed. The letter "
        "says “more than” this many hours.",
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100000),
        decimal_places=2,
        widget=forms.NumberInput(attrs={"step": "0.25"}),
    )
    cost_drivers = forms.MultipleChoiceField(
        label="What drives the cost for these questions?",
        choices=[(key, label) for key, label, _ in COST_DRIVERS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cost_drivers_detail = forms.CharField(
        label="Particulars of the cost (optional)",
        help_text="Facts only, for example “about 2,400 staff mailboxes”.",
        required=False,
        max_length=MAX_PARAGRAPH_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    discretionary_release = forms.BooleanField(
        label="Release what the searches found so far, voluntarily (give it as the answer or "
        "table above)",
        required=False,
    )
    advice_questions = AdviceQuestionsField(
        label="Section 16 advice: which questions could be dropped or narrowed?",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    advice_action = forms.ChoiceField(
        label="What would bring the request within the limit?",
        choices=Decision.AdviceAction.choices,
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, case, decision=None, **kwargs):
        self.case = case
        if decision is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(decision)
        super().__init__(*args, **kwargs)
        self.fields["revision"].required = decision is not None
        self.decision = decision
        self.fields["questions"].queryset = case.questions.all()
        self.fields["depends_on"].queryset = case.questions.all()
        self.fields["advice_questions"].queryset = case.questions.all()
        exemptions = Exemption.objects.filter(regime=case.regime, procedural=False).select_related(
            "regime"
        )
        self.fields["ncnd_exemptions"].queryset = exemptions
        self.fields["withhold_exemptions"].queryset = exemptions
        limit = cost_limit(case).hours
        regime_code = case.regime.code
        self.use_the_regimes_terms(regime_code)
        provisions = "Exceptions" if regime_code == Regime.EIR else "Exemptions"
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
        # The EIR have no cost limit (an excessive request is manifestly unreasonable).
        cost_estimate = None
        if regime_code != Regime.EIR:
            cost_estimate = Details(
                "Section 12 cost estimate",
                Fieldset(
                    *[Field.text(f"hours_{key}", field_width=5) for key, _ in COST_ACTIVITIES],
                    Field.text("cost_minimum_hours", field_width=5),
                    Field.checkboxes("cost_drivers", small=True),
                    Field.textarea("cost_drivers_detail"),
                    Field.checkbox("discretionary_release", small=True),
                    legend=f"Section 12 cost estimate (the limit is {limit} hours)",
                    legend_size=Size.SMALL,
                ),
                css_id="cost-estimate",
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("questions", legend_size=Size.MEDIUM),
            Field.text("part_label"),
            Field.radios("outcome", legend_size=Size.MEDIUM),
            Field.textarea("answer", label_size=Size.SMALL),
            Details(
                "Provided in part, or the question falls away",
                Field.radios("rest_reason", legend_size=Size.SMALL, small=True),
                Field.select("depends_on"),
                css_id="partial-or-not-applicable",
            ),
            # The parts only some decisions need are folded away (and open by themselves
            # once they hold something or need correcting), so the form stays short.
            Details(
                "Add a table of figures",
                Field.textarea("table", label_size=Size.SMALL),
                Field("as_at"),
            ),
            Details(
                f"Published elsewhere ({SIGNPOST_PROVISION[regime_code]})",
                Field.textarea("signpost"),
            ),
            Details(
                f"{provisions} relied on to neither confirm nor deny",
                Field.checkboxes("ncnd_exemptions", legend_size=Size.SMALL, small=True),
                css_id="ncnd-exemptions",
            ),
            Details(
                f"{provisions} relied on to withhold information",
                Field.checkboxes("withhold_exemptions", legend_size=Size.SMALL, small=True),
                css_id="withhold-exemptions",
            ),
            *([cost_estimate] if cost_estimate else []),
            Details(
                f"Advice and assistance ({ADVICE_DUTY[regime_code]})",
                Field.checkboxes("advice_questions", small=True),
                Field.radios("advice_action", small=True, inline=True),
                Field.textarea("advice"),
            ),
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
            "part_label": decision.part_label,
            "rest_reason": decision.rest_reason,
            "depends_on": decision.depends_on,
            "signpost": decision.signpost,
            "as_at": decision.as_at,
            "cost_minimum_hours": decision.cost_minimum_hours,
            "cost_drivers": list(decision.cost_drivers or []),
            "cost_drivers_detail": decision.cost_drivers_detail,
            "discretionary_release": decision.discretionary_release,
            "advice_questions": list(decision.advice_questions.all()),
            "advice_action": decision.advice_action,
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
            if all(value is None for value in hours.values()) and (
                data.get("cost_minimum_hours") is None
            ):
                self.add_error(
                    f"hours_{COST_ACTIVITIES[0][0]}",
                    "Enter the hours estimated for at least one activity, or the lower bound",
                )
            if data.get("discretionary_release") and not (
                (data.get("answer") or "").strip() or data.get("table")
            ):
                self.add_error(
                    "answer",
                    "Give what the searches found so far (an answer or a table), or untick "
                    "the voluntary release",
                )
            if data.get("advice_questions") and not data.get("advice_action"):
                self.add_error(
                    "advice_action", "Say whether the questions should be dropped or narrowed"
                )
        if outcome == Decision.Outcome.PROVIDED_IN_PART and not data.get("rest_reason"):
            if ncnd or withhold:
                # Exemptions ticked: they are why the rest is not provided.
                data["rest_reason"] = Decision.RestReason.EXEMPT
            else:
                self.add_error(
                    "rest_reason",
                    "Say why the rest of the question is not provided, or select the "
                    "exemptions that cover it",
                )
        if (
            outcome == Decision.Outcome.PROVIDED_IN_PART
            and data.get("rest_reason") == Decision.RestReason.EXEMPT
            and "withhold_exemptions" in data
            and "ncnd_exemptions" in data
            and not withhold
            and not ncnd
        ):
            self.add_error("withhold_exemptions", "Select the exemptions that cover the rest")
        if outcome == Decision.Outcome.NOT_APPLICABLE:
            self.clean_not_applicable(data)
        self.clean_parts(data)
        return data

    def clean_not_applicable(self, data):
        depends_on = data.get("depends_on")
        questions = list(data.get("questions") or [])
        if depends_on is None:
            self.add_error("depends_on", "Choose the earlier question this one depends on")
        elif depends_on in questions:
            self.add_error(
                "depends_on", "Choose another question: a question cannot depend on itself"
            )
        elif questions and depends_on.number > min(q.number for q in questions):
            self.add_error(
                "depends_on",
                f"Q{depends_on.number} comes after the question it would decide: choose an "
                "earlier question",
            )

    def clean_parts(self, data):
        """A second decision on a question already decided: ask whether it is a separate
        part of the answer (then it needs a name), rather than print the question twice."""
        numbers = tuple(sorted(q.number for q in data.get("questions") or []))
        if not numbers or data.get("part_label", "").strip():
            return
        others = [
            d for d in self.case.decisions.prefetch_related("questions") if d != self.decision
        ]
        for group_numbers, group in decision_groups(others):
            if set(group_numbers) & set(numbers):
                other = group[0]
                self.add_error(
                    "part_label",
                    f"{question_label(group_numbers)} already has a decision "
                    f"({other.get_outcome_display().lower()}). If this decision answers a "
                    "separate part of it, name the part, for example “Names already "
                    "published”; if not, change that decision instead",
                )
                return

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
            "rest_reason": data.get("rest_reason") or "",
            "depends_on": data.get("depends_on"),
            "part_label": data["part_label"].strip(),
            "signpost": data["signpost"].strip(),
            "as_at": data.get("as_at"),
            "cost_minimum_hours": data.get("cost_minimum_hours"),
            "cost_drivers": list(data.get("cost_drivers") or []),
            "cost_drivers_detail": data["cost_drivers_detail"].strip(),
            "discretionary_release": bool(data.get("discretionary_release")),
            "advice_questions": list(data.get("advice_questions") or []),
            "advice_action": data.get("advice_action") or "",
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
        if letter.kind in LAID_OUT_KINDS:
            self.fields["layout"] = forms.ChoiceField(
                label="Layout",
                choices=Letter.Layout.choices,
                initial=letter.layout,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields["include_outcome_summary"] = forms.BooleanField(
                label="Start the letter with a summary of every question's outcome",
                required=False,
                initial=letter.include_outcome_summary,
            )
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

    def layout_choice(self):
        """(layout, include_outcome_summary) if the layout was posted and differs from the
        letter's, else None."""
        if "layout" not in self.fields or "layout" not in self.data:
            return None
        layout = self.cleaned_data.get("layout") or self.letter.layout
        summary = bool(self.cleaned_data.get("include_outcome_summary"))
        if (layout, summary) == (self.letter.layout, self.letter.include_outcome_summary):
            return None
        return layout, summary

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
