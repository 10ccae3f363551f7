"""`make serve`'s web server settings (gunicorn.conf.py) and its access log."""

import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from gunicorn.config import Config

from foi_portal.gunicorn_logging import RedactingLogger

CONFIG = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"
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
