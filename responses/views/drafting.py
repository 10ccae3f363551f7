"""Decisions, and the letter editor with its live preview and draft PDF."""

from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from responses import checks, isolated_render, masking, permissions, precedents, snapshots, workflow
from responses.drafting import decisions, editing
from responses.drafting.planning import question_order
from responses.drafting.slots import required_slots
from responses.drafting.wording import (
    DraftingError,
    StaleDecisionError,
    StaleLetterError,
    regime_offers_letter,
)
from responses.forms.drafting import (
    DECISION_REVISION_UNKNOWN,
    DecisionForm,
    LetterEditForm,
    paragraph_field_name,
    personal_field_name,
    slot_field_name,
)
from responses.models import Case, Decision, Letter, LetterParagraph, LetterVersion
from responses.permissions import case_worker_required
from responses.rendering import RenderError
from responses.rendering.html import pdf_inputs, render_letter_html, screen_stylesheet_csp_source
from responses.views.enclosures import annexed

# The letters each kind of case can have.
DRAFTABLE_KINDS = {
    Case.Kind.REQUEST: [
        Letter.Kind.RESPONSE,
        Letter.Kind.ACKNOWLEDGEMENT,
        Letter.Kind.CLARIFICATION,
        Letter.Kind.EXTENSION,
    ],
    Case.Kind.INTERNAL_REVIEW: [Letter.Kind.REVIEW_OUTCOME, Letter.Kind.ACKNOWLEDGEMENT],
}

# The preview is a document of its own: no scripts at all, only our own stylesheet, fonts
# and images (the letter links /static/letters/letter.css), shown only in our own frames.
PREVIEW_CSP = (
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)

# The editor's preview is a sandboxed srcdoc frame, which runs under the editor page's own
# policy: allow the letter's inlined stylesheet (by its hash: no other inline style) and
# the data: fonts and logo it carries.
EDITOR_PAGE_CSP = {
    "style-src": [screen_stylesheet_csp_source()],
    "font-src": ["data:"],
    "img-src": ["data:"],
}


def require_editor(user, case):
    if not permissions.can_edit_case(user, case):
        raise PermissionDenied("Only disclosure officers can change decisions and letters.")


def get_case(pk):
    return get_object_or_404(Case.objects.select_related("authority", "regime", "requester"), pk=pk)


# --------------------------------------------------------------------------- decisions


@case_worker_required
@require_GET
def case_drafting(request, pk):
    """A case's decisions, their problems and its letters."""
    case = get_case(pk)
    return render(
        request,
        "responses/drafting/case_drafting.html",
        {
            "case": case,
            # In the order of the questions, as the letter prints them.
            "decisions": sorted(
                case.decisions.select_related("depends_on").prefetch_related(
                    "questions", "citations__exemption__regime"
                ),
                key=question_order,
            ),
            "letters": case.letters.order_by("created_at"),
            # Errors first: the template groups them apart from the warnings.
            "problems": checks.case_findings(case),
            "kinds": [
                (kind.value, kind.label)
                for kind in DRAFTABLE_KINDS[case.kind]
                if regime_offers_letter(case.regime.code, kind)
            ],
            "can_edit": permissions.can_edit_case(request.user, case),
        },
    )


def _decision_form_page(request, case, decision=None):
    require_editor(request.user, case)
    form = DecisionForm(request.POST or None, case=case, decision=decision)
    table_preview = None
    theirs = None
    if request.method == "POST" and decision is not None and form.has_error("revision"):
        # Which version did this edit start from? Unknown: show the saved one beside it,
        # as for a conflict, and base a second save on it.
        theirs = decision
        form = _form_based_on(request, case, theirs)
        form.add_error(None, DECISION_REVISION_UNKNOWN)
    elif request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            table_preview = form.cleaned_data["table"]
        else:
            try:
                decision = decisions.save_decision(
                    case, actor=request.user, decision=decision, **form.service_arguments()
                )
            except StaleDecisionError as error:
                theirs = error.decision
                form = _form_based_on(request, case, theirs)
                form.add_error(None, str(error))
            except DraftingError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, "Decision saved.")
                _say_reopened(request, decision.reopened)
                return redirect("case_drafting", pk=case.pk)
    elif decision is not None and request.method == "GET":
        table_preview = decision.table
    # The precedents are fetched by the page once it has loaded (they take as long as the
    # form), or followed as a link without JavaScript.
    if decision is not None:
        precedents_url = reverse("decision_precedents", args=[decision.pk])
    else:
        precedents_url = reverse("new_decision_precedents", args=[case.pk])
    return render(
        request,
        "responses/drafting/decision_form.html",
        {
            "case": case,
            "decision": decision,
            "form": form,
            "table_preview": table_preview,
            "theirs": theirs,
            "precedents_url": precedents_url,
        },
    )


@case_worker_required
@require_GET
def decision_precedents(request, pk):
    """How similar questions were answered before, beside a decision's form."""
    decision = get_object_or_404(Decision.objects.select_related("case"), pk=pk)
    return _precedents_page(request, get_case(decision.case_id), decision)


@case_worker_required
@require_GET
def new_decision_precedents(request, pk):
    """The same beside a new decision's form: for the questions not yet decided."""
    return _precedents_page(request, get_case(pk))


def _precedents_page(request, case, decision=None):
    require_editor(request.user, case)
    context = {"case": case, "decision": decision, **_precedents_context(case, decision)}
    if request.headers.get("HX-Request"):
        return render(request, "responses/drafting/_precedents.html", context)
    return render(request, "responses/drafting/precedents.html", context)


def _precedents_context(case, decision):
    """Earlier answers beside the form: for the decision's questions (or, for a new one,
    those not yet decided) and for the exemptions it cites."""
    if decision is not None:
        questions = list(decision.questions.all())
        exemptions = [citation.exemption for citation in decision.citations.all()]
    else:
        questions = list(case.questions.filter(decisions__isnull=True))
        exemptions = []
    return {
        "precedents": precedents.precedents_by_question(case, questions),
        "provision_precedents": precedents.provision_precedents(exemptions, exclude_case=case),
    }


def _form_based_on(request, case, saved):
    """What the officer typed, but based on the saved decision so a second save replaces it."""
    data = request.POST.copy()
    data["revision"] = saved.revision
    form = DecisionForm(data, case=case, decision=saved)
    form.is_valid()
    return form


@case_worker_required
@require_http_methods(["GET", "POST"])
def decision_add(request, pk):
    return _decision_form_page(request, get_case(pk))


@case_worker_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("case"), pk=pk)
    return _decision_form_page(request, get_case(decision.case_id), decision)


def _say_reopened(request, letters):
    for letter in letters:
        messages.warning(
            request,
            f"The {letter.get_kind_display().lower()} was written from the earlier decisions, "
            "so it is back in draft: update it from the decisions and submit it again.",
        )


@case_worker_required
@require_http_methods(["GET", "POST"])
def decision_delete(request, pk):
    decision = get_object_or_404(Decision.objects.select_related("case"), pk=pk)
    case = decision.case
    require_editor(request.user, case)
    if request.method == "POST":
        try:
            reopened = decisions.delete_decision(decision, actor=request.user)
        except DraftingError as error:
            messages.error(request, str(error))
            return redirect("case_drafting", pk=case.pk)
        messages.success(request, "Decision deleted.")
        _say_reopened(request, reopened)
        return redirect("case_drafting", pk=case.pk)
    return render(
        request, "responses/drafting/decision_delete.html", {"case": case, "decision": decision}
    )


# --------------------------------------------------------------------------- letters


@case_worker_required
@require_POST
def letter_create(request, pk, kind):
    case = get_case(pk)
    require_editor(request.user, case)
    if kind not in DRAFTABLE_KINDS[case.kind] or not regime_offers_letter(case.regime.code, kind):
        raise Http404("No such kind of letter.")
    existing = case.letters.filter(kind=kind, status=Letter.Status.DRAFT).first()
    if existing:
        messages.info(request, "This case already has a draft of that letter.")
        return redirect("letter_edit", pk=existing.pk)
    try:
        letter = editing.assemble_letter(case, actor=request.user, kind=kind)
    except DraftingError as error:
        messages.error(request, str(error))
        return redirect("case_drafting", pk=case.pk)
    return redirect("letter_edit", pk=letter.pk)


def get_letter(pk):
    return get_object_or_404(
        Letter.objects.select_related("case__authority", "case__regime", "case__requester"),
        pk=pk,
    )


def edit_form(letter, data=None):
    paragraphs = LetterParagraph.objects.filter(section__letter=letter).select_related("section")
    return LetterEditForm(data, letter=letter, paragraphs=paragraphs, slots=required_slots(letter))


def editor_context(letter, form, **extra):
    # The checks load the decisions, questions and sections once; the page shows the same.
    subject = checks.Subject(letter.case, letter)
    problems = checks.letter_findings(letter, subject=subject)
    decision_by_key = {f"decision-{d.pk}": d for d in subject.decisions}
    comments = returned_comments(letter)
    sections = []
    for section in subject.sections:
        sections.append(
            {
                "section": section,
                "paragraphs": [
                    (
                        paragraph,
                        form[paragraph_field_name(paragraph.pk)],
                        form[personal_field_name(paragraph.pk)],
                    )
                    for paragraph in section.paragraphs.all()
                    if paragraph_field_name(paragraph.pk) in form.fields
                ],
                "problems": [p for p in problems if p.where == section.key],
                "decision": decision_by_key.get(section.key),
                "comments": [c for c in comments if c.section_key == section.key],
            }
        )
    # "enclosures" is the editor's own panel, where the enclosure checks point.
    section_keys = {s["section"].key for s in sections} | {"enclosures"}
    # On the whole letter, or on a section the letter no longer has: shown at the top.
    letter_comments = [c for c in comments if c.section_key not in section_keys]
    return {
        "letter": letter,
        "case": letter.case,
        "form": form,
        "sections": sections,
        "slot_fields": [form[slot_field_name(slot.name)] for slot in form.slots],
        "errors": [p for p in problems if p.is_error],
        "warnings": [p for p in problems if not p.is_error],
        "section_keys": section_keys,
        "can_submit": not any(p.is_error for p in problems),
        "questions": subject.questions,
        "enclosures": annexed(letter),
        "letter_comments": letter_comments,
        "comments_version": comments[0].version if comments else None,
        **extra,
    }


def returned_comments(letter):
    """The review comments on the version that came back, while the officer puts it right."""
    if letter.status != Letter.Status.DRAFT:
        return []
    version = letter.versions.defer(*LetterVersion.FROZEN_CONTENT).order_by("-number").first()
    if version is None:
        return []
    # Each comment's .version is this one (a reverse relation knows its parent).
    return list(version.comments.select_related("author"))


def blind_editor_context(context, requester):
    """The read-only editor as a reviewer who has not revealed the requester sees it.

    Only the objects about to be shown get masked text; a GET saves nothing.
    """

    def mask(text):
        return masking.mask_requester(text, requester)

    for item in context["sections"]:
        masking.mask_shown((p for p, _field, _personal in item["paragraphs"]), requester, "text")
        decision = item["decision"]
        if decision is not None and decision.table:
            decision.table = [[mask(str(cell)) for cell in row] for row in decision.table]
    case = context["case"]
    case.scope, case.prioritisation_note = mask(case.scope), mask(case.prioritisation_note)
    context["questions"] = masking.mask_shown(context["questions"], requester, "text")
    context["slot_fields"] = []  # only an editor's form shows them
    for item in context["sections"]:
        masking.mask_shown(item["comments"], requester, "text")
    masking.mask_shown(context["letter_comments"], requester, "text")
    return context


@case_worker_required
@require_http_methods(["GET", "POST"])
@csp_update(EDITOR_PAGE_CSP)
def letter_edit(request, pk):
    letter = get_letter(pk)
    case = letter.case
    can_edit = permissions.can_edit_case(request.user, case)
    if request.method == "GET":
        form = edit_form(letter)
        context = editor_context(
            letter, form, can_edit=can_edit and letter.status == Letter.Status.DRAFT
        )
        if masking.hides_requester(request, case):
            context = blind_editor_context(context, case.requester)
        return render(request, "responses/drafting/letter_edit.html", context)

    require_editor(request.user, case)
    form = edit_form(letter, request.POST)
    if form.has_error("revision"):
        # Nobody can tell whether this text started from the saved letter: show both.
        return conflict_page(request, letter, form, unknown_base=True)
    if form.cleaned_data["revision"] != letter.revision:
        return conflict_page(request, letter, form)
    if not form.is_valid():
        context = editor_context(letter, form, can_edit=True)
        return render(request, "responses/drafting/letter_edit.html", context, status=400)

    action = request.POST.get("action", "save")
    if action == "preview":
        html = editing.preview_letter_html(
            letter, texts=form.paragraph_texts(), slot_values=form.slot_values()
        )
        context = editor_context(letter, form, can_edit=True, preview_html=html)
        return render(request, "responses/drafting/letter_edit.html", context)
    try:
        letter = editing.save_letter(
            letter,
            actor=request.user,
            revision=form.cleaned_data["revision"],
            texts=form.paragraph_texts(),
            slot_values=form.slot_values(),
            operation=editing.Operation.parse(request.POST.get("op", "")),
            lost_paragraphs=form.lost_paragraphs(request.POST),
            personal=form.paragraph_personal(),
        )
        layout = form.layout_choice()
        if layout is not None:
            letter = editing.change_layout(
                letter,
                actor=request.user,
                revision=letter.revision,
                layout=layout[0],
                include_outcome_summary=layout[1],
            )
        if action == "rebuild":
            letter = editing.rebuild_letter(letter, actor=request.user, revision=letter.revision)
    except StaleLetterError:
        return conflict_page(request, get_letter(letter.pk), form)
    except DraftingError as error:
        form.add_error(None, str(error))
        context = editor_context(letter, form, can_edit=True)
        return render(request, "responses/drafting/letter_edit.html", context, status=400)
    messages.success(request, "Letter saved.")
    operation = editing.Operation.parse(request.POST.get("op", ""))
    return redirect(reverse("letter_edit", args=[letter.pk]) + anchor_for(letter, operation))


def anchor_for(letter, operation):
    """Return the officer to the part of the letter they were working on."""
    if operation.name in ("up", "down"):
        return f"#paragraph-{operation.target}"
    section_pk = operation.section if operation.name == "add" else operation.target
    if operation.name in ("add", "reset"):
        section = letter.sections.filter(pk=section_pk).first()
        return f"#{section.key}" if section else ""
    return ""


def conflict_page(request, letter, form, *, unknown_base=False):
    """Someone saved meanwhile (or the editor's revision is missing or malformed, so
    nobody can tell): show the saved text and this officer's, and save nothing."""
    current = {
        p.pk: p
        for p in LetterParagraph.objects.filter(section__letter=letter).select_related("section")
    }
    rows = []
    for name, value in request.POST.items():
        if not name.startswith("p-") or name.count("-") != 1:
            continue
        try:
            pk = int(name[2:])
        except ValueError:
            continue
        theirs = current.get(pk)
        section_key = request.POST.get(f"{name}-section", "")
        rows.append(
            {
                "field_name": name,
                "section_key": theirs.section.key if theirs else section_key,
                "heading": theirs.section.heading if theirs else section_key,
                "theirs": theirs.text if theirs else None,
                "yours": value,
                "differs": theirs is None or theirs.text != value.replace("\r\n", "\n"),
            }
        )
    slots = [
        {
            "name": slot_field_name(slot.name),
            "label": slot.label,
            "theirs": (letter.slot_values or {}).get(slot.name, ""),
            "yours": request.POST.get(slot_field_name(slot.name), ""),
        }
        for slot in required_slots(letter)
    ]
    return render(
        request,
        "responses/drafting/letter_conflict.html",
        {
            "letter": letter,
            "case": letter.case,
            "rows": rows,
            "slots": slots,
            "unknown_base": unknown_base,
        },
        status=409,
    )


@case_worker_required
@require_http_methods(["GET", "POST"])
def letter_preview(request, pk):
    """GET: the saved letter as a page of its own. POST: the editor's unsaved text, as an
    iframe for the editor's preview panel (htmx)."""
    letter = get_letter(pk)
    if request.method == "GET":
        masked = masking.hides_requester(request, letter.case)
        if letter.status == Letter.Status.ISSUED:
            return issued_letter_page(letter, masked=masked)
        response = HttpResponse(render_letter_html(letter, draft=True, masked=masked))
        response["Content-Security-Policy"] = PREVIEW_CSP
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response
    require_editor(request.user, letter.case)
    form = edit_form(letter, request.POST)
    form.is_valid()  # over-long text is cut to the limit for the preview only
    texts = {}
    for paragraph in form.paragraphs:
        value = request.POST.get(paragraph_field_name(paragraph.pk))
        if value is not None:
            texts[paragraph.pk] = value.replace("\r\n", "\n")
    slot_values = {
        slot.name: request.POST.get(slot_field_name(slot.name), "")[:2000] for slot in form.slots
    }
    html = editing.preview_letter_html(letter, texts=texts, slot_values=slot_values)
    return render(request, "responses/drafting/_preview.html", {"preview_html": html})


def issued_letter_page(letter, *, masked):
    """An issued letter is no draft: it is shown as it was sent (the frozen version, with
    its issue date), never marked DRAFT."""
    html = snapshots.screen_html(workflow.latest_version(letter))
    if masked:
        html = masking.mask_requester(html, letter.case.requester, html=True)
    response = snapshots.letter_page_response(html)
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@case_worker_required
@require_GET
def letter_pdf(request, pk):
    """The draft PDF: rendered in a child process with time and memory limits (so no
    officer waits for another's), or served from the cache if the letter is unchanged."""
    letter = get_letter(pk)
    try:
        pdf = isolated_render.draft_pdf(
            pdf_inputs(letter, draft=True, masked=masking.hides_requester(request, letter.case))
        )
    except RenderError as error:
        too_big = isinstance(error, isolated_render.RenderLimitExceeded)
        return render(
            request,
            "responses/drafting/pdf_unavailable.html",
            {"letter": letter, "case": letter.case, "reason": str(error), "too_big": too_big},
            status=422 if too_big else 503,
        )
    filename = letter.case.reference.replace("/", "-") + f"-{letter.kind}-DRAFT.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
