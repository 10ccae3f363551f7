"""The project's own system checks, run by `manage.py check` (and `check --deploy`)."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Warning, register

# Hosts that only ever mean the machine itself: no requester can follow a link to them.
LOCAL_HOSTS = {"localhost", "localhost.localdomain", ""}


@register()
def secret_key_is_set(app_configs, **kwargs):
    if settings.DEBUG or not getattr(settings, "SECRET_KEY_IS_GENERATED", False):
        return []
    return [
        Warning(
            "SECRET_KEY is not set, so this command used the development key in var/. "
            "The web server will refuse to start with DEBUG off until SECRET_KEY is set.",
            hint='python -c "import secrets; print(secrets.token_urlsafe(64))"',
            id="foi.W001",
        )
    ]


@register(deploy=True)
def email_is_delivered(app_configs, **kwargs):
    """With DEBUG off, the console backend would print requesters' links into the server
    log while the officer is told the email was sent."""
    if settings.DEBUG or settings.EMAIL_BACKEND != settings.CONSOLE_EMAIL_BACKEND:
        return []
    return [
        Error(
            "Email is printed to the server's console, not sent: requesters would never get "
            "their links, and the links would be in the server log.",
            hint="Set EMAIL_HOST (and EMAIL_HOST_USER, EMAIL_HOST_PASSWORD) to send over SMTP, "
            "or set EMAIL_BACKEND to the backend you mean to use.",
            id="foi.E001",
        )
    ]


def is_local_host(host):
    host = (host or "").lower().rstrip(".")
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register(deploy=True)
def site_url_is_public(app_configs, **kwargs):
    """SITE_URL goes into every email and every issued PDF: it must be where requesters
    can reach the site, over HTTPS."""
    if settings.DEBUG:
        return []
    site_url = settings.SITE_URL
    try:
        parts = urlsplit(site_url)
        host = parts.hostname
    except ValueError:
        parts, host = None, None
    hint = "Set SITE_URL to the site's public https address, for example https://foi.example.org."
    if parts is None or is_local_host(host):
        return [
            Error(
                f"SITE_URL is {site_url!r}: unset or this machine, so links in emails and the "
                "address printed on every issued PDF would lead nowhere.",
                hint=hint,
                id="foi.E002",
            )
        ]
    if parts.scheme != "https":
        return [
            Error(
                f"SITE_URL {site_url!r} is not an https address: requesters' private links "
                "would travel unencrypted, and issued PDFs would print that address for ever.",
                hint=hint,
                id="foi.E003",
            )
        ]
    return []


@register(deploy=True)
def tasks_run_outside_web_requests(app_configs, **kwargs):
    """Issuing renders a PDF for up to a few minutes: never inside a web request in
    production, where the web server stops a request that runs too long (gunicorn after
    30 seconds) and leaves the issue half done."""
    if settings.DEBUG or getattr(settings, "TASK_BACKEND", "") != "immediate":
        return []
    return [
        Error(
            "TASK_BACKEND=immediate issues letters inside the web request, which the web "
            "server may stop before the PDF is stored.",
            hint="Set TASK_BACKEND=database (the default with DEBUG off) and run "
            "`manage.py db_worker` beside the web server, or TASK_BACKEND=rq.",
            id="foi.E010",
        )
    ]
