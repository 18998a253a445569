"""limiter.py: the measurement made in one pass, and the limiter's gains worked out a range of blocks at a time."""

from __future__ import annotations

import numpy as np
import pytest

from fakes import speech_like
from narrate.audio import limiter


def _loud(seconds: float, seed: int = 3) -> np.ndarray:
    """Speech-like int16 audio loud enough for the limiter to work on most syllables."""
    x = speech_like(seconds, seed)
    return np.clip(x * 0.9 / np.abs(x).max() * 32767 * 1.6, -32768, 32767).astype(np.int16)


def _whole_gains(peaks: np.ndarray, gain: float, limit: float) -> np.ndarray:
    """The limiter's block gains over the whole signal at once (the arithmetic before it streamed)."""
    need = np.minimum(1.0, limit / np.maximum(peaks * gain, 1e-9))
    need = np.minimum(need, np.minimum(np.roll(need, 1), np.roll(need, -1)))
    ramp = np.arange(need.size) / limiter._RELEASE_BLOCKS
    released = ramp + np.minimum.accumulate(need - ramp)
    return (np.minimum.accumulate((released + ramp)[::-1])[::-1] - ramp) * gain


def test_a_scan_a_chunk_at_a_time_sees_what_a_scan_of_the_whole_sees():
    x = _loud(20.0)  # many chunks; loud, so the oversampled peaks matter
    whole = limiter.scan(lambda: iter([x]), oversampled=True)
    chunked = limiter.scan(limiter.chunks_of(x), oversampled=True)
    assert chunked.size == whole.size == x.size and chunked.blocks == -(-x.size // 64)
    np.testing.assert_array_equal(chunked.read(0, chunked.blocks), whole.read(0, whole.blocks))
    assert chunked.energy == float(np.sum(x.astype(np.float64) ** 2))
    assert chunked.peak == whole.peak >= np.abs(x.astype(np.float64)).max()


def test_a_measurement_kept_in_a_file_reads_back_as_the_one_in_memory(tmp_path):
    x = _loud(13.0, seed=5)
    in_memory = limiter.scan(limiter.chunks_of(x), oversampled=False)
    with open(tmp_path / "levels.f64", "w+b") as sink:
        limiter.scan(limiter.chunks_of(x), oversampled=False, sink=sink)
    kept = limiter.Levels.load(tmp_path / "levels.f64")
    assert (kept.size, kept.peak, kept.energy) == (in_memory.size, in_memory.peak, in_memory.energy)
    np.testing.assert_array_equal(kept.read(3, 4000), in_memory.read(3, 4000))


def test_gains_worked_out_a_range_at_a_time_are_those_of_the_whole_signal_to_the_bit():
    x = _loud(30.0, seed=7)
    levels = limiter.scan(limiter.chunks_of(x), oversampled=False)
    limit = 32768 * 10 ** (-4 / 20)
    whole = _whole_gains(levels.read(0, levels.blocks)[:, 0], 1.7, limit)
    assert whole.min() < 0.5 * 1.7  # the limiter is at work
    n = levels.blocks
    for start, stop in [(0, 1), (0, 40), (5, 900), (1000, 1001), (n - 30, n), (n - 1, n), (0, n), (17, n - 17)]:
        np.testing.assert_array_equal(limiter.gains(levels, start, stop, 1.7, limit), whole[start:stop])


def test_the_limited_signal_comes_out_the_same_whatever_the_measurement_is_read_in():
    x = _loud(25.0, seed=9)
    read = limiter.chunks_of(x)
    levels = limiter.scan(read, oversampled=False)
    limit = 32768 * 10 ** (-4 / 20)
    streamed = np.concatenate(list(limiter.limited(read, levels, 1.3, limit)))
    gains = _whole_gains(levels.read(0, levels.blocks)[:, 0], 1.3, limit)
    centers = np.arange(gains.size) * 64 + 32.0
    expected = np.clip(x * np.interp(np.arange(x.size), centers, gains), -limit, limit)
    np.testing.assert_array_equal(streamed, expected)
    assert np.abs(streamed).max() <= limit


def test_the_mean_square_read_a_span_at_a_time_is_that_of_the_whole(monkeypatch):
    x = _loud(20.0, seed=11)
    levels = limiter.scan(limiter.chunks_of(x), oversampled=False)
    limit = 32768 * 10 ** (-4 / 20)
    pairs = levels.read(0, levels.blocks)
    whole = float(np.dot(pairs[:, 1], np.square(_whole_gains(pairs[:, 0], 1.5, limit)))) / levels.size
    monkeypatch.setattr(limiter, "_SPAN", 1000)  # fourteen spans
    assert limiter.mean_square(levels, 1.5, limit) == pytest.approx(whole, rel=1e-12)
