"""Fill the database with a realistic volume of cases, for bench/pages.py.

    python manage.py fill_bench_data --cases 100000

Makes that many requests over the last ten years (three questions each on average, one
decision per question, exemptions cited where refused), most of them answered: each
answered case has an issued response and a published disclosure log entry with its public
text indexed. The text is generated from templates of common police, council and NHS
requests, so the full-text indexes see realistic words and realistic repetition. Rows are
written in bulk, straight to the tables (no PDFs are rendered or stored: each issued
document and public copy names a file that is not there), and the command refuses a
database that already has cases unless told ``--append``.

For benchmarks only: the records it writes have no audit trail and no real PDFs.
"""

from __future__ import annotations

import datetime
import hashlib
import random

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from exemptions.models import Exemption, Regime
from responses.models import (
    Authority,
    Case,
    Citation,
    Decision,
    IssuedDocument,
    Letter,
    LetterVersion,
    Publication,
    PublicCopy,
    Question,
    RecordedCitation,
    ReferenceCounter,
    Requester,
)
from responses.statistics import recorded
from responses.statistics.outcomes import classify

BATCH = 2000
# 100,000 cases over ten years: a large police force's history, about 40 requests a
# working day, so a few hundred are open at any time, as in a real FOI unit of that size.
YEARS = 10

THINGS = """drones|body-worn cameras|stop and search encounters|vehicle pursuits|Taser
discharges|facial recognition deployments|overtime payments|sickness absence|IT contracts
|police dogs|mounted unit horses|speed cameras|fixed penalty notices|hate crime reports
|domestic abuse referrals|missing person reports|cyber crime reports|fraud investigations
|firearms licences|custody deaths|complaints against officers|misconduct hearings|agency
staff|consultancy spending|fleet vehicles|electric vehicle chargers|CCTV cameras|potholes
|parking fines|bin collections|school transport|care home placements|agency nurses|waiting
times for surgery|ambulance handover delays|mental health beds|interpreter services
|translation costs|staff training courses|data breaches|cyber security incidents|legal
costs|settlement payments|building repairs|office leases|energy bills|mobile phones""".replace(
    "\n", " "
).split("|")

QUESTIONS = [
    "How many {thing} were recorded in each year from {start} to {end}?",
    "Please provide the total amount spent on {thing} in the financial year {start}/{end2}.",
    "Does the authority hold a policy on {thing}? If so, please provide a copy.",
    "How many staff are employed to work on {thing}, broken down by grade?",
    "Please provide any internal reviews or audits of {thing} completed since {start}.",
    "What was the cost of the contract for {thing}, and who was the supplier?",
    "How many complaints about {thing} were received from {start} to {end}, and how many upheld?",
    "Please list the locations where {thing} were used during {end}.",
    "Has the authority carried out a data protection impact assessment for {thing}?",
    "How many incidents involving {thing} were referred to the regulator since {start}?",
]

ANSWERS = [
    "The information is provided in the table below.",
    "In {end} there were {n} recorded, and in {start} there were {m}.",
    "The total spent was £{n},{m:03d}.",
    "A copy of the policy is attached.",
    "No information is held: no such review was carried out.",
]

OUTCOMES = [
    (Decision.Outcome.PROVIDED, 55),
    (Decision.Outcome.PROVIDED_IN_PART, 10),
    (Decision.Outcome.NOT_HELD, 15),
    (Decision.Outcome.WITHHELD, 10),
    (Decision.Outcome.NCND, 6),
    (Decision.Outcome.COST_LIMIT, 4),
]

OUTCOME_CHOICES = [outcome for outcome, _ in OUTCOMES]
OUTCOME_WEIGHTS = [weight for _, weight in OUTCOMES]
WITHHOLDING = ["31", "40", "43", "38", "24", "30"]
NCND_SECTIONS = ["31", "23", "24"]


class Command(BaseCommand):
    help = "Fill the database with many realistic cases, for bench/pages.py (not for real use)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--append", action="store_true", help="Add to existing cases.")

    def handle(self, *args, cases, seed, append, **options):
        if Case.objects.exists() and not append:
            raise CommandError("The database already has cases; pass --append to add more.")
        authority = Authority.objects.first()
        if authority is None:
            raise CommandError("Load the demo data first (python manage.py load_demo).")
        officer = get_user_model().objects.filter(is_active=True).order_by("pk").first()
        filler = Filler(authority, officer, random.Random(seed))  # nosec B311
        done = 0
        while done < cases:
            count = min(BATCH, cases - done)
            with transaction.atomic():
                filler.batch(count)
            done += count
            self.stdout.write(f"{done} cases")
        filler.finish()
        self.stdout.write(self.style.SUCCESS(f"Filled {cases} cases."))


class Filler:
    def __init__(self, authority, officer, rng):
        self.authority = authority
        self.officer = officer
        self.rng = rng
        self.regime = Regime.objects.get(code=Regime.FOIA)
        self.exemptions = {e.section: e for e in Exemption.objects.filter(regime=self.regime)}
        self.today = timezone.localdate()
        # Carry on from the references already handed out, so none is used twice.
        self.numbers = dict(
            ReferenceCounter.objects.filter(prefix="FOI").values_list("year", "last_number")
        )
        self.requesters = list(
            Requester.objects.bulk_create(
                Requester(name=f"Bench Requester {i}", email=f"bench{i}@example.net")
                for i in range(5000)
            )
        )

    def reference(self, year):
        self.numbers[year] = self.numbers.get(year, 0) + 1
        return f"FOI/{year}/{self.numbers[year]:06d}"

    def question_text(self):
        start = self.rng.randint(2015, 2024)
        return self.rng.choice(QUESTIONS).format(
            thing=self.rng.choice(THINGS).strip(),
            start=start,
            end=start + 1,
            end2=str(start + 1)[2:],
        )

    def batch(self, count):
        rng = self.rng
        cases = []
        for _ in range(count):
            received = self.today - datetime.timedelta(days=rng.randint(0, YEARS * 365))
            questions = [self.question_text() for _ in range(rng.choice([1, 2, 3, 3, 4, 5]))]
            answered = received < self.today - datetime.timedelta(days=28) or rng.random() < 0.3
            cases.append(
                Case(
                    reference=self.reference(received.year),
                    authority=self.authority,
                    regime=self.regime,
                    requester=rng.choice(self.requesters),
                    received_on=received,
                    request_text="Dear FOI team,\n\n"
                    + "\n".join(f"{n}. {text}" for n, text in enumerate(questions, 1)),
                    subject=questions[0][:60],
                    assigned_to=self.officer,
                    status=Case.Status.RESPONDED if answered else Case.Status.OPEN,
                )
            )
            cases[-1].bench_questions = questions
        Case.objects.bulk_create(cases)

        questions = [
            Question(case=case, number=number, text=text)
            for case in cases
            for number, text in enumerate(case.bench_questions, 1)
        ]
        Question.objects.bulk_create(questions)

        decisions, links, citations = [], [], []
        for question in questions:
            outcome = rng.choices(OUTCOME_CHOICES, weights=OUTCOME_WEIGHTS)[0]
            decisions.append(
                Decision(
                    case=question.case,
                    position=question.number,
                    outcome=outcome,
                    answer=self.answer(outcome),
                )
            )
        Decision.objects.bulk_create(decisions)
        through = Decision.questions.through
        for question, decision in zip(questions, decisions, strict=True):
            links.append(through(decision_id=decision.pk, question_id=question.pk))
            if decision.outcome in (Decision.Outcome.WITHHELD, Decision.Outcome.PROVIDED_IN_PART):
                section = rng.choice(WITHHOLDING)
                mode = Citation.Mode.WITHHOLD
            elif decision.outcome == Decision.Outcome.NCND:
                section, mode = rng.choice(NCND_SECTIONS), Citation.Mode.NCND
            else:
                continue
            if section in self.exemptions:
                citation = Citation(
                    decision=decision, exemption=self.exemptions[section], mode=mode
                )
                citations.append(citation)
                decision.bench_citations = [citation]
        through.objects.bulk_create(links)
        Citation.objects.bulk_create(citations)

        answered = [case for case in cases if case.status == Case.Status.RESPONDED]
        self.issue(answered, decisions)

    def answer(self, outcome):
        if outcome not in (Decision.Outcome.PROVIDED, Decision.Outcome.PROVIDED_IN_PART):
            return ""
        start = self.rng.randint(2015, 2024)
        return self.rng.choice(ANSWERS).format(
            start=start, end=start + 1, n=self.rng.randint(1, 900), m=self.rng.randint(0, 999)
        )

    def issue(self, cases, decisions):
        by_case: dict[int, list[Decision]] = {}
        for decision in decisions:
            by_case.setdefault(decision.case_id, []).append(decision)
        letters = Letter.objects.bulk_create(
            Letter(case=case, kind=Letter.Kind.RESPONSE, status=Letter.Status.ISSUED)
            for case in cases
        )
        texts = {case.pk: self.letter_text(case, by_case[case.pk]) for case in cases}
        versions = LetterVersion.objects.bulk_create(
            LetterVersion(
                letter=letter,
                number=1,
                sections=[
                    {
                        "key": "response",
                        "heading": "Our response",
                        "paragraphs": [
                            {"text": texts[letter.case_id], "clause_id": None, "edited": False}
                        ],
                    }
                ],
                html=f"<html><body><p>{texts[letter.case_id]}</p></body></html>",
                author=self.officer,
            )
            for letter in letters
        )
        issued_at = {
            case.pk: timezone.make_aware(
                datetime.datetime.combine(
                    case.received_on + datetime.timedelta(days=self.rng.randint(5, 35)),
                    datetime.time(10),
                )
            )
            for case in cases
        }
        documents = IssuedDocument.objects.bulk_create(
            IssuedDocument(
                version=version,
                file=f"issued/{self.sha(version.pk)}.pdf",
                sha256=self.sha(version.pk),
                issued_at=issued_at[version.letter.case_id],
                issued_by=self.officer,
                timeliness=self.rng.choices(list(IssuedDocument.Timeliness), weights=[85, 5, 10])[
                    0
                ],
            )
            for version in versions
        )
        publications = Publication.objects.bulk_create(
            Publication(
                letter=letter,
                status=Publication.Status.PUBLISHED,
                slug=letter.case.reference.lower().replace("/", "-"),
                published_at=issued_at[letter.case_id],
                regime_code=self.regime.code,
                outcomes=Publication.barred(sorted({d.outcome for d in by_case[letter.case_id]})),
                provisions=Publication.barred(
                    sorted(
                        {
                            c.exemption.provision_for(c.mode)
                            for d in by_case[letter.case_id]
                            for c in getattr(d, "bench_citations", [])
                        }
                    )
                ),
            )
            for letter in letters
        )
        PublicCopy.objects.bulk_create(
            PublicCopy(
                publication=publication,
                document=document,
                file=f"public/{self.sha(-document.pk)}.pdf",
                sha256=self.sha(-document.pk),
                html=f"<p>{texts[publication.letter.case_id]}</p>",
                text=texts[publication.letter.case_id],
                title=publication.letter.case.subject,
            )
            for publication, document in zip(publications, documents, strict=True)
        )
        self.index(publications, texts)
        self.record_statistics(cases, by_case, documents)

    @staticmethod
    def record_statistics(cases, by_case, documents):
        """What workflow.issue records on each case for the statistics, by the same code."""
        timeliness = {
            document.version.letter.case_id: document.timeliness for document in documents
        }
        citations = []
        for case in cases:
            decisions = by_case[case.pk]
            pairs = recorded.cited_pairs(
                (citation.exemption.pk, citation.mode)
                for decision in decisions
                for citation in getattr(decision, "bench_citations", [])
            )
            citations.extend(recorded.citation_rows(case.pk, pairs))
            cited = any(mode == Citation.Mode.NCND for _, mode in pairs)
            case.statistics_outcome, case.statistics_ncnd = classify(
                [decision.outcome for decision in decisions], ncnd_cited=cited
            )
            case.first_response_timeliness = recorded.first_response_timeliness(timeliness[case.pk])
        Case.objects.bulk_update(cases, recorded.FIELDS, batch_size=2000)
        RecordedCitation.objects.bulk_create(citations, batch_size=5000)

    @staticmethod
    def sha(number):
        """A distinct SHA-256 for each placeholder document."""
        return hashlib.sha256(b"bench placeholder %d" % number).hexdigest()

    @staticmethod
    def letter_text(case, decisions):
        lines = [f"Your request {case.reference}, received {case.received_on:%d %B %Y}."]
        for question, decision in zip(case.bench_questions, decisions, strict=True):
            lines.append(f"You asked: {question}")
            lines.append(f"Our response: {decision.get_outcome_display()}. {decision.answer}")
        return "\n".join(lines)

    def index(self, publications, texts):
        """The disclosure log's search index, as responses.disclosure_log.search keeps it."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE responses_publication p "
                    "SET search_vector = to_tsvector('english', c.text) "
                    "FROM responses_publiccopy c "
                    "WHERE c.publication_id = p.id AND p.search_vector IS NULL"
                )
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO responses_publication_fts (rowid, text) VALUES (%s, %s)",
                [(p.pk, texts[p.letter.case_id]) for p in publications],
            )

    def finish(self):
        for year, number in self.numbers.items():
            counter, _ = ReferenceCounter.objects.get_or_create(prefix="FOI", year=year)
            ReferenceCounter.objects.filter(pk=counter.pk, last_number__lt=number).update(
                last_number=number
            )
