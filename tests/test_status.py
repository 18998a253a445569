"""status.py, and every command that only reads: with engine "auto" and no voice kept yet, no connection is opened."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

import narrate
from narrate.errors import NarrateError


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
