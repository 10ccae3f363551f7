"""Start-up configuration: each case runs the real settings in a fresh process.

Settings are read once at import, so the only faithful test is a new interpreter with
exactly the environment an operator would give it.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
STRONG_KEY = secrets.token_urlsafe(64)

# Prints the settings a test looks at, as JSON, or fails with the start-up error.
SHOW_SETTINGS = """
import json
from foi_portal import settings
database = settings.DATABASES["default"]
print(json.dumps({
    "SECRET_KEY": settings.SECRET_KEY,
    "ENGINE": database["ENGINE"],
    "NAME": str(database["NAME"]),
    "HOST": database.get("HOST", ""),
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "TASKS": settings.TASKS,
}))
"""


def run_python(args, tmp_path, **env):
    """Run Python in the project with only PATH, HOME and the variables given."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "FOI_VAR_DIR": str(tmp_path / "var"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def load_settings(tmp_path, **env):
    result = run_python(["-c", SHOW_SETTINGS], tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def start_up_error(tmp_path, **env):
    result = run_python(["-c", SHOW_SETTINGS], tmp_path, **env)
    assert result.returncode != 0, f"started without complaint: {result.stdout}"
    assert "ImproperlyConfigured" in result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    message = start_up_error(tmp_path, DEBUG="false")
    assert "SECRET_KEY" in message
    assert not (tmp_path / "var" / "secret_key").exists()


@pytest.mark.parametrize(
    "weak_key",
    ["short", "a" * 60, "django-insecure-" + secrets.token_urlsafe(50)],
    ids=["too-short", "too-few-characters", "django-insecure-prefix"],
)
def test_a_weak_secret_key_refuses_to_start(tmp_path, weak_key):
    message = start_up_error(tmp_path, DEBUG="false", SECRET_KEY=weak_key)
    assert "SECRET_KEY" in message


def test_a_strong_secret_key_is_used_as_given(tmp_path):
    assert load_settings(tmp_path, DEBUG="false", SECRET_KEY=STRONG_KEY)["SECRET_KEY"] == STRONG_KEY


def test_development_generates_a_key_once_and_keeps_it(tmp_path):
    first = load_settings(tmp_path, DEBUG="true")["SECRET_KEY"]
    key_file = tmp_path / "var" / "secret_key"
    assert key_file.read_text().strip() == first
    assert len(first) >= 50
    assert key_file.stat().st_mode & 0o077 == 0, "the key file must be private to its owner"

    second = load_settings(tmp_path, DEBUG="true")["SECRET_KEY"]
    assert second == first, "a restart must not sign everyone out"


def test_the_var_dir_and_the_database_are_private_to_their_owner(tmp_path):
    load_settings(tmp_path, DEBUG="true")
    var_dir = tmp_path / "var"
    assert var_dir.stat().st_mode & 0o777 == 0o700
    assert (var_dir / "db.sqlite3").stat().st_mode & 0o777 == 0o600
    assert (var_dir / "secret_key").stat().st_mode & 0o777 == 0o600


def test_a_database_file_left_readable_is_made_private_at_start_up(tmp_path):
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    database = var_dir / "db.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o644)
    load_settings(tmp_path, DEBUG="true")
    assert database.stat().st_mode & 0o777 == 0o600


def test_the_database_file_is_private_once_django_has_written_it(tmp_path):
    result = run_python(["manage.py", "migrate", "--no-input"], tmp_path, DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "var" / "db.sqlite3").stat().st_mode & 0o777 == 0o600


SHOW_SECURITY_SETTINGS = """
import json
from foi_portal import settings
print(json.dumps({
    "failures": settings.AXES_FAILURE_LIMIT,
    "lockout_minutes": settings.AXES_COOLOFF_TIME.total_seconds() / 60,
    "session_seconds": settings.SESSION_COOKIE_AGE,
    "rate_limits": settings.RATE_LIMITS,
    "proxies": settings.TRUSTED_PROXY_COUNT,
}))
"""


def test_the_security_limits_have_defaults_and_can_be_set(tmp_path):
    result = run_python(["-c", SHOW_SECURITY_SETTINGS], tmp_path, DEBUG="true")
    assert json.loads(result.stdout) == {
        "failures": 5,
        "lockout_minutes": 15,
        "session_seconds": 9 * 3600,
        "rate_limits": {"verify": [30, 3600], "review_request": [5, 3600]},
        "proxies": 0,
    }
    result = run_python(
        ["-c", SHOW_SECURITY_SETTINGS],
        tmp_path,
        DEBUG="true",
        SIGN_IN_FAILURE_LIMIT="3",
        SIGN_IN_LOCKOUT_MINUTES="60",
        SESSION_IDLE_HOURS="4",
        VERIFY_RATE_LIMIT_PER_HOUR="100",
        REVIEW_REQUEST_RATE_LIMIT_PER_HOUR="2",
        TRUSTED_PROXY_COUNT="1",
    )
    assert json.loads(result.stdout) == {
        "failures": 3,
        "lockout_minutes": 60,
        "session_seconds": 4 * 3600,
        "rate_limits": {"verify": [100, 3600], "review_request": [2, 3600]},
        "proxies": 1,
    }


@pytest.mark.parametrize("url", ["nonsense://x", "not a url"])
def test_an_invalid_database_url_refuses_to_start(tmp_path, url):
    message = start_up_error(tmp_path, DEBUG="true", DATABASE_URL=url)
    assert "DATABASE_URL" in message


def test_a_postgres_url_selects_postgresql(tmp_path):
    database = load_settings(
        tmp_path, DEBUG="true", DATABASE_URL="postgres://foi:secret@db.internal:5432/foi_responses"
    )
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert database["NAME"] == "foi_responses"
    assert database["HOST"] == "db.internal"


def test_with_no_configuration_the_database_is_sqlite_under_the_var_dir(tmp_path):
    database = load_settings(tmp_path, DEBUG="true")
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert Path(database["NAME"]) == tmp_path / "var" / "db.sqlite3"


def test_email_goes_to_the_console_until_an_smtp_host_is_set(tmp_path):
    assert load_settings(tmp_path, DEBUG="true")["EMAIL_BACKEND"] == (
        "django.core.mail.backends.console.EmailBackend"
    )
    assert load_settings(tmp_path, DEBUG="true", EMAIL_HOST="smtp.example.org")[
        "EMAIL_BACKEND"
    ] == ("django.core.mail.backends.smtp.EmailBackend")


def test_background_tasks_run_in_process_by_default(tmp_path):
    tasks = load_settings(tmp_path, DEBUG="true")["TASKS"]
    assert tasks["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"
    database_tasks = load_settings(tmp_path, DEBUG="true", TASK_BACKEND="database")["TASKS"]
    assert database_tasks["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


@pytest.mark.parametrize("backend", ["immediate", "database", "rq"])
def test_each_task_backend_passes_the_system_checks(tmp_path, backend):
    if backend == "rq":
        pytest.importorskip("django_tasks_rq", reason="the [rq] extra is not installed")
    result = run_python(["manage.py", "check"], tmp_path, DEBUG="true", TASK_BACKEND=backend)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "variable, value",
    [("TASK_BACKEND", "celery"), ("DEBUG", "perhaps"), ("DEADLINE_RECEIPT_RULE", "guess")],
)
def test_a_mistyped_setting_refuses_to_start_and_names_itself(tmp_path, variable, value):
    environment = {"DEBUG": "true", variable: value}
    assert variable in start_up_error(tmp_path, **environment)


def production_environment(**overrides):
    environment = {
        "DEBUG": "false",
        "SECRET_KEY": STRONG_KEY,
        "ALLOWED_HOSTS": "example.org",
        "EMAIL_HOST": "smtp.example.org",
        "SITE_URL": "https://foi.example.org",
        **overrides,
    }
    return {name: value for name, value in environment.items() if value is not None}


def deploy_check(tmp_path, **overrides):
    return run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        **production_environment(**overrides),
    )


def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = deploy_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_an_email_server_fails_the_deployment_checks(tmp_path):
    """The console backend would print requesters' links to the log and send nothing."""
    result = deploy_check(tmp_path, EMAIL_HOST=None)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "foi.E001" in output and "EMAIL_HOST" in output
    # Even at the default fail level: it is an error, not a warning.
    plain = run_python(
        ["manage.py", "check", "--deploy"], tmp_path, **production_environment(EMAIL_HOST=None)
    )
    assert plain.returncode != 0


def test_a_deliberate_email_backend_passes_the_deployment_checks(tmp_path):
    result = deploy_check(
        tmp_path, EMAIL_HOST=None, EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert load_settings(
        tmp_path, DEBUG="true", EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"
    )["EMAIL_BACKEND"] == ("django.core.mail.backends.dummy.EmailBackend")


def test_the_console_backend_named_outright_still_fails_the_deployment_checks(tmp_path):
    result = deploy_check(tmp_path, EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    assert result.returncode != 0
    assert "foi.E001" in result.stdout + result.stderr


@pytest.mark.parametrize(
    "site_url, code",
    [
        (None, "foi.E002"),
        ("https://127.0.0.1:8000", "foi.E002"),
        ("https://localhost", "foi.E002"),
        ("https://[::1]", "foi.E002"),
        ("http://foi.example.org", "foi.E003"),
    ],
    ids=["unset", "loopback", "localhost", "ipv6-loopback", "plain-http"],
)
def test_a_site_url_requesters_cannot_reach_fails_the_deployment_checks(tmp_path, site_url, code):
    result = deploy_check(tmp_path, SITE_URL=site_url)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert code in output and "SITE_URL" in output


def test_development_needs_neither_email_nor_site_url(tmp_path):
    result = run_python(["manage.py", "check", "--deploy"], tmp_path, DEBUG="true")
    output = result.stdout + result.stderr
    assert "foi.E001" not in output and "foi.E002" not in output


def test_production_issues_letters_in_a_worker_not_in_the_web_request(tmp_path):
    tasks = load_settings(tmp_path, **production_environment())["TASKS"]
    assert tasks["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"

    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        **production_environment(TASK_BACKEND="immediate"),
    )
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "foi.E010" in output and "TASK_BACKEND=database" in output and "db_worker" in output


def test_the_deployment_checks_catch_plain_http_cookies(tmp_path):
    """The check above can fail: turning the secure defaults off trips it."""
    result = deploy_check(tmp_path, SECURE="false")
    assert result.returncode != 0
    assert "SESSION_COOKIE_SECURE" in result.stdout + result.stderr


def test_django_log_lines_are_printed_once_in_development(tmp_path):
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').error('one line please')"
    )
    result = run_python(
        ["-c", script], tmp_path, DEBUG="true", DJANGO_SETTINGS_MODULE="foi_portal.settings"
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("one line please") == 1


def test_management_commands_run_without_a_key_but_warn(tmp_path):
    """Migrations and checks need no key; `check` says the web server will need one."""
    result = run_python(["manage.py", "check"], tmp_path, DEBUG="false")
    assert result.returncode == 0, result.stderr
    assert "foi.W001" in result.stderr + result.stdout
    strict = run_python(["manage.py", "check", "--fail-level", "WARNING"], tmp_path, DEBUG="false")
    assert strict.returncode != 0


def test_the_web_server_without_a_key_refuses_to_start(tmp_path):
    result = run_python(["-c", "import foi_portal.wsgi"], tmp_path, DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is missing" in result.stderr


def test_requester_links_are_redacted_from_the_log(tmp_path):
    """A requester's link opens their case: Django logs 404 paths, so the token must go."""
    token = "s3cretT0ken-abc_DEF123456789012345678901234"
    script = (
        "import django, logging; django.setup(); "
        "from django.urls import reverse; "
        f"path = reverse('portal_case', args=['{token}']); "
        "logging.getLogger('django.request').warning('Not Found: %s', path); "
        "logging.getLogger('responses').error("
        f"'Sent https://foi.example.org/track/{token}/ and /track/{token}/letters/1/letter.pdf'); "
        # runserver's request line
        "logging.getLogger('django.server').info("
        f"'\"%s\" %s %s', 'GET /track/{token}/ HTTP/1.1', 200, 512)"
    )
    result = run_python(
        ["-c", script], tmp_path, DEBUG="true", DJANGO_SETTINGS_MODULE="foi_portal.settings"
    )
    assert result.returncode == 0, result.stderr
    assert token not in result.stderr + result.stdout
    assert "Not Found: /track/[redacted]/" in result.stderr
    assert "/track/[redacted]/letters/1/letter.pdf" in result.stderr
    assert '"GET /track/[redacted]/ HTTP/1.1" 200 512' in result.stderr
