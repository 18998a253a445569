"""Undo of the sentence operations through the library API: several steps, across scripts, text and take together."""

from __future__ import annotations

import json

import pytest

from narrate import api
from narrate.errors import ConflictError, InputError

import smallbook


@pytest.fixture
def book(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path / "book")
    project = api.open_project(root)
    api.split_essay(project)
    return project, api.voice(project, "fake")


def _find(project, spec, text):
    return next(s for s in api.sentences(project, spec) if s.text == text)


def _files(project) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(project.script_dir.iterdir())}


def test_several_edits_across_scripts_and_a_take_are_undone_newest_first_byte_for_byte(book):
    project, spec = book
    states = [_files(project)]
    s = _find(project, spec, "Here the floor creaks.")
    api.replace_sentence(project, spec, s.script, s.index, s.text, "Here the old floor groans.", s.script_sha)
    states.append(_files(project))
    s = _find(project, spec, "A chair waits by the wall.")
    api.replace_sentence(project, spec, s.script, s.index, s.text, "A chair waits. It is red.", s.script_sha)  # one into two
    states.append(_files(project))
    s = _find(project, spec, "Nobody answers.")
    api.choose_take(project, spec, api.speak_sentence(project, spec, s, 2), 2)
    states.append(_files(project))
    assert [step.kind for step in api.undo_history(project)] == ["text", "text", "take"]
    for expected in reversed(states[:-1]):
        api.undo_edit(api.open_project(project.root))  # a new process would do the same: the journal is a file
        assert _files(project) == expected
    assert api.undo_history(project) == []
    with pytest.raises(InputError, match="nothing to undo"):
        api.undo_edit(project)


def test_undoing_an_edit_brings_back_the_take_chosen_before_it(book):
    project, spec = book
    s = _find(project, spec, "Nobody answers.")
    api.choose_take(project, spec, api.speak_sentence(project, spec, s, 1), 1)
    s = _find(project, spec, "Nobody answers.")
    api.replace_sentence(project, spec, s.script, s.index, s.text, "Nobody at all answers.", s.script_sha)
    assert _find(project, spec, "Nobody at all answers.").take == 0
    step = api.undo_edit(project)
    assert (step.kind, step.was, step.now) == ("text", "Nobody answers.", "Nobody at all answers.")
    again = _find(project, spec, "Nobody answers.")
    assert again.take == 1 and again.cached  # the take chosen before, still in the cache
    takes = json.loads((project.script_dir / "takes.json").read_text(encoding="utf-8"))["takes"]
    assert takes == {s.script: {"Nobody answers.": 1}}


def test_a_stale_undo_is_refused_writes_nothing_and_leaves_the_older_steps(book):
    project, spec = book
    first = _files(project)
    s = _find(project, spec, "Light comes through the window.")
    api.replace_sentence(project, spec, s.script, s.index, s.text, "Light pours in.", s.script_sha)
    s = _find(project, spec, "It is empty.")
    api.replace_sentence(project, spec, s.script, s.index, s.text, "It is bare.", s.script_sha)
    path = project.script_dir / s.script
    path.write_text(path.read_text(encoding="utf-8").replace("That is all.", "That is everything."), encoding="utf-8")
    edited = _files(project)
    with pytest.raises(ConflictError, match=f"cannot undo .*It is empty.*{s.script} changed on disk since; nothing is written"):
        api.undo_edit(project)
    assert _files(project) == edited
    api.undo_edit(project)  # the older step, in another script, still goes back
    assert _files(project)[s.script] == edited[s.script]
    assert {k: v for k, v in _files(project).items() if k != s.script} == {k: v for k, v in first.items() if k != s.script}


def test_a_take_chosen_again_elsewhere_makes_its_undo_stale(book):
    project, spec = book
    s = _find(project, spec, "That is all.")
    api.choose_take(project, spec, api.speak_sentence(project, spec, s, 1), 1)
    from narrate.speech import chosen

    chosen.record(project.script_dir, s.script, s.text, 3)  # another program chose take 4 meanwhile
    with pytest.raises(ConflictError, match="cannot undo take 2 chosen for"):
        api.undo_edit(project)
    assert _find(project, spec, "That is all.").take == 3


def test_a_damaged_journal_is_said_and_a_new_edit_starts_it_again(book):
    project, spec = book
    (project.root / ".narrate").mkdir(exist_ok=True)
    (project.root / ".narrate" / "undo.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match=r"undo.json is damaged .*delete it"):
        api.undo_edit(project)
    s = _find(project, spec, "It is empty.")
    api.replace_sentence(project, spec, s.script, s.index, s.text, "It is bare.", s.script_sha)
    assert [step.now for step in api.undo_history(project)] == ["It is bare."]


def test_saving_a_sentence_unchanged_writes_nothing_to_undo(book):
    project, spec = book
    s = _find(project, spec, "It is empty.")
    api.replace_sentence(project, spec, s.script, s.index, s.text, "It is   empty.", s.script_sha)
    assert api.undo_history(project) == []
