"""plan.py: each sentence split, respelled and placed once; what the outputs make from the plan, not read back."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import replace

import pytest
from mutagen.id3 import ID3

import smallbook
from narrate import build as pipeline
from narrate import origin
from narrate.audio import tags
from narrate.errors import EngineError, InputError
from narrate.plan import engine_spec, make_plan, prepare, readonly
from narrate.project import open_project
from narrate.speech import chosen
from narrate.text import script
from narrate.text.script import load_scripts

ALL = ["mp3", "tracks", "m4b", "vtt", "json", "cue", "html"]


def _everywhere(monkeypatch, original, replacement) -> None:
    """Put `replacement` wherever a narrate module holds `original` (so `from x import f` copies are caught too)."""
    for name, module in list(sys.modules.items()):
        if name.startswith("narrate"):
            for attr, value in list(vars(module).items()):
                if value is original:
                    monkeypatch.setattr(module, attr, replacement)


def _with_lexicon(root, entry: str) -> None:
    toml = root / "narrate.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f"[lexicon]\n{entry}\n", encoding="utf-8")


def test_a_build_splits_each_script_once(tmp_path, fake_engine, monkeypatch):
    root = smallbook.make_project(tmp_path / "book", formats=ALL)
    original, split = script.paragraph_units, Counter()

    def counted(text, *args, **kwargs):
        split[text] += 1
        return original(text, *args, **kwargs)

    _everywhere(monkeypatch, original, counted)
    smallbook.build(root)
    scripts = sorted(p for p in (root / "script").glob("*.txt"))
    assert len(scripts) == 4
    # Each script split once, when the build was planned (the captions and the page used to split it again).
    assert sorted(split.values()) == [1] * len(scripts)
    assert set(split) == {p.read_text(encoding="utf-8") for p in scripts}


def test_the_plan_carries_written_and_spoken_text_paragraphs_and_positions(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path / "book")
    _with_lexicon(root, 'window = "win-doe"')
    _, plan = readonly(pipeline.open_project(root), "fake")
    sentences = [s for section in plan.sections for s in section.sentences]
    assert [s.position for s in sentences] == list(range(len(sentences)))
    first = plan.sections[1]  # "The First Room": its heading, a paragraph of two sentences, a paragraph of one
    assert [(s.paragraph, s.written) for s in first.sentences] == [
        (0, "The First Room."), (1, "The door opens onto a hall."), (1, "Light comes through the window."),
        (2, "A chair waits by the wall."),
    ]
    respelled = [(s.written, s.spoken) for s in sentences if s.written != s.spoken]
    assert respelled == [("Light comes through the window.", "Light comes through the win-doe.")]
    # What the engine is sent, and what its speech keys are made from, is the spoken text.
    assert [u.text for u in first.units] == [s.spoken for s in first.sentences]


def test_chapters_are_computed_not_read_back_from_the_book(tmp_path, fake_engine, monkeypatch):
    root = smallbook.make_project(tmp_path / "book", formats=ALL)

    def refuse(path):
        raise AssertionError(f"read back the chapters of {path}")

    _everywhere(monkeypatch, tags.read_chapters, refuse)
    report = smallbook.build(root)
    # What the build knew is what the book's tags say, read by mutagen alone.
    book = ID3(root / "audio" / "essay.mp3")
    frames = sorted(book.getall("CHAP"), key=lambda c: c.start_time)
    assert [(str(c.sub_frames["TIT2"].text[0]), c.start_time, c.end_time) for c in frames] == [
        (c.title, c.start_ms, c.end_ms) for c in report.chapters
    ]
    assert len(frames) == 4 and report.title == str(book["TIT2"].text[0]) == 'Small Things & Quiet "Rooms"'


def _files(root):
    return sorted(p.relative_to(root) for p in root.rglob("*"))


def _plan(root, **config):
    project = open_project(root)
    if config:
        project = replace(project, config=replace(project.config, **config))
    return prepare(project, "fake", False)[1]


def test_a_new_book_plans_every_sentence_and_planning_writes_nothing(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path)
    before = _files(root)
    changed, plan = readonly(open_project(root), "fake")
    assert changed and _files(root) == before and fake_engine == []
    units = sum(len(s.units) for s in plan.sections)
    assert plan.to_synthesize == units > 0 and plan.book_stale
    assert all(s.remake and s.remaster and s.missing == tuple(range(len(s.units))) for s in plan.sections)
    assert [s.number for s in plan.sections] == [None, 1, 2, 3]  # the opening has no track
    assert plan.title == 'Small Things & Quiet "Rooms"' and plan.author == "A. Writer"


def test_a_built_book_plans_nothing(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path)
    smallbook.build(root)
    plan = _plan(root)
    assert plan.to_synthesize == 0 and not plan.book_stale
    assert not any(s.remake or s.track_stale for s in plan.sections)


def test_a_sentence_two_sections_share_is_spoken_once(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path)
    essay = root / "essay.txt"
    essay.write_text(essay.read_text(encoding="utf-8").replace("Nobody answers.", "That is all."), encoding="utf-8")
    plan = _plan(root)
    texts = [u.text for s in plan.sections for u in s.units]
    assert texts.count("That is all.") == 2
    assert plan.to_synthesize == len(set(texts)) == len(texts) - 1
    last = plan.sections[-1]
    assert [last.units[i].text for i in last.missing] == ["The Last Room.", "It is empty."]  # the second room speaks it


def test_the_lexicon_changes_only_the_sentences_it_respells(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path)
    plain = _plan(root)
    respelled = _plan(root, lexicon=(("creaks", "kreeks"),))
    changed = [
        (a.text, b.text) for x, y in zip(plain.sections, respelled.sections)
        for a, b, ka, kb in zip(x.units, y.units, x.speech_keys, y.speech_keys) if ka != kb
    ]
    assert changed == [("Here the floor creaks.", "Here the floor kreeks.")]


def test_a_chosen_take_is_planned_with_its_own_key(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path)
    first = _plan(root)
    chosen.record(root / "script", "02-the-second-room.txt", "Nobody answers.", 2)
    plan = _plan(root)
    second = plan.sections[2]
    assert second.takes == (0, 0, 2) and second.take(2) == 2 and plan.sections[1].takes == ()
    assert [a != b for a, b in zip(first.sections[2].speech_keys, second.speech_keys)] == [False, False, True]


def test_an_empty_script_is_a_clear_error(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path)
    project = open_project(root)
    prepare(project, "fake", False)
    (root / "script" / "03-the-last-room.txt").write_text("\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"03-the-last-room.txt is empty; .*`narrate split --force`"):
        make_plan(project, load_scripts(project.script_dir), engine_spec(project, "fake"))


def test_tracks_and_the_book_mp3_follow_the_formats(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path, formats=["m4b"])
    plan = _plan(root)
    assert [s.track for s in plan.sections] == [None] * 4 and [s.number for s in plan.sections] == [None] * 4
    assert plan.book == root / ".narrate" / "book" / "essay.mp3"  # made for the M4B, out of sight


def test_auto_keeps_the_voice_the_book_was_made_with(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path)
    project = open_project(root)
    project = replace(project, config=replace(project.config, engine="auto"))
    origin.update(root, engine="fake")
    assert engine_spec(project, None).name == "fake"  # no probe of the network: the book's own voice
    origin.update(root, engine="gone")
    with pytest.raises(EngineError, match=r"narrated with the gone engine \(script/origin.json\), which is not usable here"):
        engine_spec(project, None)
