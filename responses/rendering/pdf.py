"""A letter's HTML to PDF/UA-1 with WeasyPrint, in this process, loading nothing it may not.

WeasyPrint may only load the files ``LetterAssetFetcher`` allows: the letter
stylesheet and fonts shipped in ``static/`` and the authority's logo, which the app
reads itself. Any other URL (file:, http(s):, data:, ...) stops the render before
any file or network access.

This is the only module that imports WeasyPrint (about half a second and 40 MB), so
modules a web process loads at start-up import it only where a PDF is made.
"""

import functools
import logging
import mimetypes
import threading
from urllib.parse import unquote, urlsplit
from urllib.parse import uses_netloc as _uses_netloc
from urllib.parse import uses_relative as _uses_relative

from django.conf import settings
from weasyprint import CSS, HTML, Attachment
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from responses.rendering import RenderError
from responses.rendering.html import STATIC_DIR, STYLESHEET_PATH, pdf_inputs

# WeasyPrint reports every layout step, and fontTools every font it unpacks, at INFO.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.WARNING)

# Only these folders of static/ may be read while rendering, and only these kinds of file.
ASSET_FOLDERS = ("letters", "fonts")
ASSET_SUFFIXES = {".css", ".woff2", ".woff", ".ttf", ".otf", ".png", ".jpg", ".jpeg", ".gif"}

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
# Shared, per-process state: fonts and the parsed stylesheet


# Made once per process under a lock, so two threads never build (and parse fonts) twice.
# Renders themselves take no lock: the web and task processes render each letter in a child
# process of its own (responses.isolated_render), so no two renders share a process.
_styles_lock = threading.Lock()


def shared_styles():
    """The FontConfiguration and parsed letter stylesheet, made once per process."""
    with _styles_lock:
        return _make_shared_styles()


@functools.cache
def _make_shared_styles():
    font_config = FontConfiguration()
    stylesheet = CSS(
        string=STYLESHEET_PATH.read_text(encoding="utf-8"),
        base_url=f"{ASSET_ORIGIN}{static_path_prefix()}letters/letter.css",
        url_fetcher=LetterAssetFetcher(),
        font_config=font_config,
    )
    return font_config, stylesheet


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


def render_letter_pdf(letter, *, draft=True, response_date=None, masked=False):
    """The letter as PDF bytes, rendered in this process (the terminal, tests).

    The web and task processes go through ``isolated_render`` instead.
    ``masked``: the requester's details masked, for an applicant-blind reviewer.
    """
    inputs = pdf_inputs(letter, draft=draft, response_date=response_date, masked=masked)
    return html_to_pdf(**inputs)
