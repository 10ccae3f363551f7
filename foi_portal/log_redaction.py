"""Keep requesters' private links out of the logs.

A requester's link (``/track/<token>/``, see responses/urls.py) opens their case to
anyone who has it, so it must never be written where others read: Django logs the path
of every 404 and error ("Not Found: /track/<token>/"), and runserver every request.
The filter rewrites each record before any handler writes it.

It lives here, not in ``responses``, because settings load it before any app is ready.
"""

import logging
import re

# The token is secrets.token_urlsafe output; anything up to the next separator is redacted.
REQUESTER_LINK = re.compile(r"(/track/)[^/\s?#\"'<>]+")
REDACTED = r"\1[redacted]"


def redact(text):
    return REQUESTER_LINK.sub(REDACTED, text)


class RedactRequesterLinks(logging.Filter):
    """Replace the token in every requester link in a log record's message."""

    def filter(self, record):
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record: leave it to the formatter
            return True
        if REQUESTER_LINK.search(message):
            record.msg, record.args = redact(message), None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
