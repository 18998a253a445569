"""The read-along page: self-contained HTML, driven in headless Chromium from file://, checked by axe-core."""

from __future__ import annotations

import json
import re

import pytest

import smallbook
from narrate.audio.tags import Chapter
from narrate.outputs.captions import Caption
from vtt import read_cues
from narrate.outputs.page import PageSection, PageTrack, page_html

# Three sections of two paragraphs: 23 sentences with the opening, so there is a twentieth.
ESSAY = """Rooms Read Aloud

1. The Hall
The door opens onto a hall. Light comes through the window. Dust turns in the light.

A chair waits by the wall. Its paint is old. Someone sat here once.

2. The Kitchen
Here the floor creaks. Nobody answers. A kettle sits cold on the stove.

The tap drips. A clock ticks on the shelf. The window looks out on the yard.

3. The Garden
The grass is long. Bees move between the flowers. A gate stands open.

Beyond it the road bends away. The evening comes slowly. That is all.
"""
# The lexicon respells a word for the voice; the captions and the page show the script's word.
TOML = """[book]
author = "A. Writer"
essay = "essay.txt"
[voice]
engine = "fake"
[lexicon]
creaks = "kreeks"
[output]
formats = ["mp3", "tracks", "vtt", "html"]
"""
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--autoplay-policy=no-user-gesture-required"]  # the browser fixture's (conftest): the page plays unasked
TIME = "document.getElementById('book').currentTime"
SPOKEN = "Array.from(document.querySelectorAll('.s')).findIndex(s => s.getAttribute('aria-current') === 'true')"
CHAPTER = "Array.from(document.querySelectorAll('.chapter')).findIndex(c => c.getAttribute('aria-current') === 'true')"


def _right_after(page, element: str, event: str) -> None:
    """Record in `window.after`, right after the page's own handler of `event` on `element` (a JS expression) has run,
    where the book was told to play from and what is marked.

    Read then, in the same task, these are what the page did; read later, the time has moved on
    by however long a busy machine took to ask (28.95 s for a sentence at 28.82 s, once).
    """
    page.evaluate(
        f"""() => {element}.addEventListener("{event}", () => {{
          window.after = {{time: {TIME}, spoken: {SPOKEN}, chapter: {CHAPTER},
                           shown: document.getElementById("now-chapter").textContent}};
        }}, {{once: true}})"""
    )


def _plays_on_from(page, seconds: float) -> None:
    """The book plays, from `seconds` on: paused, it is at or past that time."""
    page.wait_for_function("!document.getElementById('book').paused", timeout=5000)
    now = page.evaluate("(() => { const b = document.getElementById('book'); b.pause(); return b.currentTime; })()")
    assert now >= seconds - 1e-3


def test_the_page_is_self_contained_and_escapes_its_text():
    said = Caption(100, 900, "Said </script><script>alert(1)</script>.")
    html = page_html(
        'A </script> & "B"', "Me <you>", "book.mp3", [Chapter("One </b>", 0, 1000)],
        [PageSection(((Caption(0, 90, "One <b>."),), (said,)))], [PageTrack("One", "sections/01-one.mp3", 600, 100)],
        b"\xff\xd8jpeg", "fr",
    )
    assert "<title>A &lt;/script&gt; &amp; &quot;B&quot;</title>" in html and '<html lang="fr">' in html
    assert "Me &lt;you&gt;" in html and 'src="data:image/jpeg;base64,/9hqcGVn"' in html
    assert "<h3><span class=\"s\" role=\"button\" tabindex=\"0\">One &lt;b&gt;.</span></h3>" in html
    assert "Said &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;." in html
    data = re.search(r'<script type="application/json" id="book-data">(.*?)</script>', html, re.S).group(1)
    assert json.loads(data)["cues"] == [[0.0, 0.09], [0.1, 0.9]]
    assert html.count("<script") == 2  # the text cannot open or close a script element
    # Nothing is fetched from the network; only the audio files beside the page are referenced.
    assert not re.search(r"(src|href)=\"(https?:)?//", html) and "<link rel=\"stylesheet\"" not in html


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    """The three-room book built once with the fake voice: (root, report, its captions)."""
    root = tmp_path_factory.mktemp("page") / "book"
    root.mkdir()
    (root / "essay.txt").write_text(ESSAY, encoding="utf-8")
    (root / "narrate.toml").write_text(TOML, encoding="utf-8")
    with smallbook.fake_registered():
        report = smallbook.build(root)
    return root, report, read_cues((root / "audio" / "essay.vtt").read_text(encoding="utf-8"))


@pytest.fixture
def page(browser, book):
    """The book's page opened from file:// in a small window, with reduced motion; no console errors allowed."""
    root = book[0]
    context = browser.new_context(viewport={"width": 900, "height": 500}, reduced_motion="reduce")
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    tab.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    tab.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    tab.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else problems.append(f"fetched {r.url}"))
    tab.goto((root / "audio" / "index.html").as_uri())
    tab.wait_for_function("document.getElementById('book').readyState >= 1", timeout=15000)
    tab.evaluate("document.querySelectorAll('audio').forEach(a => a.muted = true)")
    yield tab
    context.close()
    assert problems == []


def _sentences(page) -> list[str]:
    return page.locator(".s").all_inner_texts()


def test_every_sentence_of_the_book_is_on_the_page_in_order(page, book):
    _, report, cues = book
    shown = _sentences(page)
    assert len(shown) == len(cues) == 23
    # Each sentence of the essay, split here by its full stops, is one element, in the essay's order.
    essay = [s for line in ESSAY.splitlines()[2:] if line.strip() for s in re.split(r"(?<=\.) ", re.sub(r"^\d\. (.*)", r"\1.", line))]
    assert shown[2:] == essay and shown[:2] == ["Rooms Read Aloud.", "By A. Writer."]
    # The script's word, not the voice's respelling, on the page and in the captions.
    assert "Here the floor creaks." in shown and "Here the floor creaks." in [c.text for c in cues]
    assert not any("kreeks" in text for text in shown + [c.text for c in cues])
    # Headings are headings, paragraphs paragraphs; each section's heading opens its chapter.
    assert page.locator(".text h3").all_inner_texts() == [f"{c.title}." for c in report.chapters]
    assert page.locator(".text p").count() == 1 + 3 * 2
    assert page.evaluate("JSON.parse(document.getElementById('book-data').textContent).cues") == [
        [round(c.start_ms / 1000, 3), round(c.end_ms / 1000, 3)] for c in cues
    ]


def test_clicking_the_twentieth_sentence_plays_from_its_start(page, book):
    cue = book[2][19]
    _right_after(page, "document.querySelectorAll('.s')[19]", "click")
    page.locator(".s").nth(19).click()
    # The page's times are the captions' milliseconds: the seek is to the sentence's start, exactly.
    after = page.evaluate("window.after")
    assert after == {"time": pytest.approx(round(cue.start_ms / 1000, 3), abs=1e-6), "spoken": 19, "chapter": 3, "shown": after["shown"]}
    _plays_on_from(page, cue.start_ms / 1000)


def test_enter_or_space_on_a_focused_sentence_plays_from_it(page, book):
    cues = book[2]
    for index, key in ((5, "Enter"), (12, " ")):
        # Found the way a screen reader finds it: a button named by the sentence.
        page.get_by_role("button", name=_sentences(page)[index], exact=True).focus()
        _right_after(page, f"document.querySelectorAll('.s')[{index}]", "keydown")
        page.keyboard.press(key)
        assert page.evaluate("window.after")["time"] == pytest.approx(round(cues[index].start_ms / 1000, 3), abs=1e-6)
        assert page.evaluate("window.after")["spoken"] == index
        assert page.evaluate(f"document.activeElement === document.querySelectorAll('.s')[{index}]")  # focus stays on it
        _plays_on_from(page, cues[index].start_ms / 1000)


def test_the_highlight_follows_playback_and_stays_in_view(page, book):
    cues = book[2]
    page.evaluate("document.getElementById('book').pause()")
    for index in (4, 17, 9):  # set the time inside a sentence, forwards and back
        page.evaluate(f"document.getElementById('book').currentTime = {(cues[index].start_ms + cues[index].end_ms) / 2000}")
        page.wait_for_function(f"{SPOKEN} === {index}")
        assert page.locator(".s[aria-current='true']").count() == 1
    # Play from just before a sentence far down the text: the mark moves on to it as the audio plays, in view.
    target = 21
    page.evaluate(f"document.getElementById('book').currentTime = {cues[target].start_ms / 1000 - 0.3}")
    page.evaluate("document.getElementById('book').play()")
    page.wait_for_function(f"{SPOKEN} === {target}", timeout=5000)
    box = page.locator(".s").nth(target).bounding_box()
    bar = page.locator("#player").bounding_box()
    assert bar["y"] + bar["height"] <= box["y"] and box["y"] + box["height"] <= 500  # below the sticky player, on screen


def test_chapters_and_tracks_drive_the_page(page, book):
    _, report, cues = book
    assert page.locator(".chapter .name").all_inner_texts() == [c.title for c in report.chapters]
    assert page.evaluate("document.getElementById('book').duration") == pytest.approx(report.chapters[-1].end_ms / 1000, abs=0.1)
    _right_after(page, "document.querySelectorAll('.chapter')[2]", "click")
    page.locator(".chapter").nth(2).click()
    assert page.evaluate("window.after")["time"] == pytest.approx(report.chapters[2].start_ms / 1000, abs=1e-6)
    assert page.evaluate("window.after")["chapter"] == 2
    assert page.evaluate("window.after")["shown"] == report.chapters[2].title
    # A section track plays on its own and moves the mark in the text too, by the track's own time.
    page.evaluate("document.getElementById('book').pause()")
    assert page.locator("audio.track").count() == 3
    offset = page.evaluate("JSON.parse(document.getElementById('book-data').textContent).tracks[1].offset")
    assert offset == pytest.approx(0.6, abs=0.1)  # the head pause, give or take the decoder's priming
    second = [i for i, c in enumerate(cues) if report.chapters[2].start_ms <= c.start_ms < report.chapters[3].start_ms]
    inside = offset + ((cues[second[2]].start_ms + cues[second[2]].end_ms) / 2 - cues[second[0]].start_ms) / 1000
    page.evaluate("document.querySelectorAll('audio.track')[1].play()")
    page.wait_for_function(f"{SPOKEN} === {second[0]}", timeout=5000)  # its first sentence, once past the head pause
    assert page.evaluate("document.getElementById('book').paused")  # only one player at a time
    page.evaluate(f"const t = document.querySelectorAll('audio.track')[1]; t.pause(); t.currentTime = {inside}")
    page.wait_for_function(f"{SPOKEN} === {second[2]}", timeout=5000)


def test_axe_finds_no_accessibility_violations(page, book):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="pip install '.[test]' (axe-playwright-python)")
    # With a chapter current and a sentence marked, so the colours of those states are checked too.
    page.locator(".s").nth(8).click()
    page.evaluate("document.getElementById('book').pause()")
    page.locator(".s").nth(9).focus()
    results = axe.Axe().run(page)
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]] == []
    assert "color-contrast" in {p["id"] for p in results.response["passes"]}  # the rule ran on this page, and passed
