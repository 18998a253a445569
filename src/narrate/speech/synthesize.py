"""Synthesis: sentences spoken on an executor, each section mastered and encoded as soon as its sentences exist."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import numpy as np

from narrate import engines
from narrate.audio import heap, stitch
from narrate.audio import pcm as audio
from narrate.config import Config
from narrate.engines import EngineSpec
from narrate.errors import NarrateError, SynthesisError
from narrate.outputs import captions
from narrate.plan import BuildPlan, SectionPlan
from narrate.speech.cache import Cache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Progress:
    """One step of a build's long work, for a progress display.

    Attributes:
        stage: "synthesize" (one sentence spoken) or "encode" (one section encoded).
        done: steps of this stage finished so far.
        total: steps this stage has in this build.
        section: the script the step belonged to.
    """

    stage: str
    done: int
    total: int
    section: str


ProgressCallback = Callable[[Progress], None]


class Counter:
    """Counts a stage's steps from any thread and reports each one, one at a time."""

    def __init__(self, stage: str, total: int, report: ProgressCallback | None):
        self.stage, self.total, self._report = stage, total, report
        self._done = 0
        self._lock = threading.Lock()

    def step(self, section: str) -> None:
        with self._lock:
            self._done += 1
            if self._report is not None:
                self._report(Progress(self.stage, self._done, self.total, section))


def speak_pcm(spec: EngineSpec, text: str, take: int = 0) -> bytes:
    """One sentence, spoken on an executor's worker: its audio as PCM in the one format.

    A module-level function of plain values, so a process or a cluster can run it too.
    `take` above 0 asks for another take (see `Engine.retake`).
    """
    engine = engines.instance(spec)
    return audio.conform(engine.retake(text, take) if take else engine.synthesize(text)).raw_data


def _spoken(section: SectionPlan, cache: Cache, lengths: list[int]) -> Iterator[np.ndarray]:
    """The section's cached sentences, each followed by its pause, one sentence in memory at a time.

    `lengths` is refilled with each take's sample count as the takes are read (the section's timings).
    """
    lengths.clear()
    for unit, key in zip(section.units, section.speech_keys):
        speech = cache.get("speech", key, f"{unit.text[:60]!r} ({section.script.file})")
        if speech is None:
            raise NarrateError(
                f"the cached audio of {unit.text[:60]!r} ({section.script.file}) vanished; run the build again"
            )
        pcm = audio.samples(speech)
        lengths.append(len(pcm))
        yield pcm
        yield audio.samples(audio.silence(unit.pause_ms))


# Sentences in flight (submitted, not yet stored), across sections: enough to keep every worker
# busy, few enough that the takes spoken ahead of the one awaited stay a few megabytes, however
# long a chapter is, even when storing lags (a slow disk's fsync). Local threads need one queued
# behind each sentence being spoken; a cluster's workers, further away, more.
_AHEAD_LOCAL = 2
_AHEAD = 64


def _ahead(executor: Executor, workers: int) -> int:
    """How many sentences to keep in flight on `executor`, for an engine speaking `workers` at once in a process."""
    return _AHEAD_LOCAL * workers + 2 if isinstance(executor, ThreadPoolExecutor) else max(_AHEAD, 4 * workers)


# New takes heard together by `check`: a section's are heard a batch at a time, not all at once.
_CHECK_BATCH = 32
# How long a failed or interrupted build waits for the sentences being spoken, to keep them.
_SETTLE_S = 30.0


def synthesize_sections(
    plan: BuildPlan, cache: Cache, config: Config, executor: Executor, progress: ProgressCallback | None = None,
    check: Callable[[SectionPlan, list[int], list[bytes]], list[bytes]] | None = None,
) -> stitch.Joints:
    """Make every section's encoded body, and the joints: synthesize the missing sentences on
    `executor`, and master and encode each section as soon as its sentences exist.

    With `check` (see `narrate.verify.takes`), new takes go through it before they are stored, a
    batch of a section's at a time (the section, the indices of its units, their takes): it
    returns the takes to keep, retaken where the recognizer doubted them.

    Takes are stored in the cache here, by the build, as they are awaited, in order: the
    workers need no access to it, and only a few are ever held. The first failure stops the
    work: sentences not yet started are cancelled (a failing service is not hammered),
    finished ones are stored for the next run.
    """
    todo = [s for s in plan.sections if s.remake]
    spoke = Counter("synthesize", sum(len(s.missing) for s in todo), progress)
    coded = Counter("encode", len({s.key for s in todo}), progress)

    def encode(section: SectionPlan) -> None:
        if section.remaster:
            # What was made from other takes goes first (the timings before the audio they describe),
            # so the timings in the cache always describe the section audio beside them.
            kind, ext = captions.TIMINGS
            cache.discard(kind, section.key, ext)
            cache.discard("sections", section.key)
            cache.discard("mp3", section.body.stem, ".mp3")
        lengths: list[int] = []
        stitch.encode_body(cache, section.key, config.bitrate, config.target, lambda: _spoken(section, cache, lengths), section.speech_keys)
        if section.remaster:
            captions.store_timings(cache, section.key, lengths)
        coded.step(section.script.file)

    # Every sentence submitted and not yet stored, and whose it is. A stored take is dropped:
    # a future holds its result, and the takes of a whole chapter would not fit in memory.
    taken: dict[Future, tuple[SectionPlan, int]] = {}
    failures: list[Future] = []  # the first to fail, whose error the build reports
    lock = threading.Lock()

    def done(future: Future, file: str) -> None:
        if future.cancelled():
            return
        if future.exception() is None:
            spoke.step(file)
            return
        with lock:  # the first failure stops the rest: what has not started is dropped
            if not failures:
                failures.append(future)
                for other in list(taken):
                    other.cancel()

    def submit(section: SectionPlan, index: int) -> Future:
        future = executor.submit(speak_pcm, plan.spec, section.units[index].text, section.take(index))
        with lock:
            taken[future] = (section, index)
        future.add_done_callback(lambda f: done(f, section.script.file))
        return future

    def result(future: Future) -> bytes:
        wait([future])  # until it is done, or cancelled because another sentence failed first
        if failures:  # the build stops at its first failure, and reports that one
            future = failures[0]
        section, index = taken[future]
        try:
            return future.result()
        except SynthesisError as exc:
            text = section.units[index].text
            raise SynthesisError(f"section {section.script.file}, sentence {text[:60]!r}: {exc}") from exc

    def store(section: SectionPlan, indices: list[int], pcms: list[bytes]) -> None:
        if check is not None:
            pcms = check(section, indices, pcms)
        for index, pcm in zip(indices, pcms):
            cache.put("speech", section.speech_keys[index], audio.segment(pcm))

    # Mastering and encoding is local work on the cache (ffmpeg subprocesses): its own pool.
    encoding = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="encode")
    jobs = ((section, index) for section in todo for index in section.missing)
    spoken: deque[Future] = deque()  # in the order of `jobs`
    ahead = _ahead(executor, plan.engine.workers)

    def submit_ahead() -> None:
        while len(spoken) < ahead and not failures:
            job = next(jobs, None)
            if job is None:
                return
            spoken.append(submit(*job))

    try:
        around = encoding.submit(stitch.joints, cache, plan.cue, config.pauses, config.bitrate)
        encoding.submit(plan.cover.jpeg)  # made while the voice speaks, not after it (the book's tags need it)
        encoded: dict[str, Future] = {}  # by section key: identical sections are encoded once
        for section in todo:
            indices: list[int] = []
            pcms: list[bytes] = []
            for index in section.missing:
                submit_ahead()
                future = spoken.popleft()
                pcms.append(result(future))  # raises the build's first failure
                indices.append(index)
                if check is None or len(pcms) == _CHECK_BATCH:
                    store(section, indices, pcms)
                    indices, pcms = [], []
                with lock:  # a stored take's future holds its PCM: let it go, so memory stays flat
                    del taken[future]
                del future
            if pcms:
                store(section, indices, pcms)
            del pcms
            if section.missing:
                log.info("%s: %d of %d sentence(s) synthesized", section.script.file, len(section.missing), len(section.units))
                heap.release()  # the workers' freed sentence arrays, once a section, so the peak does not creep
            # Every sentence before this section's end is stored, a take it shares with one before included.
            if section.key not in encoded:
                encoded[section.key] = encoding.submit(encode, section)
        for future in encoded.values():
            future.result()
        return around.result()
    except BaseException:
        # On failure or Ctrl-C: drop what has not started, keep every take that was made, those
        # being spoken as it came included (a local pool waits for them anyway as it shuts down).
        with lock:
            left = dict(taken)
        for future in left:
            future.cancel()
        with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C ends the wait, not the keeping
            wait(left, timeout=_SETTLE_S)
        for future, (section, index) in left.items():
            # Takes not yet checked are not kept when checking: the next build checks them.
            if check is None and future.done() and not future.cancelled() and future.exception() is None:
                with contextlib.suppress(NarrateError):  # best effort: the disk may be what failed
                    cache.put("speech", section.speech_keys[index], audio.segment(future.result()))
        raise
    finally:
        encoding.shutdown(wait=True, cancel_futures=True)


