"""Fixtures for the browser journeys: one headless Debian Chromium per session, one fresh phone-sized page per test.

Playwright's own browser download does not work in our build environments, so the tests drive the
distribution's Chromium at /usr/bin/chromium. Without it the journeys are skipped on a developer machine
and fail in CI (CI=true), where a missing browser means a broken image, not a choice.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# A cheap Android phone: the narrowest screen we promise to support.
PHONE_VIEWPORT = {"width": 360, "height": 740}
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-results"


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        message = (
            f"Không tìm thấy {CHROMIUM}: cài bằng `apt-get install -y chromium` (browser tests need Debian's Chromium)."
        )
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    # Playwright's sync API runs its own asyncio event loop on this (the main) thread, so while it is
    # started Django sees "a running event loop" on every ORM call made here — creating and flushing the
    # test database, the tests' own checks on User rows — and raises SynchronousOnlyOperation. Nothing
    # here is really async: those calls are ordinary blocking calls on the test thread, and the live
    # server answers the browser from its own thread. So allow them, for exactly as long as Playwright
    # runs; the guard stays on for the tests that run before the first browser test.
    with pytest.MonkeyPatch.context() as mp, sync_playwright() as pw:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="vi-VN", viewport=PHONE_VIEWPORT, timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    SCREENSHOT_DIR.mkdir(exist_ok=True)
    return SCREENSHOT_DIR
