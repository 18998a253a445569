"""synthesize.render: a failure or a cancel stores nothing half-made and reaches the caller; its memory stays flat."""

from __future__ import annotations

import _thread
import json
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from narrate import engines
from narrate.errors import SynthesisError
from narrate.plan import prepare
from narrate.project import open_project
from narrate.speech import synthesize
from narrate.speech.cache import Cache

import smallbook
from fakes import FakeEngine

TESTS = Path(__file__).resolve().parent


class _Misspeaking(FakeEngine):
    """The recording fake voice, which on `trouble` raises `error`, or presses Ctrl-C once `cue` is spoken."""

    name = "misspeaking"
    trouble = "Here the floor creaks."
    error: BaseException | None = None
    cue: str | None = None  # set: on `trouble`, Ctrl-C as soon as another worker has spoken this
    spoken_cue = threading.Event()

    def synthesize(self, text):
        if text == self.trouble and self.cue is not None:
            assert self.spoken_cue.wait(30)
            _thread.interrupt_main()  # the build's own thread is interrupted, as by a terminal's Ctrl-C
            time.sleep(0.3)  # ... while this sentence is still being spoken
        elif text == self.trouble and self.error is not None:
            FakeEngine.calls.append(text)
            raise self.error
        take = super().synthesize(text)
        if text == self.cue:
            self.spoken_cue.set()
        return take


@pytest.fixture
def small(tmp_path, fake_engine, monkeypatch):
    """The small book split, the misspeaking voice registered: (project, the sentences in build order)."""
    monkeypatch.setitem(engines.ENGINES, "misspeaking", _Misspeaking)
    project = open_project(smallbook.make_project(tmp_path / "book"))
    _, plan = prepare(project, "misspeaking", False)
    return project, [u.text for s in plan.sections for u in s.units]


def _render(project, check=None, progress=None, threads=1):
    """Plan and render the project on local threads (on one, its order is the sentences' order)."""
    _, plan = prepare(project, "misspeaking", False)
    with ThreadPoolExecutor(threads) as pool:
        return synthesize.synthesize_sections(plan, project.cache, project.config, pool, progress, check)


def _stored(project) -> dict[str, bool]:
    """The sentences with a speech entry in the cache, each with whether it passes the cache's check."""
    _, plan = prepare(project, "misspeaking", False)
    cache: Cache = project.cache
    return {
        u.text: cache.valid("speech", k)
        for s in plan.sections for u, k in zip(s.units, s.speech_keys) if cache.path("speech", k).exists()
    }


def _half_written(project) -> list[Path]:
    return list((project.root / ".narrate").rglob("*.part"))


def test_a_failing_sentence_stops_the_render_and_reaches_the_caller_named(small, monkeypatch):
    project, sentences = small
    monkeypatch.setattr(_Misspeaking, "error", SynthesisError("the service said 500"))
    with pytest.raises(SynthesisError, match=r"^section 02-the-second-room.txt, sentence 'Here the floor creaks.': the service said 500$"):
        _render(project)
    failed = sentences.index(_Misspeaking.trouble)
    # One worker: nothing after the failure was started (a failing service is not hammered) ...
    assert FakeEngine.calls == sentences[: failed + 1]
    # ... and every sentence spoken before it is kept, whole; the failed one is not stored.
    assert _stored(project) == dict.fromkeys(sentences[:failed], True)
    assert _half_written(project) == []
    # The next render speaks only what is missing.
    FakeEngine.calls.clear()
    monkeypatch.setattr(_Misspeaking, "trouble", "")
    _render(project)
    assert FakeEngine.calls == sentences[failed:]


def test_an_unexpected_error_reaches_the_caller_as_it_is(small, monkeypatch):
    project, sentences = small
    monkeypatch.setattr(_Misspeaking, "error", MemoryError("out of memory"))
    with pytest.raises(MemoryError, match="out of memory"):
        _render(project)
    failed = sentences.index(_Misspeaking.trouble)
    assert _stored(project) == dict.fromkeys(sentences[:failed], True) and _half_written(project) == []


@pytest.fixture
def ctrl_c_raises():
    """SIGINT raises KeyboardInterrupt, as at a terminal (a shell running the tests in the background ignores it)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_keeps_every_finished_take_and_nothing_half_written(small, monkeypatch, ctrl_c_raises):
    project, sentences = small
    interrupted = sentences.index(_Misspeaking.trouble)
    # Two workers: Ctrl-C comes as `trouble` is being spoken, once the sentence after it is spoken
    # (and not yet stored: takes are stored in order). Both were being made, so both are kept.
    monkeypatch.setattr(_Misspeaking, "cue", sentences[interrupted + 1])
    monkeypatch.setattr(_Misspeaking, "spoken_cue", threading.Event())
    with pytest.raises(KeyboardInterrupt):
        _render(project, threads=2)
    stored = _stored(project)
    # Every entry is whole. A writer still finishing as Ctrl-C lands may leave its hidden temporary
    # (.NAME.part), never an entry: the next build removes those first, under the lock.
    assert all(stored.values()) and all(p.name.startswith(".") for p in _half_written(project))
    assert set(sentences[: interrupted + 2]) <= set(stored)
    assert len(FakeEngine.calls) < len(sentences)  # what had not started was dropped
    FakeEngine.calls.clear()
    monkeypatch.setattr(_Misspeaking, "cue", None)
    _render(project)
    assert FakeEngine.calls == [t for t in sentences if t not in stored]  # the next build goes on


def test_takes_a_failing_check_has_not_passed_are_not_stored(small):
    project, sentences = small
    seen: list[list[str]] = []
    spoken = threading.Semaphore(0)

    def check(section, indices, takes):
        seen.append([section.units[i].text for i in indices])
        if len(seen) == 3:  # the recognizer fails on the third section's takes ...
            for _ in sentences:  # ... once every sentence is spoken: the last section's, unchecked, are ready too
                assert spoken.acquire(timeout=30)
            raise SynthesisError("the recognizer is gone")
        return takes

    with pytest.raises(SynthesisError, match="the recognizer is gone"):
        _render(project, check, progress=lambda p: spoken.release())
    checked = [t for batch in seen[:2] for t in batch]
    assert seen[2] == sentences[len(checked): len(checked) + len(seen[2])]  # a section's takes, checked together
    assert _stored(project) == dict.fromkeys(checked, True) and _half_written(project) == []


def test_the_takes_a_check_returns_are_the_ones_stored(small):
    project, sentences = small
    swapped = {}

    def check(section, indices, takes):
        # Keep each take reversed in time: what is stored must be what the check chose.
        kept = [bytes(memoryview(t).cast("h")[::-1].tobytes()) for t in takes]
        swapped.update({section.speech_keys[i]: k for i, k in zip(indices, kept)})
        return kept

    _render(project, check)
    cache: Cache = project.cache
    assert len(swapped) == len(sentences)
    for key, pcm_bytes in swapped.items():
        assert cache.get("speech", key).raw_data == pcm_bytes

BUILD = """
import json, resource, sys
from pathlib import Path
sys.path[:0] = [{tests!r}, {bench!r}]
from bench import _fastvoice, long_essay
from narrate import build as pipeline
root = Path(sys.argv[1]); root.mkdir()
(root / "book.txt").write_text(long_essay(float(sys.argv[2]) / 100, sections=int(sys.argv[2])), encoding="utf-8")
_fastvoice()
report = pipeline.build(pipeline.open_project(root, root / "book.txt"), engine_name="fastvoice", formats=("mp3",))
print(json.dumps([report.chapters[-1].end_ms / 1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))
"""


def _peak(tmp_path: Path, sections: int) -> tuple[float, float]:
    """(audio seconds, peak RSS in MB) of a stand-in build of a book of `sections` 36-second sections, in a fresh process."""
    code = BUILD.format(tests=str(TESTS), bench=str(TESTS / "bench"))
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / f"book-{sections}"), str(sections)],
                          capture_output=True, text=True, check=True)
    return tuple(json.loads(proc.stdout.strip().splitlines()[-1]))


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_the_book(tmp_path):
    short_s, short_mb = _peak(tmp_path, 4)
    long_s, long_mb = _peak(tmp_path, 30)
    assert long_s > 5 * short_s
    # Holding every sentence's PCM (44.1 kHz, 16-bit) would add about 88 kB a second of audio:
    # some 70 MB more for the long book. Allow a third of that for the allocator's noise.
    assert long_mb - short_mb < (long_s - short_s) * 88.2 / 1000 / 3, (short_s, short_mb, long_s, long_mb)


CHAPTER = """
import json, resource, sys
from pathlib import Path
sys.path[:0] = [{tests!r}, {bench!r}]
from bench import long_essay
from fakes import FakeEngine
from narrate import build as pipeline, engines
root = Path(sys.argv[1]); root.mkdir()
(root / "book.txt").write_text(long_essay(float(sys.argv[2]) / 60, sections=1), encoding="utf-8")
engines.ENGINES["fake"] = FakeEngine
report = pipeline.build(pipeline.open_project(root, root / "book.txt"), engine_name="fake", formats=("mp3", "vtt"))
print(json.dumps([report.chapters[-1].end_ms / 1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))
"""


def _chapter_peak(tmp_path: Path, minutes: float) -> tuple[float, float]:
    """(audio seconds, peak RSS in MB) of a stand-in build of one chapter of about `minutes`, in a fresh process."""
    code = CHAPTER.format(tests=str(TESTS), bench=str(TESTS / "bench"))
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / f"chapter-{minutes}"), str(minutes)],
                          capture_output=True, text=True, check=True)
    return tuple(json.loads(proc.stdout.strip().splitlines()[-1]))


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_a_chapters_length(tmp_path):
    # The stand-in speaks faster than the generated text's pace: minutes of text are about a third as long in audio.
    short_s, short_mb = _chapter_peak(tmp_path, 12)
    long_s, long_mb = _chapter_peak(tmp_path, 80)
    assert long_s > 6 * short_s > 6 * 200, (short_s, long_s)
    # Holding the chapter once (44.1 kHz, 16-bit) would add 5.3 MB a minute: 100 MB here. The
    # margin is the allocator's noise between two runs.
    assert abs(long_mb - short_mb) < 12, (short_s, short_mb, long_s, long_mb)
