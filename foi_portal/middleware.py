"""Headers every page the app itself serves gets (static files are answered before this)."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response, and no caching unless a view chose otherwise.

    Staff pages and the requester's pages hold personal data, so no browser or proxy
    may keep a copy (``no-store``): the default for everything the app renders.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if "Cache-Control" not in response.headers:
            add_never_cache_headers(response)
        return response
