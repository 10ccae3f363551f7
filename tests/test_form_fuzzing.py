"""Form fuzzing: whatever is typed or posted into the intake, decision, letter-editing and
review forms, the answer is a page (a clear error, a conflict, a redirect), never a
server error. Hypothesis picks the input; the fields are the ones each page's own forms
have, read from the page, so a field added later is fuzzed too.

Example counts are kept small so the suite stays quick; raise FUZZ_EXAMPLES to search
longer, e.g. FUZZ_EXAMPLES=500 pytest tests/test_form_fuzzing.py.
"""

import os
from html.parser import HTMLParser

from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import builders

pytest_plugins = ["tests.review_fixtures"]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
fuzz_settings = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same inputs on every run: CI does not flicker
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class FormReader(HTMLParser):
    """Every POST form on a page: its action and {field name: [values the page offers]}."""

    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = (attrs.get("action") or "", {})
            self.forms.append(self.current)
        if self.current is None or not attrs.get("name"):
            if tag == "option" and self.select is not None:
                self.current[1][self.select].append(attrs.get("value", ""))
            return
        fields = self.current[1]
        if tag in ("input", "textarea", "button"):
            fields.setdefault(attrs["name"], []).append(attrs.get("value") or "")
        elif tag == "select":
            self.select = attrs["name"]
            fields.setdefault(self.select, [])

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        if tag == "select":
            self.select = None


def post_forms(client, url):
    page = client.get(url)
    assert page.status_code == 200, url
    reader = FormReader()
    reader.feed(page.content.decode())
    return [(action or url, fields) for action, fields in reader.forms]


# Text as people and robots send it: any Unicode (control characters, NUL, right-to-left
# marks, emoji), markup and template syntax, numbers, dates, and now and then a lot of it.
nasty = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "<script>alert(1)</script>",
        "{{ request }}{% debug %}",
        "'; DROP TABLE responses_case; --",
        "-1",
        "0",
        "99999999999999999999",
        "1e309",
        "NaN",
        "31/02/2026",
        "2026-13-45",
        "\u202e\ufeff",
        "a" * 70_000,
    ]
)
any_text = st.one_of(st.text(max_size=300), nasty)


@st.composite
def form_post(draw, fields):
    """Each field: the page's own value, fuzzed text, several values, or left out."""
    data = {}
    for name, offered in fields.items():
        if name == "csrfmiddlewaretoken":
            continue
        choice = draw(st.integers(0, 4))
        if choice == 0 and offered:
            data[name] = draw(st.sampled_from(offered))
        elif choice == 1:
            data[name] = draw(any_text)
        elif choice == 2:
            data[name] = draw(st.lists(any_text, min_size=2, max_size=3))
        elif choice == 3:
            continue
        else:
            data[name] = offered[0] if offered else ""
    if draw(st.booleans()):
        data[draw(st.text(min_size=1, max_size=20))] = draw(any_text)
    return data


def fuzz(client, url, *, only=None):
    """Fuzz every POST form on the page at ``url`` (or those whose action is in ``only``)."""
    forms = [
        (action, fields)
        for action, fields in post_forms(client, url)
        if only is None or action in only
    ]
    assert forms, f"no form to fuzz on {url}"

    @fuzz_settings
    @given(data=st.data())
    def run(data):
        action, fields = data.draw(st.sampled_from(forms))
        posted = data.draw(form_post(fields))
        response = client.post(action, posted)
        assert response.status_code < 500, (action, posted)

    run()


def officer_client(officer):
    client = Client()
    client.force_login(officer)
    return client


def test_the_intake_form_never_fails(officer, authority, catalogue):
    fuzz(officer_client(officer), reverse("log_request"))


def test_the_request_details_form_never_fails(case, officer):
    url = reverse("case_request", args=[case.pk])
    fuzz(officer_client(officer), url, only={url})


def test_the_decision_form_never_fails(case, officer):
    url = reverse("decision_add", args=[case.pk])
    fuzz(officer_client(officer), url, only={url})


def test_the_letter_editor_never_fails(letter, officer):
    url = reverse("letter_edit", args=[letter.pk])
    fuzz(officer_client(officer), url, only={url})


def test_the_review_forms_never_fail(letter, officer, reviewer):
    builders.submit(letter, actor=officer)
    client = officer_client(reviewer)
    only = {
        reverse(name, args=[letter.pk])
        for name in ("review_comment", "review_approve", "review_return")
    }
    fuzz(client, reverse("review_letter", args=[letter.pk]), only=only)
