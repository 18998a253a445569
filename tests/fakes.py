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


if __name__ == "__main__":
    from narrate.cli import main

    engines.ENGINES["fake"] = FakeEngine
    sys.argv[0] = "narrate"
    main()
