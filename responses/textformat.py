"""The light markup of clause bodies and letter paragraphs, turned into safe HTML.

The text is escaped before anything else, so whatever an officer or an administrator
types (HTML, template syntax, URLs) is shown literally; the converter then adds only
the tags listed in ``PRODUCED_TAGS``:

- a blank line starts a new paragraph (``<p>``); a single newline is a ``<br>``;
- consecutive lines starting "- " make a bulleted list (``<ul><li>``);
- consecutive lines starting "1. ", "2. " ... make a numbered list (``<ol><li>``);
- a line indented under a list item continues that item;
- a paragraph of one line starting "## " is a subheading (``<h3>`` by default; the letter
  passes the level below its section's heading);
- ``**strong**`` and ``*emphasis*`` within one line;
- web addresses (``https://...``, ``www....``) and email addresses become links, so the
  requester can follow them from the PDF.
"""

import re

from markupsafe import Markup, escape

PRODUCED_TAGS = frozenset(
    {"p", "br", "ul", "ol", "li", "em", "strong", "a", "h3", "h4", "h5", "h6"}
)

BULLET = re.compile(r"^- (.*)$")
SUBHEADING = re.compile(r"^##\s+(\S.*)$")
NUMBERED = re.compile(r"^(\d{1,4})\. (.*)$")
# The marker must hug the words ("*word*", not "a * b * c"), as in Markdown.
STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
EMPHASIS = re.compile(r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)")


# A web or email address. Punctuation after it ends the sentence, not the address.
ADDRESS = re.compile(
    r"(?<![\w@/.])(?:(?P<web>(?:https?://|www\.)[^\s<>\"']+)|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+))",
    re.IGNORECASE,
)
TRAILING_PUNCTUATION = ".,;:!?'\")]}"


def _link(match):
    """(address as typed, its href), without the punctuation that follows it."""
    address = match.group(0)
    while address and address[-1] in TRAILING_PUNCTUATION:
        if address[-1] == ")" and address.count("(") >= address.count(")"):
            break  # https://en.wikipedia.org/wiki/Act_(UK) keeps its bracket
        address = address[:-1]
    if match.group("email"):
        return address, f"mailto:{address}"
    return address, address if "://" in address else f"https://{address}"


def _styled(text):
    html = str(escape(text))
    html = STRONG.sub(r"<strong>\1</strong>", html)
    return EMPHASIS.sub(r"<em>\1</em>", html)


def inline(line):
    """Escape one line, then apply **strong**, *emphasis* and links."""
    parts = []
    position = 0
    for match in ADDRESS.finditer(line):
        address, href = _link(match)
        parts.append(_styled(line[position : match.start()]))
        parts.append(f'<a href="{escape(href)}">{escape(address)}</a>')
        position = match.start() + len(address)
    parts.append(_styled(line[position:]))
    return "".join(parts)


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


def to_html(text, heading_level=3):
    """Convert light markup to HTML; the result is safe to put in a page or a PDF.

    ``heading_level`` is the tag a "## " subheading gets: one below the heading it sits
    under (h2 in a letter's main section makes it h3), at most h6.
    """
    if not text:
        return Markup("")
    tag = f"h{min(max(int(heading_level), 3), 6)}"
    parts = []
    for block in blocks(str(text)):
        subheading = SUBHEADING.match(block[0].strip()) if len(block) == 1 else None
        if subheading:
            parts.append(f"<{tag}>{inline(subheading.group(1))}</{tag}>")
            continue
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
