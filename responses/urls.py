from django.urls import path

from responses.views import (
    account,
    cases,
    clock,
    disclosure_log,
    drafting,
    enclosures,
    health,
    intake,
    letter_kinds,
    portal,
    publication,
    review,
    statistics,
    verify,
    worklist,
)

urlpatterns = [
    # Cases and the work list
    path("", cases.case_list, name="home"),
    path("work/", worklist.work_list, name="work_list"),
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("statistics/statistics.csv", statistics.statistics_csv, name="statistics_csv"),
    # Public: the same figures for publication (counts only, nothing about a person)
    path("statistics/public/", statistics.public_statistics, name="public_statistics"),
    path(
        "statistics/public/statistics.csv",
        statistics.public_statistics_csv,
        name="public_statistics_csv",
    ),
    path("account/emails/", account.notification_settings, name="notification_settings"),
    path("cases/new/", intake.log_request_view, name="log_request"),
    path("cases/<int:pk>/", cases.case_detail, name="case_detail"),
    path("cases/<int:pk>/request/", intake.edit_request_view, name="case_request"),
    path("cases/<int:pk>/history/", review.case_history, name="case_history"),
    path("cases/<int:pk>/withdraw/", cases.case_withdraw, name="case_withdraw"),
    path("cases/<int:pk>/close/", cases.case_close, name="case_close"),
    path("cases/<int:pk>/reopen/", cases.case_reopen, name="case_reopen"),
    path("cases/<int:pk>/regime/", letter_kinds.case_regime, name="case_regime"),
    path(
        "cases/<int:pk>/decision-notice/",
        letter_kinds.decision_notice_add,
        name="decision_notice_add",
    ),
    # The clock
    path("cases/<int:pk>/clock/<slug:kind>/", clock.clock_event_add, name="clock_event_add"),
    path(
        "cases/<int:pk>/clock/events/<int:event_pk>/undo/",
        clock.clock_event_undo,
        name="clock_event_undo",
    ),
    # Decisions and drafting
    path("cases/<int:pk>/drafting/", drafting.case_drafting, name="case_drafting"),
    path("cases/<int:pk>/decisions/new/", drafting.decision_add, name="decision_add"),
    path("decisions/<int:pk>/", drafting.decision_edit, name="decision_edit"),
    path(
        "decisions/<int:pk>/precedents/",
        drafting.decision_precedents,
        name="decision_precedents",
    ),
    path(
        "cases/<int:pk>/decisions/new/precedents/",
        drafting.new_decision_precedents,
        name="new_decision_precedents",
    ),
    path("decisions/<int:pk>/delete/", drafting.decision_delete, name="decision_delete"),
    path("cases/<int:pk>/letters/new/<slug:kind>/", drafting.letter_create, name="letter_create"),
    path("letters/<int:pk>/", drafting.letter_edit, name="letter_edit"),
    path("letters/<int:pk>/preview/", drafting.letter_preview, name="letter_preview"),
    path("letters/<int:pk>/draft.pdf", drafting.letter_pdf, name="letter_pdf"),
    path("letters/<int:pk>/review-outcome/", review.review_outcome, name="review_outcome"),
    # Enclosures
    path("letters/<int:pk>/enclosures/", enclosures.letter_enclosures, name="letter_enclosures"),
    path("enclosures/<int:pk>/", enclosures.enclosure_edit, name="enclosure_edit"),
    path("enclosures/<int:pk>/delete/", enclosures.enclosure_delete, name="enclosure_delete"),
    path("enclosures/<int:pk>/file", enclosures.enclosure_file, name="enclosure_file"),
    path(
        "frozen-enclosures/<int:pk>/file",
        enclosures.frozen_enclosure_file,
        name="frozen_enclosure_file",
    ),
    # Review, issue and corrections
    path("review/", review.review_queue, name="review_queue"),
    path("review/letters/<int:pk>/", review.review_letter, name="review_letter"),
    path(
        "review/letters/<int:pk>/letter.html",
        review.review_letter_frame,
        name="review_letter_frame",
    ),
    path("review/letters/<int:pk>/comment/", review.review_comment, name="review_comment"),
    path("review/letters/<int:pk>/approve/", review.review_approve, name="review_approve"),
    path("review/letters/<int:pk>/return/", review.review_return, name="review_return"),
    path("review/letters/<int:pk>/reveal/", review.review_reveal, name="review_reveal"),
    path("letters/<int:pk>/submit/", review.letter_submit, name="letter_submit"),
    path("letters/<int:pk>/issue/", review.letter_issue, name="letter_issue"),
    path("letters/<int:pk>/issued.pdf", review.letter_pdf, name="letter_issued_pdf"),
    path("letters/<int:pk>/reopen/", review.letter_reopen, name="letter_reopen"),
    path(
        "letters/<int:pk>/publication/decline/",
        publication.publication_decline,
        name="publication_decline",
    ),
    path("letters/<int:pk>/correct/", review.letter_correct, name="letter_correct"),
    path("cases/<int:pk>/requester-link/", review.requester_link, name="requester_link"),
    path("cases/<int:pk>/internal-review/", review.log_internal_review, name="log_internal_review"),
    # Public: the requester's page and verification
    path("track/<str:token>/", portal.portal_case, name="portal_case"),
    path(
        "track/<str:token>/letters/<int:letter_pk>/",
        portal.portal_letter_html,
        name="portal_letter_html",
    ),
    path(
        "track/<str:token>/letters/<int:letter_pk>/letter.pdf",
        portal.portal_letter_pdf,
        name="portal_letter_pdf",
    ),
    path(
        "track/<str:token>/enclosures/<int:enclosure_pk>/",
        portal.portal_enclosure,
        name="portal_enclosure",
    ),
    path(
        "track/<str:token>/internal-review/",
        portal.portal_request_review,
        name="portal_request_review",
    ),
    path("verify/", verify.verify, name="verify"),
    path("health/", health.health, name="health"),
    # Public: the disclosure log, its feed and its API
    path("disclosure-log/", disclosure_log.log_list, name="disclosure_log"),
    path("disclosure-log/feed/", disclosure_log.log_feed, name="disclosure_log_feed"),
    path("disclosure-log/<slug:slug>/", disclosure_log.log_entry, name="disclosure_log_entry"),
    path(
        "disclosure-log/<slug:slug>/letter.pdf", disclosure_log.log_pdf, name="disclosure_log_pdf"
    ),
    path(
        "disclosure-log/<slug:slug>/annex-<str:annex>/",
        disclosure_log.log_enclosure,
        name="disclosure_log_enclosure",
    ),
    path(
        "disclosure-log/<slug:slug>/withdraw/",
        disclosure_log.log_withdraw,
        name="disclosure_log_withdraw",
    ),
    path(
        "disclosure-log/<slug:slug>/republish/",
        disclosure_log.log_republish,
        name="disclosure_log_republish",
    ),
    path("api/disclosure-log/", disclosure_log.api_list, name="api_disclosure_log"),
    path(
        "api/disclosure-log/<slug:slug>/", disclosure_log.api_entry, name="api_disclosure_log_entry"
    ),
]
