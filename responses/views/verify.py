"""Public check that a PDF is one of our issued letters, or the disclosure log's public copy
of one, by its SHA-256 fingerprint (the lookup: responses.verification)."""

from django.shortcuts import render

from responses import verification
from responses.forms.review import VerifyForm
from responses.models import Authority
from responses.views.ratelimit import rate_limited


@rate_limited("verify")
def verify(request):
    posted = request.method == "POST"
    form = VerifyForm(request.POST, request.FILES) if posted else VerifyForm()
    result = None
    if posted and form.is_valid():
        upload = form.cleaned_data.get("pdf")
        fingerprint = verification.fingerprint_of(upload) if upload else form.cleaned_data["sha256"]
        result = verification.identify(fingerprint)
    authority = Authority.current()
    return render(
        request,
        "verify/verify.html",
        {"form": form, "result": result, "authority": authority},
        status=400 if posted and not form.is_valid() else 200,
    )
