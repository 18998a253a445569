"""status.py, and every command that only reads: with engine "auto" and no voice kept yet, no connection is opened."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

import narrate
import smallbook
from narrate.errors import NarrateError
from narrate.plan import readonly
from narrate.project import open_project
from narrate.status import status


class Connected(AssertionError):
    """A command that only reads tried to open a connection."""


@pytest.fixture
def no_network(monkeypatch):
    """Fail on any connection this process opens, wherever it goes (even 127.0.0.1): the calls are kept."""
    tried: list[object] = []

    def refuse(*args, **kwargs):
        tried.append(args[1] if len(args) > 1 else args)
        raise Connected(f"a connection was opened: {tried[-1]}")

    monkeypatch.setattr(socket.socket, "connect", lambda self, address: refuse(self, address))
    monkeypatch.setattr(socket.socket, "connect_ex", lambda self, address: refuse(self, address))
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    return tried


def test_reading_commands_open_no_connection_in_process(example_project, no_network):
    assert not (example_project / "script" / "origin.json").exists()  # auto, and no voice chosen yet
    project = narrate.open_project(example_project)
    plan = narrate.plan_book(project)
    assert plan.to_synthesize == sum(len(s.units) for s in plan.sections) > 0  # nothing built yet: all of it
    status = narrate.book_status(project)
    assert status.to_synthesize == plan.to_synthesize and status.book_stale
    with pytest.raises(NarrateError):  # nothing to hear yet: its own error, not a connection
        narrate.verify_book(project)
    assert no_network == []


def test_status_plans_with_the_offline_voice_before_the_first_build(example_project, no_network):
    from narrate import engines

    status = narrate.book_status(narrate.open_project(example_project))
    assert status.engine == engines.instance(engines.EngineSpec(engines.OFFLINE, _settings(example_project))).describe()


def _settings(root):
    from narrate.engines import EngineSettings

    config = narrate.open_project(root).config
    return EngineSettings(voice=config.voice, language=config.language, tld=config.tld, speed=config.speed)


# The CLI in a fresh interpreter whose every connection attempt ends it at once (exit 97), whatever catches errors.
_GUARDED = """
import os, socket, sys
def refuse(*args, **kwargs):
    sys.stderr.write(f"CONNECTED {args[-1] if args else kwargs}\\n"); sys.stderr.flush(); os._exit(97)
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
from narrate.cli import cli
cli(args=sys.argv[1:], prog_name="narrate")
"""


@pytest.mark.slow
@pytest.mark.parametrize("command", [["status"], ["verify"], ["chapters", "audio/book.mp3"]])
def test_reading_commands_open_no_connection_from_the_command_line(example_project, command):
    (example_project / "audio").mkdir()
    (example_project / "audio" / "book.mp3").write_bytes(b"")  # `chapters` reads a file: an empty one has none
    done = subprocess.run(
        [sys.executable, "-c", _GUARDED, *command], cwd=example_project, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 97 and "CONNECTED" not in done.stderr, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
    if command == ["status"]:
        assert done.returncode == 0 and "to synthesize" in done.stdout, done.stderr
    else:  # nothing built: each says so in one line
        assert done.returncode != 0 and len(done.stderr.strip().splitlines()) == 1, done.stderr


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
