"""When we replied: the dates an internal review and a fresh response refer back to."""

from __future__ import annotations

import datetime

from django.utils import timezone

from responses.models import Case, IssuedDocument, Letter

# Letters that answer the request itself (a correction of one answers it too).
REPLIES = (Letter.Kind.RESPONSE, Letter.Kind.FRESH_RESPONSE)


def issued_replies(case: Case):
    """The issued documents that answered ``case``, oldest first."""
    return (
        IssuedDocument.objects.filter(version__letter__case=case, version__letter__kind__in=REPLIES)
        .select_related("version__letter")
        .order_by("issued_at", "pk")
    )


def issued_on(letter: Letter) -> datetime.date | None:
    """The day ``letter`` was issued, or None if it has not been."""
    document = IssuedDocument.objects.filter(version__letter=letter).first()
    return timezone.localdate(document.issued_at) if document else None


def first_reply_on(case: Case) -> datetime.date | None:
    """The day we first answered the request."""
    document = issued_replies(case).first()
    return timezone.localdate(document.issued_at) if document else None


def last_reply_on(case: Case, *, before: datetime.date | None = None) -> datetime.date | None:
    """The day of our latest answer (on or before ``before``): the reply a review looks at."""
    days = [timezone.localdate(d.issued_at) for d in issued_replies(case)]
    if before is not None:
        days = [day for day in days if day <= before]
    return days[-1] if days else None
