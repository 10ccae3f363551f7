"""Letters as HTML (the browser preview) and as PDF (WeasyPrint), from one template.

The same Jinja2 template and the same stylesheet make both, so what an officer
previews is what the requester receives. Safety rests on three things:

- the letter templates run in a sandboxed Jinja2 environment with autoescape, and
  every paragraph goes through ``textformat.to_html``, which escapes before it adds
  its few tags, so nothing typed into a letter becomes markup;
- WeasyPrint may only load the files this module allows (``LetterAssetFetcher``):
  the letter stylesheet and fonts shipped in ``static/`` and the authority's logo,
  which the app reads itself. Any other URL (file:, http(s):, data:, ...) stops the
  render before any file or network access;
- issued letters can be rendered in a child process with a time and memory limit
  (``render_pdf_isolated``), so a pathological letter cannot take the server down.
"""

import base64
import datetime
import functools
import json
import logging
import mimetypes
import multiprocessing
import re
import resource
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.parse import uses_netloc as _uses_netloc
from urllib.parse import uses_relative as _uses_relative

from django.conf import settings
from django.utils import timezone
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import escape
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from responses.models import Citation, Decision, Letter
from responses.textformat import paragraphs_to_html, to_html

logger = logging.getLogger(__name__)
# WeasyPrint reports every layout step, and fontTools every font it unpacks, at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)

TEMPLATE_DIR = Path(settings.BASE_DIR) / "templates" / "letters"
STATIC_DIR = Path(settings.BASE_DIR) / "static"
STYLESHEET_PATH = STATIC_DIR / "letters" / "letter.css"
# Only these folders of static/ may be read while rendering, and only these kinds of file.
ASSET_FOLDERS = ("letters", "fonts")
ASSET_SUFFIXES = {".css", ".woff2", ".woff", ".ttf", ".otf", ".png", ".jpg", ".jpeg", ".gif"}
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
MAX_LOGO_BYTES = 2 * 1024 * 1024
FONT_URL = re.compile(r"""url\(\s*["']?\.\./fonts/([A-Za-z0-9_.-]+\.woff2)["']?\s*\)""")

# WeasyPrint resolves every URL in the letter against this virtual site, whose layout
# mirrors the real one ("/static/letters/letter.css", "/media/authority/logo.png").
# The scheme is registered as hierarchical so that relative URLs in the stylesheet
# ("../fonts/...") resolve exactly as they do in a browser.
ASSET_SCHEME = "app-static"
ASSET_HOST = "letter"
ASSET_ORIGIN = f"{ASSET_SCHEME}://{ASSET_HOST}"
for _registry in (_uses_relative, _uses_netloc):
    if ASSET_SCHEME not in _registry:
        _registry.append(ASSET_SCHEME)

PDF_VARIANT = "pdf/ua-1"
LANGUAGE = "en-GB"

TEMPLATE_FOR_KIND = {
    Letter.Kind.RESPONSE: "response.html",
    Letter.Kind.ACKNOWLEDGEMENT: "acknowledgement.html",
    Letter.Kind.CLARIFICATION: "clarification.html",
    Letter.Kind.EXTENSION: "extension.html",
    Letter.Kind.REVIEW_OUTCOME: "review_outcome.html",
}
HEADING_FOR_KIND = {
    Letter.Kind.RESPONSE: "Response to your request for information",
    Letter.Kind.ACKNOWLEDGEMENT: "We have received your request for information",
    Letter.Kind.CLARIFICATION: "We need more detail about your request",
    Letter.Kind.EXTENSION: "We need more time to consider the public interest",
    Letter.Kind.REVIEW_OUTCOME: "Outcome of your internal review",
}

DEFAULT_TIMEOUT_SECONDS = 120
DEFAULT_MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024


class RenderError(Exception):
    """The letter could not be rendered; the message says why, for the person who asked."""


class RefusedURL(ValueError):
    """WeasyPrint asked for a URL that letters may not load."""


# ---------------------------------------------------------------------------
# The locked-down URL fetcher


def static_path_prefix():
    """The path part of STATIC_URL ("/static/"), under which letter assets live."""
    path = urlsplit(settings.STATIC_URL).path or "/static/"
    return path if path.endswith("/") else path + "/"


@functools.cache
def static_asset_files():
    """Map each servable URL path to its file: listed once, so a refused URL costs no I/O."""
    prefix = static_path_prefix()
    files = {}
    for folder in ASSET_FOLDERS:
        root = (STATIC_DIR / folder).resolve()
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink() and path.suffix.lower() in ASSET_SUFFIXES:
                files[f"{prefix}{folder}/{path.relative_to(root).as_posix()}"] = path
    return files


class LetterAssetFetcher(URLFetcher):
    """Serve the letter's own assets, refuse everything else, never touch the network.

    ``extra_assets`` maps URL paths to (bytes, media type) that the app has read
    itself, such as the authority's logo. ``fail_on_errors`` makes a refusal stop the
    render: a letter is either rendered from the allowed assets or not at all.
    """

    def __init__(self, extra_assets=None):
        super().__init__(
            allowed_protocols=[ASSET_SCHEME], allow_redirects=False, fail_on_errors=True
        )
        self.extra_assets = dict(extra_assets or {})

    def fetch(self, url, headers=None):
        path = self.allowed_path(url)
        if path in self.extra_assets:
            body, media_type = self.extra_assets[path]
        else:
            file = static_asset_files()[path]
            body = file.read_bytes()
            media_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})

    def allowed_path(self, url):
        """The URL's path if it names an allowed asset; otherwise raise RefusedURL."""
        try:
            parts = urlsplit(url)
        except ValueError:
            raise RefusedURL(f"Letters may not load {url[:200]!r}.") from None
        path = unquote(parts.path)
        if (
            parts.scheme.lower() != ASSET_SCHEME
            or parts.netloc != ASSET_HOST
            or parts.query
            or (path not in self.extra_assets and path not in static_asset_files())
        ):
            raise RefusedURL(f"Letters may not load {url[:200]!r}.")
        return path

    def open(self, url, data=None, timeout=None):  # urllib's entry point: same rules
        return self.fetch(getattr(url, "full_url", url))


# ---------------------------------------------------------------------------
# Shared, per-process state: the template environment, fonts and parsed stylesheet


def format_date(value):
    """'3 March 2026', as British letters write dates."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.day} {value:%B %Y}"


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


@functools.cache
def shared_styles():
    """The FontConfiguration and parsed letter stylesheet, made once per process."""
    font_config = FontConfiguration()
    stylesheet = CSS(
        string=STYLESHEET_PATH.read_text(encoding="utf-8"),
        base_url=f"{ASSET_ORIGIN}{static_path_prefix()}letters/letter.css",
        url_fetcher=LetterAssetFetcher(),
        font_config=font_config,
    )
    return font_config, stylesheet


# Pango and fontconfig objects are shared between renders; one render at a time per process.
render_lock = threading.Lock()


# ---------------------------------------------------------------------------
# From the models to the template's context


def provision_label(regime_code, provision):
    word = "regulation" if regime_code == "EIR" else "section"
    return f"{word} {provision}"


def questions_label(numbers):
    """'Q1', 'Q1 & 2', 'Q1, 2 & 3'."""
    if not numbers:
        return "the request"
    numbers = [str(number) for number in numbers]
    if len(numbers) == 1:
        return f"Q{numbers[0]}"
    return f"Q{', '.join(numbers[:-1])} & {numbers[-1]}"


def table_for(rows):
    """A decision's pasted table: the first row is the header."""
    if not rows:
        return None
    return {
        "head": [str(cell) for cell in rows[0]],
        "rows": [[str(cell) for cell in row] for row in rows[1:]],
    }


def decisions_for(case):
    decisions = []
    queryset = case.decisions.prefetch_related("questions", "citations__exemption")
    for decision in queryset:
        numbers = sorted(question.number for question in decision.questions.all())
        citations = list(decision.citations.all())
        decisions.append(
            {
                "pk": decision.pk,
                "questions": numbers,
                "label": questions_label(numbers),
                "outcome": decision.outcome,
                "outcome_label": decision.get_outcome_display(),
                "answer": decision.answer,
                "table": table_for(decision.table),
                "provisions": [
                    provision_label(case.regime.code, citation.provision) for citation in citations
                ],
                "ncnd": decision.outcome == Decision.Outcome.NCND
                or any(citation.mode == Citation.Mode.NCND for citation in citations),
            }
        )
    return decisions


def unique(items):
    return list(dict.fromkeys(items))


def decision_data(letter, *, draft, response_date=None):
    """The decision as data: attached to the PDF as decision.json."""
    case = letter.case
    decisions = decisions_for(case)
    outcomes_by_question = {}
    for decision in decisions:
        for number in decision["questions"]:
            outcomes_by_question.setdefault(number, []).append(decision["outcome"])
    return {
        "reference": case.reference,
        "authority": case.authority.name,
        "regime": case.regime.code,
        "letter": letter.kind,
        "draft": draft,
        "received_on": case.received_on.isoformat(),
        "response_date": (response_date or timezone.localdate()).isoformat(),
        "questions": [
            {"number": question.number, "outcomes": outcomes_by_question.get(question.number, [])}
            for question in case.questions.all()
        ],
        "decisions": [
            {
                "questions": decision["questions"],
                "outcome": decision["outcome"],
                "provisions": decision["provisions"],
                "ncnd": decision["ncnd"],
            }
            for decision in decisions
        ],
        "provisions_cited": unique(p for decision in decisions for p in decision["provisions"]),
        "ncnd": any(decision["ncnd"] for decision in decisions),
    }


def logo_asset(authority):
    """(URL path, bytes, media type) of the authority's logo, read by the app; or None."""
    logo = authority.logo
    if not logo:
        return None
    suffix = Path(logo.name).suffix.lower()
    if suffix not in LOGO_TYPES:
        logger.warning("Authority logo %s is not PNG, JPEG or GIF; letters go without it.", logo)
        return None
    try:
        if logo.size > MAX_LOGO_BYTES:
            logger.warning("Authority logo %s is over 2 MB; letters go without it.", logo)
            return None
        with logo.storage.open(logo.name, "rb") as file:
            data = file.read()
    except (OSError, ValueError):
        logger.warning("Authority logo %s cannot be read; letters go without it.", logo)
        return None
    return urlsplit(logo.url).path, data, LOGO_TYPES[suffix]


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


def letter_assets(authority):
    """{URL path: (bytes, media type)} of the files a letter's HTML refers to, or None."""
    logo = logo_asset(authority)
    return {logo[0]: (logo[1], logo[2])} if logo else None


def attach_tables(sections, decisions):
    """Put each decision's table in its own section ("decision-<pk>"), or else at the
    end of the "decision" section."""
    by_key = {f"decision-{decision['pk']}": decision for decision in decisions}
    keys = {section["key"] for section in sections}
    for section in sections:
        if section["key"] in by_key:
            section["tables"] = [by_key[section["key"]]] if by_key[section["key"]]["table"] else []
        elif section["key"] == "decision":
            section["tables"] = [
                decision
                for key, decision in by_key.items()
                if decision["table"] and key not in keys
            ]
        else:
            section["tables"] = []


def letter_context(letter, *, draft, response_date=None, logo=None, embed_logo=False):
    """Everything the letter templates use, as plain values."""
    case = letter.case
    authority = case.authority
    requester = case.requester
    decisions = decisions_for(case)
    sections = [
        {
            "key": section.key,
            "heading": section.heading,
            "level": 2 if section.level and section.level > 1 else 1,
            "paragraphs": [paragraph.text for paragraph in section.paragraphs.all()],
        }
        for section in letter.sections.prefetch_related("paragraphs")
    ]
    attach_tables(sections, decisions)
    provisions = unique(p for decision in decisions for p in decision["provisions"])
    heading = HEADING_FOR_KIND.get(letter.kind, letter.get_kind_display())
    return {
        "letter_kind": letter.kind,
        "draft": draft,
        "title": f"{heading}: {case.reference}",
        "heading": heading,
        "reference": case.reference,
        "reviewed_reference": case.reviewed_case.reference if case.reviewed_case_id else None,
        "received_on": case.received_on,
        "response_date": response_date or timezone.localdate(),
        "regime": {"code": case.regime.code, "statute": case.regime.statute},
        "authority": {
            "name": authority.name,
            "address_lines": authority.address_lines,
            "email": authority.email,
            "telephone": authority.telephone,
            "website": authority.website,
            "signatory_name": authority.signatory_name,
            "signatory_title": authority.signatory_title,
        },
        "logo_url": logo_src(logo, embed=embed_logo) if logo else None,
        "requester": {
            "name": requester.name,
            "email": requester.email,
            "address_lines": requester.address_lines,
        },
        "scope": case.scope,
        "prioritisation_note": case.prioritisation_note,
        "questions": [
            {"number": question.number, "text": question.text} for question in case.questions.all()
        ],
        "sections": sections,
        "has_request_section": any(section["key"] == "request" for section in sections),
        "decisions": decisions,
        "provisions": provisions,
        "keywords": provisions,
        "ncnd": any(decision["ncnd"] for decision in decisions),
        "verify_url": f"{settings.SITE_URL}/verify/",
    }


# ---------------------------------------------------------------------------
# HTML


def render_context_html(template_name, context):
    try:
        return letter_environment().get_template(template_name).render(context)
    except Exception as error:  # Jinja's errors do not share a useful base class
        raise RenderError(f"The letter template {template_name} failed: {error}") from error


def render_letter_html(letter, *, draft=True, response_date=None, for_pdf=False):
    """The letter as a complete HTML document.

    By default the document is self-contained, for a browser: the letter stylesheet
    is inlined with its fonts and the logo as data: URIs, so the preview looks like
    the PDF even in a sandboxed frame whose CSP allows nothing else. With ``for_pdf``
    it carries no styles (``html_to_pdf`` applies the stylesheet it has parsed once)
    and the logo by its URL path, which only the letter's fetcher serves.
    """
    logo = logo_asset(letter.case.authority)
    context = letter_context(
        letter, draft=draft, response_date=response_date, logo=logo, embed_logo=not for_pdf
    )
    html = render_context_html(TEMPLATE_FOR_KIND[letter.kind], context)
    return html if for_pdf else with_inline_stylesheet(html)


def data_uri(data, media_type):
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def logo_src(logo, *, embed):
    path, data, media_type = logo
    return data_uri(data, media_type) if embed else path


@functools.cache
def screen_stylesheet():
    """The letter stylesheet with its fonts inlined: for self-contained HTML."""
    css = STYLESHEET_PATH.read_text(encoding="utf-8")

    def inline_font(match):
        font = STATIC_DIR / "fonts" / match.group(1)
        return f'url("{data_uri(font.read_bytes(), "font/woff2")}")'

    return FONT_URL.sub(inline_font, css)


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


def pdf_inputs(letter, *, draft=True, response_date=None):
    """Everything ``html_to_pdf`` needs for one letter, as plain, picklable values."""
    case = letter.case
    logo = logo_asset(case.authority)
    context = letter_context(letter, draft=draft, response_date=response_date, logo=logo)
    data = decision_data(letter, draft=draft, response_date=context["response_date"])
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


# ---------------------------------------------------------------------------
# PDF


def html_to_pdf(html, *, metadata=None, attachments=(), draft=False, assets=None):
    """Render a letter's HTML to PDF/UA-1 bytes with the shared stylesheet and fonts.

    ``metadata``: title, authors (list), description (the reference), keywords (list).
    ``attachments``: (file name, bytes, description) triples embedded in the PDF.
    ``assets``: {URL path: (bytes, media type)} the letter may load besides static
    files (the logo). ``draft`` must match the HTML: an issued letter carrying the
    DRAFT mark, or a draft without it, is refused.
    """
    has_draft_mark = 'class="watermark"' in html
    if has_draft_mark != bool(draft):
        state = "an issued letter with" if has_draft_mark else "a draft without"
        raise RenderError(f"Refusing to render {state} the DRAFT mark.")
    metadata = metadata or {}
    fetcher = LetterAssetFetcher(assets)
    pdf_attachments = [
        Attachment(
            string=content if isinstance(content, bytes) else content.encode(),
            name=name,
            description=description,
            relationship="Data",
        )
        for name, content, description in attachments
    ]
    with render_lock:
        font_config, stylesheet = shared_styles()
        try:
            document = HTML(string=html, base_url=f"{ASSET_ORIGIN}/", url_fetcher=fetcher).render(
                font_config=font_config,
                stylesheets=[stylesheet],
                pdf_variant=PDF_VARIANT,
                pdf_tags=True,
            )
            if metadata.get("title"):
                document.metadata.title = metadata["title"]
            if metadata.get("authors"):
                document.metadata.authors = list(metadata["authors"])
            if metadata.get("description"):
                document.metadata.description = metadata["description"]
            if metadata.get("keywords") is not None:
                document.metadata.keywords = list(metadata["keywords"])
            document.metadata.lang = document.metadata.lang or LANGUAGE
            return document.write_pdf(
                pdf_variant=PDF_VARIANT, pdf_tags=True, attachments=pdf_attachments
            )
        except FatalURLFetchingError as error:
            cause = error.__cause__ or error
            raise RenderError(f"The letter refers to a file it may not use. {cause}") from None


def render_letter_pdf(letter, *, draft=True, response_date=None, isolated=False, **limits):
    """The letter as PDF bytes; ``isolated`` renders in a child process with limits."""
    inputs = pdf_inputs(letter, draft=draft, response_date=response_date)
    if isolated:
        return render_pdf_isolated(**inputs, **limits)
    return html_to_pdf(**inputs)


# ---------------------------------------------------------------------------
# Rendering with a time and memory limit


def address_space(field="VmSize"):
    """This process's virtual memory size (or its peak, "VmPeak"), in bytes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
    return 0


def isolated_worker(connection, memory_limit, inputs):
    """Runs in the child: cap the memory, render, send back ("ok", bytes) or an error."""
    ceiling = address_space() + memory_limit
    try:
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        connection.send(("ok", html_to_pdf(**inputs)))
    except MemoryError:
        connection.send(("memory", ""))
    except RenderError as error:
        connection.send(("error", str(error)))
    except BaseException as error:  # anything else must still reach the parent as text
        # Out of memory inside C code (Pango, Pillow) surfaces as other errors.
        if address_space("VmPeak") > ceiling - 64 * 1024 * 1024:
            connection.send(("memory", ""))
        else:
            connection.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        connection.close()


def render_pdf_isolated(
    html,
    *,
    metadata=None,
    attachments=(),
    draft=False,
    assets=None,
    timeout=DEFAULT_TIMEOUT_SECONDS,
    memory_limit=DEFAULT_MEMORY_LIMIT_BYTES,
):
    """``html_to_pdf`` in a forked child, stopped after ``timeout`` seconds or when it
    needs more than ``memory_limit`` bytes beyond what the process already uses.

    Nothing is written anywhere: on failure the caller gets RenderError and keeps
    everything it had, so it can retry or report.
    """
    inputs = {
        "html": html,
        "metadata": metadata,
        "attachments": list(attachments),
        "draft": draft,
        "assets": assets,
    }
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["responses.pdf_worker"])
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=isolated_worker, args=(sender, memory_limit, inputs), daemon=True
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise RenderError(
                f"Rendering the letter took longer than {timeout:g} seconds and was stopped. "
                "Nothing was issued; shorten the letter or its tables and try again."
            )
        try:
            status, payload = receiver.recv()
        except EOFError:
            raise RenderError(
                "Rendering the letter stopped unexpectedly (it may have run out of memory). "
                "Nothing was issued; try again, and report it if it happens again."
            ) from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if status == "ok":
        return payload
    if status == "memory":
        raise RenderError(
            f"Rendering the letter needed more than {memory_limit // (1024 * 1024)} MB of memory "
            "and was stopped. Nothing was issued; shorten the letter or its tables and try again."
        )
    raise RenderError(f"Rendering the letter failed: {payload}")
