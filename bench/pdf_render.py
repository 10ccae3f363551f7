"""How fast letters become PDFs, and what the app's path costs over bare WeasyPrint.

Run by hand:  .venv/bin/python bench/pdf_render.py [--runs 10]

Sets up Django on a throwaway SQLite database, loads the catalogue, clause library
and demo case when those commands exist (else builds a sample NCND letter itself),
then prints:
- the NCND letter rendered through the app (models -> template -> PDF/UA with the
  shared fonts and stylesheet, locked-down fetcher, decision.json) and through bare
  WeasyPrint on the same HTML and CSS (parsed afresh, default fetcher, same PDF/UA
  options), alternating, medians of each;
- serving a stored PDF (reading its bytes) against rendering it;
- the time per page of a 20-page letter with a long table, and the peak RSS of one
  such render (in a forked child, so earlier renders do not count);
- the layout time of a letter whose words are joined by non-breaking hyphens (U+2011)
  against the same letter with plain hyphens, measured in the same run: a font without
  the glyph made it several times slower once (the tests check the glyph and the lines;
  the time belongs here). Near 1 is right; above 3 is that regression.
The last line is always `app/bare ratio: X` (below 1: the app is faster than bare).
"""

import argparse
import gc
import io
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django(workdir):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "foi_portal.settings"
    os.environ["FOI_VAR_DIR"] = str(workdir)
    os.environ["MEDIA_ROOT"] = str(Path(workdir) / "media")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x7" * 30)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return call_command


def demo_or_sample_letter(call_command):
    """The demo case's response letter when the demo loads, else our own sample."""
    from responses.models import Letter

    try:
        call_command("load_catalogue", verbosity=0)
        call_command("load_clauses", verbosity=0)
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
        letter = (
            Letter.objects.filter(kind=Letter.Kind.RESPONSE, sections__isnull=False)
            .distinct()
            .order_by("pk")
            .first()
        )
        if letter is not None:
            return letter, "demo"
    except Exception as error:  # any missing piece: fall back to the sample
        print(f"(demo not available: {type(error).__name__}: {error})")
    from tests.letter_samples import ncnd_letter

    return ncnd_letter(), "sample"


def timed(function):
    gc.collect()  # each run pays for its own garbage, not the previous run's
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def page_count(pdf):
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def bare_render(html):
    """What a plain WeasyPrint call does with the same HTML and CSS."""
    from weasyprint import CSS, HTML

    from responses.rendering.html import STYLESHEET_PATH
    from responses.rendering.pdf import PDF_VARIANT

    return HTML(string=html, base_url=str(STYLESHEET_PATH.parent) + "/").write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET_PATH))], pdf_variant=PDF_VARIANT
    )


def peak_rss_of_render(inputs, connection):
    """In a forked child (no database use): render once, report (peak RSS, RSS before)."""

    def rss(field):
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
        return 0

    from responses.rendering.pdf import html_to_pdf

    before = rss("VmRSS")
    html_to_pdf(**inputs)
    connection.send((rss("VmHWM"), before))
    connection.close()


def hyphen_layout_ratio(runs):
    """Best-of-``runs`` layout time with non-breaking hyphens over that with plain ones."""
    from responses import rendering
    from tests.letter_samples import ncnd_letter

    words = " ".join(f"co-operation{index} non-disclosure re-use" for index in range(40))
    plain = ncnd_letter(sections=[("body", "Body", [words] * 25)])
    hyphens = ncnd_letter(sections=[("body", "Body", [words.replace("-", "\u2011")] * 25)])
    htmls = [rendering.render_letter_html(letter, for_pdf=True) for letter in (plain, hyphens)]
    rendering.html_to_pdf(htmls[0], draft=True)  # warm the shared fonts
    times = ([], [])
    for _ in range(runs):
        for html, kept in zip(htmls, times, strict=True):
            kept.append(timed(lambda html=html: rendering.html_to_pdf(html, draft=True))[0])
    return min(times[1]) / min(times[0]), min(times[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="renders of each kind (>= 10)")
    args = parser.parse_args()
    runs = max(args.runs, 10)

    with tempfile.TemporaryDirectory(prefix="pdf-bench-") as workdir:
        call_command = setup_django(workdir)
        from responses.rendering import html as rendering_html
        from responses.rendering import pdf as rendering
        from tests.letter_samples import long_table_letter

        letter, origin = demo_or_sample_letter(call_command)
        html = rendering_html.render_letter_html(letter, draft=True, for_pdf=True)
        rendering.render_letter_pdf(letter, draft=True)  # warm: fonts and CSS parsed once
        bare_render(html)

        app_times, bare_times = [], []
        for _ in range(runs):
            seconds, pdf = timed(lambda: rendering.render_letter_pdf(letter, draft=True))
            app_times.append(seconds)
            bare_times.append(timed(lambda: bare_render(html))[0])
        app, bare = statistics.median(app_times), statistics.median(bare_times)
        pages = page_count(pdf)
        print(
            f"{origin} NCND letter, {pages} pages, {runs} renders each: "
            f"app median {app * 1000:.0f} ms, bare WeasyPrint median {bare * 1000:.0f} ms"
        )

        stored = Path(workdir) / "issued.pdf"
        stored.write_bytes(pdf)
        read_times = [timed(stored.read_bytes)[0] for _ in range(runs * 10)]
        read = statistics.median(read_times)
        print(f"serve stored PDF: median {read * 1e6:.0f} µs to read {len(pdf)} bytes")
        print(f"stored/render ratio: {read / app:.5f}")

        big = long_table_letter(rows=560)
        big_times = []
        for _ in range(3):
            seconds, big_pdf = timed(lambda: rendering.render_letter_pdf(big, draft=True))
            big_times.append(seconds)
        big_pages = page_count(big_pdf)
        big_median = statistics.median(big_times)
        print(
            f"{big_pages}-page letter with a table: median {big_median:.2f} s, "
            f"{big_median / big_pages * 1000:.0f} ms per page"
        )

        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)
        inputs = rendering_html.pdf_inputs(big, draft=True)
        child = context.Process(target=peak_rss_of_render, args=(inputs, sender))
        child.start()
        peak, before = receiver.recv()
        child.join()
        own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(
            f"peak RSS of one {big_pages}-page render: {peak / 2**20:.0f} MB "
            f"({(peak - before) / 2**20:.0f} MB above the {before / 2**20:.0f} MB process; "
            f"this bench's own peak {own_peak / 2**20:.0f} MB)"
        )
        ratio, plain_seconds = hyphen_layout_ratio(max(3, runs // 3))
        print(
            f"non-breaking/plain hyphen layout ratio: {ratio:.2f} "
            f"(plain {plain_seconds * 1000:.0f} ms; above 3 is the missing-glyph regression)"
        )
        print(f"app/bare ratio: {app / bare:.2f}")


if __name__ == "__main__":
    main()
