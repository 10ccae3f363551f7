"""Error pages in GOV.UK style, a clear page for requests too large to read, and the limits
that keep a letter quick to render."""

import pytest
from django.template import loader
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from responses.drafting import decisions, editing
from responses.drafting.wording import DraftingError
from responses.models import Decision, Letter
from tests import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(catalogue, authority, requester, officer):
    return builders.response_letter(actor=officer, authority=authority, requester=requester)


def editor_post(letter, **extra):
    letter.refresh_from_db()
    intro = builders.paragraph(letter, "request")
    return {
        "revision": letter.revision,
        f"p-{intro.pk}": intro.text,
        f"p-{intro.pk}-section": "request",
        **extra,
    }


def test_a_post_too_large_to_read_gets_a_clear_page(client, draft, officer, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(officer)
    before = draft.revision

    response = client.post(
        reverse("letter_edit", args=[draft.pk]), editor_post(draft, extra="x" * 20_000)
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "What you sent was too large" in html and "nothing was saved" in html
    assert "govuk-heading-l" in html and "Bad Request (400)" not in html
    draft.refresh_from_db()
    assert draft.revision == before


def test_too_many_fields_gets_the_same_page(client, draft, officer, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    client.force_login(officer)

    data = editor_post(draft, **{f"field{n}": "x" for n in range(10)})
    response = client.post(reverse("letter_edit", args=[draft.pk]), data)

    assert response.status_code == 400
    assert "What you sent was too large" in response.content.decode()


def test_other_bad_requests_get_a_plain_explanation():
    response = defaults.bad_request(RequestFactory().get("/"), Exception("odd"))
    assert b"problem with that request" in response.content


def test_not_found_and_refused_pages_are_gov_uk_pages(client, outsider):
    client.force_login(outsider)

    missing = client.get("/no-such-page/")
    refused = client.get(reverse("home"))

    assert missing.status_code == 404
    assert "Page not found" in missing.content.decode()
    assert refused.status_code == 403
    assert "You cannot do this" in refused.content.decode()
    assert "govuk-template" in missing.content.decode() + refused.content.decode()


def test_the_500_page_needs_neither_the_database_nor_the_request(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()
        response = defaults.server_error(RequestFactory().get("/"))
    assert "Sorry, there is a problem with the service" in html
    assert response.status_code == 500


# --- limits -----------------------------------------------------------------------------


def test_decisions_per_case_are_limited(draft, officer, monkeypatch):
    case = draft.case
    monkeypatch.setattr(decisions, "MAX_DECISIONS_PER_CASE", case.decisions.count())

    with pytest.raises(DraftingError, match="already has 1 decisions"):
        builders.decide(case, actor=officer, outcome=Decision.Outcome.NOT_HELD)
    assert case.decisions.count() == 1


def test_the_decision_page_says_the_limit(client, draft, officer, monkeypatch):
    case = draft.case
    monkeypatch.setattr(decisions, "MAX_DECISIONS_PER_CASE", 1)
    client.force_login(officer)

    response = client.post(
        reverse("decision_add", args=[case.pk]),
        {
            "questions": [case.questions.first().pk],
            "outcome": Decision.Outcome.NOT_HELD,
            "part_label": "The rest",
        },
    )

    assert response.status_code == 200
    assert "the most one letter can carry" in response.content.decode()
    assert case.decisions.count() == 1


def paragraph_count(letter):
    return sum(section.paragraphs.count() for section in letter.sections.all())


def test_paragraphs_per_letter_are_limited_in_the_editor(client, draft, officer, monkeypatch):
    monkeypatch.setattr(editing, "MAX_PARAGRAPHS_PER_LETTER", paragraph_count(draft))
    client.force_login(officer)
    section = draft.sections.get(key="request")

    response = client.post(
        reverse("letter_edit", args=[draft.pk]),
        editor_post(draft, action="save", op=f"add:{section.pk}:0"),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "at most" in html and "paragraphs" in html
    draft.refresh_from_db()
    assert paragraph_count(draft) == editing.MAX_PARAGRAPHS_PER_LETTER


def test_a_letter_too_long_to_assemble_is_refused_with_a_message(
    client, draft, officer, monkeypatch
):
    monkeypatch.setattr(editing, "MAX_PARAGRAPHS_PER_LETTER", 0)
    client.force_login(officer)

    response = client.post(
        reverse("letter_create", args=[draft.case.pk, Letter.Kind.ACKNOWLEDGEMENT]), follow=True
    )

    assert "A letter can have at most 0 paragraphs" in response.content.decode()
    assert not draft.case.letters.filter(kind=Letter.Kind.ACKNOWLEDGEMENT).exists()
