"""Which outputs a build makes ([output] formats, --format), and that a no-op rebuild writes none of them."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import smallbook
from conftest import assert_clear_error, run_cli
from narrate.audio.tags import read_chapters
from narrate.cli import cli
from narrate.errors import PluginError
from vtt import read_cues


def _files(root) -> dict[str, int]:
    """Every file under audio/ with its modification time."""
    folder = root / "audio"
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in sorted(folder.rglob("*")) if p.is_file()}


def test_default_outputs_and_a_no_op_rebuild(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path / "book")
    report = smallbook.build(root)
    assert sorted(_files(root)) == [
        "essay.chapters.json", "essay.chapters.vtt", "essay.mp3", "essay.vtt", "index.html",
        "sections/01-the-first-room.mp3", "sections/02-the-second-room.mp3", "sections/03-the-last-room.mp3",
    ]
    assert len(report.outputs) == 4
    before = _files(root)
    fake_engine.clear()
    again = smallbook.build(root)
    assert again.outputs == () and not again.book_written and fake_engine == []
    assert _files(root) == before  # nothing rewritten


def test_a_changed_sentence_updates_the_captions(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path / "book", formats=["mp3", "vtt"])
    first = smallbook.build(root)
    vtt, chapters_vtt = root / "audio" / "essay.vtt", root / "audio" / "essay.chapters.vtt"
    script = root / "script" / "02-the-second-room.txt"
    script.write_text(script.read_text(encoding="utf-8").replace("Nobody answers.", "Nobody answers me."), encoding="utf-8")
    report = smallbook.build(root)
    assert vtt in report.outputs and "Nobody answers me." in vtt.read_text(encoding="utf-8")
    # The longer sentence moves the next chapter later: the chapters WebVTT follows the MP3's chapters.
    moved = read_chapters(report.book)[3]
    assert moved.start_ms > first.chapters[3].start_ms and chapters_vtt in report.outputs
    assert [c.start_ms for c in read_cues(chapters_vtt.read_text(encoding="utf-8"))][3] == moved.start_ms


def test_without_mp3_and_tracks_only_the_asked_formats_appear(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path / "book", formats=["m4b", "cue"])
    smallbook.build(root)
    assert sorted(_files(root)) == ["essay.cue", "essay.m4b"]
    assert 'FILE "essay.m4b" MP4' in (root / "audio" / "essay.cue").read_text(encoding="utf-8")
    assert (root / ".narrate" / "book" / "essay.mp3").is_file()  # the book the M4B is made from, out of sight


def test_format_on_the_command_line_overrides_narrate_toml(tmp_path, fake_engine, monkeypatch):
    root = smallbook.make_project(tmp_path / "book", formats=["mp3", "html"])
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["build", "--engine", "fake", "--format", "mp3", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "also wrote" in result.output and "essay.chapters.json" in result.output
    assert sorted(_files(root)) == ["essay.chapters.json", "essay.mp3"]


def test_an_unknown_format_is_one_clear_line(tmp_path, monkeypatch):
    root = smallbook.make_project(tmp_path / "book")
    monkeypatch.chdir(root)
    result = run_cli("-q", "build", "--format", "flac")
    assert_clear_error(result, r"--format: unknown output format 'flac'; known formats: mp3, tracks, m4b, vtt, json, cue, html")


def test_turning_tracks_off_removes_the_section_tracks_and_leaves_the_rest(tmp_path, fake_engine):
    """Issue 26, item 3: as the README says, tracks go with their format; other formats turned off stay."""
    from narrate import build as pipeline

    root = smallbook.make_project(tmp_path / "book")
    smallbook.build(root)
    (root / "audio" / "sections" / "notes.txt").write_text("mine", encoding="utf-8")
    smallbook.make_project(root, formats=["mp3", "vtt"])
    status = pipeline.status(pipeline.open_project(root), "fake")
    assert status.removed == ("01-the-first-room.mp3", "02-the-second-room.mp3", "03-the-last-room.mp3")
    smallbook.build(root)
    assert sorted(_files(root)) == [
        "essay.chapters.json", "essay.chapters.vtt", "essay.mp3", "essay.vtt", "index.html", "sections/notes.txt",
    ]
    (root / "audio" / "sections" / "notes.txt").unlink()
    smallbook.make_project(root, formats=["mp3"])
    smallbook.build(root)
    assert not (root / "audio" / "sections").exists()  # emptied by narrate: removed too
    assert pipeline.status(pipeline.open_project(root), "fake").removed == ()


def test_every_output_declares_the_files_it_writes(tmp_path, fake_engine):
    from narrate import build as pipeline
    from narrate import outputs

    formats = ["mp3", "tracks", "m4b", "vtt", "json", "cue", "html"]
    root = smallbook.make_project(tmp_path / "book", formats=formats)
    report = smallbook.build(root)
    project = pipeline.open_project(root)
    declared = {name: outputs.paths(name, project) for name in formats}
    assert declared["mp3"] == (report.book,) and declared["tracks"] == ()  # tracks follow the scripts, not fixed names
    tracks = {s.track for s in report.sections if s.track is not None}
    written = {p for p in (root / "audio").rglob("*") if p.is_file()}
    assert written == {p for paths in declared.values() for p in paths} | tracks
    assert declared["vtt"][0].name == "essay.vtt" and declared["html"] == (root / "audio" / "index.html",)
    with pytest.raises(PluginError, match="no output format is named 'ogg'; known formats: mp3, tracks"):
        outputs.paths("ogg", project)
