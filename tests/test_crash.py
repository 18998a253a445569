"""Crash safety: a build killed at any moment resumes to the same bytes; two builds never interleave."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import example_sentences

pytestmark = pytest.mark.slow  # narrate in its own process, killed and run again

FAKES = Path(__file__).resolve().parent / "fakes.py"


def _narrate(cwd: Path, *args: str, delay: float = 0.0, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "NARRATE_FAKE_DELAY": str(delay)}
    return subprocess.Popen(
        [sys.executable, str(FAKES), *args], cwd=cwd, env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A shell running the tests in the background ignores SIGINT, and its children inherit
        # that: give narrate the Ctrl-C a user's terminal would.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL), **kwargs,
    )


def _outputs(root: Path) -> dict[str, bytes]:
    audio = root / "audio"
    return {str(p.relative_to(audio)): p.read_bytes() for p in sorted(audio.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def clean_build(tmp_path_factory):
    """The outputs of one uninterrupted build of the example book."""
    from conftest import ESSAY, REPO

    root = tmp_path_factory.mktemp("clean")
    shutil.copy(REPO / "narrate.toml", root)
    (root / "essay").mkdir()
    shutil.copy(ESSAY, root / "essay")
    proc = _narrate(root, "build", "--engine", "fake")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return _outputs(root)


def _until_logged(proc: subprocess.Popen, start: str) -> None:
    """Read the build's log (stderr) until a line starts with `start`: the build has got that far."""
    for line in proc.stderr:
        if line.startswith(start):
            return
    raise AssertionError(f"the build ended before logging {start!r}")


# The build says when each section's sentences are all spoken; after the last, sections are being
# encoded; once the book is in place, its tracks and the other files are being written.
KILL_AT = {
    "early synthesis": "00-opening.txt: ",
    "mid synthesis": "02-mia-sebastian-lust-beneath-the-love.txt: ",
    "section encoding": "05-why-we-keep-watching.txt: ",
    "tracks and sidecars": "audio/la-la-land.mp3",
}


@pytest.mark.parametrize("moment", list(KILL_AT))
def test_a_build_killed_anywhere_resumes_to_the_same_bytes(example_project, clean_build, moment):
    root = example_project
    proc = _narrate(root, "build", "--engine", "fake", delay=0.04)
    if moment == "tracks and sidecars":
        _until_logged(proc, KILL_AT["section encoding"])
        deadline = time.monotonic() + 60
        while not (root / KILL_AT[moment]).exists():  # the book file appears whole (an atomic rename)
            assert proc.poll() is None and time.monotonic() < deadline, "the build ended before the book was written"
            time.sleep(0.005)
    else:
        _until_logged(proc, KILL_AT[moment])
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL  # killed, not finished
    rerun = _narrate(root, "build", "--engine", "fake")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert _outputs(root) == clean_build
    leftovers = [p for p in root.rglob("*.part")]
    assert leftovers == []


def test_a_second_build_in_the_same_folder_stops_with_a_clear_message(example_project, clean_build):
    first = _narrate(example_project, "build", "--engine", "fake", delay=0.05)
    lock = example_project / ".narrate" / "lock"
    _until_logged(first, "00-opening.txt: ")  # the first build holds the lock: it is writing the cache
    second = _narrate(example_project, "build", "--engine", "fake")
    out, err = second.communicate(timeout=60)
    assert second.returncode == 1
    assert "another narrate build is running in this folder" in err and "Traceback" not in err
    out, err = first.communicate(timeout=120)
    assert first.returncode == 0, err
    assert lock.exists()
    assert _outputs(example_project) == clean_build  # the refused build disturbed nothing


def test_ctrl_c_stops_with_one_line_and_status_130_and_the_next_build_goes_on(example_project, clean_build):
    proc = _narrate(example_project, "-q", "build", "--engine", "fake", delay=0.05)
    speech = example_project / ".narrate" / "cache" / "speech"
    deadline = time.monotonic() + 60
    while len(list(speech.rglob("*.wav"))) < 3:  # -q: no log line to wait for; three takes stored
        assert proc.poll() is None and time.monotonic() < deadline, "the build ended before it was interrupted"
        time.sleep(0.01)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.splitlines() == ["narrate: interrupted; finished work is kept, run the command again to go on"]
    assert list(example_project.rglob("*.part")) == []
    kept = len(list(speech.rglob("*.wav")))
    assert 3 <= kept < example_sentences()

    rerun = _narrate(example_project, "build", "--engine", "fake")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert f"{example_sentences() - kept} sentence(s) synthesized" in out  # what was finished is not spoken again
    assert _outputs(example_project) == clean_build
