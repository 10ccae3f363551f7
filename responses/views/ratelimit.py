"""A limit on how often one address may post a public form, counted in Django's cache.

Neither Django nor django-axes (which throttles signing in only) limits other views, so
this is the small piece that does: fixed windows per (form, address), one counter each.
"""

import functools
import time
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone


def client_ip(request):
    """The client's address: the connection's, or the one TRUSTED_PROXY_COUNT proxies saw.

    Each proxy appends the address it was reached from to X-Forwarded-For, so the entry
    that many places from the end is the last one a proxy of ours wrote. Entries further
    left were sent by the client and prove nothing.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _count(scope, address, window):
    """Add one to this window's count for the address; return the count and the window's end."""
    window_number = int(time.time()) // window
    key = f"rate-limit:{scope}:{address}:{window_number}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count, (window_number + 1) * window


def rate_limited(scope, *, keep_field=None):
    """Allow settings.RATE_LIMITS[scope] = (posts, seconds) POSTs per address; then a 429 page.

    GETs are never counted: reading the form is free, only sending it is limited. The
    refusal page shows what was typed in ``keep_field``, so nothing written is lost.
    """

    def decorator(view):
        @functools.wraps(view)
        def limited_view(request, *args, **kwargs):
            if request.method != "POST":
                return view(request, *args, **kwargs)
            limit, window = settings.RATE_LIMITS[scope]
            count, window_ends = _count(scope, client_ip(request), window)
            if count <= limit:
                return view(request, *args, **kwargs)
            retry_after = max(1, window_ends - int(time.time()))
            try_again_at = timezone.localtime() + timedelta(seconds=retry_after)
            context = {
                "try_again_at": try_again_at,
                "typed_text": request.POST.get(keep_field, "") if keep_field else "",
            }
            response = render(request, "too_many_requests.html", context, status=429)
            response["Retry-After"] = str(retry_after)
            return response

        return limited_view

    return decorator
