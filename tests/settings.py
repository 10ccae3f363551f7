"""Test settings: the real settings, with a fixed key and plain HTTP."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-" + "k3y" * 20)
os.environ.setdefault("SECURE", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# Tasks run at once, in the test's own transaction (DEBUG is off here, whose default is a
# database queue with a worker).
os.environ.setdefault("TASK_BACKEND", "immediate")

from foi_portal.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not the shared in-memory database: the browser tests' live server answers
    # several pages at once, and only a file database makes a second writer wait for
    # the first (the in-memory one fails at once with "database table is locked").
    # One file per test run, so two runs at once do not share (and delete) one database.
    DATABASES["default"]["TEST"] = {"NAME": VAR_DIR / f"test-db-{os.getpid()}.sqlite3"}  # noqa: F405

# Each test process keeps its caches in memory: nothing from another run is served.
CACHES = {
    alias: {**cache, "BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
    for alias, cache in CACHES.items()  # noqa: F405
}
