"""The light markup of letter paragraphs: escaped first, then a few tags added."""

from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from responses.textformat import PRODUCED_TAGS, paragraphs_to_html, to_html


class TagCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.attributes = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def parse(html):
    collector = TagCollector()
    collector.feed(str(html))
    collector.close()
    return collector


def test_blank_line_starts_a_paragraph_and_single_newline_breaks_the_line():
    html = to_html("First line\nsame paragraph\n\nSecond paragraph")
    assert html == "<p>First line<br>same paragraph</p>\n<p>Second paragraph</p>"
    assert isinstance(html, Markup)


def test_windows_line_endings_and_extra_blank_lines():
    assert to_html("One\r\n\r\n\r\n  \r\nTwo") == "<p>One</p>\n<p>Two</p>"


def test_dash_lines_make_a_bulleted_list():
    html = to_html("Factors in favour:\n- openness\n- accountability\n\nAfter.")
    assert html == (
        "<p>Factors in favour:</p>\n<ul><li>openness</li><li>accountability</li></ul>\n"
        "<p>After.</p>"
    )


def test_numbered_lines_make_an_ordered_list_that_keeps_its_first_number():
    assert to_html("1. one\n2. two") == "<ol><li>one</li><li>two</li></ol>"
    assert to_html("3. three\n4. four") == '<ol start="3"><li>three</li><li>four</li></ol>'


def test_indented_line_continues_a_list_item():
    assert to_html("- first\n  more of first\n- second") == (
        "<ul><li>first<br>more of first</li><li>second</li></ul>"
    )


def test_emphasis_and_strong():
    assert to_html("*may* and **must**") == "<p><em>may</em> and <strong>must</strong></p>"


def test_lone_asterisks_stay_as_typed():
    assert to_html("2 * 3 * 4 and a * b") == "<p>2 * 3 * 4 and a * b</p>"


def test_html_and_template_syntax_are_shown_literally():
    text = (
        '<script>alert(1)</script> <img src="http://127.0.0.1/x"> {{ config }} '
        "{% for x in y %} &amp;"
    )
    html = to_html(text)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ config }}" in html and "{% for x in y %}" in html
    assert "&amp;amp;" in html
    assert parse(html).tags == ["p", "a"]  # the address typed is a link, the tag is text
    assert '&lt;img src=&#34;<a href="http://127.0.0.1/x">' in html


def test_markup_inside_emphasis_is_still_escaped():
    assert to_html("*<b>bold</b>*") == "<p><em>&lt;b&gt;bold&lt;/b&gt;</em></p>"


def test_web_and_email_addresses_become_links_without_the_full_stop_after_them():
    html = to_html("See https://www.example.gov.uk/board. Or www.ico.org.uk, or foi@example.org.")
    assert html == (
        '<p>See <a href="https://www.example.gov.uk/board">https://www.example.gov.uk/board</a>.'
        ' Or <a href="https://www.ico.org.uk">www.ico.org.uk</a>,'
        ' or <a href="mailto:foi@example.org">foi@example.org</a>.</p>'
    )


def test_a_link_keeps_its_own_brackets_and_escapes_its_query():
    html = to_html("(https://en.wikipedia.org/wiki/Act_(UK)) and https://x.uk/?a=1&b=<2>")
    assert '<a href="https://en.wikipedia.org/wiki/Act_(UK)">' in html and "</a>) and" in html
    assert '<a href="https://x.uk/?a=1&amp;b=">https://x.uk/?a=1&amp;b=</a>&lt;2&gt;' in html


def test_only_web_addresses_become_links():
    html = to_html('javascript:alert(1) data:text/html,x http://a"onclick=x a@b e.g. 3.5')
    assert parse(html).tags == ["p", "a"]
    assert '<a href="http://a">http://a</a>&#34;onclick=x' in html


def test_a_one_line_paragraph_starting_hashes_is_a_subheading_at_the_level_given():
    text = "## Background\n\nWe hold the *policy*.\n\n## Not a heading\nbecause it runs on"
    assert to_html(text, heading_level=4) == (
        "<h4>Background</h4>\n<p>We hold the <em>policy</em>.</p>\n"
        "<p>## Not a heading<br>because it runs on</p>"
    )
    assert to_html("## <b>Why</b>") == "<h3>&lt;b&gt;Why&lt;/b&gt;</h3>"
    assert to_html("## Deep", heading_level=9) == "<h6>Deep</h6>"


def test_empty_text_gives_nothing():
    assert to_html("") == "" and to_html(None) == "" and to_html("\n\n  \n") == ""


def test_verbatim_text_keeps_asterisks_and_dashes():
    html = paragraphs_to_html("- not a list\n*not emphasis*\n\n<b>x</b>")
    assert html == ("<p>- not a list<br>*not emphasis*</p>\n<p>&lt;b&gt;x&lt;/b&gt;</p>")


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_no_tag_other_than_the_produced_ones_can_appear(text):
    parsed = parse(to_html(text))
    assert set(parsed.tags) <= PRODUCED_TAGS
    assert all(
        name == "start" or (name == "href" and value.startswith(("https://", "http://", "mailto:")))
        for name, value in parsed.attributes
    )


@given(
    st.lists(st.text(alphabet=st.sampled_from("ab <>&\"'*-1.{}%\n"), max_size=30), max_size=8).map(
        "".join
    )
)
def test_markup_characters_never_become_tags(text):
    parsed = parse(to_html(text))
    assert set(parsed.tags) <= PRODUCED_TAGS
    # Every visible character of the input is still there, in order, bar markers and spaces.
    visible = "".join(parsed.text)
    for character in "<>&\"'{}%":
        assert visible.count(character) == text.count(character)
