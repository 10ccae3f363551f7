"""The authority, the people who ask, and the cases they open."""

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.db.models.functions import Upper
from django.utils import timezone

from exemptions.models import Regime


class Authority(models.Model):
    """The public authority answering requests; one per installation."""

    class Nation(models.TextChoices):
        ENGLAND = "england", "England"
        WALES = "wales", "Wales"
        SCOTLAND = "scotland", "Scotland"
        NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"

    class Calendar(models.TextChoices):
        UK_WIDE = "uk-wide", "Outside Scotland: EIR requests count bank holidays anywhere in the UK"
        SCOTLAND = "scotland", "Scottish authority: EIR requests count Scottish bank holidays"

    name = models.CharField(max_length=200)
    address = models.TextField(help_text="Postal address, one line per row.")
    logo = models.ImageField(upload_to="authority/", blank=True)
    email = models.EmailField(blank=True)
    telephone = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    signatory_name = models.CharField(max_length=200)
    signatory_title = models.CharField(max_length=200, default="Disclosure Officer")
    default_regime = models.ForeignKey(Regime, on_delete=models.PROTECT, related_name="+")
    # Where the authority is: it decides which Commissioner's office a complaint goes to.
    nation = models.CharField(
        max_length=20,
        choices=Nation.choices,
        default=Nation.ENGLAND,
        help_text="Decides the complaint route in letters: the ICO's Belfast office for "
        "Northern Ireland, Wilmslow for England, Wales and Scotland (FOISA requests always go "
        "to the Scottish Information Commissioner).",
    )
    # FOIA counts UK-wide bank holidays and FOISA Scotland's, by statute; this decides
    # only environmental requests (the EIRs, or for a Scottish authority the EIR(S)).
    bank_holiday_calendar = models.CharField(
        max_length=20, choices=Calendar.choices, default=Calendar.UK_WIDE
    )
    # £450 for most authorities, £600 for those in FOIA Schedule 1 Part I.
    cost_limit_pounds = models.PositiveIntegerField(default=450)
    internal_review_contact = models.TextField(
        blank=True, help_text="Where the requester should write to ask for an internal review."
    )
    subject_access_contact = models.TextField(
        blank=True,
        help_text="Where a requester sends a subject access request for their own personal "
        "data (for example the data protection officer's email address).",
    )
    # Counts in a table below this are flagged for a disclosure-risk review before approval.
    small_number_threshold = models.PositiveSmallIntegerField(
        default=5,
        help_text="Counts from 1 up to one below this number in a response's tables are "
        "flagged for the reviewer to consider whether they could identify someone.",
    )

    class Meta:
        verbose_name_plural = "authorities"

    def __str__(self):
        return self.name

    @classmethod
    def current(cls):
        return cls.objects.select_related("default_regime").order_by("pk").first()

    @property
    def cost_limit_hours(self):
        return self.cost_limit_pounds // 25

    @property
    def address_lines(self):
        return [line.strip() for line in self.address.splitlines() if line.strip()]


class Requester(models.Model):
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    postal_address = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # The same person's other requests are found by email, whatever its case.
        indexes = [models.Index(Upper("email"), name="requester_email_upper")]

    def __str__(self):
        return self.name

    @property
    def address_lines(self):
        return [line.strip() for line in self.postal_address.splitlines() if line.strip()]


class ReferenceCounter(models.Model):
    """The last number handed out for one prefix and year."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_counter_per_year")
        ]

    def __str__(self):
        return f"{self.prefix}/{self.year}: {self.last_number}"

    @classmethod
    def next_reference(cls, prefix, year):
        """Hand out the next reference, safe against concurrent callers.

        The UPDATE ... SET last_number = last_number + 1 takes the row's write lock
        (PostgreSQL) or the database's (SQLite), so two callers can never read the
        same number; Case.reference's unique constraint is the backstop.
        """
        with transaction.atomic():
            cls.objects.get_or_create(prefix=prefix, year=year)
            cls.objects.filter(prefix=prefix, year=year).update(last_number=F("last_number") + 1)
            number = cls.objects.get(prefix=prefix, year=year).last_number
        return f"{prefix}/{year}/{number:06d}"


# A case in one of these has nothing left to do (Case.Status.RESPONDED and
# Case.CLOSED_WITHOUT_LETTER); spelled out here for the open-cases index.
FINISHED_STATUSES = ["responded", "withdrawn", "lapsed", "duplicate"]


class CaseQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=[Case.Status.RESPONDED, *Case.CLOSED_WITHOUT_LETTER])


class Case(models.Model):
    class Kind(models.TextChoices):
        REQUEST = "request", "Information request"
        INTERNAL_REVIEW = "internal_review", "Internal review"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ON_HOLD = "on_hold", "On hold"
        IN_REVIEW = "in_review", "Awaiting review"
        APPROVED = "approved", "Approved"
        RESPONDED = "responded", "Responded"
        WITHDRAWN = "withdrawn", "Withdrawn"
        LAPSED = "lapsed", "Lapsed"
        DUPLICATE = "duplicate", "Closed as a duplicate"

    class LapsedBecause(models.TextChoices):
        CLARIFICATION = "clarification", "The clarification we asked for did not arrive in time"
        FEE = "fee", "The fee was not paid in time"

    # Closed with no letter: the work list leaves them out, their letters stop where they
    # are, and the statistics count them apart from the requests we answered.
    CLOSED_WITHOUT_LETTER = (Status.WITHDRAWN, Status.LAPSED, Status.DUPLICATE)

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEB_FORM = "web_form", "Web form"
        POST = "post", "Post"
        OTHER = "other", "Other"

    reference = models.CharField(max_length=30, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.REQUEST)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="cases")
    regime = models.ForeignKey(Regime, on_delete=models.PROTECT, related_name="cases")
    requester = models.ForeignKey(Requester, on_delete=models.PROTECT, related_name="cases")
    received_on = models.DateField(default=timezone.localdate)
    received_via = models.CharField(max_length=20, choices=Channel.choices, default=Channel.EMAIL)
    request_text = models.TextField(help_text="The request exactly as received.")
    subject = models.CharField(
        max_length=200, blank=True, help_text="A short description, e.g. 'facial recognition'."
    )
    scope = models.TextField(blank=True, help_text="The requester's own scope line, verbatim.")
    prioritisation_note = models.TextField(
        blank=True, help_text="What the requester asked us to answer first, verbatim."
    )
    searches = models.TextField(blank=True, help_text="Extent and result of searches.")
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    reviewed_case = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="internal_reviews",
        help_text="For an internal review: the case whose response is being reviewed.",
    )
    # Set while the case is closed without a letter (CLOSED_WITHOUT_LETTER); a reopen
    # clears them (the history keeps every closure).
    closed_on = models.DateField(null=True, blank=True)
    closure_reason = models.TextField(blank=True)
    lapsed_because = models.CharField(max_length=20, choices=LapsedBecause.choices, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
        help_text="For a case closed as a duplicate: the case that answers it.",
    )
    # Set when the officer moved the case to another regime (FOIA to EIR, or back): the
    # letter explains the switch (workflow.switch_regime).
    regime_switched_from = models.ForeignKey(
        Regime, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    regime_switch_reason = models.TextField(blank=True)
    # Recorded when a response is issued (responses.statistics.recorded), so the
    # statistics group one table: the request's initial outcome (an
    # statistics.outcomes.Initial value, counted while the case is responded), whether
    # it neither confirmed nor denied, and its first response's timeliness ("" until
    # a first response is issued). What it cited is recorded beside it (RecordedCitation).
    statistics_outcome = models.CharField(max_length=20, blank=True)
    statistics_ncnd = models.BooleanField(default=False)
    first_response_timeliness = models.CharField(max_length=20, blank=True)
    # Bumped on every save through the forms, so a stale edit is detected.
    revision = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [
            # The statistics read one period's requests or reviews at a time.
            models.Index(fields=["kind", "received_on"], name="case_kind_received_idx"),
            # The per-quarter counts read this index alone, and so do the provisions
            # cited, which join RecordedCitation by the case's id.
            models.Index(
                fields=[
                    "kind",
                    "received_on",
                    "status",
                    "statistics_outcome",
                    "statistics_ncnd",
                    "first_response_timeliness",
                    "id",
                ],
                name="case_statistics_id_idx",
            ),
            # The work list reads the few open cases among every case ever answered. The
            # statuses are those CaseQuerySet.open() leaves out (a test holds them equal).
            models.Index(
                fields=["received_on"],
                condition=~models.Q(status__in=FINISHED_STATUSES),
                name="case_open_idx",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def closed_without_letter(self):
        return self.status in self.CLOSED_WITHOUT_LETTER

    def reference_prefix(self):
        if self.kind == self.Kind.INTERNAL_REVIEW:
            return "IR"
        return "EIR" if self.regime.code == Regime.EIR else "FOI"

    def save(self, *args, **kwargs):
        if not self.reference:
            year = (self.received_on or timezone.localdate()).year
            self.reference = ReferenceCounter.next_reference(self.reference_prefix(), year)
        super().save(*args, **kwargs)


class Question(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveIntegerField()
    text = models.TextField(help_text="The question exactly as asked.")

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="unique_question_number")
        ]

    def __str__(self):
        return f"Q{self.number}"
