"""Faults a build must survive: unwritable folders, a full disk, Google failing, the offline voice failing.

Each ends in one clear line and a non-zero status; nothing finished or written by hand is lost;
the next run goes on from where the failed one stopped.
"""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path

import numpy as np
import pytest

from conftest import assert_clear_error, run_cli
from gtts_standin import OK, gtts_standin, http, no_audio, reset, slow  # noqa: F401  (gtts_standin is the fixture)
from narrate import engines
from narrate.audio.tags import read_chapters
from narrate.engines.gtts import GTTSEngine
from narrate.engines.piper import PiperEngine

ESSAY = "Small Book\n\n1. Start\nThe first words. More of them.\n\n2. End\nThe last words.\n"
REQUESTS = ["Small Book.", "Start.", "The first words.", "More of them.", "End.", "The last words."]
SPOKEN = len(REQUESTS)  # the opening, two headings, three sentences


def _snapshot(root: Path, *folders: str) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for folder in folders
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def _leftovers(root: Path) -> list[Path]:
    return list(root.rglob("*.part"))


def _synthesized(result) -> int:
    return int(re.search(r"(\d+) sentence\(s\) synthesized", result.stdout).group(1))


@pytest.fixture
def built(tmp_path, monkeypatch, fake_engine):
    """A project built once with the fake engine; returns its folder."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "book.txt").write_text(ESSAY, encoding="utf-8")
    result = run_cli("build", "book.txt", "--engine", "fake")
    assert result.exit_code == 0, result.stderr
    assert len(fake_engine) == SPOKEN
    fake_engine.clear()
    return tmp_path


# ---------------------------------------------------------------- an output folder that cannot be written


def test_an_output_folder_that_is_a_file_is_named_and_the_work_is_kept(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "book.txt").write_text(ESSAY, encoding="utf-8")
    (tmp_path / "audio").write_text("my notes, not a folder\n", encoding="utf-8")

    result = run_cli("-q", "build", "book.txt", "--engine", "fake")

    assert_clear_error(result, rf"cannot write {re.escape(str(tmp_path))}/audio/.*: {re.escape(str(tmp_path))}/audio is a file where a folder should be; move or rename it")
    assert (tmp_path / "audio").read_text() == "my notes, not a folder\n"  # the user's file is left alone
    assert len(fake_engine) == SPOKEN and _leftovers(tmp_path) == []
    (tmp_path / "audio").unlink()
    rerun = run_cli("build", "book.txt", "--engine", "fake")
    assert rerun.exit_code == 0 and _synthesized(rerun) == 0  # the speech was kept in the cache
    assert len(fake_engine) == SPOKEN


def _deny_writes_under(monkeypatch, folder: Path, error: int) -> None:
    """Make creating any file under `folder` fail with `error`, as a read-only folder or a full disk would."""
    real = tempfile.mkstemp

    def mkstemp(*args, dir=None, **kwargs):
        if dir is not None and Path(dir).resolve().is_relative_to(folder.resolve()):
            raise OSError(error, os.strerror(error), str(dir))
        return real(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)


needs_proc = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds an fd's path through /proc")


def _fail_fsync_under(monkeypatch, folder: Path, error: int, after: int = 0) -> list[str]:
    """Make fsync fail with `error` for files under `folder` after `after` successes; returns the paths failed."""
    real, seen, failed = os.fsync, [0], []

    def fsync(fd):
        path = os.readlink(f"/proc/self/fd/{fd}")
        if Path(path).is_relative_to(folder.resolve()):
            seen[0] += 1
            if seen[0] > after:
                failed.append(path)
                raise OSError(error, os.strerror(error))
        return real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    return failed


def test_permission_denied_on_the_outputs_keeps_the_book_and_the_hand_edits(built, monkeypatch, fake_engine):
    script = built / "script" / "02-end.txt"
    script.write_text("End.\n\nThe last words, edited by hand.\n", encoding="utf-8")
    outputs = _snapshot(built, "audio")
    with monkeypatch.context() as patch:
        _deny_writes_under(patch, built / "audio", errno.EACCES)
        result = run_cli("-q", "build", "book.txt", "--engine", "fake")

    assert_clear_error(result, r"cannot write .*/audio/.*: permission denied\. Probable cause: the folder is read-only; choose a writable one")
    assert _snapshot(built, "audio") == outputs  # the last good book and tracks are untouched
    assert script.read_text() == "End.\n\nThe last words, edited by hand.\n"
    assert fake_engine == ["The last words, edited by hand."] and _leftovers(built) == []
    rerun = run_cli("build", "book.txt", "--engine", "fake")
    assert rerun.exit_code == 0 and _synthesized(rerun) == 0
    assert _snapshot(built, "audio") != outputs


# ---------------------------------------------------------------- a full disk


@needs_proc
def test_a_full_disk_while_writing_the_book_loses_nothing(built, monkeypatch, fake_engine):
    script = built / "script" / "01-start.txt"
    script.write_text("Start.\n\nThe first words, rewritten. More of them.\n", encoding="utf-8")
    outputs = _snapshot(built, "audio")
    with monkeypatch.context() as patch:
        failed = _fail_fsync_under(patch, built / "audio", errno.ENOSPC)
        result = run_cli("-q", "build", "book.txt", "--engine", "fake")

    assert_clear_error(result, r"cannot write .*/audio/book\.mp3: the disk is full\. Probable cause: free some space")
    assert failed and all(Path(p).name.endswith(".part") for p in failed)  # the write failed on the temporary file
    assert _leftovers(built) == []
    assert _snapshot(built, "audio") == outputs
    assert script.read_text() == "Start.\n\nThe first words, rewritten. More of them.\n"
    assert fake_engine == ["The first words, rewritten."]
    rerun = run_cli("build", "book.txt", "--engine", "fake")
    assert rerun.exit_code == 0 and _synthesized(rerun) == 0
    assert read_chapters(built / "audio" / "book.mp3")[1].title == "Start"
    assert _snapshot(built, "audio") != outputs


@needs_proc
def test_a_full_disk_while_caching_speech_keeps_what_was_cached(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "book.txt").write_text(ESSAY, encoding="utf-8")
    with monkeypatch.context() as patch:
        _fail_fsync_under(patch, tmp_path / ".narrate" / "cache" / "speech", errno.ENOSPC, after=3)
        result = run_cli("-q", "build", "book.txt", "--engine", "fake")

    assert_clear_error(result, r"cannot write .*/\.narrate/cache/speech/.*\.wav: the disk is full")
    # takes are stored by the build as it awaits them: the engine may have spoken ahead
    assert fake_engine[:4] == REQUESTS[:4] and _leftovers(tmp_path) == []
    assert len(list((tmp_path / ".narrate" / "cache" / "speech").rglob("*.wav"))) == 3
    assert not (tmp_path / "audio").exists()
    fake_engine.clear()
    rerun = run_cli("build", "book.txt", "--engine", "fake")
    assert rerun.exit_code == 0 and _synthesized(rerun) == SPOKEN - 3
    assert fake_engine == REQUESTS[3:]  # the sentence whose entry was not written, and those after it
    assert [c.title for c in read_chapters(tmp_path / "audio" / "book.mp3")] == ["Small Book", "Start", "End"]


# ---------------------------------------------------------------- Google failing during a build


@pytest.fixture
def gtts_project(tmp_path, monkeypatch, gtts_standin):
    """The essay in a folder; the "gtts" engine is the real one, two attempts, tiny waits, 1 s read timeout.

    The timeout is long enough that a loaded machine's good answer is never taken for a stall
    (0.3 s was, now and then); the stalled answers wait 2.5 s.
    """
    monkeypatch.chdir(tmp_path)
    (tmp_path / "book.txt").write_text(ESSAY, encoding="utf-8")
    monkeypatch.setattr(GTTSEngine, "workers", 1, raising=False)  # one request at a time: the faults land in order
    monkeypatch.setitem(
        engines.ENGINES, "gtts",
        lambda settings: GTTSEngine(settings, attempts=2, backoff=0.01, max_wait=0.05, timeout=(2.0, 1.0)),
    )
    return tmp_path


@pytest.mark.parametrize(
    "fault, cause",
    [
        (http(500), r"HTTP 500 from Google TTS"),
        (http(429), r"HTTP 429 from Google TTS"),
        (http(429, retry_after=3), r"HTTP 429 from Google TTS"),
        (reset(), r"connection failed \(ChunkedEncodingError\)"),
        (slow(2.5), r"connection failed \(ReadTimeout\)"),
        (no_audio(), r"Google answered without audio"),
    ],
    ids=["500", "429", "429-retry-after", "reset-mid-body", "timeout", "no-audio"],
)
def test_google_failing_mid_book_names_the_section_and_the_next_run_goes_on(gtts_project, gtts_standin, fault, cause):
    gtts_standin.script(*[OK] * 4)  # the opening and all of section 1 come through
    gtts_standin.fail_with(fault)

    result = run_cli("-q", "build", "--engine", "gtts", "book.txt")

    line = assert_clear_error(result, rf"section 02-end\.txt, sentence 'End\.': gTTS failed after 2 tries: {cause}\.", only_line=False)
    assert "wait and run again (finished sentences are cached), or narrate offline with the default offline voice: `--voice heart` for one build" in line
    retries = [x for x in result.stderr.splitlines() if x != line]
    assert len(retries) == 1 and retries[0].startswith("gTTS: ") and "retrying in" in retries[0]
    assert gtts_standin.texts == REQUESTS[:4] + ["End.", "End."]
    assert not (gtts_project / "audio" / "book.mp3").exists() and _leftovers(gtts_project) == []

    gtts_standin.fail_with(OK)
    gtts_standin.clear()
    rerun = run_cli("build", "--engine", "gtts", "book.txt")

    assert rerun.exit_code == 0, rerun.stderr
    assert gtts_standin.texts == ["End.", "The last words."]  # section 1 is not asked for again
    assert [c.title for c in read_chapters(gtts_project / "audio" / "book.mp3")] == ["Small Book", "Start", "End"]


def test_passing_faults_during_a_build_are_retried_and_the_book_is_whole(gtts_project, gtts_standin):
    faults = [http(429), http(429, retry_after=1), http(500), reset(), slow(2.5), no_audio()]
    for fault in faults:
        gtts_standin.script(fault, OK)

    result = run_cli("build", "--engine", "gtts", "book.txt")

    assert result.exit_code == 0, result.stderr
    assert gtts_standin.texts == [t for t in REQUESTS for _ in (1, 2)]  # each asked twice: a fault, then audio
    assert [r.answer for r in gtts_standin.requests][::2] == [f.kind for f in faults]
    assert _synthesized(result) == len(REQUESTS)
    assert [c.title for c in read_chapters(gtts_project / "audio" / "book.mp3")] == ["Small Book", "Start", "End"]
    assert sum("retrying in" in line for line in result.stderr.splitlines()) == len(faults)


# ---------------------------------------------------------------- the offline voice failing on one sentence


class _Chunk:
    def __init__(self, samples: np.ndarray):
        self.audio_int16_array = samples


class _Voice:
    """Stands in for a loaded Piper voice: a tone per word; raises on any text containing `bad`."""

    class config:
        sample_rate = 22050

    def __init__(self, bad: str | None):
        self.bad, self.texts = bad, []

    def synthesize(self, text, syn_config=None):
        self.texts.append(text)
        if self.bad and self.bad in text:
            raise RuntimeError("espeak-ng: phoneme buffer overflow")
        t = np.arange(int(0.2 * len(text.split()) * 22050)) / 22050
        yield _Chunk((8000 * np.sin(2 * np.pi * 200 * t)).astype(np.int16))


def _piper_with(monkeypatch, voice: _Voice) -> None:
    """The real Piper engine speaking with `voice` instead of the ONNX model, one sentence at a time."""
    # A class of its own, so this process's engine for the spec is made again (not one an earlier test loaded).
    monkeypatch.setitem(engines.ENGINES, "piper", type("PiperWith", (PiperEngine,), {"_load": lambda self: voice}))
    monkeypatch.setenv("NARRATE_PIPER_WORKERS", "1")  # in order, so the sentences after the failure are not begun


def test_the_offline_voice_failing_on_one_sentence_names_the_script_and_the_sentence(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "book.txt").write_text(ESSAY.replace("More of them.", "A cursed sentence here."), encoding="utf-8")
    broken = _Voice(bad="cursed")
    _piper_with(monkeypatch, broken)

    result = run_cli("-q", "build", "--engine", "piper", "book.txt")

    assert_clear_error(
        result,
        r"^Error: section 01-start\.txt, sentence 'A cursed sentence here\.': Piper failed \(espeak-ng: phoneme buffer "
        r"overflow\); reword the sentence in its script and run again",
    )
    assert broken.texts == ["Small Book.", "Start.", "The first words.", "A cursed sentence here."]
    assert not (tmp_path / "audio").exists()

    fixed = _Voice(bad=None)
    _piper_with(monkeypatch, fixed)
    rerun = run_cli("build", "book.txt", "--engine", "piper")

    assert rerun.exit_code == 0, rerun.stderr
    assert fixed.texts == ["A cursed sentence here.", "End.", "The last words."]  # what came before stayed cached
    assert [c.title for c in read_chapters(tmp_path / "audio" / "book.mp3")] == ["Small Book", "Start", "End"]
