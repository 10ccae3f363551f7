"""Logging a request: propose numbered questions from the text as received.

``parse_request`` reads a pasted request (an email, a web form, a typed-up letter)
and proposes its questions, the requester's scope line and their prioritisation
note. It only proposes: the officer checks every proposal before it is saved, so
the rules below favour keeping text verbatim over being clever.

``log_request`` is the service the intake form calls: requester and case in one
transaction, through ``workflow.open_case``.
"""

import re
import textwrap
from dataclasses import dataclass, field

from django.db import transaction

from responses import workflow
from responses.models import Requester


@dataclass
class ParsedRequest:
    questions: list[str] = field(default_factory=list)
    scope: str = ""
    prioritisation_note: str = ""
    # The text before the questions (greeting, introduction), scope removed.
    preamble: str = ""
    # The text after the questions (thanks, sign-off), scope and note removed.
    closing: str = ""


# --- markers -------------------------------------------------------------------------

QUESTION_STYLE = "question"  # Q1. / Q1: / Question 1
NUMBER_STYLE = "number"  # 1. / 1) / (1)
ROMAN_STYLE = "roman"  # (i) / ii) / iii.
LETTER_STYLE = "letter"  # (a) / a) / a.
BULLET_STYLE = "bullet"  # - / * / •
LOOSE_NUMBER_STYLE = "loose number"  # 1: / 1 - / 1/ (a number style, taken only in turn)

# Roman numerals from i to xxxix, as requests number questions or their parts.
_ROMAN = r"(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})"
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}

_MARKERS = [
    (
        QUESTION_STYLE,
        re.compile(r"(?:Q\.?|Question)\s*(?P<n>\d+)(?:\s*[.:)\-–]\s*|\s+|$)", re.IGNORECASE),
    ),
    # "Part 1:", "Request 2 -": only with the mark, as "Part 1 of the report" is prose.
    (
        QUESTION_STYLE,
        re.compile(r"(?:Part|Request|Item|Point)\s+(?P<n>\d+)\s*[.:)\-–]\s*", re.IGNORECASE),
    ),
    # Numbers of any length: a request can have 100 questions and more.
    (NUMBER_STYLE, re.compile(r"(?:\((?P<n>\d+)\)|(?P<m>\d+)[.)])(?:\s+|$)")),
    # "1:", "1 -", "1/": looser marks, taken only in sequence (_find_markers).
    (LOOSE_NUMBER_STYLE, re.compile(r"(?P<n>\d{1,3})(?:\s*[:/]|\s+[-–])(?:\s+|$)")),
    # Before letters: "(i)" starts a list of roman numerals more often than the ninth
    # letter (_split_marked still takes it as a letter after "(h)").
    (
        ROMAN_STYLE,
        re.compile(rf"(?:\((?P<n>{_ROMAN})\)|(?P<m>{_ROMAN})[.)])(?:\s+|$)", re.IGNORECASE),
    ),
    (LETTER_STYLE, re.compile(r"(?:\((?P<n>[a-zA-Z])\)|(?P<m>[a-zA-Z])[.)])(?:\s+|$)")),
    (BULLET_STYLE, re.compile(r"[-*•◦▪‣·–]\s+")),
]

# A numbered line this far past the last question is not the next question but a year or
# a figure that happens to start a line ("2023. was the first year ..."); requests do skip
# a number or two, never dozens.
MAX_NUMBER_JUMP = 20

# The most questions one request can be split into: the editor shows every one as a form,
# and a page of more is too long to check (and to post). Longer requests get a message.
MAX_QUESTIONS = 250

# A footnote after the questions ("[1] As reported in ...", "¹ Including VAT"): it is the
# requester's note, not more of the last question.
_FOOTNOTE = re.compile(r"^\s*(?:\[\d+\]|\^\d+|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*\S")

# The officer types a line like this where a question should be split in two.
SPLIT_LINE = re.compile(r"^\s*(?:-{3,}|_{3,}|\*{3,})\s*$", re.MULTILINE)


@dataclass
class _Marker:
    style: str
    indent: int
    ordinal: int | None  # 1, 2, 3, a=1, b=2 or i=1, ii=2; None for bullets
    rest: str  # the line without its marker
    letter_ordinal: int | None = None  # "(i)", "(v)", "(x)" are letters too
    loose: bool = False  # "1:", "1 -": see _find_markers

    def ordinal_in(self, style):
        """The marker's place in a list of ``style``, or None if it is not of that list."""
        if self.style == style:
            return self.ordinal
        if style == LETTER_STYLE and self.letter_ordinal is not None:
            return self.letter_ordinal
        return None


def _roman_value(numeral):
    """The value of a roman numeral: iv is 4, as a smaller one before a larger subtracts."""
    values = [_ROMAN_VALUES[char] for char in numeral.lower()]
    following = [*values[1:], 0]
    return sum(-v if v < after else v for v, after in zip(values, following, strict=True))


def _indent(line):
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip())


def _marker(line):
    stripped = line.lstrip()
    for style, pattern in _MARKERS:
        match = pattern.match(stripped)
        if not match:
            continue
        ordinal = letter_ordinal = None
        if style != BULLET_STYLE:
            token = match.group("n") or match.groupdict().get("m")
            if token.isdigit():
                ordinal = int(token)
            elif style == ROMAN_STYLE:
                ordinal = _roman_value(token)
                if len(token) == 1:
                    letter_ordinal = ord(token.lower()) - ord("a") + 1
            else:
                ordinal = ord(token.lower()) - ord("a") + 1
        loose = style == LOOSE_NUMBER_STYLE
        return _Marker(
            NUMBER_STYLE if loose else style,
            _indent(line),
            ordinal,
            stripped[match.end() :],
            letter_ordinal,
            loose,
        )
    return None


# --- what requesters write around their questions ---------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DATE = (
    rf"(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+\d{{4}}|{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?"
    rf"\s+\d{{4}}|{_MONTH}\s+\d{{4}}|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|(?:19|20)\d{{2}}"
    rf"(?:[/-]\d{{2}})?)"
)
_UNTIL = (
    rf"(?:{_DATE}|(?:the\s+)?(?:date\s+of\s+(?:this|my|the)\s+request|present(?:\s+day)?"
    r"|date|today|now|current\s+date))"
)
_SCOPE_PHRASE = re.compile(
    rf"(?:\bfrom\s+{_DATE}\s+(?:to|until|till|through|-|–)\s+{_UNTIL}"
    rf"|\bbetween\s+{_DATE}\s+and\s+{_UNTIL}"
    rf"|\bsince\s+{_DATE}"
    r"|\bfor\s+the\s+(?:time\s+)?period\b"
    r"|\bthe\s+(?:last|past|previous)\s+(?:\w+\s+)?"
    r"(?:calendar\s+|financial\s+)?(?:years?|months?)"
    r"|\b(?:calendar|financial)\s+years?\s+(?:19|20)\d{2}"
    r"|\bdate\s+range\b|\btime\s*(?:period|frame|scale)\b)",
    re.IGNORECASE,
)
# A sentence that is about scope as a whole, not a question that names a period.
_SCOPE_LEAD = re.compile(
    rf"^\W*(?:for\s+the\s+(?:time\s+)?period|from\s+(?:{_DATE}|the\s+(?:start|beginning))"
    rf"|between\s+{_DATE}|since\s+{_DATE}|covering|date\s+range|time\s*(?:period|frame|scale)"
    r"|period\b|(?:this|my|the)\s+(?:request|information|questions?)\s+"
    r"(?:covers?|relates?|is\s+for|are\s+for|should\s+cover|concerns?|refers?)"
    r"|(?:please\s+)?(?:limit|restrict|confine)|(?:all|each)\s+(?:of\s+)?(?:the\s+|my\s+)?"
    r"(?:above|questions|information|requests?))",
    re.IGNORECASE,
)
_PRIORITY = re.compile(
    r"(?:\bprioriti[sz]|\bpriority\b|\bcost\s+limit|\bappropriate\s+limit"
    r"|\bexceed\w*\s+(?:the\s+)?(?:cost|appropriate|time|fees?)\b|\bsection\s+12\b"
    r"|\bif\s+(?:you\s+are\s+|you're\s+)?unable\s+to\s+(?:answer|provide)\s+(?:all|every)"
    r"|\bplease\s+(?:answer|provide|deal\s+with)\s+(?:q|questions?\s*)\d[^.]*\bfirst\b)",
    re.IGNORECASE,
)
# The end of the letter: nothing after it is scope or a note.
_SIGN_OFF = re.compile(
    r"^\W*(?:yours\s+(?:faithfully|sincerely|truly)|(?:kind|best|warm|many)\s+regards|regards"
    r"|best\s+wishes)\b",
    re.IGNORECASE,
)
# Courtesies that close a request but may still be followed by a note.
_COURTESY = re.compile(
    r"^\W*(?:many\s+thanks|thanks(?:\s+in\s+advance)?|thank\s+you|with\s+thanks"
    r"|i\s+look\s+forward)\b",
    re.IGNORECASE,
)
# Who is asking and why ("I am a researcher at ..."): words before the questions.
_ABOUT_REQUESTER = re.compile(
    r"^\W*(?:i\s+am|i'm|we\s+are|we're|my\s+name\s+is|as\s+an?\s+|i\s+work\b|i\s+represent\b)",
    re.IGNORECASE,
)
_SALUTATION = re.compile(r"^\W*(?:dear|to\s+whom|hello|hi|good\s+(?:morning|afternoon))\b", re.I)
_INTRODUCTION = re.compile(
    r"(?:freedom\s+of\s+information|\bFOI(?:A|SA)?\b|environmental\s+information\s+regulations"
    r"|\bEIR\b|\bi\s+am\s+writing\b|\bi\s+would\s+like\s+to\s+(?:make|submit)\b"
    r"|\b(?:make|submit|this\s+is)\s+an?\s+request\b|\brequest\s+(?:for|the\s+following)\b"
    r"|\bfollowing\s+(?:information|questions)\b)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+")


def _sentences(paragraph):
    """Split a paragraph into sentences, keeping each one's own line breaks."""
    return [part for part in _SENTENCE_END.split(paragraph) if part.strip()]


def _paragraphs(lines):
    """Blank-line separated blocks of lines."""
    block = []
    for line in lines:
        if line.strip():
            block.append(line)
        elif block:
            yield block
            block = []
    if block:
        yield block


def _tidy(lines, *, first_line_stripped=False):
    """Join lines into verbatim text: trailing spaces and outer blank lines dropped,
    common indentation removed, runs of blank lines collapsed to one.

    When the first line has lost its marker (and so its indentation), the lines
    below it are dedented among themselves.
    """
    lines = [line.rstrip() for line in lines]
    if first_line_stripped and lines:
        text = lines[0].strip() + "\n" + textwrap.dedent("\n".join(lines[1:]))
    else:
        text = textwrap.dedent("\n".join(lines))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


class _Collector:
    """Sorts the text around the questions into scope, note and the rest."""

    def __init__(self):
        self.scope = []
        self.note = []
        self.signed_off = False

    def take(self, lines):
        """Take the scope and prioritisation sentences out; return what is left."""
        kept_paragraphs = []
        for block in _paragraphs(lines):
            kept = []
            in_note = False
            for sentence in _sentences("\n".join(line.strip() for line in block)):
                if _SIGN_OFF.match(sentence):
                    self.signed_off = True
                if self.signed_off or _COURTESY.match(sentence):
                    in_note = False
                    kept.append(sentence)
                elif _PRIORITY.search(sentence):
                    in_note = True
                    self.note.append(sentence)
                elif _SCOPE_PHRASE.search(sentence) and "?" not in sentence:
                    in_note = False
                    self.scope.append(sentence)
                elif in_note:
                    self.note.append(sentence)
                else:
                    kept.append(sentence)
            if kept:
                kept_paragraphs.append(" ".join(kept))
        return "\n\n".join(kept_paragraphs)


def _find_markers(lines):
    """{line index: marker}. A loose number ("1:", "2 -") counts only as 1 or as the number
    after the one before it, so "5 - 6 officers" inside a question starts nothing."""
    markers = {}
    last_number = 0
    for index, line in enumerate(lines):
        marker = _marker(line)
        if marker is None:
            continue
        if marker.style == NUMBER_STYLE:
            if marker.loose and marker.ordinal != last_number + 1:
                continue
            last_number = marker.ordinal
        markers[index] = marker
    return markers


def _top_level(markers):
    """The marker style of the questions: the first marker at the outermost indent."""
    outermost = min(marker.indent for marker in markers.values())
    first = next(marker for marker in markers.values() if marker.indent <= outermost + 1)
    return first.style, first.indent


def _ends_sentence(line):
    return line.rstrip().endswith((".", "?", "!", ":", ";"))


def _leaves_question(line, previous):
    """True when a line after the last question starts the requester's closing words."""
    text = line.strip()
    if _FOOTNOTE.match(text):
        return True
    if previous.strip() and not _ends_sentence(previous) and text[:1].islower():
        return False  # a question wrapped onto the next line
    if _SIGN_OFF.match(text) or _COURTESY.match(text) or _PRIORITY.search(text):
        return True
    return bool(_SCOPE_LEAD.match(text) and _SCOPE_PHRASE.search(text) and "?" not in text)


def _split_marked(lines, markers):
    style, top_indent = _top_level(markers)
    starts = []
    previous_ordinal = 0
    for index, marker in markers.items():
        if marker.indent > top_indent + 1:
            continue  # a sub-item: it belongs to the question above it
        if style == BULLET_STYLE:
            if marker.style != BULLET_STYLE:
                continue  # a numbered list inside a bulleted question
            starts.append(index)
            continue
        ordinal = marker.ordinal_in(style)
        if ordinal is None:
            continue  # another kind of list: it belongs to the question above it
        if ordinal <= previous_ordinal:
            continue  # numbering went backwards: a list inside a question
        if previous_ordinal and ordinal > previous_ordinal + MAX_NUMBER_JUMP:
            continue  # a year or a figure at the start of a line
        previous_ordinal = ordinal
        starts.append(index)

    questions = []
    for position, start in enumerate(starts):
        end = starts[position + 1] if position + 1 < len(starts) else len(lines)
        questions.append([markers[start].rest, *lines[start + 1 : end]])

    # The last question runs to the end of the text; cut it where the request moves on.
    last = questions[-1]
    closing_lines = []
    in_first_paragraph = True
    for offset in range(1, len(last)):
        line, previous = last[offset], last[offset - 1]
        if not line.strip():
            in_first_paragraph = False
            continue
        starts_paragraph = not previous.strip()
        belongs = (
            _indent(line) > top_indent + 1
            or _marker(line) is not None
            or (starts_paragraph and _ends_with_colon(last[:offset]))
        )
        if _leaves_question(line, previous) or (
            starts_paragraph and not in_first_paragraph and not belongs
        ):
            closing_lines = last[offset:]
            questions[-1] = last[:offset]
            break
    preamble_lines = lines[: starts[0]]
    tidied = [_tidy(question, first_line_stripped=True) for question in questions]
    return tidied, preamble_lines, closing_lines


def _ends_with_colon(lines):
    filled = [line for line in lines if line.strip()]
    return bool(filled) and filled[-1].rstrip().endswith(":")


def _split_paragraphs(lines):
    """No markers: each paragraph is a question, except the words around them."""
    blocks = list(_paragraphs(lines))
    preamble, questions, closing = [], [], []
    for block in blocks:
        text = "\n".join(block)
        first = block[0].strip()
        if closing or _SIGN_OFF.match(first) or _COURTESY.match(first):
            closing.append(block)
        elif (
            not questions
            and "?" not in text
            and (
                _SALUTATION.match(first)
                or _INTRODUCTION.search(text)
                or _ABOUT_REQUESTER.match(first)
                or text.rstrip().endswith(":")
            )
        ):
            preamble.append(block)
        elif "?" not in text and (
            _PRIORITY.search(text) or (_SCOPE_LEAD.match(first) and _SCOPE_PHRASE.search(text))
        ):
            # Scope and notes: after the questions they are closing words, before them preamble.
            (closing if questions else preamble).append(block)
        else:
            questions.append(block)
    flatten = [line for block in preamble for line in [*block, ""]]
    return (
        [_tidy(block) for block in questions],
        flatten,
        [line for block in closing for line in [*block, ""]],
    )


def parse_request(text):
    """Propose the questions, scope line and prioritisation note of a request."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    markers = _find_markers(lines)
    if markers:
        questions, preamble_lines, closing_lines = _split_marked(lines, markers)
    else:
        questions, preamble_lines, closing_lines = _split_paragraphs(lines)

    collector = _Collector()
    preamble = collector.take(preamble_lines)
    collector.signed_off = False
    closing = collector.take(closing_lines)
    return ParsedRequest(
        questions=[question for question in questions if question],
        scope=" ".join(collector.scope),
        prioritisation_note=" ".join(collector.note),
        preamble=preamble,
        closing=closing,
    )


def split_questions(text):
    """The numbered questions proposed for a request, each verbatim without its marker."""
    return parse_request(text).questions


def split_at_marker(text):
    """Split one question's text where the officer typed a line of ``---``.

    Without such a line, fall back to the markers inside the text (a question that
    holds "1." and "2."). Returns the parts; one part means nothing to split.
    """
    if SPLIT_LINE.search(text):
        parts = [_tidy(part.split("\n")) for part in SPLIT_LINE.split(text)]
    else:
        lines = text.split("\n")
        markers = _find_markers(lines)
        if not markers:
            return [text]
        parts, preamble_lines, closing_lines = _split_marked(lines, markers)
        # Words before the first marker stay with the first part.
        lead = _tidy(preamble_lines)
        if lead:
            parts[0] = f"{lead}\n{parts[0]}"
        # Whatever follows the last part is the officer's text too: keep it there.
        if closing_lines:
            parts[-1] = f"{parts[-1]}\n{_tidy(closing_lines)}"
    return [part for part in parts if part]


@transaction.atomic
def log_request(
    *,
    actor,
    authority,
    regime,
    requester_name,
    requester_email="",
    requester_address="",
    **case_fields,
):
    """Record a new request: its requester and the case, assigned to the officer logging it."""
    requester = Requester.objects.create(
        name=requester_name, email=requester_email, postal_address=requester_address
    )
    return workflow.open_case(
        actor=actor,
        authority=authority,
        regime=regime,
        requester=requester,
        assigned_to=actor,
        **case_fields,
    )
