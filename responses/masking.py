"""Applicant-blind review: reviewers see who asked only when they give a reason.

Officers need the requester's details to answer; reviewers judge the letter, which
must be the same whoever asked. A reviewer who reveals the identity does so through
``workflow.reveal_requester`` (logged), and it stays revealed for their session.

``hides_requester`` is the one decision of who sees what; every page and file a
reviewer can open asks it. What they are shown instead is the same everywhere: each
of the requester's details replaced by ``MASK``, at display time (the stored letter
and its frozen versions keep the real text). The issued PDF is a legal record and is
never altered, so opening it counts as a reveal.
"""

import re

from django.utils.html import escape as django_escape
from markupsafe import escape

from responses import permissions

REVEALED_SESSION_KEY = "revealed_requester_cases"
MASK = "[requester]"

# Parts of a name too short or too common to mask on their own ("Dr", "Mrs", "Jo").
MIN_NAME_PART = 3
TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "lord", "lady", "rev"}


def is_revealed(request, case):
    return case.pk in request.session.get(REVEALED_SESSION_KEY, [])


def remember_revealed(request, case):
    revealed = request.session.get(REVEALED_SESSION_KEY, [])
    request.session[REVEALED_SESSION_KEY] = sorted({*revealed, case.pk})


def hides_requester(request, case):
    """True for a reviewer (who is not also an officer) who has not revealed this case."""
    user = request.user
    return (
        permissions.is_reviewer(user)
        and not permissions.can_edit_case(user, case)
        and not is_revealed(request, case)
    )


def name_parts(requester):
    """The words of the name worth masking alone: "Requester" in "Dear Ms Requester"."""
    return [
        part
        for part in re.split(r"[\s,]+", (requester.name or "").strip())
        if len(part) >= MIN_NAME_PART and part.lower().rstrip(".") not in TITLES
    ]


def requester_details(requester):
    """The strings that say who asked, whatever their case: name, email, address lines."""
    details = [requester.name, requester.email, *requester.address_lines]
    return [d.strip() for d in details if d and d.strip()]


def as_words(needles, *, html):
    """Regular expressions matching each needle as whole words (and escaped, for HTML)."""
    forms = set(needles)
    if html:
        # Jinja (markupsafe) and Django escape quotes differently; frozen HTML has either.
        forms |= {str(escape(n)) for n in needles} | {str(django_escape(n)) for n in needles}
    expressions = []
    for needle in sorted(forms, key=len, reverse=True):
        start = r"\b" if re.match(r"\w", needle) else ""
        end = r"\b" if re.search(r"\w$", needle) else ""
        expressions.append(f"{start}{re.escape(needle)}{end}")
    return expressions


def requester_pattern(requester, *, html=False):
    """One regular expression for everything to mask, longest first. The whole details
    match in any case; a lone part of the name only as written (so that a requester
    called Will Price does not hide every "will" in the letter)."""
    whole = as_words(requester_details(requester), html=html)
    parts = as_words(name_parts(requester), html=html)
    alternatives = [f"(?i:{expression})" for expression in whole] + parts
    return re.compile("|".join(alternatives)) if alternatives else None


def mask_requester(text, requester, *, html=False):
    """Replace the requester's name (whole or in part), email and address lines wherever
    they appear. With ``html`` the text is HTML, where the details appear escaped."""
    pattern = requester_pattern(requester, html=html)
    if pattern is None or not text:
        return text
    return pattern.sub(MASK, text)


def masked_requester():
    """The requester as a masked letter shows them: the addressee and "Dear [requester]"."""
    return {"name": MASK, "email": "", "address_lines": [MASK]}


def mask_shown(objects, requester, *attributes):
    """Mask ``attributes`` of objects about to be shown to a reviewer, and return them as a
    list. Only these in-memory copies change: they are shown, never saved."""
    objects = list(objects)
    for item in objects:
        for attribute in attributes:
            setattr(item, attribute, mask_requester(getattr(item, attribute), requester))
    return objects
