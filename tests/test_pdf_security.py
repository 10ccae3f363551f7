"""WeasyPrint may load nothing but the letter's own stylesheet, fonts and logo.

A recording HTTP server on 127.0.0.1 stands in for anything a hostile letter could
point at (an internal service, a metadata endpoint): it must receive no request at
all, redirects included, and no local file may be read into a letter.
"""

import builtins
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pypdf import PdfReader

from responses.rendering import RenderError
from responses.rendering import html as letter_html
from responses.rendering import pdf as letter_pdf
from responses.rendering.pdf import LetterAssetFetcher, RefusedURL
from tests.letter_samples import ncnd_letter

pytestmark = pytest.mark.django_db

PASSWD_MARKER = "root:x:0:0"


class RecordingHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.hits.append(self.path)
        if self.path.startswith("/redirect"):
            self.send_response(302)
            self.send_header("Location", "/after-redirect")
            self.end_headers()
            return
        body = b"body { background: red }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_HEAD = do_GET

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
    httpd.hits = []
    # shutdown() waits for the loop to notice: poll often, not every half second.
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    httpd.origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def opened_files(monkeypatch):
    """Every path Python code opens while the test runs."""
    opened = []
    real_open = builtins.open

    def recording_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording_open)
    return opened


def hostile_urls(origin):
    return [
        f"{origin}/plain",
        f"{origin}/redirect",
        origin.replace("http:", "https:") + "/tls",
        origin.replace("127.0.0.1", "localhost") + "/by-name",
        "http://[::1]:9/loopback-v6",
        "ftp://127.0.0.1/file",
        "file:///etc/passwd",
        f"file://{letter_html.STYLESHEET_PATH}",  # even our own file, by path
        "data:text/css,body%7Bcolor:red%7D",
        "app-static://letter/static/letters/../../../etc/passwd",
        "app-static://letter/static/letters/%2e%2e/%2e%2e/manage.py",
        "app-static://letter/static/css/app.css",
        "app-static://letter/media/requests/private-upload.pdf",
        "app-static://letter/static/letters/letter.css?x=1",
        f"app-static://127.0.0.1:{origin.rsplit(':', 1)[1]}/static/letters/letter.css",
        "APP-STATIC://LETTER/static/letters/letter.css",
        "javascript:alert(1)",
    ]


def test_fetcher_serves_the_letter_stylesheet_and_fonts():
    fetcher = LetterAssetFetcher()
    css = fetcher.fetch("app-static://letter/static/letters/letter.css")
    assert b"@font-face" in css.read()
    font = fetcher.fetch("app-static://letter/static/fonts/NotoSans-Regular.woff2")
    assert font.read()[:4] == b"wOF2"


def test_fetcher_refuses_everything_else_without_network_or_file_access(server, monkeypatch):
    fetcher = LetterAssetFetcher()
    letter_pdf.static_asset_files()  # the allow-list is built once, before any request

    def no_file_access(*args, **kwargs):
        raise AssertionError("a refused URL touched the filesystem")

    monkeypatch.setattr(builtins, "open", no_file_access)
    monkeypatch.setattr(Path, "read_bytes", no_file_access)
    monkeypatch.setattr(Path, "stat", no_file_access)
    for url in hostile_urls(server.origin):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert server.hits == []


HOSTILE_DOCUMENTS = {
    "img": '<img src="{origin}/img.png" alt="">',
    "img-redirect": '<img src="{origin}/redirect" alt="">',
    "img-file": '<img src="file:///etc/passwd" alt="">',
    "img-data-svg": (
        '<img alt="" src="data:image/svg+xml,<svg xmlns=\'http://www.w3.org/2000/svg\'>'
        "<image href='{origin}/in-data-svg.png'/></svg>\">"
    ),
    "link-stylesheet": '<link rel="stylesheet" href="{origin}/style.css">',
    "link-file": '<link rel="stylesheet" href="file:///etc/passwd">',
    "import": '<style>@import url("{origin}/import.css");</style>',
    "css-url": '<style>body {{ background: url("{origin}/bg.png") }}</style>',
    "css-file-url": '<style>body {{ background: url("file:///etc/passwd") }}</style>',
    "font-face": (
        '<style>@font-face {{ font-family: Evil; src: url("{origin}/font.woff2") }} '
        "p {{ font-family: Evil }}</style>"
    ),
    "object": '<object data="{origin}/object.svg" type="image/svg+xml"></object>',
    "embed": '<embed src="{origin}/embed.svg" type="image/svg+xml">',
    "inline-svg": (
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<image href="{origin}/inline-svg.png" width="10" height="10"/></svg>'
    ),
    "link-attachment": '<link rel="attachment" href="{origin}/attachment.bin">',
    "a-attachment": '<a rel="attachment" href="file:///etc/passwd">passwd</a>',
    "base": '<base href="{origin}/"><img src="relative.png" alt="">',
}


def hostile_document(name, origin):
    element = HOSTILE_DOCUMENTS[name].format(origin=origin)
    return (
        '<!DOCTYPE html><html lang="en-GB"><head><title>t</title></head>'
        f"<body><p>Letter</p>{element}</body></html>"
    )


@pytest.mark.slow
def test_the_recording_server_would_see_an_unguarded_fetch(server):
    """Control: WeasyPrint's own fetcher does reach the server, so zero hits means something."""
    from weasyprint import HTML

    HTML(string=hostile_document("img", server.origin)).write_pdf()
    assert server.hits == ["/img.png"]


@pytest.mark.slow
@pytest.mark.parametrize("name", [name for name in HOSTILE_DOCUMENTS if name != "inline-svg"])
def test_hostile_html_stops_the_render_and_fetches_nothing(name, server, opened_files):
    with pytest.raises(RenderError, match="The letter refers to a file it may not use"):
        letter_pdf.html_to_pdf(hostile_document(name, server.origin), draft=False)
    assert server.hits == []
    assert "/etc/passwd" not in opened_files


@pytest.mark.slow
def test_images_inside_inline_svg_are_not_fetched(server, opened_files):
    pdf = letter_pdf.html_to_pdf(hostile_document("inline-svg", server.origin), draft=False)
    assert "Letter" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert server.hits == []


@pytest.mark.slow
def test_hostile_text_in_a_letter_is_printed_not_fetched(authority, requester, server):
    origin = server.origin
    hostile = [
        f'<img src="{origin}/img.png"> <link rel="stylesheet" href="{origin}/s.css">',
        f'<style>@import url("{origin}/i.css"); body {{ background: url(file:///etc/passwd) }}'
        "</style>",
        f'<object data="{origin}/o.svg"></object> <a rel="attachment" href="file:///etc/passwd">',
        f"![image]({origin}/markdown.png) url({origin}/bare.png)",
    ]
    letter = ncnd_letter(
        authority=authority, requester=requester, sections=[("body", "Body", hostile)]
    )
    letter.case.requester.name = f'<img src="{origin}/name.png">'
    letter.case.requester.save()
    pdf = letter_pdf.render_letter_pdf(letter)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert f"{origin}/img.png" in text.replace("\n", "")
    assert PASSWD_MARKER not in text
    assert list(reader.attachments) == ["decision.json"]
    assert server.hits == []


@pytest.mark.slow
def test_attachment_contents_are_data_never_urls(server):
    html = '<html lang="en-GB"><head><title>t</title></head><body><p>x</p></body></html>'
    pdf = letter_pdf.html_to_pdf(
        html,
        draft=False,
        attachments=[
            ("a.txt", "file:///etc/passwd", "a path, as text"),
            ("b.txt", f"{server.origin}/attachment", "a URL, as text"),
        ],
    )
    attachments = PdfReader(io.BytesIO(pdf)).attachments
    assert attachments["a.txt"][0] == b"file:///etc/passwd"
    assert attachments["b.txt"][0] == f"{server.origin}/attachment".encode()
    assert server.hits == []


def test_only_the_authoritys_own_logo_is_served_from_media(
    authority, requester, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "requests").mkdir()
    (tmp_path / "requests" / "private.png").write_bytes(b"\x89PNG private")
    logo_path = "/media/authority/logo.png"
    fetcher = LetterAssetFetcher({logo_path: (b"\x89PNG logo", "image/png")})
    assert fetcher.fetch(f"app-static://letter{logo_path}").read() == b"\x89PNG logo"
    with pytest.raises(RefusedURL):
        fetcher.fetch("app-static://letter/media/requests/private.png")
