"""The studio in real Chromium (Debian's) against a real server on 127.0.0.1: the loops a user lives in.

Each test edits, retakes, fixes a word or builds through the page, then asks the files, the
recording voice and the recognizer what happened.
"""

from __future__ import annotations

import json

import pytest

from narrate import engines
from narrate.engines.hibari import HibariEngine

# The fixtures browser, book, studio and tab come from studio_util.
from studio_util import ARGS, Tab, book, edit as _edit, project, server, studio, tab, until as _until  # noqa: F401

pytestmark = pytest.mark.slow  # a browser, a server, and one test a real voice with the recognizer


def _script(root, name: str) -> str:
    return next((root / "script").glob(name)).read_text(encoding="utf-8")


def test_an_edit_is_written_spoken_alone_played_in_context_and_undone(tab, studio, book, fake_engine):
    before = _script(book, "02-*.txt")
    _edit(tab, "Here the floor creaks.", "Here the old floor groans.")
    assert fake_engine == ["Here the old floor groans."]  # only that sentence was spoken
    assert _script(book, "02-*.txt") == before.replace("Here the floor creaks.", "Here the old floor groans.")
    # In context: the end of the sentence before is played first, then the new take, then the start of the next.
    _until(tab.page, "document.getElementById('take').src.includes('/api/audio/')")
    assert tab.page.locator("#status").inner_text() == "Saved to the script; playing the new take in context."
    assert tab.page.evaluate("document.activeElement.textContent") == "Here the old floor groans."
    tab.page.click("#undo")
    tab.page.wait_for_selector(".s.edited:has-text('Here the floor creaks.')")
    assert _script(book, "02-*.txt") == before and fake_engine == ["Here the old floor groans."]  # the old take was kept


def test_another_take_is_chosen_for_the_next_build_and_the_previous_one_is_a_click_away(tab, studio, book, fake_engine):
    tab.sentence("Nobody answers.").click()
    tab.page.click("#another")
    tab.page.wait_for_selector("#now:has-text('take 2')")
    assert fake_engine == ["Nobody answers."]
    assert json.loads((book / "script" / "takes.json").read_text())["takes"] == {"02-the-second-room.txt": {"Nobody answers.": 1}}
    previous = tab.page.evaluate("document.getElementById('take').src")
    tab.page.click("#previous")
    _until(tab.page, f"document.getElementById('take').src !== {json.dumps(previous)}")
    tab.page.click("#restore")
    tab.page.wait_for_selector("#now:has-text('take 1')")
    assert not (book / "script" / "takes.json").exists() and fake_engine == ["Nobody answers."]


def test_a_pronunciation_respeaks_exactly_the_sentences_with_the_word(tab, studio, book, fake_engine):
    tab.page.fill("#word", "room")
    tab.page.fill("#spoken", "rhoom")
    tab.page.click("button[type=submit]")
    tab.page.wait_for_selector("#affected li")
    shown = [t.removesuffix("Play newPlay old").strip() for t in tab.page.locator("#affected li").all_inner_texts()]
    assert shown == ["The First Room.", "The Second Room.", "The Last Room."]
    assert sorted(fake_engine) == sorted(["The First Rhoom.", "The Second Rhoom.", "The Last Rhoom."])  # capitals kept
    assert 'room = "rhoom"' in (book / "narrate.toml").read_text(encoding="utf-8")
    tab.page.locator("#affected li button", has_text="Play old").first.click()
    _until(tab.page, "document.getElementById('take').src.includes('/api/audio/')")


def test_reload_and_restart_keep_everything(browser, book, fake_engine):
    with server(book) as first:
        tab = Tab(browser, first)
        _edit(tab, "It is empty.", "It is quite empty.")
        tab.sentence("That is all.").click()
        tab.page.click("#another")
        tab.page.wait_for_selector("#now:has-text('take 2')")
        tab.page.reload()
        tab.page.wait_for_selector(".s:has-text('It is quite empty.')")
        tab.close()
    with server(book) as second:
        tab = Tab(browser, second)
        assert tab.sentence("It is quite empty.").count() == 1 and tab.page.locator(".s.uncached").count() == 0
        tab.sentence("That is all.").click()
        tab.page.wait_for_selector("#now:has-text('take 2')")
        tab.close()
    assert fake_engine == ["It is quite empty.", "That is all."]


def test_an_edit_made_on_disk_shows_in_the_page(tab, studio, book):
    path = next((book / "script").glob("03-*.txt"))
    path.write_text(path.read_text(encoding="utf-8").replace("That is all.", "That is everything."), encoding="utf-8")
    tab.page.wait_for_selector(".s:has-text('That is everything.')", timeout=5000)
    assert "changed on disk" in tab.page.locator("#status").inner_text()


def test_a_save_on_text_that_changed_on_disk_is_refused_and_the_other_edit_kept(tab, studio, book):
    tab.sentence("Light comes through the window.").focus()
    tab.page.keyboard.press("e")
    path = next((book / "script").glob("01-*.txt"))
    path.write_text(path.read_text(encoding="utf-8").replace("A chair waits by the wall.", "A chair waits."), encoding="utf-8")
    tab.page.locator(".editor textarea").fill("Light pours in.")
    tab.page.get_by_role("button", name="Save").click()
    tab.page.wait_for_selector("#error:has-text('changed on disk since the page read it')")
    text = path.read_text(encoding="utf-8")
    assert "A chair waits." in text and "Light comes through the window." in text and "Light pours in." not in text


def test_a_build_from_the_page_shows_its_progress_and_its_result(tab, studio, book):
    path = next((book / "script").glob("03-*.txt"))
    path.write_text(path.read_text(encoding="utf-8").replace("It is empty.", "It is bare. It is cold."), encoding="utf-8")
    tab.page.wait_for_selector(".s:has-text('It is cold.')")
    tab.page.evaluate("window.seen = []; new MutationObserver(() => window.seen.push(document.getElementById('progress').value))"
                      ".observe(document.getElementById('progress'), {attributes: true})")
    tab.page.click("#build")
    tab.page.wait_for_selector("#status:has-text('Built in')", timeout=60000)
    assert tab.page.locator("#chapters li").count() == 4
    assert tab.page.locator("#files a").all_inner_texts()[0] == "audio/essay.mp3"
    assert tab.page.evaluate("document.getElementById('progress').max") >= 1  # pushed by the server as it went


def test_keyboard_alone_plays_edits_and_retakes(tab, studio, book, fake_engine):
    page = tab.page
    page.keyboard.press("Tab")
    for _ in range(40):  # Tab through the page to the first sentence of the text
        if page.evaluate("document.activeElement.classList.contains('s')"):
            break
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == page.locator(".s").first.inner_text()
    page.keyboard.press("Enter")
    _until(page, "document.querySelector('.s[aria-current=true]') === document.activeElement")
    _until(page, "document.getElementById('take').src.includes('/api/audio/')")
    page.keyboard.press("ArrowDown")  # the text is one Tab stop: the arrows move within it
    page.keyboard.press("e")
    page.keyboard.press("Control+a")
    page.keyboard.type("By a writer.")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(".s.edited:has-text('By a writer.')")
    assert page.evaluate("document.activeElement.textContent") == "By a writer."
    page.focus("#another")
    page.keyboard.press("Enter")
    page.wait_for_selector("#now:has-text('take 2')")
    assert fake_engine == ["By a writer.", "By a writer."]


def test_axe_finds_no_accessibility_violations(tab, studio):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="pip install '.[test]' (axe-playwright-python)")
    tab.sentence("Nobody answers.").click()
    tab.page.wait_for_selector(".s[aria-current=true]")
    results = axe.Axe().run(tab.page)
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]] == []
    tab.page.keyboard.press("e")  # and with the editor open
    results = axe.Axe().run(tab.page)
    assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]] == []
    assert "color-contrast" in {p["id"] for p in results.response["passes"]}


class RecordingVoice(HibariEngine):
    """The default voice, recording what it is asked to say."""

    name = "recording"
    calls: list[str] = []

    def synthesize(self, text: str):
        RecordingVoice.calls.append(text)
        return super().synthesize(text)


def test_with_the_real_voice_the_recognizer_hears_the_new_words_and_only_that_sentence_was_spoken(browser, tmp_path, monkeypatch):
    from narrate import api
    from voicecheck import heard

    monkeypatch.setitem(engines.ENGINES, "recording", RecordingVoice)
    root = project(tmp_path / "book", engine="recording")
    api.build_book(api.open_project(root))
    RecordingVoice.calls = []
    with server(root) as running:
        tab = Tab(browser, running)
        _edit(tab, "A chair waits by the wall.", "A purple lamp glows beside the piano.")
        tab.close()
        project_ = api.open_project(root)
        spec = api.voice(project_)
        new = next(s for s in api.sentences(project_, spec) if s.text == "A purple lamp glows beside the piano.")
    assert RecordingVoice.calls == ["A purple lamp glows beside the piano."]
    words = heard(project_.cache.get("speech", new.key))
    assert {"purple", "lamp", "piano"} <= words, words


def test_a_build_running_in_a_terminal_holds_the_lock_and_the_page_says_so(tab, studio, book):
    from narrate import api
    from narrate.project import lock

    with lock(api.open_project(book)):  # what `narrate build` in a terminal holds while it runs
        tab.page.click("#build")
        tab.page.wait_for_selector("#error:has-text('another narrate build is running in this folder')")
    assert not tab.page.locator("#status").inner_text().startswith("Built")


def test_hear_it_speaks_the_word_alone_then_in_the_current_sentence_writing_nothing(tab, studio, book, fake_engine):
    toml = (book / "narrate.toml").read_bytes()
    tab.sentence("Here the floor creaks.").click()
    tab.page.fill("#word", "creaks")
    tab.page.fill("#spoken", "kreeks")
    tab.page.click("#hear")
    tab.page.wait_for_selector("#status:has-text('Apply writes it into narrate.toml')")
    assert fake_engine == ["kreeks", "Here the floor kreeks."]
    assert (book / "narrate.toml").read_bytes() == toml


def test_a_voice_is_sampled_on_the_current_sentence_then_chosen_into_narrate_toml(tab, studio, book, fake_engine):
    from narrate.config import load_config

    # The list arrives on its own request, after the sentences: wait for it, then count.
    tab.page.wait_for_selector("#voices option:has-text('heart (hibari')", state="attached")
    assert tab.page.locator("#voices option", has_text="heart (hibari").count() == 1
    tab.sentence("Nobody answers.").click()
    tab.page.select_option("#voices", "heart")
    tab.page.click("#sample")
    tab.page.wait_for_selector("#status:has-text('heart: “Nobody answers.”')", timeout=30000)
    assert fake_engine == []  # the sample was the other voice's; the click played the cached take
    assert load_config(book).voice == ""  # a sample chooses nothing
    tab.page.get_by_role("button", name="Use this voice").click()
    tab.page.wait_for_selector("#voice-now:has-text('hibari (heart)')")
    config = load_config(book)
    assert (config.voice, config.engine) == ("heart", "auto")
    # Every sentence is the new voice's to speak, except the one sampled (kept in the cache).
    assert tab.page.locator(".s:not(.uncached)").all_inner_texts() == ["Nobody answers."]


def test_a_click_plays_the_sentence_then_the_next_one_spoken_meanwhile(browser, tmp_path, fake_engine):
    root = project(tmp_path / "book")  # nothing spoken yet
    with server(root) as running:
        tab = Tab(browser, running)
        page = tab.page
        page.evaluate("document.getElementById('take').defaultPlaybackRate = 1")
        tab.sentence("Here the floor creaks.").click()
        _until(page, "document.getElementById('take').currentTime > 0")  # it plays, not only loads
        _until(page, "document.querySelector('.s[aria-current=true]').textContent === 'Nobody answers.'")
        _until(page, "document.getElementById('take').currentTime > 0 && !document.getElementById('take').paused")
        assert fake_engine[:2] == ["Here the floor creaks.", "Nobody answers."]
        # Another take says so, and the message stays while the sentence before is spoken for the context.
        page.evaluate("document.getElementById('take').defaultPlaybackRate = 0.1")  # slow: still on it when paused
        tab.sentence("The door opens onto a hall.").click()
        _until(page, "document.getElementById('take').currentTime > 0")
        page.evaluate("document.getElementById('take').pause()")
        assert page.locator(".s[aria-current=true]").inner_text() == "The door opens onto a hall."
        page.click("#another")
        page.wait_for_selector("#now:has-text('take 2')")
        page.wait_for_selector(".s:not(.uncached):has-text('The First Room.')")
        page.wait_for_timeout(300)
        assert page.locator("#status").inner_text() == "Take 2 chosen; the next build uses it."
        assert page.locator(".s[aria-current=true]").inner_text() == "The door opens onto a hall."
        tab.close()


def test_a_pronunciation_on_sentences_never_spoken_offers_no_old_take_to_play(browser, tmp_path, fake_engine):
    root = project(tmp_path / "book")  # nothing spoken yet: there is no old take
    with server(root) as running:
        tab = Tab(browser, running)
        tab.page.fill("#word", "room")
        tab.page.fill("#spoken", "rhoom")
        tab.page.click("#lexicon button[type=submit]")
        tab.page.wait_for_selector("#affected li")
        assert tab.page.locator("#affected li button:has-text('Play old'):disabled").count() == 3
        assert tab.page.locator("#affected li button:has-text('Play new'):enabled").count() == 3
        tab.close()


def test_a_first_build_from_a_server_started_in_a_relative_folder_lists_its_files_and_keeps_its_message(
        browser, tmp_path, fake_engine, monkeypatch):
    from pathlib import Path

    project(tmp_path / "book")
    monkeypatch.chdir(tmp_path)
    with server(Path("book")) as running:
        tab = Tab(browser, running)
        tab.page.click("#build")
        tab.page.wait_for_selector("#status:has-text('Built in')", timeout=60000)
        tab.page.wait_for_timeout(1500)  # the watcher looks twice a second: the build's own records are not news
        assert tab.page.locator("#status").inner_text().startswith("Built in ")
        files = tab.page.locator("#files a").all_inner_texts()
        assert files[0] == "audio/essay.mp3" and len(files) == 4, files  # the book and its 3 tracks
        for link in tab.page.locator("#files a").all():
            answer = tab.page.request.get(link.evaluate("a => a.href"))
            assert answer.status == 200 and len(answer.body()) > 1000
        chapters = tab.page.locator("#chapters li").all_inner_texts()
        tab.page.reload()  # the result is read back from the book the build wrote, not kept in the page
        tab.page.wait_for_selector("#result:not([hidden]) #chapters li")
        assert tab.page.locator("#chapters li").all_inner_texts() == chapters and len(chapters) == 4
        assert tab.page.locator("#files a").all_inner_texts() == files
        tab.page.locator("#chapters button").nth(2).click()  # a chapter plays the book from its start
        start = tab.page.evaluate("document.getElementById('book').currentTime")
        assert start > 0.5, start
        tab.close()


def test_the_text_is_one_tab_stop_so_the_panels_are_a_tab_away_from_any_sentence(tab, studio):
    page = tab.page
    tab.sentence("Here the floor creaks.").focus()
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.textContent") == page.locator(".s").last.inner_text()
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("document.activeElement.textContent") == page.locator(".s").nth(1).inner_text()
    page.keyboard.press("Tab")  # out of the text, into the panels beside it
    assert page.evaluate("document.activeElement.closest('.panels') !== null")
    page.keyboard.press("Shift+Tab")  # and back to the sentence it left
    assert page.evaluate("document.activeElement.textContent") == page.locator(".s").nth(1).inner_text()


def test_review_cannot_be_started_while_the_page_builds(tab, studio):
    tab.page.evaluate("window.seen = []; new MutationObserver(() => window.seen.push(document.getElementById('review').disabled))"
                      ".observe(document.getElementById('review'), {attributes: true})")
    tab.page.click("#build")
    tab.page.wait_for_selector("#status:has-text('Built in')", timeout=60000)
    assert tab.page.evaluate("window.seen")[:1] == [True] and tab.page.is_enabled("#review")
