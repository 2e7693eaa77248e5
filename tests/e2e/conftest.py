"""Browser fixtures: a real `streamlit run app.py` server and Debian's Chromium via Playwright.

The tests run in the normal `python -m pytest` run and skip, saying why, when Chromium or
Playwright is not installed. Screenshots go to test-artifacts/ (gitignored).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from tests.e2e.browser import (CHROMIUM_ARGS, chromium_path, free_port, start_server,
                               stop_server)

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium() -> str:
    if sync_playwright is None:
        pytest.skip("Playwright is not installed (pip install playwright)")
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium); browser tests skipped")
    return path


@pytest.fixture(scope="session")
def server(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A live app on a free port with its own DOJO_HOME."""
    folder = tmp_path_factory.mktemp("e2e-server")
    home, port = folder / "dojo", free_port()
    process = start_server(home, port, folder / "streamlit.log")
    try:
        yield {"url": f"http://127.0.0.1:{port}", "dojo_home": home,
               "log": folder / "streamlit.log"}
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator["Browser"]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: "Browser", server: dict) -> Iterator["Page"]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                  accept_downloads=True, locale="en-US")
    context.set_default_timeout(60_000)
    tab = context.new_page()
    try:
        yield tab
    finally:
        context.close()
