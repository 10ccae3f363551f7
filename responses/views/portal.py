"""The requester's own page, reached by the private link we email them; no account needed.

Every way a link can fail (unknown, expired, revoked, or a letter from another case)
gets the same page and status, so nobody learns whether a case exists.
"""

from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from responses import enclosures, review_clock, snapshots, tokens, workflow
from responses.forms.review import ReviewRequestForm
from responses.models import Case, IssuedDocument, Letter, LetterVersion
from responses.views.enclosures import file_response
from responses.views.ratelimit import rate_limited
from responses.views.review import pdf_response

STATUS_FOR_REQUESTER = {
    Case.Status.OPEN: "We are working on your request.",
    Case.Status.ON_HOLD: "Your request is on hold: we are waiting to hear from you.",
    Case.Status.IN_REVIEW: "Our reply is being checked before it is sent.",
    Case.Status.APPROVED: "Our reply has been approved and will be sent shortly.",
    Case.Status.RESPONDED: "We have replied to your request.",
    Case.Status.WITHDRAWN: "Your request was withdrawn.",
    Case.Status.LAPSED: "Your request has lapsed: we have closed it without a reply.",
    Case.Status.DUPLICATE: "We have closed this request: it repeats one we are answering.",
}

COMMISSIONER = {
    "FOISA": ("Scottish Information Commissioner", "https://www.foi.scot/appeal"),
}
DEFAULT_COMMISSIONER = ("Information Commissioner", "https://ico.org.uk/make-a-complaint/")


def link_not_working(request):
    return render(request, "portal/link_not_working.html", status=404)


def _cases_shown(case):
    """The case the link is for, and its internal reviews (their letters show here too)."""
    return [case, *case.internal_reviews.order_by("received_on", "pk")]


def _issued_documents(cases):
    return (
        IssuedDocument.objects.filter(version__letter__case__in=cases)
        .select_related("version__letter__case", "version__letter__review_outcome")
        .order_by("issued_at")
    )


def _response_issued_on(case):
    """When we answered: the first issued response letter (corrections do not restart it)."""
    first = (
        IssuedDocument.objects.filter(
            version__letter__case=case, version__letter__kind=Letter.Kind.RESPONSE
        )
        .order_by("issued_at")
        .first()
    )
    return first.issued_at.date() if first else None


def _review_deadline(case, *, documents=None, calendar=None):
    """The last day to ask for a review; ``documents`` (the page's issued documents) and
    ``calendar`` (the case's deadline calendar) save reading them again."""
    if case.kind != Case.Kind.REQUEST or case.status != Case.Status.RESPONDED:
        return None
    if documents is None:
        responded_on = _response_issued_on(case)
    else:
        responses = [
            document.issued_at.date()
            for document in documents
            if document.version.letter.case_id == case.pk
            and document.version.letter.kind == Letter.Kind.RESPONSE
        ]
        responded_on = responses[0] if responses else None  # they come oldest first
    if responded_on is None:
        return None
    return review_clock.review_request_deadline(case, responded_on, calendar=calendar)


def with_relations(documents):
    """The issued documents, each knowing what it corrects or replaces and what corrected it,
    so the requester sees how their letters relate."""
    documents = list(documents)
    sent = {document.version.letter_id: document.issued_at for document in documents}
    for document in documents:
        letter = document.version.letter
        document.corrects_sent = sent.get(letter.corrects_id) if letter.corrects_id else None
        document.corrected_by_sent = [
            sent[other.version.letter_id]
            for other in documents
            if other.version.letter.corrects_id == letter.pk
        ]
        notice = getattr(letter, "decision_notice", None)
        document.replaces_sent = sent.get(notice.replaces_id) if notice else None
        document.notice = notice
    return documents


def _clock_changes(case, facts):
    if facts.reasons:
        return facts.reasons
    return [
        f"{event.get_kind_display()}, from {event.starts_on:%-d %B %Y}"
        for event in case.clock_events.all()
        if event.undone_at is None
    ]


def _page_context(link, token, form=None):
    case = link.case
    # Read once: the deadline, the review deadline and the clock's changes all use them.
    prefetch_related_objects([case], "clock_events", "decision_notices")
    facts = review_clock.deadline_facts(case)
    cases_shown = _cases_shown(case)
    reviews = cases_shown[1:]
    shown = _issued_documents(cases_shown).defer(
        *(f"version__{name}" for name in LetterVersion.FROZEN_CONTENT)
    )
    documents = with_relations(shown)
    review_deadline = _review_deadline(case, documents=documents, calendar=facts.calendar)
    can_request_review = (
        review_deadline is not None and timezone.localdate() <= review_deadline and not reviews
    )
    regulator = COMMISSIONER.get(case.regime.code, DEFAULT_COMMISSIONER)
    return {
        "token": token,
        "case": case,
        "authority": case.authority,
        "status_text": STATUS_FOR_REQUESTER.get(case.status, case.get_status_display()),
        "questions": case.questions.all(),
        "deadline": facts.deadline,
        "deadline_changes": _clock_changes(case, facts),
        "documents": documents,
        "reviews": reviews,
        "review_deadline": review_deadline,
        "can_request_review": can_request_review,
        "form": form or ReviewRequestForm(),
        "commissioner_name": regulator[0],
        "commissioner_url": regulator[1],
    }


@never_cache
def portal_case(request, token):
    link = tokens.find_active_link(token)
    if link is None:
        return link_not_working(request)
    return render(request, "portal/case.html", _page_context(link, token))


def _document_for(token, letter_pk):
    link = tokens.find_active_link(token)
    if link is None:
        return None
    return _issued_documents(_cases_shown(link.case)).filter(version__letter__pk=letter_pk).first()


@never_cache
def portal_letter_pdf(request, token, letter_pk):
    document = _document_for(token, letter_pk)
    if document is None:
        return link_not_working(request)
    tokens.record_download(document)
    return pdf_response(document)


@never_cache
def portal_letter_html(request, token, letter_pk):
    """The issued letter as a web page: the frozen HTML, locked down like the PDF."""
    document = _document_for(token, letter_pk)
    if document is None:
        return link_not_working(request)
    return snapshots.letter_page_response(snapshots.screen_html(document.version))


@never_cache
def portal_enclosure(request, token, enclosure_pk):
    """An enclosure of a letter issued on the link's own case (or its reviews): nothing else."""
    link = tokens.find_active_link(token)
    if link is None:
        return link_not_working(request)
    enclosure = enclosures.issued_enclosure(enclosure_pk, _cases_shown(link.case))
    if enclosure is None:
        return link_not_working(request)
    return file_response(enclosure.stored.file, enclosure.file_name, enclosure.media_type)


@never_cache
@require_POST
@rate_limited("review_request", keep_field="text")
def portal_request_review(request, token):
    link = tokens.find_active_link(token)
    if link is None:
        return link_not_working(request)
    form = ReviewRequestForm(request.POST)
    error = None
    if form.is_valid():
        try:
            workflow.request_internal_review(
                link.case,
                text=form.cleaned_data["text"],
                review_deadline=_review_deadline(link.case),
            )
            return redirect("portal_case", token=token)
        except workflow.TransitionError as failure:
            error = str(failure)
    context = _page_context(link, token, form)
    context["review_error"] = error
    return render(request, "portal/case.html", context, status=400)
