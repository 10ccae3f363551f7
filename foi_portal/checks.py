"""The project's own system checks, run by `manage.py check`."""

from django.conf import settings
from django.core.checks import Error, Warning, register


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
