"""The clause library page: grouped by regime, then provision in statutory order; search."""

import re

import pytest

from exemptions.library_index import provision_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, officer, catalogue):
    client.force_login(officer)

    def get(**query):
        response = client.get("/library/", query)
        assert response.status_code == 200
        return response.content.decode()

    return get


def headings(html, level):
    return [
        re.sub(r"\s+", " ", h).strip()
        for h in re.findall(rf"<h{level}[^>]*>(.*?)</h{level}>", html, re.S)
    ]


def test_regimes_in_order_then_letter_wording(page):
    shelves = headings(page(), 2)
    names = [name for name in shelves if "(" in name or "every regime" in name]
    assert names[:4] == [
        "Freedom of Information Act 2000 (FOIA)",
        "Environmental Information Regulations 2004 (EIR)",
        "Freedom of Information (Scotland) Act 2002 (FOISA)",
        "Letter wording for every regime",
    ]


def test_provisions_in_statutory_order(page):
    html = page()
    foia = html[html.index('id="shelf-foia"') : html.index('id="shelf-eir"')]
    sections = [h.split(":")[0].removeprefix("Section ") for h in headings(foia, 3)]
    numbered = [s for s in sections if s[:1].isdigit()]
    assert numbered == sorted(numbered, key=provision_key)
    # 21 before 22 before 100-ish: numbers, not text order ("100" < "21" as text)
    assert numbered.index("21") < numbered.index("22") < numbered.index("23")
    eir = html[html.index('id="shelf-eir"') : html.index('id="shelf-foisa"')]
    regulations = [h.split(":")[0] for h in headings(eir, 3) if h.startswith("Regulation")]
    assert regulations.index("Regulation 12(4)(a)") < regulations.index("Regulation 12(5)(a)")


def test_provision_key_orders_numbers_and_limbs():
    assert sorted(["40(5B)", "100", "22", "21", "40(2)", "40(5A)"], key=provision_key) == [
        "21",
        "22",
        "40(2)",
        "40(5A)",
        "40(5B)",
        "100",
    ]


def test_each_clause_shows_title_kind_and_link(page):
    html = page()
    assert 'href="/library/clauses/foia-s23-ncnd/"' in html
    row = html[html.index("foia-s23-ncnd/") :].split("</tr>")[0]
    assert "Neither confirm nor deny statement" in row


def test_letter_wording_has_its_own_heading(page):
    html = page()
    shelf = html[html.index('id="shelf-letters"') :]
    assert "Caveats, advice, rights and other paragraphs" in shelf
    assert "letter-caveat-data-reliability" in shelf
    assert "letter-advice-eir" not in shelf  # under the EIR


@pytest.mark.parametrize("q", ["security bodies", "s23", "section 23", "SECURITY BODIES"])
def test_search_by_title_or_provision(page, q):
    html = page(q=q)
    assert "foia-s23-ncnd" in html
    assert "foia-s24-ncnd" not in html
    assert re.search(r"\d+ clauses? match", html)


def test_search_by_body_text(page):
    html = page(q="neither confirm nor deny whether we h")
    assert "foia-s23-ncnd" in html
    assert "letter-copyright" not in html


def test_search_with_no_match(page):
    html = page(q="giraffe")
    assert "No clauses match" in html
    assert "0 clauses match" in html
    assert "show every clause" in html


def test_only_case_workers(client, outsider):
    client.force_login(outsider)
    assert client.get("/library/", {"q": "x"}).status_code == 403
