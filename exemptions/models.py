"""The law the letters cite: regimes, their exemptions, and the standard clauses."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from exemptions.clauses import ClauseTemplateError, trial_render, undeclared_slots

FIXED_BY_STATUTE = (
    "Fixed by statute, so it cannot be changed here: the deadline clock and the letters "
    "follow the statute itself. Loaded from the catalogue (manage.py load_catalogue)."
)


# The subsection that creates each exemption whose catalogue row names only its section:
# a refusal notice names the provision relied on with its subsection (section 17(1)(b)),
# "section 22(1)", never "section 22". Sections with several exempting subsections or
# paragraphs (FOIA 32; FOISA 26, 30, 34, 40, 41) are left out: the letter must say which.
CONFERRING_SUBSECTIONS = {
    "FOIA": {
        "21": "21(1)",
        "22": "22(1)",
        "22A": "22A(1)",
        "23": "23(1)",
        "24": "24(1)",
        "26": "26(1)",
        "28": "28(1)",
        "29": "29(1)",
        "31": "31(1)",
        "33": "33(2)",
        "34": "34(1)",
        "35": "35(1)",
        "36": "36(2)",
        "38": "38(1)",
        "39": "39(1)",
        "41": "41(1)",
        "42": "42(1)",
        "44": "44(1)",
    },
    "FOISA": {"25": "25(1)", "28": "28(1)", "29": "29(1)", "35": "35(1)", "37": "37(1)"},
}


class Regime(models.Model):
    """An access-to-information regime: FOIA, EIR or FOISA."""

    FOIA = "FOIA"
    EIR = "EIR"
    FOISA = "FOISA"
    CODES = [(FOIA, "FOIA"), (EIR, "EIR"), (FOISA, "FOISA")]

    code = models.CharField(max_length=10, unique=True, choices=CODES)
    statute = models.CharField(max_length=200)
    regulator = models.CharField(max_length=200)
    # What the statute says, for reference: loaded from the catalogue, read-only in the
    # admin. The clock applies these rules itself (responses.deadlines and working_days).
    response_days = models.PositiveSmallIntegerField(default=20, help_text=FIXED_BY_STATUTE)
    extended_response_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=FIXED_BY_STATUTE
    )
    # GOV.UK bank-holiday divisions whose holidays are non-working days.
    bank_holiday_divisions = models.JSONField(default=list, help_text=FIXED_BY_STATUTE)
    refusal_notice_provision = models.CharField(
        max_length=200, blank=True, help_text=FIXED_BY_STATUTE
    )
    internal_review = models.TextField(blank=True, help_text=FIXED_BY_STATUTE)
    cost_limit = models.TextField(blank=True)

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.code


class Exemption(models.Model):
    """One provision a refusal can rest on, as the catalogue describes it.

    Mixed sections (s27, s40, s43 ...) are split into limbs so that ``absolute``
    and ``pit_applies`` are unambiguous for each row.
    """

    CLASS = "class"
    PREJUDICE = "prejudice"
    TESTS = [(CLASS, "Class-based"), (PREJUDICE, "Prejudice-based")]

    regime = models.ForeignKey(Regime, on_delete=models.PROTECT, related_name="exemptions")
    section = models.CharField(max_length=60)
    title = models.CharField(max_length=300)
    absolute = models.BooleanField()
    test = models.CharField(max_length=10, choices=TESTS, blank=True)
    ncnd_provision = models.CharField(max_length=30, blank=True)
    pit_applies = models.BooleanField()
    # s12, s14: refusal grounds in Part I, not Part II exemptions.
    procedural = models.BooleanField(default=False)
    # Commonly used: the clause library must have at least a statement clause for it.
    commonly_used = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["regime", "position"]
        constraints = [
            models.UniqueConstraint(fields=["regime", "section"], name="unique_section_per_regime")
        ]

    def __str__(self):
        prefix = "s" if self.regime.code != Regime.EIR else "reg "
        return f"{self.regime.code} {prefix}{self.section} {self.title}"

    @property
    def provision_word(self):
        """What the law calls its provisions: regulations in the EIR, sections elsewhere."""
        return "regulation" if self.regime.code == Regime.EIR else "section"

    @property
    def kind_word(self):
        """An EIR ground for refusal is an exception; FOIA's and FOISA's are exemptions."""
        return "exception" if self.regime.code == Regime.EIR else "exemption"

    @property
    def is_prejudice_based(self):
        return self.test == self.PREJUDICE

    @property
    def has_ncnd_provision(self):
        return bool(self.ncnd_provision)

    @property
    def cited_section(self):
        """The section as a letter cites it, with its subsection: "40(2)" for the
        catalogue's limb "40(2) first condition", whose qualifier only tells the rows apart;
        "22(1)" for the catalogue's "22"."""
        section = self.section.split(" ")[0]
        if self.procedural:
            return section
        return CONFERRING_SUBSECTIONS.get(self.regime.code, {}).get(section, section)

    def provision_for(self, mode):
        """The subsection a letter cites: the NCND provision for NCND, else the section.

        FOISA has one NCND provision for every exemption (section 18(1)), so on its own it
        says nothing: an NCND there cites it with the exemption's limb, "18(1) with 35(1)(a)".
        """
        if mode == Clause.Mode.NCND:
            if not self.ncnd_provision:
                raise ValueError(f"{self} has no neither-confirm-nor-deny provision.")
            if self.regime.code == Regime.FOISA:
                return f"{self.ncnd_provision} with {self.cited_section}"
            return self.ncnd_provision
        return self.cited_section


class ClauseQuerySet(models.QuerySet):
    def current(self, on=None):
        """The version of each clause in force on a date (today by default)."""
        on = on or timezone.localdate()
        return self.filter(effective_from__lte=on).filter(
            models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=on)
        )


class Clause(models.Model):
    """A versioned standard paragraph with fill-in slots.

    A version is never rewritten once saved: ``revise()`` closes it and creates the
    next one, so a letter that used version 3 can always show version 3.
    """

    class Kind(models.TextChoices):
        NCND_STATEMENT = "ncnd_statement", "Neither confirm nor deny statement"
        REFUSAL_STATEMENT = "refusal_statement", "Refusal statement"
        HARM = "harm", "Harm"
        FACTORS_FAVOURING = "factors_favouring", "Factors favouring confirmation or disclosure"
        FACTORS_AGAINST = "factors_against", "Factors against confirmation or disclosure"
        BALANCE = "balance", "Overall balance"
        SEARCHES = "searches", "Extent and result of searches"
        ADVICE = "advice", "Advice and assistance"
        CLOSING = "closing", "Closing paragraph"
        LETTER = "letter", "Other letter text"

    class Mode(models.TextChoices):
        ANY = "", "Either"
        NCND = "ncnd", "Neither confirm nor deny"
        WITHHOLD = "withhold", "Withholding"

    code = models.SlugField(max_length=80, help_text="Stable identifier, e.g. foia-s24-harm-ncnd.")
    version = models.PositiveIntegerField(default=1)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Harm and public interest wording differs between confirming-or-denying and disclosing.
    mode = models.CharField(max_length=10, choices=Mode.choices, blank=True, default="")
    exemption = models.ForeignKey(
        Exemption, null=True, blank=True, on_delete=models.PROTECT, related_name="clauses"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Jinja2 text; slots are written {{ slot_name }}.")
    # [{"name": "foreign_state", "label": "The foreign state", "help": "..."}]
    slots = models.JSONField(default=list, blank=True)
    effective_from = models.DateField(default=timezone.localdate)
    effective_to = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ClauseQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="unique_clause_version")
        ]

    def __str__(self):
        return f"{self.code} v{self.version}"

    @property
    def slot_names(self):
        return [slot["name"] for slot in self.slots]

    def clean(self):
        try:
            missing = undeclared_slots(self.body, self.slot_names)
        except ClauseTemplateError as error:
            raise ValidationError(
                {"body": f"The text cannot be used in a letter: {error}"}
            ) from None
        if missing:
            raise ValidationError(
                {"body": "The text uses slots that are not declared: " + ", ".join(sorted(missing))}
            )
        # A body that parses can still fail when a letter uses it: try it with sample values.
        try:
            trial_render(self.code or "new clause", self.body, self.slot_names)
        except ClauseTemplateError as error:
            raise ValidationError(
                {"body": f"The text cannot be used in a letter: {error}"}
            ) from None

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValidationError(
                f"Clause {self} is a saved version and cannot be rewritten; use revise()."
            )
        super().save(*args, **kwargs)

    @transaction.atomic
    def revise(self, *, body, slots=None, title=None, user=None, effective_from=None):
        """Close this version and create the next one with new text."""
        effective_from = effective_from or timezone.localdate()
        latest = Clause.objects.select_for_update().filter(code=self.code).order_by("-version")[0]
        if latest.effective_to is None or latest.effective_to >= effective_from:
            latest.effective_to = effective_from - timezone.timedelta(days=1)
            Clause.objects.filter(pk=latest.pk).update(effective_to=latest.effective_to)
        successor = Clause(
            code=self.code,
            version=latest.version + 1,
            kind=self.kind,
            mode=self.mode,
            exemption=self.exemption,
            title=title or self.title,
            body=body,
            slots=self.slots if slots is None else slots,
            effective_from=effective_from,
            created_by=user,
        )
        successor.full_clean()
        successor.save()
        return successor
