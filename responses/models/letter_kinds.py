"""The data behind the letter kinds that answer something earlier: a fresh response after
the Information Commissioner's decision notice, and an internal review's finding on each
question the requester disputed."""

from django.db import models


class DecisionNotice(models.Model):
    """An Information Commissioner's decision notice that requires a fresh response.

    Recorded with the fresh response it calls for; while the case has one, the case's
    deadline is the notice's compliance date (``deadlines.case_deadline``).
    """

    case = models.ForeignKey(
        "responses.Case", on_delete=models.CASCADE, related_name="decision_notices"
    )
    letter = models.OneToOneField(
        "responses.Letter", on_delete=models.CASCADE, related_name="decision_notice"
    )
    replaces = models.ForeignKey(
        "responses.Letter",
        on_delete=models.PROTECT,
        related_name="replaced_by_notices",
        help_text="The issued response the fresh response replaces.",
    )
    reference = models.CharField(
        max_length=60, help_text="The notice's reference, e.g. IC-123456-A1B2."
    )
    notice_date = models.DateField()
    required_step = models.TextField(help_text="The step the notice requires us to take.")
    compliance_deadline = models.DateField()
    finding = models.TextField(help_text="What the Commissioner found wrong with our response.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "pk"]

    def __str__(self):
        return f"Decision notice {self.reference}"


class ReviewQuestionFinding(models.Model):
    """What an internal review found about one answer the requester disputed."""

    class Finding(models.TextChoices):
        UPHELD = "upheld", "Upheld: the original answer stands"
        VARIED = "varied", "Varied: the answer changes in part"
        OVERTURNED = "overturned", "Overturned: the original answer is replaced"

    outcome = models.ForeignKey(
        "responses.InternalReviewOutcome", on_delete=models.CASCADE, related_name="findings"
    )
    # A question of the case under review, with its answer as it was given, kept as text.
    question = models.ForeignKey("responses.Question", on_delete=models.PROTECT, related_name="+")
    original_answer = models.TextField()
    finding = models.CharField(max_length=20, choices=Finding.choices)
    reasons = models.TextField()

    class Meta:
        ordering = ["outcome", "question__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["outcome", "question"], name="one_finding_per_disputed_question"
            )
        ]

    def __str__(self):
        return f"Q{self.question.number}: {self.get_finding_display()}"
