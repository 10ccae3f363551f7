"""Rendering a PDF in a child process with a time limit and a memory cap.

Issued letters and draft PDFs are rendered here so that a pathological letter (a table of
thousands of rows, a font that explodes) cannot take the web or task process down:
the child is forked from a small process that has only Django, WeasyPrint and the
letter fonts loaded (``responses.pdf_worker``), is stopped after ``timeout``
seconds, and may not use more than ``memory_limit`` bytes beyond what it started
with. Nothing is written anywhere: on failure the caller gets RenderError and keeps
everything it had, so it can retry or report. Each render is a process of its own,
so renders never wait for one another.

Draft PDFs are cached (``draft_pdf``) under a key made of everything that goes into the
PDF, so downloading an unchanged letter again costs no render.
"""

import functools
import hashlib
import importlib.metadata
import json
import multiprocessing
import resource

from django.conf import settings
from django.core.cache import caches

from responses.rendering import RenderError
from responses.rendering.html import STATIC_DIR

DEFAULT_TIMEOUT_SECONDS = 120
DEFAULT_MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024
FORKSERVER_PRELOAD = "responses.pdf_worker"

DRAFT_CACHE = "draft_pdfs"
# A draft bigger than this is rendered each time rather than filling the cache.
DRAFT_CACHE_MAX_BYTES = 10 * 1024 * 1024
# The static files a letter's PDF is made from (rendering.pdf.ASSET_FOLDERS).
ASSET_FOLDERS = ("letters", "fonts")


class RenderLimitExceeded(RenderError):
    """The render was stopped at its time or memory limit: the letter is too big."""


def address_space(field="VmSize"):
    """This process's virtual memory size (or its peak, "VmPeak"), in bytes."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) * 1024
    return 0


def isolated_worker(connection, memory_limit, inputs):
    """Runs in the child: cap the memory, render, send back ("ok", bytes) or an error."""
    # Imported here, in the child, because it brings in WeasyPrint (half a second and
    # 40 MB): the processes that ask for isolated renders never load it themselves.
    # The forkserver has it preloaded, so in the child this costs nothing.
    from responses.rendering.pdf import html_to_pdf

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
    """``rendering.pdf.html_to_pdf`` in a forked child, stopped after ``timeout``
    seconds or when it needs more than ``memory_limit`` bytes beyond what the process
    already uses."""
    inputs = {
        "html": html,
        "metadata": metadata,
        "attachments": list(attachments),
        "draft": draft,
        "assets": assets,
    }
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([FORKSERVER_PRELOAD])
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=isolated_worker, args=(sender, memory_limit, inputs), daemon=True
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise RenderLimitExceeded(
                f"Rendering the letter took longer than {timeout:g} seconds and was stopped. "
                "Shorten the letter or its tables and try again."
            )
        try:
            status, payload = receiver.recv()
        except EOFError:
            raise RenderError(
                "Rendering the letter stopped unexpectedly (it may have run out of memory). "
                "Try again, and report it if it happens again."
            ) from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if status == "ok":
        return payload
    if status == "memory":
        raise RenderLimitExceeded(
            f"Rendering the letter needed more than {memory_limit // (1024 * 1024)} MB of memory "
            "and was stopped. Shorten the letter or its tables and try again."
        )
    raise RenderError(f"Rendering the letter failed: {payload}")


# ---------------------------------------------------------------------------
# Draft PDFs, cached


@functools.cache
def assets_version():
    """A fingerprint of the stylesheet, fonts and images letters use, and of WeasyPrint:
    a change to any of them changes every draft PDF."""
    digest = hashlib.sha256(importlib.metadata.version("weasyprint").encode())
    for folder in ASSET_FOLDERS:
        for path in sorted((STATIC_DIR / folder).rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(STATIC_DIR).as_posix().encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def draft_cache_key(inputs):
    """The cache key of a PDF made from ``inputs`` (``rendering.html.pdf_inputs``): the
    SHA-256 of the HTML, metadata, attachments and assets, with the assets' version."""
    digest = hashlib.sha256(assets_version().encode())
    digest.update(inputs["html"].encode())
    digest.update(json.dumps(inputs.get("metadata") or {}, sort_keys=True).encode())
    for name, content, description in inputs.get("attachments") or ():
        body = content if isinstance(content, bytes) else content.encode()
        digest.update(json.dumps([name, description]).encode())
        digest.update(hashlib.sha256(body).digest())
    for path, (body, media_type) in sorted((inputs.get("assets") or {}).items()):
        digest.update(json.dumps([path, media_type]).encode())
        digest.update(hashlib.sha256(body).digest())
    digest.update(b"draft" if inputs.get("draft") else b"final")
    return f"draft-pdf:{digest.hexdigest()}"


def draft_pdf(inputs):
    """A draft letter's PDF from ``rendering.html.pdf_inputs(letter, draft=True)``: from
    the cache if the same inputs were rendered before, else rendered in a child process
    stopped after ``DRAFT_PDF_TIMEOUT_SECONDS`` (it runs inside a web request).

    Raises RenderLimitExceeded when the letter is too big to render within the limits,
    RenderError when it cannot be rendered for another reason.
    """
    cache = caches[DRAFT_CACHE]
    key = draft_cache_key(inputs)
    pdf = cache.get(key)
    if pdf is None:
        pdf = render_pdf_isolated(**inputs, timeout=settings.DRAFT_PDF_TIMEOUT_SECONDS)
        if len(pdf) <= DRAFT_CACHE_MAX_BYTES:
            cache.set(key, pdf)
    return pdf
