"""plan.py: each sentence split, respelled and placed once; what the outputs make from the plan, not read back."""

from __future__ import annotations

import sys
from collections import Counter

from mutagen.id3 import ID3

import smallbook
from narrate import build as pipeline
from narrate.audio import tags
from narrate.plan import readonly
from narrate.text import script

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
