"""Staff pages for review, approval, issue, corrections, requester links and case history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods, require_POST

from responses import (
    checks,
    deadlines,
    diffing,
    issuing,
    masking,
    permissions,
    publishing,
    review_clock,
    snapshots,
    tokens,
    workflow,
)
from responses.drafting.letter_kinds import original_answer
from responses.forms.letter_kinds import ReviewFindingsForm
from responses.forms.publication import PublicationForm
from responses.forms.review import (
    VERSION_UNKNOWN,
    ApproveForm,
    LoggedReviewRequestForm,
    ReasonForm,
    ReturnForm,
    ReviewCommentForm,
)
from responses.models import (
    Case,
    InternalReviewOutcome,
    IssuedDocument,
    Letter,
    LetterVersion,
    Publication,
    RequesterLink,
)
from responses.permissions import case_worker_required


def _letter(pk):
    return get_object_or_404(
        Letter.objects.select_related("case__requester", "case__authority", "case__regime"), pk=pk
    )


def _require_reviewer(user):
    if not permissions.is_reviewer(user):
        raise PermissionDenied("Only reviewers can do this.")


def _require_editor(user, case):
    if not permissions.can_edit_case(user, case):
        raise PermissionDenied("Only disclosure officers can do this.")


def _fail(request, error):
    messages.error(request, str(error))


def letter_problems(letter):
    """What the checks find in the letter under review, as sentences."""
    return [finding.message for finding in checks.letter_findings(letter)]


@case_worker_required
def review_queue(request):
    _require_reviewer(request.user)
    letters = list(
        Letter.objects.filter(status=Letter.Status.IN_REVIEW)
        .exclude(case__status__in=Case.CLOSED_WITHOUT_LETTER)
        .select_related("case__assigned_to", "case__regime", "case__authority")
        .prefetch_related(
            Prefetch(
                "versions",
                queryset=LetterVersion.objects.select_related("author").defer(
                    *LetterVersion.FROZEN_CONTENT
                ),
            )
        )
    )
    due = deadlines.case_deadlines([letter.case for letter in letters])
    rows = []
    for letter in letters:
        version = max(letter.versions.all(), key=lambda v: v.number, default=None)
        rows.append(
            {
                "letter": letter,
                "deadline": due[letter.case.pk].deadline,
                "calendar": due[letter.case.pk].calendar,
                "version": version,
                "is_own": version is not None and request.user.pk in version.editor_ids,
            }
        )
    # Oldest deadline first; a stopped clock sorts by the date received.
    rows.sort(key=lambda row: (row["deadline"] or row["letter"].case.received_on, row["letter"].pk))
    return render(request, "responses/review/queue.html", {"rows": rows})


@case_worker_required
@xframe_options_sameorigin
def review_letter_frame(request, pk):
    """The version under review, as the reviewer's page frames it (requester masked)."""
    letter = _letter(pk)
    version = workflow.latest_version(letter)
    if version is None:
        raise Http404("This letter has not been submitted for review.")
    html = snapshots.screen_html(version)
    if masking.hides_requester(request, letter.case):
        # Masked as shown; the frozen version keeps the letter exactly as it was submitted.
        html = masking.mask_requester(html, letter.case.requester, html=True)
    # The letter has no links or fields, so nothing in it could take the keyboard focus and
    # Tab would skip the frame: a focusable body lets the arrow and page keys scroll it.
    html = html.replace("<body", '<body tabindex="0"', 1)
    return snapshots.letter_page_response(html)


@case_worker_required
def review_letter(request, pk):
    letter = _letter(pk)
    version = workflow.latest_version(letter)
    if version is None:
        raise Http404("This letter has not been submitted for review.")
    case = letter.case
    # The page's deadline and the checks' lateness both count from these.
    prefetch_related_objects([case], "clock_events", "decision_notices")
    revealed = not masking.hides_requester(request, case)
    previous = version.previous()
    comments = list(version.comments.select_related("author", "version"))
    earlier_comments = previous.comments.select_related("author", "version") if previous else []
    if not revealed:
        comments = masking.mask_shown(comments, case.requester, "text")
        earlier_comments = masking.mask_shown(earlier_comments, case.requester, "text")
    can_decide = (
        permissions.is_reviewer(request.user)
        and letter.status == Letter.Status.IN_REVIEW
        and not hasattr(version, "decision")
    )
    return render(
        request,
        "responses/review/letter.html",
        {
            "letter": letter,
            "case": case,
            "version": version,
            "personal_paragraphs": _personal_paragraphs(
                version, masked_for=None if revealed else case.requester
            ),
            "enclosures": _enclosures_with_changes(
                version, previous, masked_for=None if revealed else case.requester
            ),
            "previous": previous,
            "diffs": (
                diffing.diff_versions(
                    previous, version, masked_for=None if revealed else case.requester
                )
                if previous
                else []
            ),
            "problems": letter_problems(letter),
            **correction_diff(letter, version, masked_for=None if revealed else case.requester),
            "comments": comments,
            "earlier_comments": earlier_comments,
            "revealed": revealed,
            "can_decide": can_decide,
            "wrote_it": request.user.pk in version.editor_ids,
            "deadline": review_clock.deadline_facts(case),
            "comment_form": ReviewCommentForm(version=version),
            "return_form": ReturnForm(initial={"version": version.number}),
            "reveal_form": ReasonForm(label=REVEAL_LABEL),
        },
    )


def correction_diff(letter, version, *, masked_for):
    """A correction is read against the letter it corrects, as that letter was issued."""
    if not letter.corrects_id:
        return {}
    issued = IssuedDocument.objects.filter(version__letter_id=letter.corrects_id).first()
    if issued is None:
        return {}
    return {
        "corrected_issued_at": issued.issued_at,
        "correction_reason": masking.mask_requester(letter.correction_reason, masked_for)
        if masked_for is not None
        else letter.correction_reason,
        "correction_diffs": diffing.diff_versions(issued.version, version, masked_for=masked_for),
    }


@require_POST
@case_worker_required
def review_comment(request, pk):
    letter = _letter(pk)
    version = workflow.latest_version(letter)
    if version is None:
        raise Http404
    form = ReviewCommentForm(request.POST, version=version)
    if form.is_valid():
        try:
            workflow.add_review_comment(
                version,
                actor=request.user,
                text=form.cleaned_data["text"],
                section_key=form.cleaned_data["section_key"],
            )
            messages.success(request, "Comment added.")
        except workflow.TransitionError as error:
            _fail(request, error)
    else:
        _fail(request, "Write a comment first.")
    return redirect("review_letter", pk=letter.pk)


@require_POST
@case_worker_required
def review_approve(request, pk):
    letter = _letter(pk)
    form = ApproveForm(request.POST)
    if not form.is_valid():
        _fail(request, VERSION_UNKNOWN)
        return redirect("review_letter", pk=letter.pk)
    try:
        version = workflow.approve_letter(
            letter, actor=request.user, version_number=form.cleaned_data["version"]
        )
        messages.success(request, f"Version {version.number} approved.")
    except workflow.TransitionError as error:
        _fail(request, error)
    return redirect("review_letter", pk=letter.pk)


@require_POST
@case_worker_required
def review_return(request, pk):
    letter = _letter(pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        if form.has_error("version"):
            _fail(request, VERSION_UNKNOWN)
        else:
            _fail(request, "Say what needs to change before returning the letter.")
        return redirect("review_letter", pk=letter.pk)
    try:
        workflow.return_letter(
            letter,
            actor=request.user,
            version_number=form.cleaned_data["version"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(request, "Letter returned to the officer.")
    except workflow.TransitionError as error:
        _fail(request, error)
    return redirect("review_letter", pk=letter.pk)


REVEAL_LABEL = "Why do you need to see who asked?"


def reveal(request, case, form):
    """Log the reviewer's reason and show them the requester for the rest of the session.
    Returns the error to show, or None."""
    try:
        workflow.reveal_requester(case, actor=request.user, reason=form.cleaned_data["reason"])
    except workflow.TransitionError as error:
        return str(error)
    masking.remember_revealed(request, case)
    return None


@require_POST
@case_worker_required
def review_reveal(request, pk):
    letter = _letter(pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _fail(request, "Give a reason for seeing who made the request.")
        return redirect("review_letter", pk=letter.pk)
    error = reveal(request, letter.case, form)
    if error:
        _fail(request, error)
    return redirect("review_letter", pk=letter.pk)


@case_worker_required
def letter_submit(request, pk):
    """Check the letter's problems, then freeze it as a version for review."""
    letter = _letter(pk)
    _require_editor(request.user, letter.case)
    if request.method == "POST":
        try:
            version = workflow.submit_letter(letter, actor=request.user)
            messages.success(request, f"Version {version.number} sent for review.")
            return redirect("case_detail", pk=letter.case.pk)
        except workflow.TransitionError as error:
            _fail(request, error)
    problems = checks.letter_findings(letter)
    return render(
        request,
        "responses/review/submit.html",
        {
            "letter": letter,
            "case": letter.case,
            "errors": [p.message for p in problems if p.is_error],
            "warnings": [p.message for p in problems if not p.is_error],
        },
    )


@case_worker_required
def letter_issue(request, pk):
    """The issue page: start issuing, see its progress, retry after a failure."""
    letter = _letter(pk)
    # A response also gets the disclosure log choice, and the public copy to look at.
    publishable = letter.kind in workflow.PUBLISHABLE
    posted = request.method == "POST"
    publication_form = None
    if publishable:
        publication_form = PublicationForm(request.POST) if posted else PublicationForm()
    if request.method == "POST":
        _require_editor(request.user, letter.case)
        if publication_form is None or publication_form.is_valid():
            try:
                with transaction.atomic():
                    if publication_form is not None:
                        publishing.choose(
                            letter,
                            actor=request.user,
                            publish=publication_form.wants_publication,
                            reason=publication_form.cleaned_data["reason"],
                            publish_on=publication_form.cleaned_data["publish_on"],
                        )
                    issuing.issue_letter(letter, actor=request.user)
            except workflow.TransitionError as error:
                _fail(request, error)
            return redirect("letter_issue", pk=letter.pk)
    # An attempt whose worker died is shown as failed, with the reason, not as running.
    workflow.expire_lapsed_issue_attempts(letter)
    version = workflow.latest_version(letter)
    attempt = version.attempts.first() if version else None
    document = IssuedDocument.objects.filter(version__letter=letter).first()
    publication = Publication.objects.filter(letter=letter).first()
    return render(
        request,
        "responses/review/issue.html",
        {
            "letter": letter,
            "case": letter.case,
            "version": version,
            "attempt": attempt,
            "document": document,
            # A request closed without a letter has its letters never issued or corrected.
            "can_issue": permissions.can_edit_case(request.user, letter.case)
            and not letter.case.closed_without_letter,
            "hide_requester": masking.hides_requester(request, letter.case),
            "reopen_form": ReasonForm(label="Why does the approved letter need to change?"),
            "correct_form": ReasonForm(
                label="What does the correction put right?",
                help_text="The corrected letter tells the requester this, under its heading.",
            ),
            "publication_form": publication_form,
            "publication": publication,
            "publication_waiting": publication is not None
            and publication.status in workflow.PUBLICATION_WAITING,
            # The public copy as it would be published, while the letter can still be issued.
            "public_preview": publishing.preview(letter)
            if publishable and letter.status == Letter.Status.APPROVED
            else None,
        },
        status=400 if publication_form is not None and publication_form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@case_worker_required
def letter_pdf(request, pk):
    """The issued PDF exactly as stored; it is never rendered again.

    It is the legal record, addressed to the requester, and is never masked: for a
    reviewer who has not revealed who asked, opening it is a reveal, so they are asked
    for their reason first (logged), and then get the same bytes as everyone else.
    """
    letter = _letter(pk)
    document = get_object_or_404(IssuedDocument, version__letter=letter)
    if not masking.hides_requester(request, letter.case):
        if request.method == "POST":
            return redirect("letter_issued_pdf", pk=letter.pk)
        return pdf_response(document)
    form = ReasonForm(request.POST or None, label=REVEAL_LABEL)
    if request.method == "POST" and form.is_valid():
        error = reveal(request, letter.case, form)
        if error is None:
            return redirect("letter_issued_pdf", pk=letter.pk)
        form.add_error(None, error)
    return render(
        request,
        "responses/review/reveal_to_open.html",
        {"letter": letter, "case": letter.case, "form": form},
        status=400 if form.errors else 200,
    )


def _personal_paragraphs(version, *, masked_for=None):
    """[(section heading, text)] of the paragraphs the public copy leaves out."""
    found = []
    for section in version.sections:
        for paragraph in section.get("paragraphs", []):
            if paragraph.get("personal"):
                text = paragraph.get("text", "")
                if masked_for is not None:
                    text = masking.mask_requester(text, masked_for)
                found.append((section.get("heading", ""), text))
    return found


def _enclosures_with_changes(version, previous, *, masked_for=None):
    """[(frozen enclosure, new since the previous version)] for the reviewer; titles and
    file names masked for a reviewer who has not revealed the requester."""
    before = set()
    if previous is not None:
        before = {(e.title, e.stored.sha256) for e in previous.enclosures.select_related("stored")}
    shown = []
    for enclosure in version.enclosures.select_related("stored"):
        is_new = previous is not None and (enclosure.title, enclosure.stored.sha256) not in before
        shown.append((enclosure, is_new))
    if masked_for is not None:
        masking.mask_shown((e for e, _ in shown), masked_for, "title", "file_name")
    return shown


def pdf_response(document):
    letter = document.version.letter
    filename = f"{letter.case.reference.replace('/', '-')}-{letter.kind}.pdf"
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _with_reason(request, pk, transition, *, missing, done):
    """Run a workflow step that needs a reason, from the issue page's forms."""
    letter = _letter(pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        _fail(request, missing)
        return redirect("letter_issue", pk=letter.pk)
    try:
        transition(letter, actor=request.user, reason=form.cleaned_data["reason"])
    except workflow.TransitionError as error:
        _fail(request, error)
        return redirect("letter_issue", pk=letter.pk)
    messages.success(request, done)
    return redirect("case_detail", pk=letter.case.pk)


@require_POST
@case_worker_required
def letter_reopen(request, pk):
    return _with_reason(
        request,
        pk,
        workflow.reopen_letter,
        missing="Say why the letter is being reopened.",
        done="The letter is a draft again.",
    )


@require_POST
@case_worker_required
def letter_correct(request, pk):
    return _with_reason(
        request,
        pk,
        workflow.start_correction,
        missing="Say what the correction is for.",
        done="A correction has been started as a new draft letter.",
    )


@case_worker_required
def review_outcome(request, pk):
    """The finding of an internal review, which its outcome letter carries."""
    letter = _letter(pk)
    if letter.kind != Letter.Kind.REVIEW_OUTCOME:
        raise Http404("Only an internal review outcome letter has an outcome.")
    instance = InternalReviewOutcome.objects.filter(letter=letter).first()
    original = letter.case.reviewed_case
    questions = list(original.questions.all()) if original else []
    form = ReviewFindingsForm(request.POST or None, questions=questions, outcome=instance)
    if request.method == "POST":
        _require_editor(request.user, letter.case)
        if form.is_valid():
            try:
                workflow.record_review_outcome(
                    letter,
                    actor=request.user,
                    outcome=form.cleaned_data["outcome"],
                    reasons=form.cleaned_data["reasons"],
                    findings=form.findings,
                )
            except workflow.TransitionError as error:
                _fail(request, error)
            else:
                messages.success(request, "Outcome saved: the letter now gives it.")
                return redirect("letter_edit", pk=letter.pk)
    return render(
        request,
        "responses/review/outcome.html",
        {
            "letter": letter,
            "case": letter.case,
            "form": form,
            "rows": [
                (question, original_answer(question), *fields) for question, *fields in form.rows()
            ],
        },
        status=400 if form.errors else 200,
    )


@case_worker_required
def case_history(request, pk):
    case = get_object_or_404(Case, pk=pk)
    if not permissions.can_view_case(request.user, case):
        raise PermissionDenied
    events = case.events.select_related("actor")
    if masking.hides_requester(request, case):
        events = masking.mask_shown(events, case.requester, "comment")
    return render(request, "responses/review/history.html", {"case": case, "events": events})


@case_worker_required
def requester_link(request, pk):
    """See the requester's links; revoke them, or send a fresh one."""
    case = get_object_or_404(Case.objects.select_related("requester"), pk=pk)
    if request.method == "POST":
        _require_editor(request.user, case)
        if request.POST.get("action") == "revoke":
            count = tokens.revoke_links(case, actor=request.user)
            messages.success(request, f"{count} link{'s' if count != 1 else ''} stopped working.")
        elif not case.requester.email:
            messages.error(request, "We hold no email address for the requester to send a link to.")
        else:
            tokens.send_new_link(case, actor=request.user)
            messages.success(request, "Earlier links stopped working; a new one has been emailed.")
        return redirect("requester_link", pk=case.pk)
    return render(
        request,
        "responses/review/requester_link.html",
        {
            "case": case,
            "links": RequesterLink.objects.filter(case=case),
            "can_edit": permissions.can_edit_case(request.user, case),
        },
    )


@case_worker_required
def log_internal_review(request, pk):
    """An internal review request that came by email or post, logged by the officer."""
    case = get_object_or_404(Case, pk=pk)
    _require_editor(request.user, case)
    form = LoggedReviewRequestForm(
        request.POST or None, initial={"received_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = workflow.request_internal_review(
                case,
                text=form.cleaned_data["text"],
                actor=request.user,
                received_on=form.cleaned_data["received_on"],
                received_via=form.cleaned_data["received_via"],
            )
        except workflow.TransitionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Internal review {review.reference} opened.")
            return redirect("case_detail", pk=review.pk)
    return render(
        request, "responses/review/log_internal_review.html", {"case": case, "form": form}
    )
