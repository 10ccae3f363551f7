from .cases import Authority, Case, Question, ReferenceCounter, Requester
from .clock import BankHolidayOverride, ClockEvent
from .enclosures import Enclosure, EnclosureFile, FrozenEnclosure
from .events import CaseEvent
from .letter_kinds import DecisionNotice, ReviewQuestionFinding
from .letters import (
    Citation,
    Decision,
    Letter,
    LetterParagraph,
    LetterSection,
    RecordedCitation,
)
from .notifications import NotificationSetting
from .publication import Publication, PublicCopy
from .review import (
    InternalReviewOutcome,
    IssueAttempt,
    IssuedDocument,
    LetterVersion,
    RequesterLink,
    ReviewComment,
    ReviewDecision,
)
from .staff import RoleChange

__all__ = [
    "Enclosure",
    "EnclosureFile",
    "FrozenEnclosure",
    "NotificationSetting",
    "DecisionNotice",
    "ReviewQuestionFinding",
    "Publication",
    "PublicCopy",
    "InternalReviewOutcome",
    "IssueAttempt",
    "IssuedDocument",
    "LetterVersion",
    "RequesterLink",
    "ReviewComment",
    "ReviewDecision",
    "Authority",
    "BankHolidayOverride",
    "Case",
    "CaseEvent",
    "ClockEvent",
    "Citation",
    "Decision",
    "Letter",
    "LetterParagraph",
    "LetterSection",
    "Question",
    "RecordedCitation",
    "ReferenceCounter",
    "Requester",
    "RoleChange",
]
