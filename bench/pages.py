"""Server time of the pages that must stay fast with 100,000 cases, on PostgreSQL.

Run by hand:  .venv/bin/python bench/pages.py [--cases 100000] [--runs 40] [--fresh]

Uses its own PostgreSQL database (``--database-url``, by default ``foi_bench_pages`` on
127.0.0.1:5432), creating it when missing. The first run migrates it, loads the catalogue,
clauses and demo, then fills it with ``manage.py fill_bench_data`` up to ``--cases``
(100,000 cases, about 300,000 questions and decisions, and about 90,000 issued and
published responses of generated text take a few minutes); later runs reuse it. ``--fresh``
drops it first.

Each page is requested once per URL to warm up, then ``--runs`` times through Django's
test client, signed in as the demo officer where the page is for staff, and timed from the
request entering Django to the response leaving it (middleware, view, queries, template:
the server's time, without a network). Pages:
- the disclosure log searched for a word (the first page) and a deep page (by keyset, the
  entry halfway down the whole log);
- the work list;
- the statistics page and its CSV export;
- the decision editor, and the precedent panel it fetches, on a decision of each open case
  in turn;
- the case page with its similar requests, on open cases in turn.
Prints each page's median and p95, and, as its last line, `worst p95 ms: X`. The target on
the 2-core machine this project runs on is X <= 100.
"""

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/foi_bench_pages"
SEARCH_WORDS = ["drones", "overtime", "Taser", "contracts", "potholes", "CCTV", "horses"]


def ensure_database(url, fresh):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists and fresh:
            connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def setup_django(url):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "foi_portal.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ["SECURE"] = "false"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    # The demo's emails (requester links) go nowhere, rather than onto the console.
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-" + "x7" * 30)
    os.environ.setdefault("FOI_VAR_DIR", str(ROOT / "var" / "bench"))
    import django

    django.setup()


def fill(cases):
    from django.core.management import call_command
    from django.db import connection

    from responses.models import Authority, Case

    call_command("migrate", verbosity=0)
    if not Authority.objects.exists():
        call_command("load_catalogue", verbosity=0)
        call_command("load_clauses", verbosity=0)
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
    missing = cases - Case.objects.count()
    if missing > 0:
        print(f"Filling {missing} cases (a few minutes for 100,000) ...", flush=True)
        call_command("fill_bench_data", cases=missing, append=True, stdout=io.StringIO())
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{Case.objects.count()} cases in the database", flush=True)


def pages():
    """[(label, client, [url, ...])]: the URLs each page is measured on, in turn."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from responses.disclosure_log import listing
    from responses.models import Case, Decision, Publication

    officer = get_user_model().objects.get(username="officer")
    staff = Client()
    staff.force_login(officer)
    panel = Client(headers={"HX-Request": "true"})  # as htmx asks for it
    panel.force_login(officer)
    public = Client()

    listed = Publication.objects.listed().order_by("-published_at", "-pk")
    halfway = listed[listed.count() // 2]
    deep = f"/disclosure-log/?after={listing.cursor_for(halfway)}"
    open_cases = list(Case.objects.filter(status=Case.Status.OPEN).order_by("-received_on")[:40])
    # The first decision of each of those open cases that has one.
    decisions = [
        pk
        for case in open_cases
        for pk in Decision.objects.filter(case=case).order_by("pk").values_list("pk", flat=True)[:1]
    ]
    measured = [
        ("disclosure log search", public, [f"/disclosure-log/?q={w}" for w in SEARCH_WORDS]),
        ("disclosure log deep page", public, [deep]),
        ("work list", staff, ["/work/"]),
        # An open case's decision being edited, and the precedent panel the form fetches
        # once loaded: earlier answers to its questions and to the exemptions it cites.
        ("decision editor", staff, [f"/decisions/{pk}/" for pk in decisions]),
        ("precedent panel", panel, [f"/decisions/{pk}/precedents/" for pk in decisions]),
        ("case page + similar requests", staff, [f"/cases/{case.pk}/" for case in open_cases]),
    ]
    for label, name in [("statistics page", "statistics"), ("statistics CSV", "statistics_csv")]:
        try:
            measured.append((label, staff, [reverse(name)]))
        except NoReverseMatch:
            print(f"({label}: no URL named {name!r} yet, not measured)")
    return measured


def measure(client, urls, runs):
    # Warm: templates compiled, the connection open, and each URL's rows read once, so the
    # figures are a running server's, not those of a database file still on disk (the
    # first run after the machine's cache was emptied, by a CI run say, is several times
    # slower in its tail).
    for url in urls:
        client.get(url)
    times = []
    for run in range(runs):
        url = urls[run % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--fresh", action="store_true", help="Drop and refill the database.")
    args = parser.parse_args()

    ensure_database(args.database_url, args.fresh)
    setup_django(args.database_url)
    fill(args.cases)
    worst = 0.0
    for label, client, urls in pages():
        median, p95 = measure(client, urls, args.runs)
        worst = max(worst, p95)
        print(f"{label:34} median {median:7.1f} ms   p95 {p95:7.1f} ms")
    print(f"worst p95 ms: {worst:.1f}")


if __name__ == "__main__":
    main()
