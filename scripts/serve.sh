#!/usr/bin/env bash
# `make serve`: the production shape on one machine. gunicorn (gunicorn.conf.py) serves the
# site, static files by WhiteNoise, and a task worker beside it renders issued PDFs:
# django-tasks-db's `db_worker` by default, RQ's `rqworker` with TASK_BACKEND=rq.
# The database is DATABASE_URL's (PostgreSQL in production; SQLite under var/ without it).
#
# Settings come from the environment (.env.example lists them). For trying it on this
# machine, over plain HTTP, a few defaults are filled in below; a real deployment sets
# them all and runs the web server and the worker from its service manager instead.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PY=.venv/bin/python

export DEBUG="${DEBUG:-false}"
export TASK_BACKEND="${TASK_BACKEND:-database}"
export GUNICORN_BIND="${GUNICORN_BIND:-${HOST:-127.0.0.1}:${PORT:-8000}}"
if [[ -z "${SECRET_KEY:-}" ]]; then
    # The development key kept in var/ (generated on first use), so sessions survive restarts.
    SECRET_KEY="$(FOI_MANAGEMENT_COMMAND=true DEBUG=true $PY -c \
        'import django, os; os.environ.setdefault("DJANGO_SETTINGS_MODULE", "foi_portal.settings"); django.setup(); from django.conf import settings; print(settings.SECRET_KEY)')"
    export SECRET_KEY
    echo "SECRET_KEY is not set: using the development key in var/."
fi
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
# Links in emails and the verification address printed on letters; a deployment sets its own.
export SITE_URL="${SITE_URL:-http://$GUNICORN_BIND}"
# Plain HTTP on this machine; behind a TLS proxy leave SECURE unset (it is on with DEBUG off).
export SECURE="${SECURE:-false}"
[[ -n "${DATABASE_URL:-}" ]] || echo "DATABASE_URL is not set: using SQLite under var/ (set it for PostgreSQL)."

$PY manage.py migrate --no-input
$PY manage.py load_catalogue
$PY manage.py load_clauses
$PY manage.py collectstatic --no-input --verbosity 0

case "$TASK_BACKEND" in
    database) worker=("$PY" manage.py db_worker) ;;
    rq) worker=("$PY" manage.py rqworker --job-class django_tasks_rq.Job default) ;;
    *) echo "make serve runs a task worker for TASK_BACKEND=database or rq, not $TASK_BACKEND." >&2; exit 1 ;;
esac

# Each child in its own process group, so that Ctrl+C (or a signal to this script's group)
# reaches only this script, which passes it on once: a second signal makes db_worker
# abandon the letter it is rendering.
set -m
web_pid=""
"${worker[@]}" &
worker_pid=$!
stop() {
    trap - EXIT INT TERM
    kill -TERM $web_pid "$worker_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
# Stop the worker with the web server, however the web server ends.
trap stop EXIT INT TERM

echo "Serving http://$GUNICORN_BIND/ with gunicorn and the $TASK_BACKEND task worker. Ctrl+C stops both."
.venv/bin/gunicorn --config gunicorn.conf.py &
web_pid=$!
# Either process ending ends the other: a web server without its worker would queue
# letters nobody issues.
wait -n "$web_pid" "$worker_pid"
