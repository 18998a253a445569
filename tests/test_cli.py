"""The command line: one call per command, errors as one line without a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from narrate.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output


def test_build_then_chapters(example_project, fake_engine):
    result = run("build", "--engine", "fake")
    assert result.exit_code == 0, result.output
    assert "6 chapters" in result.output and "37 sentence(s) synthesized" in result.output
    listed = run("chapters", "audio/la-la-land.mp3")
    assert listed.exit_code == 0
    lines = listed.output.strip().splitlines()
    assert len(lines) == 6 and lines[1].endswith("A Fantasy Draped in Flesh and Jazz")
    assert lines[0].startswith("0:00:00.000")


@pytest.mark.parametrize(
    "args, message",
    [
        (["build", "missing.txt"], "essay not found"),
        (["build", "."], "is a folder"),
        (["build", "--engine", "nope"], "unknown engine 'nope'"),
        (["split"], "nothing to narrate"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    if args[:2] == ["build", "--engine"]:
        (tmp_path / "e.txt").write_text("Title\n\nSome words.\n", encoding="utf-8")
        args = [*args, "e.txt"]
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_invalid_config_points_at_the_line(example_project):
    (example_project / "narrate.toml").write_text('[voice]\nengine = "piper"\nspeed = "fast"\n', encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    assert "line 3" in result.output and "unknown key 'speed'" in result.output


def test_python_dash_m_works():
    out = subprocess.run([sys.executable, "-m", "narrate", "--version"], capture_output=True, text=True, check=True)
    assert "narrate" in out.stdout
