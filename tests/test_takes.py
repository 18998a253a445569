"""verify/takes.py: the takes `build --verify` keeps, with a stand-in recognizer (the real one: test_hearing.py)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import numpy as np

from narrate.engines import EngineSettings, EngineSpec
from narrate.verify import takes

# What the stand-in recognizer makes of each take of each sentence: (heard, score), take by take.
HEARD = {
    "Fine at once.": [(True, 0.9)],
    "Fine on the second take.": [(False, 0.4), (True, 0.8)],
    "Never heard.": [(False, 0.2), (False, 0.5), (False, 0.3)],
}


def _take(text: str, take: int) -> bytes:
    return f"{text}|{take}".encode()


def _listen(texts, pcms):
    """The recognizer's verdicts on takes made by `_take`; 0.25 s of recognizer time a call."""
    verdicts = []
    for text, pcm in zip(texts, pcms):
        said, take = pcm.decode().split("|")
        assert said == text
        verdicts.append(HEARD[text][int(take)])
    return verdicts, 0.25


def test_each_sentence_keeps_its_best_take_and_the_doubtful_are_named(monkeypatch):
    spoken = []
    monkeypatch.setattr(takes, "listen", _listen)
    monkeypatch.setattr(takes, "speak_pcm", lambda spec, text, take: spoken.append((text, take)) or _take(text, take))
    section = SimpleNamespace(units=[SimpleNamespace(text=t) for t in HEARD], script=SimpleNamespace(file="01-one.txt"))
    with ThreadPoolExecutor(2) as pool:
        checker = takes.TakeChecker(EngineSpec("fake", EngineSettings()), pool, retakes=2)
        kept = checker(section, [0, 1, 2], [_take(t, 0) for t in HEARD])
    # Heard first, then by score: the second take where it was heard, the best-scored of three where none was.
    assert kept == [_take("Fine at once.", 0), _take("Fine on the second take.", 1), _take("Never heard.", 1)]
    assert spoken == [("Fine on the second take.", 1), ("Never heard.", 1), ("Never heard.", 2)]  # only the doubtful retaken
    report = checker.report()
    assert (report.checked, report.retaken, report.doubtful) == (3, 3, ("01-one.txt: 'Never heard.'",))
    assert report.seconds == 0.25 * 3  # the first hearing and one a retake round


def test_listen_hands_the_recognizer_each_take_as_samples(monkeypatch):
    got = []

    def hear(samples, texts):
        got.extend(zip([s.tolist() for s in samples], texts))
        return [SimpleNamespace(ok=len(s) > 1, score=len(s) / 10) for s in samples]

    monkeypatch.setattr(takes.hearing, "hear", hear)
    verdicts, seconds = takes.listen(("a", "b"), (np.array([1, -2], np.int16).tobytes(), np.array([3], np.int16).tobytes()))
    assert got == [([1, -2], "a"), ([3], "b")] and verdicts == [(True, 0.2), (False, 0.1)] and seconds >= 0
