"""A recording fake engine, and `python tests/fakes.py ARGS` to run the real CLI with it registered.

The fake speaks each text as a tone whose length follows its word count and whose pitch
follows the text: deterministic, so builds can be compared byte for byte.
"""

from __future__ import annotations

import os
import sys
import time
import zlib

import numpy as np

from narrate import audio, engines
from narrate.audio import AudioSegment
from narrate.engines.base import Engine, EngineSettings, speed_identity


class FakeEngine(Engine):
    """Records every text it is asked to speak."""

    name = "fake"
    calls: list[str] = []

    def __init__(self, settings: EngineSettings):
        self.settings = settings
        self.delay = float(os.environ.get("NARRATE_FAKE_DELAY", "0"))

    def identity(self):
        return {"voice": self.settings.voice or "fake-voice", **speed_identity(self.settings)}

    def synthesize(self, text: str) -> AudioSegment:
        FakeEngine.calls.append(text)
        time.sleep(self.delay)
        if "MEMORY HOG" in text:  # a sentence that makes the engine run out of memory (NARRATE_FAKE_HOG_MB)
            hog = np.ones(int(os.environ.get("NARRATE_FAKE_HOG_MB", "0")) * 2**17)  # 8-byte floats, all touched
            time.sleep(5 + hog[0])  # held until the worker's nanny notices
        return self._tone(text, 0)

    def retake(self, text: str, take: int) -> AudioSegment:
        """Another take: the same length, another pitch (recorded as a call like the first)."""
        FakeEngine.calls.append(text)
        return self._tone(text, take)

    def _tone(self, text: str, take: int) -> AudioSegment:
        words = max(1, len(text.split()))
        t = np.arange(int(0.06 * words * audio.RATE / self.settings.speed)) / audio.RATE
        pitch = 180 + (zlib.crc32(text.encode()) + 37 * take) % 200
        return audio.from_samples(0.3 * np.sin(2 * np.pi * pitch * t))


class FastVoiceEngine(Engine):
    """A fast stand-in for a voice, for long books: noise in syllable-like bursts, about 0.3 s a word.

    Unlike a pure tone, no two stretches of it look alike, so cross-correlation can find
    where a section's audio lands in a book. Deterministic: the text seeds the noise.
    """

    name = "fastvoice"
    workers = os.cpu_count() or 1
    seconds = 0.0  # time spent synthesizing, all instances together

    def __init__(self, settings: EngineSettings):
        self.settings = settings

    def identity(self):
        return {"voice": "fastvoice"}

    def synthesize(self, text: str) -> AudioSegment:
        started = time.perf_counter()
        n = int(0.3 * max(1, len(text.split())) * audio.RATE)
        rng = np.random.default_rng(zlib.crc32(text.encode()))
        t = np.arange(n, dtype=np.float32) / audio.RATE
        envelope = np.maximum(0.0, np.sin(2 * np.pi * 4.0 * t + rng.uniform(0, 6.28))) ** 2
        voice = rng.standard_normal(n).astype(np.float32) * 0.15 + 0.25 * np.sin(2 * np.pi * rng.uniform(110, 220) * t)
        seg = audio.from_samples(voice * envelope)
        FastVoiceEngine.seconds += time.perf_counter() - started
        return seg


def speech_like(seconds: float, seed: int = 2) -> np.ndarray:
    """Syllable-like harmonic bursts (0.25-0.5 s, pitch 110-180 Hz) with short gaps, unscaled floats at RATE."""
    rng = np.random.default_rng(seed)
    parts, t = [], 0.0
    while t < seconds:
        d = min(rng.uniform(0.25, 0.5), seconds - t)
        tt = np.arange(int(d * audio.RATE)) / audio.RATE
        f0 = rng.uniform(110, 180)
        tone = sum(np.sin(2 * np.pi * f0 * k * tt + rng.uniform(0, 2 * np.pi)) / k for k in range(1, 8))
        parts.append(tone * np.minimum(1, np.minimum(tt, d - tt) / 0.03))
        t += d
        gap = min(0.12, seconds - t)
        if gap > 0:
            parts.append(np.zeros(int(gap * audio.RATE)))
            t += gap
    return np.concatenate(parts)


class SpeechLikeEngine(FakeEngine):
    """Like FakeEngine, but each text is voiced syllables (0.2 s a word) with a speech-like crest factor."""

    def synthesize(self, text: str) -> AudioSegment:
        FakeEngine.calls.append(text)
        x = speech_like(0.2 * max(1, len(text.split())), seed=zlib.crc32(text.encode()))
        return audio.from_samples(0.3 * x / np.max(np.abs(x)))


if __name__ == "__main__":
    from narrate.cli import main

    engines.ENGINES["fake"] = FakeEngine
    sys.argv[0] = "narrate"
    main()
