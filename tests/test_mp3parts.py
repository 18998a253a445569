"""A long section encoded in parts: it decodes sample for sample where one run does, cut only in pauses."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from narrate.audio import limiter, mp3frames, mp3parts, pcm, stitch
from narrate.speech.cache import Cache

R = pcm.RATE


def _section(seconds: float, seed: int = 3) -> list[np.ndarray]:
    """Bursts of a voiced tone (1 to 3 s) each followed by a pause of digital silence (0.35 to 0.8 s), as takes are."""
    rng = np.random.default_rng(seed)
    pieces: list[np.ndarray] = []
    total = 0
    while total < seconds * R:
        n = int(rng.uniform(1, 3) * R)
        tone = np.sin(2 * np.pi * rng.uniform(150, 400) * np.arange(n) / R) * np.hanning(n)
        burst = (tone * 8000 * (1 + 0.3 * rng.standard_normal(n))).astype(np.int16)
        pause = np.zeros(int(rng.uniform(0.35, 0.8) * R), np.int16)
        pieces += [burst, pause]
        total += n + pause.size
    return pieces


def _body(tmp_path, name: str, pieces: list[np.ndarray], monkeypatch, parts: int):
    monkeypatch.setattr(mp3parts, "parts_for", lambda samples: parts)
    monkeypatch.setattr(mp3parts, "MIN_PART", 10 * R)  # parts of a short test section
    cache = Cache(tmp_path / name)
    return cache, stitch.encode_body(cache, "a" * 40, "192k", "acx", lambda: iter(pieces), ())


@pytest.fixture(scope="module")
def delay():
    return pcm.mp3_delay()


@pytest.mark.parametrize("parts", [2, 3])
def test_a_section_in_parts_decodes_where_one_run_does(tmp_path, monkeypatch, delay, parts):
    pieces = _section(100)
    _, one = _body(tmp_path, "one", pieces, monkeypatch, 1)
    cache, split = _body(tmp_path, "split", pieces, monkeypatch, parts)
    levels = limiter.Levels.load(next((tmp_path / "split" / "levels").rglob("*.f64")))
    cuts = mp3parts.cuts(levels, parts, delay)
    assert len(cuts) == parts - 1
    # The same frames, so the same chapter times; and no temporary left beside the body.
    assert mp3frames.file_frame_count(split) == mp3frames.file_frame_count(one)
    assert not list(split.parent.glob(".*"))
    a, b = (pcm.samples(pcm.decode(p)).astype(np.int64) for p in (one, split))
    assert a.size == b.size
    # Every burst decodes at the same sample: the best alignment of each is no shift at all.
    starts = np.cumsum([0, *(p.size for p in pieces)])[:-1]
    for start, burst in zip(starts[::2], pieces[::2]):
        x, y = a[delay + start : delay + start + burst.size], b[delay + start : delay + start + burst.size]
        assert max(range(-4, 5), key=lambda lag: int(np.dot(x[8:-8], np.roll(y, lag)[8:-8]))) == 0
    # Cut in pauses, never in a burst, and no click where the parts meet: only room tone there.
    signal = np.concatenate(pieces)
    for cut in cuts:
        assert (cut + delay) % pcm.FRAME_SAMPLES == mp3parts.HALF_FRAME
        assert not signal[cut - 64 : cut + delay + mp3parts.HALF_FRAME + 64].any()
        assert np.abs(b[delay + cut - 2000 : delay + cut + delay + 2000]).max() < 200
    # Elsewhere only what two LAME runs make of the same samples differs: 40 dB under the signal.
    assert np.mean((a - b) ** 2) < 1e-3 * np.mean(a.astype(float) ** 2)


def test_a_part_of_another_length_than_assumed_falls_back_to_one_run(tmp_path, monkeypatch, caplog):
    pieces = _section(60)
    _, one = _body(tmp_path, "one", pieces, monkeypatch, 1)
    # Cuts that leave the first part 8 samples short of a frame boundary, less padding than LAME
    # ever adds: it comes out a frame longer, and the body is encoded again from the stored
    # section, in one run: the very bytes of the one-run body.
    monkeypatch.setattr(mp3parts, "HALF_FRAME", 8)
    with caplog.at_level(logging.WARNING, logger="narrate"):
        _, split = _body(tmp_path, "split", pieces, monkeypatch, 2)
    assert "not the length its cut assumed; encoding it in one run" in caplog.text
    assert split.read_bytes() == one.read_bytes()
    assert not list(split.parent.glob(".*"))


def test_no_cut_without_a_long_enough_pause(delay):
    tone = (np.sin(np.arange(90 * R) / 7) * 5000).astype(np.int16)
    with_short_gaps = tone.copy()
    for gap in range(R, tone.size, R):  # 20 ms gaps: shorter than the priming and padding need
        with_short_gaps[gap : gap + 900] = 0
    for signal in (tone, with_short_gaps):
        assert mp3parts.cuts(limiter.scan(limiter.chunks_of(signal), False), 2, delay) == []


def test_one_part_per_core_none_shorter_than_the_minimum(monkeypatch):
    monkeypatch.setattr(mp3parts.os, "cpu_count", lambda: 4)
    assert mp3parts.parts_for(mp3parts.MIN_PART - 1) == 1
    assert mp3parts.parts_for(2 * mp3parts.MIN_PART) == 2
    assert mp3parts.parts_for(60 * mp3parts.MIN_PART) == 4
