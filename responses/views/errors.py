"""The 400 page: it says what was wrong when the request was simply too big.

Django raises RequestDataTooBig, TooManyFieldsSent and TooManyFilesSent (all
SuspiciousOperation) when a form posts more than the settings allow; they reach here as
a 400. The page is rendered without the request, like Django's own, so it needs
neither the session nor the database.
"""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponseBadRequest
from django.template import loader

TOO_BIG = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def bad_request(request, exception):
    html = loader.render_to_string("400.html", {"too_big": isinstance(exception, TOO_BIG)})
    return HttpResponseBadRequest(html)
