"""The listening page: self-contained HTML, driven in headless Chromium from file://."""

from __future__ import annotations

import json
import re
import shutil

import pytest

import smallbook
from narrate.captions import Cue, parse_webvtt
from narrate.page import PageTrack, render
from narrate.tags import Chapter


def test_the_page_is_self_contained_and_escapes_its_text():
    html = render(
        'A </script> & "B"', "Me <you>", "book.mp3", [Chapter("One </b>", 0, 1000)],
        [Cue(100, 900, "Said </script><script>alert(1)</script>.")], [PageTrack("One", "sections/01-one.mp3", 600, 100)],
        b"\xff\xd8jpeg",
    )
    assert "<title>A &lt;/script&gt; &amp; &quot;B&quot;</title>" in html
    assert "Me &lt;you&gt;" in html and 'src="data:image/jpeg;base64,/9hqcGVn"' in html
    data = re.search(r'<script type="application/json" id="book-data">(.*?)</script>', html, re.S).group(1)
    assert json.loads(data)["cues"] == [{"start": 0.1, "end": 0.9, "text": "Said </script><script>alert(1)</script>."}]
    assert html.count("<script") == 2  # the JSON cannot open or close a script element
    # Nothing is fetched from the network; only the audio files beside the page are referenced.
    assert not re.search(r"(src|href)=\"(https?:)?//", html)


def _chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def page_book(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path / "book")
    report = smallbook.build(root)
    return root, report


def test_the_page_plays_seeks_and_follows_the_captions_in_chromium(page_book):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")
    browser_path = _chromium()
    if browser_path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; CI installs it)")
    root, report = page_book
    cues = parse_webvtt((root / "audio" / "essay.vtt").read_text(encoding="utf-8"))
    problems: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=browser_path, args=["--autoplay-policy=no-user-gesture-required", "--no-sandbox"]
        )
        try:
            page = browser.new_page()
            page.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
            page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
            page.goto((root / "audio" / "index.html").as_uri())
            page.wait_for_function("document.getElementById('book').readyState >= 1", timeout=15000)
            assert page.evaluate("document.getElementById('book').duration") == pytest.approx(
                report.chapters[-1].end_ms / 1000, abs=0.1
            )
            titles = page.locator(".chapter .name").all_inner_texts()
            assert titles == [c.title for c in report.chapters]

            for index in (2, 1):
                page.locator(".chapter").nth(index).click()
                now = page.evaluate("document.getElementById('book').currentTime")
                assert now == pytest.approx(report.chapters[index].start_ms / 1000, abs=0.1)
            assert page.locator(".chapter").nth(1).get_attribute("aria-current") == "true"

            # Set the time inside a sentence: the caption shows that sentence.
            page.evaluate("const a = document.getElementById('book'); a.pause(); a.muted = true;")
            for cue in (cues[4], cues[-1]):
                page.evaluate(f"document.getElementById('book').currentTime = {(cue.start_ms + cue.end_ms) / 2000}")
                page.wait_for_function(f"document.getElementById('caption').textContent === {json.dumps(cue.text)}")

            # Play (muted) from just before a sentence: the caption moves on to it as the audio plays.
            target = cues[6]
            page.evaluate(f"const a = document.getElementById('book'); a.currentTime = {target.start_ms / 1000 - 0.3};")
            page.evaluate("document.getElementById('book').play()")
            page.wait_for_function(f"document.getElementById('caption').textContent === {json.dumps(target.text)}",
                                   timeout=5000)
            assert not page.evaluate("document.getElementById('book').paused")

            # A section track plays on its own and drives the caption too.
            page.evaluate("document.getElementById('book').pause()")
            assert page.locator("audio.track").count() == 3
            page.evaluate("const t = document.querySelectorAll('audio.track')[1]; t.muted = true; t.play()")
            second = [c for c in cues if report.chapters[2].start_ms <= c.start_ms < report.chapters[3].start_ms]
            page.wait_for_function(
                "document.querySelectorAll('audio.track')[1].currentTime > 0.7 && "
                f"document.getElementById('caption').textContent === {json.dumps(second[0].text)}", timeout=5000
            )
            # Inside the track, the caption follows the track's own time (its head pause before the speech).
            offset = page.evaluate("JSON.parse(document.getElementById('book-data').textContent).tracks[1].offset")
            assert offset == pytest.approx(0.6, abs=0.1)  # the head pause, give or take the decoder's priming
            inside = offset + ((second[1].start_ms + second[1].end_ms) / 2 - second[0].start_ms) / 1000
            page.evaluate(f"const t = document.querySelectorAll('audio.track')[1]; t.pause(); t.currentTime = {inside}")
            page.wait_for_function(f"document.getElementById('caption').textContent === {json.dumps(second[1].text)}")
        finally:
            browser.close()
    assert problems == []
