"""`build --verify`: each section's new takes heard on the executor before they are stored; doubtful ones retaken."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np

from narrate.engines import EngineSpec
from narrate.plan import SectionPlan
from narrate.speech.synthesize import speak_pcm
from narrate.verify import hearing

RETAKES = 2  # other takes tried for a doubtful sentence before it is reported


def listen(texts: tuple[str, ...], takes: tuple[bytes, ...]) -> tuple[list[tuple[bool, float]], float]:
    """On an executor's worker: whether each take is heard and how much of its text, and the seconds it took.

    A module-level function of plain values, so a process or a cluster can run it too; the
    recognizer is loaded once per process.
    """
    began = time.perf_counter()
    verdicts = [(h.ok, h.score) for h in hearing.hear([np.frombuffer(take, dtype=np.int16) for take in takes], list(texts))]
    return verdicts, time.perf_counter() - began


@dataclass(frozen=True)
class CheckReport:
    """What `build --verify` did: sentences checked and retaken, those still doubtful, the recognizer's time."""

    checked: int
    retaken: int
    doubtful: tuple[str, ...]  # "script: 'text'" of each sentence whose every take was doubtful
    seconds: float  # the recognizer's time on the workers, summed


class TakeChecker:
    """Called by `synthesize.render` with each section's new takes; keeps, per sentence, the best heard take."""

    def __init__(self, spec: EngineSpec, executor: Executor, retakes: int = RETAKES):
        self.spec, self.executor, self.retakes = spec, executor, retakes
        self._lock = threading.Lock()
        self._checked = self._retaken = 0
        self._doubtful: list[str] = []
        self._seconds = 0.0

    def _listen(self, texts: list[str], takes: list[bytes]) -> list[tuple[bool, float]]:
        verdicts, seconds = self.executor.submit(listen, tuple(texts), tuple(takes)).result()
        with self._lock:
            self._seconds += seconds
        return verdicts

    def __call__(self, section: SectionPlan, indices: list[int], takes: list[bytes]) -> list[bytes]:
        """The takes to store for the section's units at `indices` (new takes of missing sentences), in order."""
        texts = [section.units[i].text for i in indices]
        # Each sentence keeps its best take: heard first, then by score.
        best = list(zip(self._listen(texts, takes), takes))
        for take in range(1, self.retakes + 1):
            doubtful = [j for j, (verdict, _) in enumerate(best) if not verdict[0]]
            if not doubtful:
                break
            again = [self.executor.submit(speak_pcm, self.spec, texts[j], take) for j in doubtful]
            pcms = [future.result() for future in again]
            for j, verdict, pcm in zip(doubtful, self._listen([texts[j] for j in doubtful], pcms), pcms):
                best[j] = max(best[j], (verdict, pcm), key=lambda t: t[0])
            with self._lock:
                self._retaken += len(doubtful)
        with self._lock:
            self._checked += len(takes)
            self._doubtful += [f"{section.script.file}: {texts[j]!r}" for j, (verdict, _) in enumerate(best) if not verdict[0]]
        return [pcm for _, pcm in best]

    def report(self) -> CheckReport:
        with self._lock:
            return CheckReport(self._checked, self._retaken, tuple(self._doubtful), self._seconds)
