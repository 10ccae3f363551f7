"""Review, issue and case history (staff); the requester's page and /verify/ (public)."""

from django.urls import path

from responses.views import portal, review, verify

urlpatterns = [
    path("review/", review.review_queue, name="review_queue"),
    path("review/letters/<int:pk>/", review.review_letter, name="review_letter"),
    path("review/letters/<int:pk>/comment/", review.review_comment, name="review_comment"),
    path("review/letters/<int:pk>/approve/", review.review_approve, name="review_approve"),
    path("review/letters/<int:pk>/return/", review.review_return, name="review_return"),
    path("review/letters/<int:pk>/reveal/", review.review_reveal, name="review_reveal"),
    path("letters/<int:pk>/submit/", review.letter_submit, name="letter_submit"),
    path("letters/<int:pk>/issue/", review.letter_issue, name="letter_issue"),
    path("letters/<int:pk>/issued.pdf", review.letter_pdf, name="letter_issued_pdf"),
    path("letters/<int:pk>/reopen/", review.letter_reopen, name="letter_reopen"),
    path("letters/<int:pk>/correct/", review.letter_correct, name="letter_correct"),
    path("letters/<int:pk>/review-outcome/", review.review_outcome, name="review_outcome"),
    path("cases/<int:pk>/history/", review.case_history, name="case_history"),
    path("cases/<int:pk>/requester-link/", review.requester_link, name="requester_link"),
    path("track/<str:token>/", portal.portal_case, name="portal_case"),
    path(
        "track/<str:token>/letters/<int:letter_pk>/letter.pdf",
        portal.portal_letter_pdf,
        name="portal_letter_pdf",
    ),
    path(
        "track/<str:token>/letters/<int:letter_pk>/",
        portal.portal_letter_html,
        name="portal_letter_html",
    ),
    path(
        "track/<str:token>/internal-review/",
        portal.portal_request_review,
        name="portal_request_review",
    ),
    path("verify/", verify.verify, name="verify"),
]
