"""A real browser (Debian's Chromium, driven by Playwright) against a live server: one browser for
the whole run, whichever directory a browser test lives in (tests/conftest.py registers these
fixtures once; a second session fixture would start a second Playwright beside the first).

Skipped, with the reason printed, where Chromium is not installed; `.ci/run` installs it.
Screenshots of each step go to test-artifacts/screenshots/, which CI keeps.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"

# Playwright's sync API keeps an event loop in this thread; the ORM calls made by the test itself
# are ordinary synchronous calls, which Django would otherwise refuse next to a running loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium): browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _close_pages(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a browser test, close the pages it left open: an open page keeps its connections to
    the live server, whose request threads then hold their database connections, and PostgreSQL
    refuses to drop a test database still in use at the end of the run."""
    yield
    if "browser" in request.fixturenames:
        for context in request.getfixturevalue("browser").contexts:
            context.close()


@pytest.fixture
def shot() -> object:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: object, name: str) -> None:
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]

    return take


def log_in(page: Any, base: str, username: str) -> None:
    """Log in as a user of the demo network (the demo password, config/settings.py) and wait to
    leave the login page: each role lands on its own screen."""
    page.goto(f"{base}/connexion/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-password")
    page.click("main form button[type=submit]")
    page.wait_for_url(lambda url: "/connexion/" not in url)


def assert_no_sideways_scroll(page: Any) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways"


AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci): accessibility checks skipped")
    return AXE.read_text(encoding="utf-8")


def serious_violations(page: object, axe_source: str) -> list[str]:
    """Run axe-core in the page (through the DevTools protocol, which the page's CSP does not
    govern) and return the serious and critical violations, one line each."""
    page.evaluate(axe_source)  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '))"
    )
    return list(result)
