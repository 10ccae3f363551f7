"""Fixtures for the review, issue and portal tests; loaded with pytest_plugins."""

import pytest

from responses import checks
from tests.review_factories import FAKE_PDF, make_case, make_letter


@pytest.fixture
def no_drafting_problems(monkeypatch):
    """These letters are built by hand, not from decisions; drafting's checks are tested there."""
    monkeypatch.setattr(checks, "letter_findings", lambda letter: [])


@pytest.fixture
def case(authority, requester, foia, officer):
    return make_case(authority, requester, foia, officer)


@pytest.fixture
def letter(case, officer, no_drafting_problems):
    return make_letter(case, author=officer)


@pytest.fixture
def fake_renderer(monkeypatch):
    """Stands in for WeasyPrint; counts calls so a test can see the PDF is made once."""
    from responses import issuing

    calls = []

    def render(version):
        calls.append(version.html)
        return FAKE_PDF + str(len(calls)).encode()

    monkeypatch.setattr(issuing, "render_pdf", render)
    return calls
