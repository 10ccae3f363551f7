"""The disclosure log: public pages (no sign-in), its Atom feed and its read-only JSON API,
and the administrator's withdraw and republish buttons."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_POST, require_safe

from responses import enclosures, permissions, publishing, workflow
from responses.disclosure_log import listing
from responses.forms.publication import LogFilterForm, WithdrawForm
from responses.models import Authority, Decision, Publication
from responses.views.enclosures import file_response

# The query parameters the list keeps from page to page (everything but the cursors).
FILTER_NAMES = ("q", "published_from", "published_to", "outcome", "provision", "regime")


def _filtered(request):
    form = LogFilterForm(request.GET)
    form.is_valid()
    filters = listing.Filters(**form.filter_values())
    result = listing.page(
        listing.entries(filters), after=request.GET.get("after"), before=request.GET.get("before")
    )
    return form, result


def _query(request, **cursor):
    kept = {name: request.GET[name] for name in FILTER_NAMES if request.GET.get(name)}
    return "?" + urlencode({**kept, **cursor})


def _entry(slug, *, statuses=(Publication.Status.PUBLISHED, Publication.Status.WITHDRAWN)):
    return get_object_or_404(
        Publication.objects.select_related("letter__case__regime", "copy"),
        slug=slug,
        status__in=statuses,
    )


def _outcome_labels(publication):
    labels = dict(Decision.Outcome.choices)
    return [(code, labels.get(code, code)) for code in publication.outcome_codes]


@require_safe
def log_list(request):
    form, result = _filtered(request)
    return render(
        request,
        "disclosure_log/list.html",
        {
            "form": form,
            "page": result,
            "entries": [(entry, _outcome_labels(entry)) for entry in result.entries],
            "next_url": _query(request, after=result.next_cursor) if result.next_cursor else None,
            "previous_url": _query(request, before=result.previous_cursor)
            if result.previous_cursor
            else None,
            "searched": any(request.GET.get(name) for name in FILTER_NAMES),
            "authority": Authority.current(),
        },
    )


def _entry_page(request, publication, *, withdraw_form=None, status=200):
    is_listed = publication.is_listed
    return render(
        request,
        "disclosure_log/entry.html",
        {
            "entry": publication,
            "case": publication.letter.case,
            "body_html": publishing.public_letter_html(publication) if is_listed else "",
            "outcomes": _outcome_labels(publication) if is_listed else [],
            # Only what may be published: an enclosure marked not for publication is
            # neither listed nor downloadable here (the letter says it was omitted).
            "enclosures": enclosures.public_enclosures(publication.copy.document)
            if is_listed
            else [],
            "can_withdraw": permissions.is_administrator(request.user),
            "withdraw_form": withdraw_form or WithdrawForm(),
            "authority": Authority.current(),
        },
        status=status,
    )


@require_safe
def log_entry(request, slug):
    return _entry_page(request, _entry(slug))


@require_safe
def log_enclosure(request, slug, annex):
    publication = _entry(slug, statuses=(Publication.Status.PUBLISHED,))
    enclosure = next(
        (e for e in enclosures.public_enclosures(publication.copy.document) if e.annex == annex),
        None,
    )
    if enclosure is None:
        raise Http404("No such enclosure is published.")
    return file_response(enclosure.stored.file, enclosure.file_name, enclosure.media_type)


@require_safe
def log_pdf(request, slug):
    publication = _entry(slug, statuses=(Publication.Status.PUBLISHED,))
    response = HttpResponse(bytes(publication.copy.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{publication.slug}.pdf"'
    return response


class LatestEntriesFeed(Feed):
    feed_type = Atom1Feed
    description = "Responses to Freedom of Information requests, newest first."

    def title(self):
        authority = Authority.current()
        return f"{authority.name if authority else 'FOI'}: disclosure log"

    def link(self):
        return reverse("disclosure_log")

    def items(self):
        return listing.page(listing.entries(listing.Filters())).entries

    def item_title(self, item):
        return item.copy.heading

    def item_description(self, item):
        outcomes = ", ".join(label for _code, label in _outcome_labels(item))
        provisions = ", ".join(item.provision_list)
        return " ".join(
            part
            for part in (
                f"Outcome: {outcomes}." if outcomes else "",
                f"Provisions cited: {provisions}." if provisions else "",
            )
            if part
        )

    def item_link(self, item):
        return reverse("disclosure_log_entry", args=[item.slug])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at


log_feed = require_safe(LatestEntriesFeed())


def _api_record(request, publication):
    return listing.record(
        publication,
        html_url=request.build_absolute_uri(
            reverse("disclosure_log_entry", args=[publication.slug])
        ),
        pdf_url=request.build_absolute_uri(reverse("disclosure_log_pdf", args=[publication.slug])),
        enclosures=[
            {
                "annex": enclosure.annex,
                "title": enclosure.title,
                "file_name": enclosure.file_name,
                "media_type": enclosure.media_type,
                "size": enclosure.size,
                "sha256": enclosure.sha256,
                "redacted": enclosure.redacted,
                "redaction_provisions": enclosure.redaction_provisions,
                "url": request.build_absolute_uri(
                    reverse("disclosure_log_enclosure", args=[publication.slug, enclosure.annex])
                ),
            }
            for enclosure in enclosures.public_enclosures(publication.copy.document)
        ],
    )


@require_safe
def api_list(request):
    form, result = _filtered(request)
    if form.errors:
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    base = request.build_absolute_uri(reverse("api_disclosure_log"))
    return JsonResponse(
        {
            "results": [_api_record(request, entry) for entry in result.entries],
            "next": base + _query(request, after=result.next_cursor)
            if result.next_cursor
            else None,
            "previous": base + _query(request, before=result.previous_cursor)
            if result.previous_cursor
            else None,
        }
    )


@require_safe
def api_entry(request, slug):
    publication = _entry(slug, statuses=(Publication.Status.PUBLISHED,))
    return JsonResponse(_api_record(request, publication))


def _require_administrator(user):
    if not permissions.is_administrator(user):
        raise PermissionDenied("Only an administrator can do this.")


@require_POST
@login_required
def log_withdraw(request, slug):
    _require_administrator(request.user)
    publication = get_object_or_404(Publication, slug=slug)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            workflow.withdraw_publication(
                publication, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except workflow.TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The entry was withdrawn.")
            return redirect("disclosure_log_entry", slug=slug)
    # Refused: the page again, with the reason as typed and what was wrong.
    if publication.status not in (Publication.Status.PUBLISHED, Publication.Status.WITHDRAWN):
        raise Http404("No such entry in the disclosure log.")
    return _entry_page(request, publication, withdraw_form=form, status=400)


@require_POST
@login_required
def log_republish(request, slug):
    _require_administrator(request.user)
    publication = get_object_or_404(Publication, slug=slug)
    try:
        publication = workflow.republish_publication(publication, actor=request.user)
    except workflow.TransitionError as error:
        messages.error(request, str(error))
    else:
        if publication.status == Publication.Status.HELD:
            messages.error(request, publication.reason)
        else:
            messages.success(request, "The entry is published again.")
    return redirect("disclosure_log_entry", slug=slug)
