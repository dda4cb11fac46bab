"""Headless Chromium for the HTML tests: Debian's browser, every request recorded.

Shared by the report, notebook and hostile-input tests (the fixture ``chromium``
lives in conftest.py). Playwright only drives the browser; it never downloads one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=OptimizationHints,MediaRouter,Translate",
    # Belt and braces: even a request that escaped interception could not connect.
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]
MISSING = "Debian's chromium is not installed (/usr/bin/chromium); .ci/run installs it"


class Browser:
    """A Chromium context whose every request is recorded and, unless local, aborted."""

    def __init__(self, context) -> None:
        self.context = context
        self.requests: list[str] = []
        context.route("**/*", self._route)
        context.on("request", lambda request: self.requests.append(request.url))

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("file://", "data:")):
            route.continue_()
        else:
            route.abort()

    def open(self, path: Path):
        self.requests.clear()
        page = self.context.new_page()
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_timeout(300)  # let any late (lazy) load show itself
        return page


@contextmanager
def launch(profile: Path) -> Iterator[Browser]:
    """Start Chromium offline with a fresh profile (``--user-data-dir``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1000, "height": 900},
            offline=True,
        )
        try:
            yield Browser(context)
        finally:
            context.close()
