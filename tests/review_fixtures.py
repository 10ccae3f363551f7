"""Fixtures for the review, issue and portal tests; loaded with pytest_plugins.

Their letters are built through the real drafting and workflow services, so the real
checks run on them and find nothing that stops them.
"""

import pytest

from tests import builders


@pytest.fixture
def case(catalogue, authority, requester, officer):
    return builders.open_case(actor=officer, authority=authority, requester=requester)


@pytest.fixture
def letter(case, officer):
    """A complete response to ``case``, ready for review."""
    return builders.response_letter(case, actor=officer)


@pytest.fixture
def fake_renderer(monkeypatch):
    """Stands in for WeasyPrint; counts calls so a test can see the PDF is made once."""
    from responses import issuing

    calls = []

    def render(version):
        calls.append(version.html)
        return builders.FAKE_PDF + str(len(calls)).encode()

    monkeypatch.setattr(issuing, "render_pdf", render)
    return calls
