"""`make serve`: its web server settings (gunicorn.conf.py), its access log, and how it stops."""

import os
import runpy
import signal
import socket
import subprocess
import time
import urllib.request
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

from foi_portal.gunicorn_logging import RedactingLogger

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "gunicorn.conf.py"
TOKEN = "s3cretRequesterToken_abc-123"


def gunicorn_settings(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_workers_follow_the_cpu_count_and_timeouts_leave_room_for_a_draft_pdf(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 3)
    conf = gunicorn_settings(monkeypatch, DRAFT_PDF_TIMEOUT_SECONDS="45")
    assert conf["workers"] == 7
    assert conf["timeout"] > 45
    assert conf["wsgi_app"] == "foi_portal.wsgi:application"


def test_idle_connections_outlast_a_pause_between_clicks(monkeypatch):
    """A connection closed by the server as the client reuses it fails that request (a
    save, under bench/load.py, with gunicorn's usual 5 s): it is kept for a minute or more."""
    monkeypatch.delenv("GUNICORN_KEEPALIVE", raising=False)
    assert gunicorn_settings(monkeypatch)["keepalive"] >= 60
    assert gunicorn_settings(monkeypatch, GUNICORN_KEEPALIVE="10")["keepalive"] == 10


def test_web_concurrency_overrides_the_worker_count(monkeypatch):
    assert gunicorn_settings(monkeypatch, WEB_CONCURRENCY="2")["workers"] == 2


def access_line(path, referer=""):
    """The line gunicorn's access log would write for one request, with our config."""
    conf = runpy.run_path(str(CONFIG))
    cfg = Config()
    cfg.set("access_log_format", conf["access_log_format"])
    cfg.set("accesslog", "-")
    logger = RedactingLogger(cfg)
    lines = []
    logger.access_log.info = lambda fmt, atoms: lines.append(fmt % atoms)
    request = SimpleNamespace(
        headers=[("REFERER", referer), ("USER-AGENT", "Firefox")], method="GET"
    )
    response = SimpleNamespace(status="200 OK", sent=1234, response_length=1234, headers=[])
    environ = {
        "REMOTE_ADDR": "192.0.2.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2],
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": referer,
    }
    logger.access(response, request, environ, timedelta(milliseconds=12))
    return lines[0]


def test_the_access_log_never_records_a_requester_token():
    line = access_line(f"/track/{TOKEN}/letters/3/letter.pdf", referer=f"/track/{TOKEN}/")
    assert TOKEN not in line
    assert "/track/[redacted]/letters/3/letter.pdf" in line
    assert '" 200 ' in line


def test_masking_covers_every_field_even_in_a_format_an_operator_widens():
    conf = runpy.run_path(str(CONFIG))
    cfg = Config()
    cfg.set("access_log_format", conf["access_log_format"] + ' "%(r)s" "%(f)s" "%({referer}i)s"')
    logger = RedactingLogger(cfg)
    atoms = logger.atoms(
        SimpleNamespace(status="200 OK", sent=1, response_length=1, headers=[]),
        SimpleNamespace(headers=[("REFERER", f"https://x/track/{TOKEN}/")], method="GET"),
        {
            "REQUEST_METHOD": "GET",
            "RAW_URI": f"/track/{TOKEN}/",
            "PATH_INFO": f"/track/{TOKEN}/",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_REFERER": f"https://x/track/{TOKEN}/",
        },
        timedelta(milliseconds=1),
    )
    assert not [name for name, value in atoms.items() if TOKEN in str(value)]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def responds(url):
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (loopback)
            return True
    except OSError:
        return False


def test_stopping_make_serve_lets_the_worker_finish_the_task_in_hand(tmp_path):
    """Ctrl+C reaches the whole process group; the script must not signal the worker a
    second time, or db_worker abandons the letter it is rendering."""
    port = free_port()
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "TASK_BACKEND"}
    }
    env.update(FOI_VAR_DIR=str(tmp_path / "var"), PORT=str(port), DEBUG="false")
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        ["bash", str(ROOT / "scripts" / "serve.sh")],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: responds(f"http://127.0.0.1:{port}/health/"), 120, "make serve")
        marker = tmp_path / "task"
        subprocess.run(  # noqa: S603
            [
                str(ROOT / ".venv" / "bin" / "python"),
                "manage.py",
                "shell",
                "-c",
                "from tests.serve_tasks import take_a_while; "
                f"take_a_while.enqueue({str(marker)!r}, 3)",
            ],
            cwd=ROOT,
            env=dict(env, DEBUG="true", TASK_BACKEND="database"),
            check=True,
        )
        wait_for(marker.exists, 30, "the worker to start the task")
        os.killpg(server.pid, signal.SIGINT)  # what Ctrl+C does
        server.wait(timeout=60)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
    assert marker.read_text() == "finished"
    output = (tmp_path / "serve.log").read_text()
    assert "terminating current task" not in output
    assert not responds(f"http://127.0.0.1:{port}/health/")
