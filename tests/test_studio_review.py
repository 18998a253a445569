"""The recognizer's review from the studio, in real Chromium, with the real voice: every sentence of the book is heard."""

from __future__ import annotations

import pytest

from narrate import api, engines
from narrate.engines.hibari import HibariEngine

# The fixture browser comes from studio_util.
from studio_util import ARGS, Tab, project, server  # noqa: F401

pytestmark = pytest.mark.slow  # a browser, a server, the real voice and the recognizer

_WATCH = """window.seen = [];
new MutationObserver(() => window.seen.push([document.getElementById('progress-label').textContent,
  document.getElementById('progress').value, document.getElementById('progress').max]))
  .observe(document.getElementById('progress-box'), {attributes: true, childList: true, subtree: true, characterData: true})"""


def test_review_hears_every_sentence_speaking_first_the_unspoken_with_progress_pushed_then_retakes_the_doubtful(
        browser, tmp_path, monkeypatch):
    pytest.importorskip("faster_whisper", reason="pip install 'narrate[verify]'")
    from test_editing import _SilentOnCue

    monkeypatch.setitem(engines.ENGINES, "silent-on-cue", type("SilentOnCue", (_SilentOnCue, HibariEngine), {}))
    root = project(tmp_path / "book", engine="silent-on-cue")
    book = api.open_project(root)
    api.split_essay(book)
    spec = api.voice(book)
    api.speak_sentence(book, spec, next(s for s in api.sentences(book, spec) if s.text == "Here the floor creaks."))
    with server(root) as running:  # one sentence spoken; the rest of the book is not
        tab = Tab(browser, running)
        page = tab.page
        total, unspoken = page.locator(".s").count(), page.locator(".s.uncached").count()
        assert unspoken == total - 1
        page.evaluate(_WATCH)
        asked: list[str] = []
        page.on("request", lambda r: asked.append(f"{r.method} {r.url.split(str(running.port))[1]}"))
        page.click("#review")
        page.wait_for_selector("#doubts li", timeout=120000)
        status = page.locator("#status").inner_text()
        assert status == (f"The recognizer heard {total - 1} of the book's {total} sentences as written "
                          f"({unspoken} spoken first) and doubted 1."), status
        assert asked == ["POST /api/review", "GET /api/book"]  # progress came as events, not by asking
        seen = page.evaluate("window.seen")
        speaking = [s for s in seen if s[0].startswith("Speaking the sentences not spoken yet")]
        hearing = [s for s in seen if s[0].startswith("The recognizer is hearing")]
        assert speaking and hearing and hearing[-1][2] == total, seen
        assert [s[1] for s in speaking] == sorted(s[1] for s in speaking)  # it only moves forward
        assert page.is_hidden("#progress-box")
        # The doubtful sentence is marked in the text and listed with what was heard beside what is written.
        assert page.locator(".s.doubtful").all_inner_texts() == ["Nobody answers."]
        assert page.get_attribute(".s.doubtful", "title").startswith("The recognizer heard “")
        assert page.locator("#doubts li").count() == 1 and "“Nobody answers.” heard as “" in page.locator("#doubts li").inner_text()
        assert page.locator(".s.uncached").count() == 0  # every sentence is spoken now, in the cache for the build
        page.reload()  # the verdicts are kept in the project's files: a reload shows them still
        page.wait_for_selector("#doubts li")
        assert page.locator(".s.doubtful").all_inner_texts() == ["Nobody answers."]
        tab.sentence("Here the floor creaks.").focus()  # one sentence made two: the doubtful one moves down one
        page.keyboard.press("e")
        page.locator(".editor textarea").fill("Here the floor creaks. It is old.")
        page.locator(".editor textarea").press("Control+Enter")
        page.wait_for_selector(".s.edited:has-text('It is old.')")
        page.reload()
        page.wait_for_selector("#doubts li")
        assert page.locator(".s.doubtful").all_inner_texts() == ["Nobody answers."]
        page.locator("#doubts li button", has_text="Retake").click()
        page.wait_for_selector("#status:has-text('Retaken: take 2 of “Nobody answers.”')")
        assert page.locator(".s.doubtful").count() == 0 and page.locator("#doubts li").count() == 0
        tab.close()
    project_ = api.open_project(root)
    again = next(s for s in api.sentences(project_, api.voice(project_)) if s.text == "Nobody answers.")
    assert again.take == 1 and [h.heard for h in api.hear_sentences(project_, [again])] == [True]
