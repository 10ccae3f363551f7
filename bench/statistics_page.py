"""How long the statistics page and CSV take with 100,000 cases on PostgreSQL.

Run by hand:  .venv/bin/python bench/statistics_page.py [--cases 100000] [--runs 20]
              [--database postgres://postgres@127.0.0.1:5432/foi_bench_statistics]

Creates the database named (dropping an earlier copy), migrates it, loads the catalogue
and fills it with bulk inserts: requests spread over five years, one to three decisions
each with a realistic mix of outcomes and citations, most answered with an issued letter
(in time, within an extension or late), some on hold, lapsed or withdrawn, and internal
reviews with outcomes. Then times, for the busiest year, the staff page and the CSV through
the real views, and prints each p95; the last line is `worst p95 ms: X`.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/foi_bench_statistics"


def recreate_database(url):
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def setup_django(url, workdir):
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "foi_portal.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "true"
    os.environ["FOI_VAR_DIR"] = str(workdir)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_catalogue", verbosity=0)
    return call_command


def fill(count, seed=13):
    """Bulk-insert ``count`` requests and what hangs off them; returns the busiest year."""
    from django.contrib.auth import get_user_model

    from exemptions.models import Exemption, Regime
    from responses.models import (
        Authority,
        Case,
        Citation,
        Decision,
        InternalReviewOutcome,
        IssuedDocument,
        Letter,
        LetterVersion,
        Question,
        Requester,
    )

    rng = random.Random(seed)
    foia = Regime.objects.get(code=Regime.FOIA)
    officer = get_user_model().objects.create_user("bench", password="x", is_superuser=True)
    authority = Authority.objects.create(
        name="Bench Council", address="1 Street", signatory_name="A", default_regime=foia
    )
    requester = Requester.objects.create(name="Bench Requester", email="r@example.org")
    exemptions = list(Exemption.objects.filter(regime=foia, procedural=False))
    outcomes = [
        (Decision.Outcome.PROVIDED, 45),
        (Decision.Outcome.PROVIDED_IN_PART, 15),
        (Decision.Outcome.NOT_HELD, 15),
        (Decision.Outcome.WITHHELD, 10),
        (Decision.Outcome.NCND, 5),
        (Decision.Outcome.COST_LIMIT, 7),
        (Decision.Outcome.VEXATIOUS, 2),
        (Decision.Outcome.REPEATED, 1),
    ]
    values, weights = zip(*outcomes, strict=True)
    first_day = datetime.date(2021, 1, 1)
    span = 5 * 365
    statuses = [
        (Case.Status.RESPONDED, 85),
        (Case.Status.OPEN, 6),
        (Case.Status.ON_HOLD, 3),
        (Case.Status.LAPSED, 3),
        (Case.Status.WITHDRAWN, 3),
    ]
    status_values, status_weights = zip(*statuses, strict=True)

    cases = []
    for number in range(count):
        received = first_day + datetime.timedelta(days=rng.randrange(span))
        cases.append(
            Case(
                reference=f"FOI/{received.year}/{number:07d}",
                authority=authority,
                regime=foia,
                requester=requester,
                received_on=received,
                request_text="Please send the figures for each year.",
                subject="figures",
                status=rng.choices(status_values, status_weights)[0],
            )
        )
    Case.objects.bulk_create(cases, batch_size=5000)
    cases = list(Case.objects.order_by("pk"))

    questions, decisions, plans = [], [], []
    for case in cases:
        n = rng.choice((1, 2, 3))
        plans.append(n)
        for q in range(1, n + 1):
            questions.append(Question(case=case, number=q, text=f"Question {q}"))
            decisions.append(
                Decision(case=case, position=q, outcome=rng.choices(values, weights)[0])
            )
    Question.objects.bulk_create(questions, batch_size=10000)
    Decision.objects.bulk_create(decisions, batch_size=10000)
    citations = []
    for decision in Decision.objects.filter(
        outcome__in=[
            Decision.Outcome.WITHHELD,
            Decision.Outcome.NCND,
            Decision.Outcome.PROVIDED_IN_PART,
        ]
    ).only("pk", "outcome"):
        exemption = rng.choice(exemptions)
        mode = (
            Citation.Mode.NCND
            if decision.outcome == Decision.Outcome.NCND
            else Citation.Mode.WITHHOLD
        )
        if mode == Citation.Mode.NCND and not exemption.ncnd_provision:
            mode = Citation.Mode.WITHHOLD
        citations.append(Citation(decision=decision, exemption=exemption, mode=mode))
    Citation.objects.bulk_create(citations, batch_size=10000)

    responded = [case for case in cases if case.status == Case.Status.RESPONDED]
    letters = [
        Letter(case=case, kind=Letter.Kind.RESPONSE, status=Letter.Status.ISSUED)
        for case in responded
    ]
    Letter.objects.bulk_create(letters, batch_size=10000)
    versions = [
        LetterVersion(letter=letter, number=1, html="<p>Letter</p>", author=officer)
        for letter in letters
    ]
    LetterVersion.objects.bulk_create(versions, batch_size=10000)
    timeliness = ["in_time"] * 88 + ["within_extension"] * 5 + ["late"] * 7
    documents = [
        IssuedDocument(
            version=version,
            pdf=b"%PDF",
            sha256=f"{version.pk:064x}",
            timeliness=rng.choice(timeliness),
        )
        for version in versions
    ]
    IssuedDocument.objects.bulk_create(documents, batch_size=10000)

    reviewed = rng.sample(responded, len(responded) // 50)
    reviews = [
        Case(
            reference=f"IR/{case.received_on.year}/{case.pk:07d}",
            kind=Case.Kind.INTERNAL_REVIEW,
            authority=authority,
            regime=foia,
            requester=requester,
            reviewed_case=case,
            received_on=case.received_on + datetime.timedelta(days=30),
            request_text="Please look again.",
            status=Case.Status.RESPONDED,
        )
        for case in reviewed
    ]
    Case.objects.bulk_create(reviews, batch_size=5000)
    review_letters = [
        Letter(case=review, kind=Letter.Kind.REVIEW_OUTCOME, status=Letter.Status.ISSUED)
        for review in Case.objects.filter(kind=Case.Kind.INTERNAL_REVIEW)
    ]
    Letter.objects.bulk_create(review_letters, batch_size=5000)
    InternalReviewOutcome.objects.bulk_create(
        [
            InternalReviewOutcome(
                letter=letter,
                outcome=rng.choice(InternalReviewOutcome.Outcome.values),
                reasons="Because.",
            )
            for letter in review_letters
        ],
        batch_size=5000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    years = [case.received_on.year for case in cases]
    return max(set(years), key=years.count), officer


def p95(samples):
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()

    import tempfile

    recreate_database(args.database)
    with tempfile.TemporaryDirectory() as workdir:
        setup_django(args.database, workdir)
        started = time.perf_counter()
        year, user = fill(args.cases)
        print(f"filled {args.cases} requests in {time.perf_counter() - started:.0f} s")

        from django.test import Client
        from django.urls import reverse

        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        worst = 0.0
        for name in ("statistics", "statistics_csv"):
            url = f"{reverse(name)}?year={year}"
            client.get(url)  # warm
            samples = []
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(url)
                samples.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.status_code
            worst = max(worst, p95(samples))
            print(
                f"{name} ({year}): median {statistics.median(samples):.0f} ms, "
                f"p95 {p95(samples):.0f} ms"
            )
        print(f"worst p95 ms: {worst:.0f}")


if __name__ == "__main__":
    main()
