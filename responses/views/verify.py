"""Public check that a PDF is one of our issued letters, by its SHA-256 fingerprint."""

import hashlib

from django.shortcuts import render

from responses.forms.review import VerifyForm
from responses.models import Authority, IssuedDocument
from responses.views.ratelimit import rate_limited


def _fingerprint(upload):
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()


@rate_limited("verify")
def verify(request):
    posted = request.method == "POST"
    form = VerifyForm(request.POST, request.FILES) if posted else VerifyForm()
    result = None
    if posted and form.is_valid():
        upload = form.cleaned_data.get("pdf")
        fingerprint = _fingerprint(upload) if upload else form.cleaned_data["sha256"]
        document = (
            IssuedDocument.objects.select_related("version__letter__case__authority")
            .filter(sha256=fingerprint)
            .first()
        )
        result = {"fingerprint": fingerprint, "document": document}
    authority = Authority.current()
    return render(
        request,
        "verify/verify.html",
        {"form": form, "result": result, "authority": authority},
        status=400 if posted and not form.is_valid() else 200,
    )
