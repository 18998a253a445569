"""status.py: what a build would do now, section by section, changing nothing."""

from __future__ import annotations

import pytest

from narrate.plan import readonly
from narrate.project import open_project
from narrate.status import status

import smallbook


def _files(root):
    return {p.relative_to(root): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def built(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path)
    smallbook.build(root)
    fake_engine.clear()
    return root


def test_a_new_book_is_all_new_and_asking_writes_nothing(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path)
    before = _files(root)
    now = status(open_project(root), "fake")
    assert _files(root) == before and fake_engine == []
    assert now.essay_changed and {s.state for s in now.sections} == {"new"} and now.book_stale
    assert now.to_synthesize == sum(s.units for s in now.sections) > 0
    assert now.tracks_to_encode == ("01-the-first-room.mp3", "02-the-second-room.mp3", "03-the-last-room.mp3")
    assert now.joints_to_encode == 3 and now.engine == "fake (fake-voice)"  # head, gap and tail


def test_a_built_book_is_up_to_date(built):
    now = status(open_project(built), "fake")
    assert {s.state for s in now.sections} == {"up to date"} and not now.essay_changed
    assert (now.to_synthesize, now.tracks_to_encode, now.book_stale, now.joints_to_encode, now.removed) == (0, (), False, 0, ())


def test_an_edited_script_is_changed_and_a_lost_take_is_a_repair(built):
    script = built / "script" / "02-the-second-room.txt"
    script.write_text(script.read_text(encoding="utf-8").replace("Nobody answers.", "Nobody answers me."), encoding="utf-8")
    project = open_project(built)
    last = next(s for s in readonly(project, "fake")[1].sections if s.script.file.startswith("03"))
    cache = project.cache
    for kind, key, ext in (("mp3", last.body.stem, ".mp3"), ("sections", last.key, ".wav"), ("speech", last.speech_keys[1], ".wav")):
        cache.path(kind, key, ext).unlink()
    now = status(project, "fake")
    states = {s.script: (s.state, s.to_synthesize) for s in now.sections}
    assert states == {
        "00-opening.txt": ("up to date", 0), "01-the-first-room.txt": ("up to date", 0),
        "02-the-second-room.txt": ("changed", 1), "03-the-last-room.txt": ("repair", 1),
    }
    assert now.tracks_to_encode == ("02-the-second-room.mp3", "03-the-last-room.mp3") and now.book_stale


def test_a_track_whose_script_is_gone_is_listed_as_removed(built):
    (built / "audio" / "sections" / "04-an-old-room.mp3").write_bytes(b"old")
    assert status(open_project(built), "fake").removed == ("04-an-old-room.mp3",)


def test_a_changed_essay_over_hand_edited_scripts_names_the_conflicts(built):
    script = built / "script" / "01-the-first-room.txt"
    script.write_text("The First Room.\n\nMy own words.\n", encoding="utf-8")
    essay = built / "essay.txt"
    essay.write_text(essay.read_text(encoding="utf-8").replace("A chair waits by the wall.", "A chair waits."), encoding="utf-8")
    now = status(open_project(built), "fake")
    assert now.essay_changed and now.conflicts == ("01-the-first-room.txt",)
    assert script.read_text(encoding="utf-8") == "The First Room.\n\nMy own words.\n"
