"""What the draft PDF cache saves: a download of an unchanged letter against a fresh render.

Run by hand:  .venv/bin/python bench/draft_pdf_cache.py [--runs 5] [--rows 300]

Sets up Django on a throwaway SQLite database (as bench/pdf_render.py does) with the real
settings, so the cache is the file-based one under the throwaway FOI_VAR_DIR, then times
the draft PDF view's own path, ``isolated_render.draft_pdf(pdf_inputs(letter))``:
- with the cache emptied first: the HTML, the key, a render in a child process with the
  draft limits, storing the PDF;
- with the PDF cached: the HTML, the key and reading the PDF back.
Both for the demo letter (or the sample NCND letter) and for a letter with a long table.
The last line is always `cached/render ratio: X` for the demo letter (far below 1 is right).
"""

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pdf_render import demo_or_sample_letter, setup_django, timed  # noqa: E402


def median_times(letter, runs):
    """(median seconds with an empty cache, median seconds cached, PDF size)."""
    from django.core.cache import caches

    from responses import isolated_render
    from responses.rendering.html import pdf_inputs

    cache = caches[isolated_render.DRAFT_CACHE]

    def download():
        return isolated_render.draft_pdf(pdf_inputs(letter, draft=True))

    cache.clear()
    download()  # warm: the forkserver starts and parses the fonts once
    rendered, cached = [], []
    for _ in range(runs):
        cache.clear()
        seconds, pdf = timed(download)
        rendered.append(seconds)
        seconds, again = timed(download)
        assert again == pdf, "the cached PDF differs from the one rendered"
        cached.append(seconds)
    return statistics.median(rendered), statistics.median(cached), len(pdf)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="downloads of each kind (>= 3)")
    parser.add_argument("--rows", type=int, default=300, help="rows of the long table")
    args = parser.parse_args()
    runs = max(args.runs, 3)

    with tempfile.TemporaryDirectory(prefix="draft-cache-bench-") as workdir:
        call_command = setup_django(workdir)
        from django.conf import settings

        from tests.letter_samples import long_table_letter

        letter, origin = demo_or_sample_letter(call_command)
        settings.DRAFT_PDF_TIMEOUT_SECONDS = 120  # the bench measures, it does not refuse
        big = long_table_letter(rows=args.rows, authority=letter.case.authority)

        render, cached, size = median_times(letter, runs)
        print(
            f"{origin} letter ({size / 1024:.0f} KB): render {render * 1000:.0f} ms, "
            f"cached {cached * 1000:.1f} ms (medians of {runs})"
        )
        big_render, big_cached, big_size = median_times(big, max(3, runs // 2))
        print(
            f"{args.rows}-row table letter ({big_size / 1024:.0f} KB): render "
            f"{big_render * 1000:.0f} ms, cached {big_cached * 1000:.1f} ms, "
            f"ratio {big_cached / big_render:.4f}"
        )
        print(f"cached/render ratio: {cached / render:.4f}")


if __name__ == "__main__":
    main()
