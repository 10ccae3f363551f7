"""The readable parts of a public copy's HTML: its body for the log's page, its words for
search and for the check that the requester is not named."""

import html
import re

from django.utils.html import strip_tags

MAIN = re.compile(r"<main>(.*)</main>", re.DOTALL)
FIRST_HEADING = re.compile(r"<h1>.*?</h1>", re.DOTALL)
SPACES = re.compile(r"\s+")
# A cover letter's schedule of reasons follows the signature, outside <main>.
SCHEDULE = re.compile(r"<!-- schedule -->(.*)<!-- /schedule -->", re.DOTALL)


def letter_body(letter_html: str) -> str:
    """The letter's <main> without its <h1>: markup the letter template made (every typed
    word escaped), to sit under the page's own heading."""
    match = MAIN.search(letter_html)
    body = match.group(1) if match else ""
    schedule = SCHEDULE.search(letter_html)
    if schedule:
        body += schedule.group(1)
    return FIRST_HEADING.sub("", body, count=1).strip()


def plain_text(letter_html: str) -> str:
    """Every word a reader sees in the letter, tags removed, on one line."""
    without_head = re.sub(r"<head>.*?</head>", " ", letter_html, flags=re.DOTALL)
    text = html.unescape(strip_tags(re.sub(r"<(br|/p|/li|/h\d|/dd|/dt)\b", r" <\1", without_head)))
    return SPACES.sub(" ", text).strip()
