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
    from conftest import REPO, ESSAY

    root = tmp_path_factory.mktemp("clean")
    shutil.copy(REPO / "narrate.toml", root)
    (root / "essay").mkdir()
    shutil.copy(ESSAY, root / "essay")
    proc = _narrate(root, "build", "--engine", "fake")
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    return _outputs(root)


# With a 40 ms fake voice these land in early synthesis, mid synthesis, track encoding, book encoding.
@pytest.mark.parametrize("kill_after", [0.4, 1.0, 1.8, 2.1])
def test_a_build_killed_anywhere_resumes_to_the_same_bytes(example_project, clean_build, kill_after):
    root = example_project
    proc = _narrate(root, "build", "--engine", "fake", delay=0.04)
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    rerun = _narrate(root, "build", "--engine", "fake")
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    assert _outputs(root) == clean_build
    leftovers = [p for p in root.rglob("*.part")]
    assert leftovers == []


def test_a_second_build_in_the_same_folder_stops_with_a_clear_message(example_project, clean_build):
    first = _narrate(example_project, "build", "--engine", "fake", delay=0.05)
    lock = example_project / ".narrate" / "lock"
    deadline = time.monotonic() + 20
    while not list((example_project / ".narrate").rglob("*.wav")) and time.monotonic() < deadline:
        time.sleep(0.02)  # the first build holds the lock once it is writing the cache
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
    deadline = time.monotonic() + 20
    while len(list(speech.rglob("*.wav"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
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
