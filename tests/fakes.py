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
from narrate.engines.base import Engine, EngineSettings


class FakeEngine(Engine):
    """Records every text it is asked to speak."""

    name = "fake"
    calls: list[str] = []

    def __init__(self, settings: EngineSettings):
        self.settings = settings
        self.delay = float(os.environ.get("NARRATE_FAKE_DELAY", "0"))

    def identity(self):
        return {"voice": self.settings.voice or "fake-voice"}

    def synthesize(self, text: str) -> AudioSegment:
        FakeEngine.calls.append(text)
        time.sleep(self.delay)
        words = max(1, len(text.split()))
        t = np.arange(int(0.06 * words * audio.RATE)) / audio.RATE
        pitch = 180 + zlib.crc32(text.encode()) % 200
        return audio.from_samples(0.3 * np.sin(2 * np.pi * pitch * t))


class SpeechLikeEngine(Engine):
    """A fast stand-in for a voice, for long books: noise in syllable-like bursts, about 0.3 s a word.

    Unlike a pure tone, no two stretches of it look alike, so cross-correlation can find
    where a section's audio lands in a book. Deterministic: the text seeds the noise.
    """

    name = "speechlike"
    workers = os.cpu_count() or 1
    seconds = 0.0  # time spent synthesizing, all instances together

    def __init__(self, settings: EngineSettings):
        self.settings = settings

    def identity(self):
        return {"voice": "speechlike"}

    def synthesize(self, text: str) -> AudioSegment:
        started = time.perf_counter()
        n = int(0.3 * max(1, len(text.split())) * audio.RATE)
        rng = np.random.default_rng(zlib.crc32(text.encode()))
        t = np.arange(n, dtype=np.float32) / audio.RATE
        envelope = np.maximum(0.0, np.sin(2 * np.pi * 4.0 * t + rng.uniform(0, 6.28))) ** 2
        voice = rng.standard_normal(n).astype(np.float32) * 0.15 + 0.25 * np.sin(2 * np.pi * rng.uniform(110, 220) * t)
        seg = audio.from_samples(voice * envelope)
        SpeechLikeEngine.seconds += time.perf_counter() - started
        return seg


if __name__ == "__main__":
    from narrate.cli import main

    engines.ENGINES["fake"] = FakeEngine
    sys.argv[0] = "narrate"
    main()
