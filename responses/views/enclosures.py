"""Enclosures: attaching files to a draft letter, and downloading them (staff's copies here;
the requester's and the disclosure log's in their own views, through ``file_response``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from responses import enclosures, permissions
from responses.drafting.wording import DraftingError
from responses.forms.enclosures import EnclosureForm
from responses.models import Enclosure, FrozenEnclosure, Letter
from responses.models.enclosures import annex_letter
from responses.permissions import case_worker_required


def file_response(field_file, file_name, media_type):
    """A stored file as a download: our media type, never shown inline, nothing able to run."""
    try:
        handle = field_file.open("rb")
    except (OSError, ValueError):
        raise Http404("The file is not in storage.") from None
    response = FileResponse(handle, as_attachment=True, filename=file_name, content_type=media_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def annexed(letter):
    """[(annex letter, enclosure)] in the letter's order."""
    enclosures = letter.enclosures.prefetch_related("redaction_exemptions__regime")
    return [(annex_letter(index), enclosure) for index, enclosure in enumerate(enclosures)]


def _letter(pk):
    return get_object_or_404(Letter.objects.select_related("case__regime"), pk=pk)


def _require_editor(user, letter):
    if not permissions.can_edit_case(user, letter.case):
        raise PermissionDenied("Only disclosure officers can change a letter's enclosures.")


def _page(request, letter, form, *, status=200, enclosure=None):
    can_edit = permissions.can_edit_case(request.user, letter.case)
    template = "responses/enclosures/edit.html" if enclosure else "responses/enclosures/list.html"
    return render(
        request,
        template,
        {
            "letter": letter,
            "case": letter.case,
            "enclosures": annexed(letter),
            "form": form,
            "enclosure": enclosure,
            "can_edit": can_edit and letter.status == Letter.Status.DRAFT,
        },
        status=status,
    )


@case_worker_required
@require_http_methods(["GET", "POST"])
def letter_enclosures(request, pk):
    """The letter's enclosures, and the form to add one."""
    letter = _letter(pk)
    if request.method == "GET":
        return _page(request, letter, EnclosureForm(letter=letter))
    _require_editor(request.user, letter)
    form = EnclosureForm(request.POST, request.FILES, letter=letter)
    if form.is_valid():
        try:
            enclosure = enclosures.add_enclosure(
                letter,
                actor=request.user,
                upload=form.cleaned_data["file"],
                **form.service_arguments(),
            )
        except DraftingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"“{enclosure.title}” is enclosed.")
            return redirect("letter_enclosures", pk=letter.pk)
    return _page(request, letter, form, status=400)


def _enclosure(pk):
    return get_object_or_404(Enclosure.objects.select_related("letter__case__regime"), pk=pk)


@case_worker_required
@require_http_methods(["GET", "POST"])
def enclosure_edit(request, pk):
    enclosure = _enclosure(pk)
    letter = enclosure.letter
    _require_editor(request.user, letter)
    if request.method == "GET":
        initial = {
            "title": enclosure.title,
            "redacted": enclosure.redacted,
            "redaction_exemptions": list(enclosure.redaction_exemptions.all()),
            "not_for_publication": enclosure.not_for_publication,
        }
        form = EnclosureForm(initial=initial, letter=letter, replacing=True)
        return _page(request, letter, form, enclosure=enclosure)
    form = EnclosureForm(request.POST, request.FILES, letter=letter, replacing=True)
    if form.is_valid():
        try:
            enclosures.change_enclosure(
                enclosure,
                actor=request.user,
                upload=form.cleaned_data.get("file") or None,
                **form.service_arguments(),
            )
        except DraftingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Enclosure saved.")
            return redirect("letter_enclosures", pk=letter.pk)
    return _page(request, letter, form, status=400, enclosure=enclosure)


@require_POST
@case_worker_required
def enclosure_delete(request, pk):
    enclosure = _enclosure(pk)
    letter = enclosure.letter
    _require_editor(request.user, letter)
    try:
        enclosures.remove_enclosure(enclosure, actor=request.user)
    except DraftingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"“{enclosure.title}” was removed.")
    return redirect("letter_enclosures", pk=letter.pk)


@case_worker_required
@require_GET
def enclosure_file(request, pk):
    """A draft enclosure's file, for the officers and reviewers."""
    enclosure = _enclosure(pk)
    return file_response(enclosure.file, enclosure.file_name, enclosure.media_type)


@case_worker_required
@require_GET
def frozen_enclosure_file(request, pk):
    """An enclosure as frozen with a submitted version (what the reviewer approves)."""
    frozen = get_object_or_404(FrozenEnclosure.objects.select_related("stored"), pk=pk)
    return file_response(frozen.stored.file, frozen.file_name, frozen.media_type)
