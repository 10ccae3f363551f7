"""The project's own system checks, run by `manage.py check`."""

from django.conf import settings
from django.core.checks import Warning, register


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
