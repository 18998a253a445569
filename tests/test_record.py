"""record.py: a build with nothing to do knows it from the last build's record, before loading a voice or numpy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from narrate import api
from narrate.cli import cli

from conftest import example_sentences

TESTS = Path(__file__).resolve().parent

# The command line in a fresh interpreter; afterwards, which heavy modules it had loaded (on stderr).
DRIVER = """
import sys
from narrate.cli import main
sys.argv = ["narrate", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
heavy = ("numpy", "pydub", "hibari", "onnxruntime", "narrate.engines.gtts", "requests", "narrate.plan", "narrate.text.normalize")
print("LOADED", [m for m in heavy if m in sys.modules], file=sys.stderr)
sys.exit(code)
"""


def _fresh(root: Path, *args: str) -> tuple[dict, list[str]]:
    proc = subprocess.run([sys.executable, "-c", DRIVER, *args], cwd=root, capture_output=True, text=True, check=True)
    loaded = next(line for line in proc.stderr.splitlines() if line.startswith("LOADED"))
    return json.loads(proc.stdout), eval(loaded.split(" ", 1)[1])  # noqa: S307  a list of names, printed above


def _fake(root: Path, *args: str) -> dict:
    """A build by the command line with the fake voice registered (tests/fakes.py), its JSON summary."""
    proc = subprocess.run([sys.executable, str(TESTS / "fakes.py"), *args], cwd=root, capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def _same(a: dict, b: dict) -> bool:
    return {k: v for k, v in a.items() if k != "seconds"} == {k: v for k, v in b.items() if k != "seconds"}


@pytest.mark.slow  # narrate in fresh interpreters
def test_a_build_with_nothing_to_do_says_so_before_loading_a_voice_or_numpy(example_project):
    build = ("build", "--engine", "fake", "--json")
    first = _fake(example_project, *build)
    assert first["synthesized"] == example_sentences() and first["book_written"]
    nothing, loaded = _fresh(example_project, *build)
    assert loaded == []
    assert nothing["synthesized"] == 0 and not nothing["book_written"] and not nothing["outputs"]
    # what the whole pipeline reports when it finds nothing to do, to the byte (but the time taken)
    (example_project / ".narrate" / "last-build.json").unlink()
    planned = _fake(example_project, *build)
    assert _same(nothing, planned)
    assert not planned["book_written"] and planned["synthesized"] == 0


@pytest.mark.slow
def test_the_engine_auto_chose_is_kept_without_asking_google_again(example_project, monkeypatch):
    # conftest closes Google's port: auto narrates with the default offline voice
    first = CliRunner(mix_stderr=False).invoke(cli, ["build", "--json"])
    assert first.exit_code == 0, first.stderr
    assert json.loads(first.stdout)["engine"].startswith("hibari")
    nothing, loaded = _fresh(example_project, "build", "--json")
    assert loaded == [] and nothing["engine"] == json.loads(first.stdout)["engine"]


def _edit_script(root: Path) -> None:
    script = root / "script" / "03-the-sex-appeal-of-dreams.txt"
    script.write_text(script.read_text(encoding="utf-8").replace("It's bitter.", "It is bitter."), encoding="utf-8")


def _rewrite_book(root: Path) -> None:
    book = root / "audio" / "la-la-land.mp3"
    data = bytearray(book.read_bytes())
    data[-1] ^= 1
    book.write_bytes(bytes(data))


def _pause(root: Path) -> None:
    toml = root / "narrate.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("tail = 2000", "tail = 2100"), encoding="utf-8")


def _damage_body(root: Path) -> None:
    body = next((root / ".narrate" / "cache" / "mp3").rglob("*.mp3"))
    body.write_bytes(body.read_bytes()[:-10])


@pytest.mark.parametrize("change", [
    pytest.param(_edit_script, id="a script edited"),
    pytest.param(_rewrite_book, id="the book changed"),
    pytest.param(lambda root: (root / "audio" / "sections" / "02-mia-sebastian-lust-beneath-the-love.mp3").unlink(), id="a track deleted"),
    pytest.param(lambda root: (root / "audio" / "la-la-land.vtt").unlink(), id="captions deleted"),
    pytest.param(_pause, id="narrate.toml changed"),
    pytest.param(_damage_body, id="a cached body damaged"),
    pytest.param(lambda root: (root / "audio" / "notes.txt").write_text("mine"), id="a file added to audio/"),
])
def test_anything_changed_is_built_as_usual(example_project, fake_engine, monkeypatch, change):
    assert CliRunner().invoke(cli, ["-q", "build", "--engine", "fake"]).exit_code == 0
    planned = []
    real_build = api.build_book
    monkeypatch.setattr(api, "build_book", lambda *a, **k: planned.append(1) or real_build(*a, **k))
    assert CliRunner().invoke(cli, ["-q", "build", "--engine", "fake"]).exit_code == 0
    assert planned == []  # nothing changed: the record answered
    change(example_project)
    result = CliRunner(mix_stderr=False).invoke(cli, ["build", "--engine", "fake", "--json"])
    assert result.exit_code == 0, result.stderr
    assert planned == [1]
    # and the next, if nothing changes again, is answered by the record again
    assert CliRunner().invoke(cli, ["-q", "build", "--engine", "fake"]).exit_code == 0
    assert planned == [1]
    assert (example_project / "audio" / "la-la-land.vtt").is_file()


@pytest.mark.parametrize("other", [
    ["--format", "mp3"], ["--voice", "heart"], ["--force"], ["--verify"], ["--engine", "hibari"],
])
def test_a_build_asked_for_another_way_is_planned(example_project, fake_engine, monkeypatch, other):
    assert CliRunner().invoke(cli, ["-q", "build", "--engine", "fake"]).exit_code == 0
    planned = []
    monkeypatch.setattr(api, "build_book", lambda *a, **k: planned.append(k) or (_ for _ in ()).throw(SystemExit(0)))
    args = ["-q", "build", *(["--engine", "fake"] if "--engine" not in other and "--voice" not in other else []), *other]
    CliRunner().invoke(cli, args)
    assert len(planned) == 1


@pytest.mark.slow
def test_another_build_running_is_reported_as_before(example_project, fake_engine):
    assert CliRunner().invoke(cli, ["-q", "build", "--engine", "fake"]).exit_code == 0
    import fcntl

    with open(example_project / ".narrate" / "lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        proc = subprocess.run([sys.executable, "-c", DRIVER, "build", "--engine", "fake"], cwd=example_project,
                              capture_output=True, text=True, env={**os.environ})
    assert proc.returncode == 1 and "another narrate build is running in this folder" in proc.stderr
