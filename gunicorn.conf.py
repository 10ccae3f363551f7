"""gunicorn's settings for `make serve` and production (gunicorn reads this file from the
working directory; `gunicorn -c gunicorn.conf.py` names it explicitly).

Every value can be changed by an environment variable, listed in .env.example.
"""

import multiprocessing
import os

wsgi_app = "foi_portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# The usual rule for gunicorn: two workers a core, plus one. Each worker runs a few
# threads, so a slow page (a draft PDF) does not hold up the quick ones behind it.
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))

# Draft PDFs are rendered inside the request, stopped after DRAFT_PDF_TIMEOUT_SECONDS
# (settings.py): the worker's own timeout must leave room for that and the page around
# it, or gunicorn would kill the worker in the middle of a render. Issued PDFs are made
# by the task worker, never here.
timeout = max(30, int(os.environ.get("DRAFT_PDF_TIMEOUT_SECONDS", "20")) + 20)
graceful_timeout = 30
# An idle connection is kept this many seconds: longer than a person (or a proxy's pool)
# waits between requests, or the server closes it just as the client sends on it again
# (bench/load.py saw a save fail so with 5 s).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))

# A worker is replaced after this many requests (spread out, so they do not all restart
# at once): long-lived processes that render PDFs are kept small.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10

# The access log goes to standard output. A requester's private link (/track/<token>/)
# opens their case to anyone who holds it, so the log's lines are written by a logger
# that masks the token in every field, and the format leaves out the Referer (the
# requester's page is the referrer of every PDF they download) and the query string.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
logger_class = "foi_portal.gunicorn_logging.RedactingLogger"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms "%(a)s"'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Behind a proxy on another host, name it in FORWARDED_ALLOW_IPS (gunicorn's own variable).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
