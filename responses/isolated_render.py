"""Rendering a PDF in a child process with a time limit and a memory cap.

An issued letter is rendered here so that a pathological letter (a table of
thousands of rows, a font that explodes) cannot take the web or task process down:
the child is forked from a small process that has only Django, WeasyPrint and the
letter fonts loaded (``responses.pdf_worker``), is stopped after ``timeout``
seconds, and may not use more than ``memory_limit`` bytes beyond what it started
with. Nothing is written anywhere: on failure the caller gets RenderError and keeps
everything it had, so it can retry or report.
"""

import multiprocessing
import resource

from responses.rendering import RenderError

DEFAULT_TIMEOUT_SECONDS = 120
DEFAULT_MEMORY_LIMIT_BYTES = 1536 * 1024 * 1024
FORKSERVER_PRELOAD = "responses.pdf_worker"


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
