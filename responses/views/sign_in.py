"""The page django-axes shows instead of the sign-in form once a sign-in is locked out."""

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone

from responses.views.ratelimit import client_ip


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: say when this username may try again from this address.

    The cool-off runs from the last failed attempt; attempts refused during the lockout
    are not recorded, so they do not push the time back.
    """
    username = get_client_username(request, credentials) or ""
    last_failure = (
        AccessAttempt.objects.filter(username=username, ip_address=client_ip(request))
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    ) or timezone.now()
    cool_off = get_cool_off(request)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "try_again_at": timezone.localtime(last_failure + cool_off),
        "cool_off_minutes": int(cool_off.total_seconds() // 60),
    }
    return render(request, "registration/locked_out.html", context, status=429)
