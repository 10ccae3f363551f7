"""Browser tests: Debian's Chromium, driven by Playwright, against pytest-django's live server.

Playwright's own browser downloads are not used; the tests need /usr/bin/chromium
(`make test` installs it with apt-get when it can) and skip, saying why, without it.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread, which makes Django refuse ORM
# calls from the test body ("SynchronousOnlyOperation"). The loop never runs our code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Long enough for a cold live server on a busy machine, short enough to fail fast.
TIMEOUT_MS = 15_000


def _wait_as_long_in_assertions():
    """expect() has its own 5-second default, too short for CI's busy two cores."""
    try:
        from playwright.sync_api import expect
    except ImportError:  # the browser tests skip themselves without Playwright
        return
    expect.set_options(timeout=TIMEOUT_MS)


_wait_as_long_in_assertions()


def pytest_collection_modifyitems(config, items):
    """Everything under tests/e2e is a browser test; skip them all when there is no browser.

    They also run last: the open browser keeps an event loop running in this thread,
    which would change how any later test that touches asyncio behaves.
    """
    here = Path(__file__).parent
    skip = None
    if not CHROMIUM.exists():
        skip = pytest.mark.skip(
            reason=f"{CHROMIUM} is not installed (sudo apt-get install chromium) "
            "so the browser tests cannot run"
        )
    other_tests, browser_tests = [], []
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)
            if skip:
                item.add_marker(skip)
            browser_tests.append(item)
        else:
            other_tests.append(item)
    items[:] = other_tests + browser_tests


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab with its own cookies, for one test."""
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, live_server, user, password=None):
    """Sign in through the sign-in page, as a person would, and wait for the next page."""
    from tests.conftest import PASSWORD

    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Username").fill(user.get_username())
    page.get_by_label("Password").fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    return page


# --- axe-core on every page a journey visits -------------------------------------------
#
# Each document the browser loads runs axe-core by itself once it has loaded (an init
# script, which the Content Security Policy does not govern, so the journeys keep the real
# policy) and hands its result to the test through a binding; again after an htmx swap.
# Every serious or critical violation fails the test, listed with its rule, page and
# selectors.
#
# "Every page" is made sure of: each document says when it starts, and the URLs of the
# frames shown (the sandboxed letter previews, where axe-core cannot run: no timers) are
# noted. At the end, each such URL with no result yet (a page the test left before axe-core
# finished on it, or a frame) is opened again in a new tab of the same browser and checked
# as it is then; one that still gives no result fails the test. (Holding the navigation
# until axe-core finishes does not work: a page cannot be evaluated while its navigation
# request is held.) The editor's live srcdoc preview has no URL; its saved letter is
# checked at /letters/<pk>/preview/, the frame shown before any edit.

AXE_BLOCKING = ("serious", "critical")
AXE_WAIT_MS = 30_000  # a slow two-core machine can take seconds on a long letter
_AXE_RUNNER = """
(() => {
  if (window.top !== window || window.__axeResult || !location.protocol.startsWith("http")) return;
  if (document.contentType !== "text/html") return;  // a PDF in the browser's viewer
  const blocking = %s;
  const doc = Math.random().toString(36).slice(2) + Date.now().toString(36);
  const report = (r) => { if (window.__axeReport) window.__axeReport(r); return r; };
  report({doc, url: location.href, started: true});
  const runAxe = () => __axeCheck(document, blocking).then((r) => ({...r, doc}),
    (error) => ({doc, url: location.href, error: String(error)}));
  window.__axeResult = new Promise((resolve) => {
    const go = () => setTimeout(() => runAxe().then(report).then(resolve), 0);
    if (document.readyState === "complete") go(); else window.addEventListener("load", go);
  });
  // A part of the page swapped in by htmx is checked again, after the swap settles.
  document.addEventListener("htmx:afterSettle", () => {
    const previous = window.__axeResult;
    window.__axeResult = previous.then((first) => runAxe().then((second) => ({
      ...second, violations: first.violations.concat(second.violations || [])})).then(report));
  });
})();
"""
# axe-core's run on one document, reduced to what the test reports.
_AXE_CHECK = """
window.__axeCheck = (doc, blocking) => axe.run(doc).then((r) => ({
  url: doc.location.href, title: doc.title, passes: r.passes.length,
  violations: r.violations.filter((v) => blocking.includes(v.impact)).map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target, html: n.html.slice(0, 200),
                                summary: n.failureSummary || ""}))}))}));
"""
_AXE_AWAIT = """
(waitMs) => window.__axeResult ? Promise.race([window.__axeResult, new Promise((resolve) =>
  setTimeout(() => resolve({url: location.href, error: `no result after ${waitMs} ms`}), waitMs))])
  : null
"""


def _axe_core():
    from django.conf import settings

    path = Path(
        os.environ.get("AXE_CORE_JS")
        or Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
    )
    if not path.exists():
        pytest.skip(f"{path} is missing: run `npm ci` (axe-core is in package.json)")
    return path.read_text() + "\n" + _AXE_CHECK


class AxeAudit:
    """Collects axe-core's serious and critical findings on every page of some contexts."""

    def __init__(self):
        self.axe_core = _axe_core()
        self.started = {}  # document id -> (context, URL), for every page the contexts loaded
        self.checked = {}  # document id -> URL, for those whose check came back
        self.frames = {}  # (context, URL) of each frame those pages showed
        self.problems = {}  # (url, rule, selectors) -> one line of the failure message
        self.contexts = []

    def watch(self, context):
        context.expose_binding("__axeReport", self._report)
        context.add_init_script(script=self.axe_core + _AXE_RUNNER % list(AXE_BLOCKING))
        context.on("page", lambda page: page.on("framenavigated", self._note_frame))
        self.contexts.append(context)
        return context

    def _report(self, source, result):
        if result.get("started"):
            self.started[result["doc"]] = (source["context"], result["url"])
        else:
            self._record(result)

    def _note_frame(self, frame):
        if frame.parent_frame is not None and frame.url.startswith("http"):
            self.frames[(frame.page.context, frame.url)] = None

    def check(self, page):
        """Wait for axe-core's result on the page as it is now."""
        try:
            self._record(page.evaluate(_AXE_AWAIT, AXE_WAIT_MS))
        except Exception:  # the page was already closing: nothing left to check
            pass

    def _record(self, result):
        if not result:
            return
        url = result["url"]
        if "error" in result:
            self.problems[(url, "axe-error", "")] = f"{url}\n  axe-core failed: {result['error']}"
            return
        if not result["passes"] and not result["violations"]:
            return
        self.checked[result["doc"]] = url
        for violation in result["violations"]:
            for node in violation["nodes"]:
                where = " ".join(node["target"])
                self.problems.setdefault(
                    (url, violation["id"], where),
                    f"{url} ({result['title']})\n"
                    f"  [{violation['impact']}] {violation['id']}: {violation['help']}\n"
                    f"    at {where}: {node['html']}\n"
                    f"    {node['summary'].replace(chr(10), chr(10) + '    ')}",
                )

    def unchecked(self):
        """(context, URL) of the pages loaded whose URL has no result yet."""
        checked = set(self.checked.values())
        left = [place for doc, place in self.started.items() if place[1] not in checked]
        left += [place for place in self.frames if place[1] not in checked]
        return list(dict.fromkeys(left))

    def finish(self):
        """Wait for the open pages; open again, in a new tab, each page left unchecked."""
        for context in self.contexts:
            for page in context.pages:
                self.check(page)
        for context, url in self.unchecked():
            page = context.new_page()
            try:
                page.goto(url)
                self.check(page)
            except Exception as error:  # e.g. the context is already closed
                self.problems[(url, "axe-error", "")] = f"{url}\n  could not be opened: {error}"
            finally:
                page.close()

    def failure(self):
        lines = list(self.problems.values())
        lines += [f"{url}\n  never checked by axe-core" for _context, url in self.unchecked()]
        if not lines:
            return None
        return (
            f"axe-core: {len(lines)} problem(s) on the "
            f"{len(set(self.checked.values()))} page(s) checked:\n\n" + "\n\n".join(lines)
        )


@pytest.fixture
def axe_audit(request):
    """Checks every page of the contexts given to ``axe_audit.watch`` before the test ends."""
    audit = AxeAudit()
    yield audit
    audit.finish()
    message = audit.failure()
    if message:
        pytest.fail(message, pytrace=False)


@pytest.fixture
def audited_page(browser, live_server, axe_audit):
    """Like ``page``, with axe-core run on every page it loads."""
    context = axe_audit.watch(browser.new_context(base_url=live_server.url, locale="en-GB"))
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    axe_audit.finish()
    context.close()


@pytest.fixture
def person(browser, live_server, axe_audit):
    """``person(user, password)``: a browser of their own for each person (signed in when a
    user is given), so their sessions never mix; axe-core checks every page each one sees."""
    from playwright.sync_api import expect

    contexts = []

    def open_browser(user=None, password=None):
        context = axe_audit.watch(browser.new_context(base_url=live_server.url, locale="en-GB"))
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        if user is not None:
            sign_in(page, live_server, user, password=password)
            expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        return page

    yield open_browser
    axe_audit.finish()
    for context in contexts:
        context.close()


@pytest.fixture
def screenshots(request, tmp_path):
    """``screenshots("step")`` is the path for one step's picture, in a folder for the test:
    under $E2E_SCREENSHOTS when the run names one, else in the test's pytest tmp folder."""
    root = os.environ.get("E2E_SCREENSHOTS")
    folder = Path(root) / request.node.name if root else tmp_path / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    count = iter(range(1, 1000))

    def path(step):
        return str(folder / f"{next(count):02d}-{step}.png")

    path.folder = folder
    return path
