"""The letter templates and the HTML documents made from them.

One template per kind of letter, run in a sandboxed Jinja2 environment with
autoescape. The same HTML goes to the browser (with the stylesheet and images
inlined, ``render_letter_html``) and to WeasyPrint (``pdf_inputs``).
"""

import base64
import functools
import hashlib
import json
import re
from pathlib import Path

from django.conf import settings
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import escape

from responses.models import Letter
from responses.rendering import RenderError
from responses.rendering.context import (
    data_uri,
    decision_data,
    format_date,
    letter_context,
    logo_asset,
)
from responses.textformat import paragraphs_to_html, to_html

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "letters"
STATIC_DIR = Path(settings.BASE_DIR) / "static"
STYLESHEET_PATH = STATIC_DIR / "letters" / "letter.css"
FONT_URL = re.compile(r"""url\(\s*["']?\.\./fonts/([A-Za-z0-9_.-]+\.woff2)["']?\s*\)""")

TEMPLATE_FOR_KIND = {
    Letter.Kind.RESPONSE: "response.html",
    Letter.Kind.ACKNOWLEDGEMENT: "acknowledgement.html",
    Letter.Kind.CLARIFICATION: "clarification.html",
    Letter.Kind.EXTENSION: "extension.html",
    Letter.Kind.REVIEW_OUTCOME: "review_outcome.html",
    Letter.Kind.FRESH_RESPONSE: "response.html",
}


@functools.cache
def letter_environment():
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["markup"] = to_html
    environment.filters["verbatim"] = paragraphs_to_html
    environment.filters["date"] = format_date
    return environment


def render_context_html(template_name, context):
    try:
        return letter_environment().get_template(template_name).render(context)
    except Exception as error:  # Jinja's errors do not share a useful base class
        raise RenderError(f"The letter template {template_name} failed: {error}") from error


def render_letter_html(
    letter, *, draft=True, response_date=None, for_pdf=False, public=False, masked=False
):
    """The letter as a complete HTML document.

    By default the document is self-contained, for a browser: the letter stylesheet
    is inlined with its fonts and the logo as data: URIs, so the preview looks like
    the PDF even in a sandboxed frame whose CSP allows nothing else. With ``for_pdf``
    it carries no styles (``pdf.html_to_pdf`` applies the stylesheet it has parsed
    once) and the logo by its URL path, which only the letter's fetcher serves.
    ``masked``: with the requester's details masked, for an applicant-blind reviewer.
    """
    logo = logo_asset(letter.case.authority)
    context = letter_context(
        letter,
        draft=draft,
        response_date=response_date,
        logo=logo,
        embed_logo=not for_pdf,
        public=public,
        masked=masked,
    )
    html = render_context_html(TEMPLATE_FOR_KIND[letter.kind], context)
    return html if for_pdf else with_inline_stylesheet(html)


@functools.cache
def screen_stylesheet():
    """The letter stylesheet with its fonts inlined: for self-contained HTML."""
    css = STYLESHEET_PATH.read_text(encoding="utf-8")

    def inline_font(match):
        font = STATIC_DIR / "fonts" / match.group(1)
        return f'url("{data_uri(font.read_bytes(), "font/woff2")}")'

    return FONT_URL.sub(inline_font, css)


def screen_stylesheet_csp_source():
    """The CSP source allowing the inlined letter stylesheet, and no other inline style."""
    digest = hashlib.sha256(screen_stylesheet().encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def with_inline_stylesheet(html):
    """Put the letter stylesheet into a letter's <head>, for showing it in a browser."""
    head_end = html.find("</head>")
    if head_end == -1:
        raise RenderError("The letter HTML has no <head>.")
    return f"{html[:head_end]}<style>{screen_stylesheet()}</style>\n{html[head_end:]}"


def screen_html(html, assets=None):
    """Frozen letter HTML (made for the PDF) turned into a self-contained page.

    ``assets`` is the same {URL path: (bytes, media type)} given to ``html_to_pdf``;
    their URLs are swapped for data: URIs.
    """
    for path, (data, media_type) in (assets or {}).items():
        html = html.replace(f'src="{escape(path)}"', f'src="{data_uri(data, media_type)}"')
    return with_inline_stylesheet(html)


def pdf_inputs(letter, *, draft=True, response_date=None, public=False, masked=False):
    """Everything ``pdf.html_to_pdf`` needs for one letter, as plain, picklable values.

    ``public``: the disclosure log's copy; ``masked``: the applicant-blind reviewer's
    (see ``context.letter_context``).
    """
    case = letter.case
    logo = logo_asset(case.authority)
    context = letter_context(
        letter, draft=draft, response_date=response_date, logo=logo, public=public, masked=masked
    )
    data = decision_data(letter, draft=draft, response_date=context["response_date"], public=public)
    return {
        "html": render_context_html(TEMPLATE_FOR_KIND[letter.kind], context),
        "metadata": {
            "title": context["title"],
            "authors": [case.authority.name],
            "description": case.reference,
            "keywords": context["keywords"],
        },
        "attachments": [
            (
                "decision.json",
                json.dumps(data, indent=2, ensure_ascii=False).encode(),
                "The decision in this letter, as data",
            )
        ],
        "assets": {logo[0]: (logo[1], logo[2])} if logo else {},
        "draft": draft,
    }


RESPONSE_DATE = re.compile(r'(<dd data-field="response-date">)[^<]*(</dd>)')


def stamp_response_date(html, attachments, day):
    """Date a frozen letter the day it is issued: the one change issuing makes to it.

    A version is frozen when it is submitted, but the letter must carry the date it
    was sent; the date element and decision.json's response_date are the only places
    that date appears. Returns (html, attachments).
    """
    html = RESPONSE_DATE.sub(
        lambda match: f"{match.group(1)}{escape(format_date(day))}{match.group(2)}", html, count=1
    )
    stamped = []
    for name, content, description in attachments:
        if name == "decision.json":
            data = json.loads(content)
            data["response_date"] = day.isoformat()
            content = json.dumps(data, indent=2, ensure_ascii=False)
        stamped.append((name, content, description))
    return html, stamped
