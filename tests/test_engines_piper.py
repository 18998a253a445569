"""engines/piper.py: the offline voice, run for real."""

from __future__ import annotations

import statistics

import pytest

from narrate.audio import pcm
from narrate.engines import EngineSettings
from narrate.engines.piper import PiperEngine

SENTENCE = "The city of stars shines on the two dreamers as the music rises and the evening fades into night."


@pytest.mark.slow
def test_speed_is_the_voices_own_pace():
    normal, faster = PiperEngine(EngineSettings()), PiperEngine(EngineSettings(speed=1.5))
    assert "speed" not in normal.identity() and faster.identity()["speed"] == 1.5
    assert faster.describe() == "piper (en_US-joe-medium, speed 1.5)"
    # Piper draws each phoneme's duration with noise, so one take of each is compared over three.
    seconds = statistics.median(pcm.ms(normal.synthesize(SENTENCE)) / 1000 for _ in range(3))
    quicker = statistics.median(pcm.ms(faster.synthesize(SENTENCE)) / 1000 for _ in range(3))
    assert 2.5 < seconds < 9  # about 19 words of ordinary speech
    # The length scale shortens phonemes by 1.5, not the pauses the voice leaves between words
    # and at either end: measured 0.72 to 0.79 of the normal take, against 1 / 1.5 = 0.67.
    assert 0.6 < quicker / seconds < 0.85
