"""Mixed traffic against the production shape: `make serve` (gunicorn and the db_worker)
on PostgreSQL, with 50 concurrent clients for 60 seconds (locust, as a library).

Run by hand:  .venv/bin/python bench/load.py [--users 50] [--seconds 60]

It uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/foi_bench, created if
missing and emptied first: never point it at a database you keep), fills it through the
app's own services (officers' drafts, letters waiting for review, issued letters with
requester links, the demo disclosure log), starts scripts/serve.sh on a free loopback
port, and runs these clients at once, each reading every page for 2-5 s before the next
click (a person at work, quick: an officer who saves a letter 3 s after opening it):

- officers: list their cases, open a letter, save it;
- reviewers: open the review queue, read a letter waiting for them, comment on it;
- requesters: open their page, download their issued PDF;
- the public: search the disclosure log, open an entry;
- the floor: /health/, a view that does nothing, on the same gunicorn in the same run.

The clients are locust's FastHttpUser (geventhttpclient), so the machine's two cores go to
the server rather than to the clients.

The warm-up is not counted: every staff client signs in (a password check is slow on
purpose, and twenty at once hold both cores for seconds), then 10 more seconds pass while
gunicorn's workers load their first pages and the clients' clicks spread out.
Traffic goes to 127.0.0.1 only, and stops by itself. It prints the errors, the p95 per
endpoint, and last `requester download rps / floor rps: X` (requesters and floor clients
are equal in number and pace, so X below 1 is what the download costs).
Targets: 0 errors, p95 <= 200 ms on every endpoint, X >= 0.5; the exit status is 1 if
one is missed.
"""

import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/foi_bench"
PASSWORD = "bench-password-" + "x" * 12
P95_TARGET_MS = 200
RATIO_TARGET = 0.5
WARM_UP_SECONDS = 10
THINK_SECONDS = (2, 5)  # a person reads the page before the next click

# Client counts per kind for 50 users (scaled for others); requesters == floor.
MIX = {"officer": 12, "reviewer": 8, "requester": 10, "public": 10, "floor": 10}
OFFICER_LETTERS = 12
REVIEW_LETTERS = 8
ISSUED_LETTERS = 4


# --------------------------------------------------------------------------- the data


def make_data():
    """Run in a child process with Django set up on the bench database: prints JSON."""
    import django

    django.setup()
    from django.core.management import call_command

    from responses import tokens
    from responses.models import Authority, Requester
    from tests import builders

    for command in ("migrate", "load_catalogue", "load_clauses", "load_demo"):
        call_command(
            command, verbosity=0, **({"interactive": False} if command == "migrate" else {})
        )
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    officer, reviewer = users.get(username="officer"), users.get(username="reviewer")
    authority = Authority.current()

    def new_letter(number):
        requester = Requester.objects.create(
            name=f"Bench Requester {number}", email=f"bench{number}@example.net"
        )
        return builders.response_letter(actor=officer, authority=authority, requester=requester)

    drafts = [new_letter(n).pk for n in range(OFFICER_LETTERS)]
    waiting = []
    for n in range(REVIEW_LETTERS):
        letter = new_letter(100 + n)
        builders.submit(letter, actor=officer)
        waiting.append(letter.pk)
    issued = []
    for n in range(ISSUED_LETTERS):
        letter = new_letter(200 + n)
        builders.approve(letter, officer=officer, reviewer=reviewer)
        builders.issue(letter, actor=officer)  # the real renderer, in this process
        _link, token = tokens.issue_link(letter.case, actor=officer, revoke_others=False)
        issued.append({"token": token, "letter": letter.pk})
    json.dump({"drafts": drafts, "waiting": waiting, "issued": issued}, sys.stdout)


# --------------------------------------------------------------------------- the server


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def reset_database(url):
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    if host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"bench/load.py uses a database on this machine only, not {host}.")
    name = parts.path.lstrip("/")
    env = {**os.environ, "PGHOST": host, "PGPORT": str(parts.port or 5432)}
    if parts.username:
        env["PGUSER"] = parts.username
    if parts.password:
        env["PGPASSWORD"] = parts.password
    subprocess.run(["dropdb", "--if-exists", "--force", name], env=env, check=True)  # noqa: S603,S607
    subprocess.run(["createdb", name], env=env, check=True)  # noqa: S603,S607


def server_env(database_url, var_dir, port):
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO")}
    env.update(
        DJANGO_SETTINGS_MODULE="foi_portal.settings",
        DATABASE_URL=database_url,
        FOI_VAR_DIR=str(var_dir),
        MEDIA_ROOT=str(var_dir / "media"),
        DEMO_PASSWORD=PASSWORD,
        SECRET_KEY="bench-only-secret-key-" + "b3nch" * 10,
        DEBUG="false",
        SECURE="false",
        ALLOWED_HOSTS="127.0.0.1",
        TASK_BACKEND="database",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PORT=str(port),
        HOST="127.0.0.1",
        # The access log would be one line per request: keep the bench's output readable.
        GUNICORN_ACCESS_LOG=os.environ.get("BENCH_ACCESS_LOG", ""),
    )
    return env


def wait_until_up(base, server, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("make serve stopped before answering; see its output above.")
        try:
            with urllib.request.urlopen(f"{base}/health/", timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.5)
    sys.exit("make serve did not answer within two minutes.")


# --------------------------------------------------------------------------- the clients


def user_classes(data, mix, signed_in):
    from urllib.parse import urlencode

    from locust import FastHttpUser, between, task

    csrf_input = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    field = re.compile(r'<textarea[^>]*name="(p-\d+)"[^>]*>(.*?)</textarea>', re.S)
    hidden = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')

    def csrf(page):
        found = csrf_input.search(page.text or "")
        return found.group(1) if found else ""

    class Person(FastHttpUser):
        abstract = True
        wait_time = between(*THINK_SECONDS)

        def send_form(self, url, fields, name):
            return self.client.post(
                url,
                data=urlencode(fields),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                name=name,
            )

    class Staff(Person):
        abstract = True
        username = ""

        def on_start(self):
            page = self.client.get("/sign-in/", name="staff: sign-in page")
            fields = {"username": self.username, "password": PASSWORD}
            self.send_form(
                "/sign-in/", {**fields, "csrfmiddlewaretoken": csrf(page)}, "staff: sign in"
            )
            signed_in.append(self.username)

    officers = iter(range(10_000))

    class Officer(Staff):
        fixed_count = mix["officer"]
        username = "officer"

        def on_start(self):
            super().on_start()
            # Each officer works on a letter of their own: saves by two at once would be
            # conflicts (tested in tests/test_concurrency.py), not load.
            self.letter = data["drafts"][next(officers) % len(data["drafts"])]

        @task
        def work(self):
            self.client.get("/", name="officer: case list")
            self.wait()
            editor = self.client.get(f"/letters/{self.letter}/", name="officer: open letter")
            form = dict(hidden.findall(editor.text or ""))
            form.update({name: text for name, text in field.findall(editor.text or "")})
            form["action"] = "save"
            self.wait()
            self.send_form(f"/letters/{self.letter}/", form, "officer: save letter")

    class Reviewer(Staff):
        fixed_count = mix["reviewer"]
        username = "reviewer"

        @task
        def review(self):
            self.client.get("/review/", name="reviewer: queue")
            self.wait()
            letter = random.choice(data["waiting"])  # noqa: S311 - not security
            page = self.client.get(f"/review/letters/{letter}/", name="reviewer: read letter")
            self.wait()
            self.send_form(
                f"/review/letters/{letter}/comment/",
                {"text": "Please check the date.", "csrfmiddlewaretoken": csrf(page)},
                "reviewer: comment",
            )

    class Requester(Person):
        fixed_count = mix["requester"]

        @task
        def download(self):
            issued = random.choice(data["issued"])  # noqa: S311
            # The download link is what a requester comes for: clicked at once, so the
            # downloads keep the floor's pace and the ratio below measures their cost.
            self.client.get(f"/track/{issued['token']}/", name="requester: page")
            self.client.get(
                f"/track/{issued['token']}/letters/{issued['letter']}/letter.pdf",
                name="requester: download PDF",
            )

    class Public(Person):
        fixed_count = mix["public"]

        @task
        def search(self):
            word = random.choice(["drones", "speed", "policy", "income"])  # noqa: S311
            page = self.client.get(f"/disclosure-log/?q={word}", name="public: search log")
            entries = re.findall(r'href="(/disclosure-log/[a-z0-9-]+/)"', page.text or "")
            if entries:
                self.wait()
                self.client.get(random.choice(entries), name="public: log entry")  # noqa: S311

    class Floor(Person):
        fixed_count = mix["floor"]

        @task
        def health(self):
            self.client.get("/health/", name="floor: /health/")

    return [Officer, Reviewer, Requester, Public, Floor]


def run_load(base, data, users, seconds):
    import gevent
    from locust.env import Environment

    scale = users / sum(MIX.values())
    mix = {kind: max(1, round(count * scale)) for kind, count in MIX.items()}
    mix["floor"] = mix["requester"]
    signed_in = []
    env = Environment(user_classes=user_classes(data, mix, signed_in), host=base)
    runner = env.create_local_runner()
    runner.start(sum(mix.values()), spawn_rate=sum(mix.values()))
    # Every client signs in and every gunicorn worker loads its first pages during the
    # warm-up; only the `seconds` after it are counted.
    staff = mix["officer"] + mix["reviewer"]
    deadline = time.monotonic() + 120
    while len(signed_in) < staff and time.monotonic() < deadline:
        gevent.sleep(0.5)
    gevent.sleep(WARM_UP_SECONDS)
    env.stats.reset_all()
    env.runner.exceptions = {}
    gevent.sleep(seconds)
    runner.quit()
    return env.stats, seconds


def report(stats, seconds):
    missed = []
    print(
        f"\n{'endpoint':<28} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'rps':>6}"
    )
    rows = sorted(stats.entries.values(), key=lambda entry: entry.name)
    for entry in rows:
        p95 = entry.get_response_time_percentile(0.95) or 0
        rps = entry.num_requests / seconds
        print(
            f"{entry.name:<28} {entry.num_requests:>8} {entry.num_failures:>6} "
            f"{entry.median_response_time or 0:>7.0f} {p95:>7.0f} {rps:>6.1f}"
        )
        if p95 > P95_TARGET_MS:
            missed.append(f"p95 of {entry.name} is {p95:.0f} ms")
    errors = stats.total.num_failures
    print(f"\nerrors: {errors}")
    for error in stats.errors.values():
        print(f"  {error.occurrences} x {error.method} {error.name}: {error.error}")
    if errors:
        missed.append(f"{errors} errors")
    download = stats.get("requester: download PDF", "GET").num_requests / seconds
    floor = stats.get("floor: /health/", "GET").num_requests / seconds
    ratio = download / floor if floor else 0.0
    if ratio < RATIO_TARGET:
        missed.append(f"download/floor ratio {ratio:.2f}")
    print("targets: " + ("met" if not missed else "MISSED (" + "; ".join(missed) + ")"))
    print(f"requester download rps / floor rps: {ratio:.2f}")
    return not missed


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    if not (0 < args.seconds <= 600 and 0 < args.users <= 200):
        sys.exit("Keep it bounded: at most 200 users for at most 600 seconds.")
    if shutil.which("createdb") is None:
        print("bench/load.py needs PostgreSQL's client tools (createdb); skipped.")
        return 0
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE)
    reset_database(database_url)
    var_dir = Path(tempfile.mkdtemp(prefix="foi-load-"))
    port = free_port()
    env = server_env(database_url, var_dir, port)
    base = f"http://127.0.0.1:{port}"

    print(f"Filling {urlsplit(database_url).path.lstrip('/')} through the app's services...")
    made = subprocess.run(  # noqa: S603 - this same script
        [PYTHON, __file__, "--make-data"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    data = json.loads(made.stdout.strip().splitlines()[-1])

    # What `make serve` runs once installed (make would first re-check the install).
    print(f"Starting make serve (scripts/serve.sh) on {base}: gunicorn + db_worker...")
    server = subprocess.Popen(  # noqa: S603
        ["bash", "scripts/serve.sh"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_until_up(base, server)
        print(f"{args.users} clients for {args.seconds} s...")
        stats, seconds = run_load(base, data, args.users, args.seconds)
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=60)
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0 if report(stats, seconds) else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["--make-data"]:
        sys.path.insert(0, str(ROOT))
        make_data()
    else:
        # locust's gevent patches the standard library: only in the process that sends.
        from gevent import monkey

        monkey.patch_all()
        sys.exit(main())
