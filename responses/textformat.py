"""The light markup of clause bodies and letter paragraphs, turned into safe HTML.

The text is escaped before anything else, so whatever an officer or an administrator
types (HTML, template syntax, URLs) is shown literally; the converter then adds only
the tags listed in ``PRODUCED_TAGS``:

- a blank line starts a new paragraph (``<p>``); a single newline is a ``<br>``;
- consecutive lines starting "- " make a bulleted list (``<ul><li>``);
- consecutive lines starting "1. ", "2. " ... make a numbered list (``<ol><li>``);
- a line indented under a list item continues that item;
- ``**strong**`` and ``*emphasis*`` within one line.
"""

import re

from markupsafe import Markup, escape

PRODUCED_TAGS = frozenset({"p", "br", "ul", "ol", "li", "em", "strong"})

BULLET = re.compile(r"^- (.*)$")
NUMBERED = re.compile(r"^(\d{1,4})\. (.*)$")
# The marker must hug the words ("*word*", not "a * b * c"), as in Markdown.
STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
EMPHASIS = re.compile(r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)")


def inline(line):
    """Escape one line, then apply **strong** and *emphasis*."""
    html = str(escape(line))
    html = STRONG.sub(r"<strong>\1</strong>", html)
    return EMPHASIS.sub(r"<em>\1</em>", html)


def blocks(text):
    """Split text into blocks of lines, one block per run of non-blank lines."""
    current = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            current.append(line.rstrip())
        elif current:
            yield current
            current = []
    if current:
        yield current


def runs(lines):
    """Group a block's lines into ("p" | "ul" | "ol", items, first number) runs."""
    result = []
    for line in lines:
        bullet = BULLET.match(line)
        numbered = NUMBERED.match(line)
        previous = result[-1] if result else None
        if bullet:
            kind, item, number = "ul", bullet.group(1), None
        elif numbered:
            kind, item, number = "ol", numbered.group(2), int(numbered.group(1))
        elif previous and previous[0] in ("ul", "ol") and line[:1].isspace():
            previous[1][-1].append(line.strip())  # continues the list item above
            continue
        else:
            kind, item, number = "p", line.strip(), None
        if previous and previous[0] == kind:
            previous[1].append([item] if kind != "p" else item)
        else:
            result.append((kind, [[item] if kind != "p" else item], number))
    return result


def to_html(text):
    """Convert light markup to HTML; the result is safe to put in a page or a PDF."""
    if not text:
        return Markup("")
    parts = []
    for block in blocks(str(text)):
        for kind, items, first_number in runs(block):
            if kind == "p":
                parts.append("<p>" + "<br>".join(inline(line) for line in items) + "</p>")
                continue
            opening = f'<ol start="{first_number}">' if kind == "ol" and first_number != 1 else ""
            lines = [
                "<li>" + "<br>".join(inline(part) for part in item) + "</li>" for item in items
            ]
            parts.append((opening or f"<{kind}>") + "".join(lines) + f"</{kind}>")
    # bandit: inline() escaped every line before adding its tags.
    return Markup("\n".join(parts))  # nosec B704


def paragraphs_to_html(text):
    """Text quoted verbatim (a request, a question): paragraphs and line breaks only.

    No lists or emphasis, so a requester's asterisks and dashes stay as they typed them.
    """
    if not text:
        return Markup("")
    # bandit: every line goes through escape() before the tags are added.
    return Markup(  # nosec B704
        "\n".join(
            "<p>" + "<br>".join(str(escape(line.strip())) for line in block) + "</p>"
            for block in blocks(str(text))
        )
    )
