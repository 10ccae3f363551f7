"""/health/: says the web process is up and answering, for a load balancer's health check.

It touches nothing (no database, no session, no template), so it is also the floor the
load benchmark (bench/load.py) measures every other page against.
"""

from django.http import HttpResponse
from django.views.decorators.http import require_GET


@require_GET
def health(request):
    return HttpResponse("ok\n", content_type="text/plain")
