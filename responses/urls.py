from django.urls import path

from responses.views import cases, clock, worklist

urlpatterns = [
    path("", cases.case_list, name="home"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("work/", worklist.work_list, name="work_list"),
    path(
        "cases/<int:pk>/clock/<slug:kind>/", clock.clock_event_add, name="clock_event_add"
    ),
    path(
        "cases/<int:pk>/clock/events/<int:event_pk>/undo/",
        clock.clock_event_undo,
        name="clock_event_undo",
    ),
]

# Intake: logging a request and editing its questions.
from responses.views import intake as intake_views  # noqa: E402

urlpatterns += [
    path("cases/new/", intake_views.log_request_view, name="log_request"),
    path("cases/<int:pk>/request/", intake_views.edit_request_view, name="case_request"),
]

# Decisions and letter drafting (responses/views/drafting.py).
from responses.views import drafting as drafting_views  # noqa: E402

urlpatterns += [
    path("cases/<int:pk>/drafting/", drafting_views.case_drafting, name="case_drafting"),
    path("cases/<int:pk>/decisions/new/", drafting_views.decision_add, name="decision_add"),
    path("decisions/<int:pk>/", drafting_views.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/delete/", drafting_views.decision_delete, name="decision_delete"),
    path(
        "cases/<int:pk>/letters/new/<slug:kind>/",
        drafting_views.letter_create,
        name="letter_create",
    ),
    path("letters/<int:pk>/", drafting_views.letter_edit, name="letter_edit"),
    path("letters/<int:pk>/preview/", drafting_views.letter_preview, name="letter_preview"),
    path("letters/<int:pk>/draft.pdf", drafting_views.letter_pdf, name="letter_pdf"),
]

# Review, issue, case history, the requester's page and verification.
from responses.urls_review import urlpatterns as review_urlpatterns  # noqa: E402

urlpatterns += review_urlpatterns
