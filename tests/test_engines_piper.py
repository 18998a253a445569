"""engines/piper.py: the offline voice, run for real."""

from __future__ import annotations

import pytest

from narrate import audio
from narrate.engines import EngineSettings
from narrate.engines.piper import PiperEngine

SENTENCE = "The city of stars shines on the two dreamers as the music rises and the evening fades into night."


@pytest.mark.slow
def test_speed_is_the_voices_own_pace():
    normal, faster = PiperEngine(EngineSettings()), PiperEngine(EngineSettings(speed=1.5))
    assert "speed" not in normal.identity() and faster.identity()["speed"] == 1.5
    assert faster.describe() == "piper (en_US-joe-medium, speed 1.5)"
    seconds = audio.ms(normal.synthesize(SENTENCE)) / 1000
    quicker = audio.ms(faster.synthesize(SENTENCE)) / 1000
    assert 2.5 < seconds < 9  # about 19 words of ordinary speech
    assert quicker / seconds == pytest.approx(1 / 1.5, rel=0.15)
