"""Podcasting 2.0 JSON chapters and the cue sheet, checked against the book MP3's own chapters."""

from __future__ import annotations

import json
import re

import smallbook
from narrate.outputs.chapterlists import chapters_json, cue_sheet
from narrate.audio.tags import Chapter, read_chapters

CHAPTERS = [Chapter('Open "up"', 0, 6841), Chapter("Two & more", 6841, 14939), Chapter("Três", 14939, 3_725_000)]


def _check_podcasting_shape(document: dict) -> None:
    """The Podcasting 2.0 JSON chapters format, version 1.2.0: required fields and their types."""
    assert document["version"] == "1.2.0"
    assert isinstance(document["chapters"], list) and document["chapters"]
    allowed = {"startTime", "endTime", "title", "img", "url", "toc", "location"}
    for chapter in document["chapters"]:
        assert set(chapter) <= allowed
        assert isinstance(chapter["startTime"], (int, float)) and chapter["startTime"] >= 0
        assert isinstance(chapter["title"], str) and chapter["title"]
        assert chapter.get("endTime", chapter["startTime"]) >= chapter["startTime"]
    starts = [c["startTime"] for c in document["chapters"]]
    assert starts == sorted(starts)


def test_chapters_json_has_the_podcasting_2_shape():
    document = json.loads(chapters_json("Book", "Me", CHAPTERS, "book.mp3"))
    _check_podcasting_shape(document)
    assert document["title"] == "Book" and document["author"] == "Me" and document["fileName"] == "book.mp3"
    assert [(c["startTime"], c["endTime"], c["title"]) for c in document["chapters"]] == [
        (0.0, 6.841, 'Open "up"'), (6.841, 14.939, "Two & more"), (14.939, 3725.0, "Três")
    ]
    assert "author" not in json.loads(chapters_json("Book", "", CHAPTERS, "book.mp3"))


def test_cue_sheet_has_one_track_per_chapter():
    sheet = cue_sheet("Book", "Me", CHAPTERS, "book.mp3")
    assert 'FILE "book.mp3" MP3' in sheet and 'PERFORMER "Me"' in sheet
    assert re.findall(r'TRACK (\d\d) AUDIO\n    TITLE "(.*)"', sheet) == [
        ("01", "Open 'up'"), ("02", "Two & more"), ("03", "Três")
    ]
    assert re.findall(r"INDEX 01 (\S+)", sheet) == ["00:00:00", "00:06:63", "00:14:70"]
    assert 'FILE "book.m4b" MP4' in cue_sheet("Book", "", CHAPTERS, "book.m4b")


def _index_ms(sheet: str) -> list[float]:
    out = []
    for minutes, seconds, frames in re.findall(r"INDEX 01 (\d+):(\d\d):(\d\d)", sheet):
        out.append((int(minutes) * 60 + int(seconds) + int(frames) / 75) * 1000)
    return out


def test_built_sidecars_match_the_mp3_chapters(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path / "book", formats=["mp3", "json", "cue"])
    report = smallbook.build(root)
    chapters = read_chapters(report.book)
    assert len(chapters) == 4
    document = json.loads((root / "audio" / "essay.chapters.json").read_text(encoding="utf-8"))
    _check_podcasting_shape(document)
    assert [c["title"] for c in document["chapters"]] == [c.title for c in chapters]
    assert [c["startTime"] for c in document["chapters"]] == [c.start_ms / 1000 for c in chapters]
    sheet = (root / "audio" / "essay.cue").read_text(encoding="utf-8")
    assert all(abs(a - c.start_ms) <= 1000 / 75 / 2 for a, c in zip(_index_ms(sheet), chapters, strict=True))
    assert not (root / "audio" / "index.html").exists() and not (root / "audio" / "essay.vtt").exists()
