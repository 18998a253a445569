"""Shared by the studio tests: a project, a real studio server on 127.0.0.1, raw HTTP requests to it."""

from __future__ import annotations

import http.client
import json
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

import smallbook


def project(root: Path, engine: str = "fake") -> Path:
    """The small three-room book in `root`, split into its scripts, voiced by `engine`."""
    smallbook.make_project(root)
    toml = root / "narrate.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('engine = "fake"', f'engine = "{engine}"')
                    + '[sound]\ncue = "none"\n[output]\nformats = ["mp3", "tracks"]\n', encoding="utf-8")
    return root


@contextmanager
def server(root: Path, **kwargs):
    """A studio serving `root` on 127.0.0.1 (any free port) for the block; stopped after it."""
    pytest.importorskip("starlette", reason="pip install 'narrate[studio]'")
    from narrate.studio import start

    running = start(root, **kwargs)
    try:
        yield running
    finally:
        running.stop()


def request(running, method: str, path: str, body: bytes | dict | None = None, headers: dict | None = None,
            cookie: bool = True) -> tuple[int, dict, bytes]:
    """(status, headers, body) of one request sent as written: the path is not normalized, headers are ours."""
    conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=30)
    sent = {"Host": f"127.0.0.1:{running.port}"}
    if cookie:
        sent["Cookie"] = f"narrate_studio={running.token}"
    if method == "POST":
        sent["Origin"] = f"http://127.0.0.1:{running.port}"
    sent.update(headers or {})
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    if data is not None:
        sent.setdefault("Content-Type", "application/json")
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for name, value in sent.items():
        if value is not None:
            conn.putheader(name, value)
    if data is not None and "Transfer-Encoding" not in sent:
        conn.putheader("Content-Length", str(len(data)))
    conn.endheaders()
    if data is not None:
        if sent.get("Transfer-Encoding") == "chunked":
            for i in range(0, len(data), 8192):
                piece = data[i : i + 8192]
                conn.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            conn.send(b"0\r\n\r\n")
        else:
            conn.send(data)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, payload


# --- the page in Chromium --------------------------------------------------------

# Chromium's switches for the studio's pages (conftest's `browser` launches with a module's ARGS):
# takes play unasked.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--autoplay-policy=no-user-gesture-required"]


class Tab:
    """A page of the studio, and every problem it met (console errors, failed or foreign requests)."""

    def __init__(self, browser, running, size: tuple[int, int] = (1000, 700)):
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]}, reduced_motion="reduce")
        self.page = self.context.new_page()
        self.problems: list[str] = []
        page, origin = self.page, f"http://127.0.0.1:{running.port}/"
        page.on("console", lambda m: self.problems.append(f"{m.type}: {m.text}") if m.type == "error" and "409" not in m.text else None)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("request", lambda r: None if r.url.startswith(origin) else self.problems.append(f"fetched {r.url}"))
        self.open(running)

    def open(self, running) -> None:
        self.page.goto(running.url)
        self.page.wait_for_selector(".s")
        # Muted, and slow: a clicked sentence is still the current one when the test acts on it (the player goes on).
        self.page.evaluate("document.querySelectorAll('audio').forEach(a => { a.muted = true; a.defaultPlaybackRate = 0.1; })")

    def sentence(self, text: str):
        return self.page.locator(".s", has_text=text).first

    def close(self) -> None:
        self.context.close()
        assert self.problems == []


@pytest.fixture
def book(tmp_path, fake_engine):
    """The small book, built once with the recording fake voice (every sentence cached), the record cleared."""
    root = project(tmp_path / "book")
    smallbook.build(root)
    fake_engine.clear()
    return root


@pytest.fixture
def studio(book):
    with server(book) as running:
        yield running


@pytest.fixture
def tab(browser, studio):
    opened = Tab(browser, studio)
    yield opened
    opened.close()


def until(page, script: str, timeout: float = 10.0) -> None:
    """Wait until `script` is true in the page (polled from here: the page's CSP forbids the eval wait_for_function uses)."""
    end = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < end, f"still false after {timeout} s: {script}"
        time.sleep(0.05)


def edit(tab, old: str, new: str) -> None:
    """Select the sentence, open its editor with E, type, save with Ctrl+Enter; wait for the take in context."""
    tab.sentence(old).focus()
    tab.page.keyboard.press("e")
    area = tab.page.locator(".editor textarea")
    area.fill(new)
    area.press("Control+Enter")
    tab.page.wait_for_selector(f".s.edited:has-text({json.dumps(new)})")
