"""Decisions on questions, and the letters that carry them."""

from django.conf import settings
from django.db import models

from exemptions.models import Clause, Exemption

from .cases import Case, Question


class Decision(models.Model):
    """The answer to one question or a group of questions ("Q1 & 2")."""

    class Outcome(models.TextChoices):
        PROVIDED = "provided", "Information provided"
        PROVIDED_IN_PART = "provided_in_part", "Provided in part"
        NOT_HELD = "not_held", "Information not held"
        NCND = "ncnd", "Neither confirm nor deny"
        WITHHELD = "withheld", "Withheld under exemptions"
        COST_LIMIT = "cost_limit", "Refused: cost limit (section 12)"
        VEXATIOUS = "vexatious", "Refused: vexatious request (section 14(1))"
        REPEATED = "repeated", "Refused: repeated request (section 14(2))"
        NOT_APPLICABLE = "not_applicable", "Not applicable: falls away after an earlier answer"
        OWN_DATA = "own_data", "The requester's own personal data (subject access request)"

    class RestReason(models.TextChoices):
        """Provided in part: why the rest of the question is not provided."""

        NOT_HELD = "not_held", "We do not hold the rest"
        NOT_RECORDED = "not_recorded", "The rest is not recorded in the form asked for"
        EXEMPT = "exempt", "The rest is withheld under exemptions"

    class AdviceAction(models.TextChoices):
        """Section 16 advice after a cost-limit refusal: what to do with the named questions."""

        DROP = "drop", "Drop these questions"
        NARROW = "narrow", "Narrow these questions"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    questions = models.ManyToManyField(Question, related_name="decisions")
    position = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    # What is confirmed or provided (may sit beside an NCND for the rest).
    answer = models.TextField(blank=True)
    # Rows of cells, the first row the header; pasted from a spreadsheet.
    table = models.JSONField(default=list, blank=True)
    # Section 12: [{"activity": "Locating", "hours": 12.5}, ...]
    cost_estimate = models.JSONField(default=list, blank=True)
    advice = models.TextField(blank=True, help_text="Advice and assistance under section 16.")
    # Provided in part: why the rest is not given (not held, not recorded, or exempt).
    rest_reason = models.CharField(max_length=20, choices=RestReason.choices, blank=True)
    # Not applicable: the earlier question whose answer makes this one fall away.
    depends_on = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # One of several decisions on the same question(s): the part this one answers.
    part_label = models.CharField(max_length=120, blank=True)
    # Where published information can be found (a section 21 signpost), for this part.
    signpost = models.TextField(blank=True)
    # Figures given "as at" a date.
    as_at = models.DateField(null=True, blank=True)
    # Section 12: a lower bound ("more than 40 hours") when no breakdown is given, what drives
    # the cost (standard reasons, by key, plus the officer's particulars), a voluntary release
    # of what the searches found so far, and the questions section 16 advice suggests dropping
    # or narrowing.
    cost_minimum_hours = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    cost_drivers = models.JSONField(default=list, blank=True)
    cost_drivers_detail = models.TextField(blank=True)
    discretionary_release = models.BooleanField(default=False)
    advice_questions = models.ManyToManyField(Question, blank=True, related_name="+")
    advice_action = models.CharField(max_length=10, choices=AdviceAction.choices, blank=True)
    # Bumped on every save, so a second officer's stale edit is caught.
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["case", "position", "pk"]

    def __str__(self):
        return f"{self.case} decision {self.position}"


class Citation(models.Model):
    """An exemption cited in a decision, with the mode that picks the subsection."""

    class Mode(models.TextChoices):
        NCND = "ncnd", "Neither confirm nor deny"
        WITHHOLD = "withhold", "Withhold"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="citations")
    exemption = models.ForeignKey(Exemption, on_delete=models.PROTECT, related_name="citations")
    mode = models.CharField(max_length=10, choices=Mode.choices)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["decision", "position", "pk"]
        indexes = [
            # The latest citations of an exemption, beside the decision form.
            models.Index(fields=["exemption", "-id"], name="citation_exemption_latest_idx")
        ]

    def __str__(self):
        return self.provision

    @property
    def provision(self):
        return self.exemption.provision_for(self.mode)


class RecordedCitation(models.Model):
    """A provision a request's response cited, once per request and mode, recorded when
    the response is issued (responses.statistics.recorded): the statistics count the
    provisions cited in a year by grouping this table in the database."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="recorded_citations")
    exemption = models.ForeignKey(Exemption, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=10, choices=Citation.Mode.choices)
    # True on one row per case and exemption (when it was cited in both modes, the NCND
    # one): counting these counts the requests that cited a section, in the same query.
    counts_for_section = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "exemption", "mode"], name="recorded_citation_once"
            )
        ]

    def __str__(self):
        return f"{self.case_id}: {self.exemption_id} ({self.mode})"


class Letter(models.Model):
    class Kind(models.TextChoices):
        RESPONSE = "response", "Response"
        ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
        CLARIFICATION = "clarification", "Request for clarification (section 1(3))"
        EXTENSION = "extension", "Public interest extension (sections 10(3) and 17(2))"
        REVIEW_OUTCOME = "review_outcome", "Internal review outcome"
        FRESH_RESPONSE = "fresh_response", "Fresh response after a decision notice"

    class Layout(models.TextChoices):
        """How a letter whose body answers questions arranges them; same data in each."""

        SECTIONS = "sections", "Sections: decision, harm, public interest, closing"
        QUESTIONS = "questions", "Question by question: you asked, our response"
        COVER = "cover", "Cover letter with a schedule of reasons at the end"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "Awaiting review"
        APPROVED = "approved", "Approved"
        ISSUED = "issued", "Issued"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RESPONSE)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Values for the clause slots, filled once per letter: {"foreign_state": "..."}
    slot_values = models.JSONField(default=dict, blank=True)
    # Sources of library paragraphs the officer deleted ("clause:letter-not-comparable"), so
    # "Update from decisions" does not bring them back; "Reset section" does.
    removed_sources = models.JSONField(default=list, blank=True)
    layout = models.CharField(max_length=20, choices=Layout.choices, default=Layout.SECTIONS)
    # A table of every question's outcome at the start of the letter, in any layout.
    include_outcome_summary = models.BooleanField(default=False)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    # Why a correction was needed: the letter and its PDF say so to the requester.
    correction_reason = models.TextField(blank=True)
    # Bumped on every save, so a second editor's stale save is caught.
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["case", "created_at"]

    def __str__(self):
        return f"{self.case} {self.get_kind_display().lower()}"


class LetterSection(models.Model):
    """One part of a letter (Request, Decision, Harm ...), made of paragraphs."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="sections")
    key = models.SlugField(max_length=60)
    heading = models.CharField(max_length=200)
    # 1: a main heading (Decision, Harm ...); 2: a part under it ("Q1 & 2", one PIT list).
    level = models.PositiveSmallIntegerField(default=1)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["letter", "position"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "key"], name="unique_section_key_per_letter")
        ]

    def __str__(self):
        return self.heading


class LetterParagraph(models.Model):
    """A paragraph of plain text with light markup; escaped whenever it is shown.

    ``clause`` records the library version it came from; ``edited`` is set once the
    officer changes the text, so a reset can bring back the library wording.
    """

    section = models.ForeignKey(LetterSection, on_delete=models.CASCADE, related_name="paragraphs")
    position = models.PositiveIntegerField(default=0)
    text = models.TextField(blank=True)
    clause = models.ForeignKey(
        Clause, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    edited = models.BooleanField(default=False)
    # What generated the paragraph ("question:3", "clause:foia-s24-harm-ncnd"), so a rebuild
    # can match it; empty for a paragraph the officer wrote.
    source = models.CharField(max_length=120, blank=True)
    # Personal: sent to the requester, but left out of the disclosure log's public copy.
    personal = models.BooleanField(default=False)

    class Meta:
        ordering = ["section", "position", "pk"]

    def __str__(self):
        return self.text[:60]
