"""Fixtures for the review, issue and portal tests; loaded with pytest_plugins.

Their letters are built through the real drafting and workflow services, so the real
checks run on them and find nothing that stops them.
"""

import io

import pytest
from pypdf import PdfWriter

from responses import issuing, publishing
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

    calls = []

    def render(version):
        calls.append(version.html)
        return builders.FAKE_PDF + str(len(calls)).encode()

    monkeypatch.setattr(issuing, "render_pdf", render)
    monkeypatch.setattr(publishing, "render_public_pdf", fake_public_pdf)
    return calls


def fake_public_pdf(inputs):
    """A real, blank one-page PDF carrying the public copy's metadata and attachments, so
    the check before publishing reads it as it reads a rendered one."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    metadata = inputs["metadata"]
    writer.add_metadata(
        {
            "/Title": metadata["title"],
            "/Author": ", ".join(metadata["authors"]),
            "/Subject": metadata["description"],
            "/Keywords": ", ".join(metadata["keywords"]),
        }
    )
    for name, content, _description in inputs["attachments"]:
        writer.add_attachment(name, content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
