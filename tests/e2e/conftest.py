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
