"""Undo in the studio, in real Chromium: several steps across sentences, text and take, kept over a reload."""

from __future__ import annotations

import json

import pytest

# The fixtures browser, book, studio and tab come from studio_util.
from studio_util import ARGS, book, edit, studio, tab  # noqa: F401

pytestmark = pytest.mark.slow  # a browser and a server


def _scripts(root) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "script").iterdir())}


def test_undo_takes_back_edits_and_takes_across_sentences_newest_first_even_after_a_reload(tab, book, fake_engine):
    page = tab.page
    states = [_scripts(book)]
    edit(tab, "Here the floor creaks.", "Here the old floor groans.")
    states.append(_scripts(book))
    edit(tab, "A chair waits by the wall.", "A red chair waits by the wall.")
    states.append(_scripts(book))
    tab.sentence("Nobody answers.").click()
    page.click("#another")
    page.wait_for_selector("#now:has-text('take 2')")
    states.append(_scripts(book))
    assert json.loads((book / "script" / "takes.json").read_text())["takes"] == {"02-the-second-room.txt": {"Nobody answers.": 1}}
    page.reload()  # nothing lives only in the page: the steps are in the project's files
    page.wait_for_selector(".s")
    assert page.get_attribute("#undo", "title") == "Undo take 2 chosen for “Nobody answers.” (3 step(s) kept)"
    for expected in reversed(states[:-1]):
        page.click("#undo")
        page.wait_for_selector("#status:has-text('Undone')")
        assert _scripts(book) == expected, page.locator("#error").inner_text()
        page.evaluate("document.getElementById('status').textContent = ''")
    assert page.locator(".s", has_text="Here the floor creaks.").count() == 1
    assert page.locator(".s", has_text="A chair waits by the wall.").count() == 1
    assert page.is_disabled("#undo")
    assert fake_engine == ["Here the old floor groans.", "A red chair waits by the wall.", "Nobody answers."]  # old takes kept


def test_an_undo_on_a_script_changed_on_disk_is_refused_and_the_other_edit_kept(tab, book):
    edit(tab, "It is empty.", "It is bare.")
    path = next((book / "script").glob("03-*.txt"))
    path.write_text(path.read_text(encoding="utf-8").replace("That is all.", "That is everything."), encoding="utf-8")
    tab.page.wait_for_selector(".s:has-text('That is everything.')")
    kept = path.read_bytes()
    tab.page.click("#undo")
    tab.page.wait_for_selector("#error:has-text('changed on disk since; nothing is written')")
    assert path.read_bytes() == kept
    tab.page.wait_for_selector("#undo:disabled")  # that step left the history; there was no other
