"""The look-ahead peak limiter, and the measurement it works from, both a chunk at a time.

A signal is measured in one pass: per limiter block (64 samples) its largest magnitude (of the
samples, or of the 4x oversampled signal) and its energy. The measurement is held in memory for
a short signal (a cue) or written to a file for a section, so a chapter of any length is never
held whole, nor is its measurement. A block's gain depends only on the peaks within
`_REACH` blocks of it, so the limiter's gains are worked out a range of blocks at a time, and
come out exactly as they would over the whole signal at once.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

BLOCK = 64  # samples per limiter block (1.5 ms)
_RELEASE_BLOCKS = 24  # ~35 ms for the limiter's gain to recover
_OVERSAMPLE = 4
_SINC_TAPS = 16  # each side of the interpolation filter
# A block's gain is the least of its neighbours' needs plus one release step per block between
# (needs are at most 1): past _RELEASE_BLOCKS blocks a peak no longer counts, and its own need
# depends on the blocks either side. Two blocks of margin.
_REACH = _RELEASE_BLOCKS + 2
_CHUNK = BLOCK * 1024  # samples a pass holds as floats at once (1.5 s): memory stays flat however long a section is
_SPAN = 1 << 16  # blocks of the measurement a gain search reads at once (4.2 M samples)
_HEADER = struct.Struct("<Qdd")  # a measurement file: samples, largest peak, total energy; then (peak, energy) per block

# A signal that can be read more than once, a chunk at a time: each call returns a fresh
# iterator of int16 arrays of _CHUNK samples (the last may be shorter). A long section is
# mastered in several passes over its cached sentences, never held whole.
Chunks = Callable[[], Iterator[np.ndarray]]


def _interpolators() -> list[np.ndarray]:
    """Windowed-sinc filters for the points 1/4, 2/4 and 3/4 of the way to the next sample (4x oversampling).

    Filter `g` for fraction f weights x[i + m], m = -15..16, to give the signal at i + f.
    """
    m = np.arange(1 - _SINC_TAPS, _SINC_TAPS + 1)
    filters = []
    for phase in range(1, _OVERSAMPLE):
        offset = phase / _OVERSAMPLE - m
        window = np.cos(np.pi * offset / (2 * _SINC_TAPS + 2)) ** 2  # Hann, wider than the taps
        filters.append(np.sinc(offset) * window)
    return filters


_INTERPOLATORS = _interpolators()


def rechunk(pieces: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
    """Regroup int16 arrays of any sizes into arrays of exactly _CHUNK samples (the last may be shorter)."""
    held: list[np.ndarray] = []
    size = 0
    for piece in pieces:
        while piece.size:
            take = piece[: _CHUNK - size]
            held.append(take)
            size += take.size
            piece = piece[take.size :]
            if size == _CHUNK:
                yield np.concatenate(held)
                held, size = [], 0
    if size:
        yield np.concatenate(held)


def chunks_of(x: np.ndarray) -> Chunks:
    """An array in memory as a re-readable signal."""
    return lambda: (x[i : i + _CHUNK] for i in range(0, x.size, _CHUNK))


@dataclass(frozen=True, eq=False)
class Levels:
    """A signal's measurement: its length, its largest block peak, its energy, and per block (peak, energy).

    Attributes:
        size: samples.
        peak: the largest block peak.
        energy: the sum of the squared samples.
        source: the per-block pairs, in memory (an array of shape (blocks, 2)) or in a file `scan` wrote.
    """

    size: int
    peak: float
    energy: float
    source: np.ndarray | Path

    @property
    def blocks(self) -> int:
        return -(-self.size // BLOCK)

    def read(self, start: int, stop: int) -> np.ndarray:
        """The (peak, energy) pairs of blocks start..stop-1, as an array of shape (stop - start, 2)."""
        if isinstance(self.source, np.ndarray):
            return self.source[start:stop]
        with open(self.source, "rb") as f:
            f.seek(_HEADER.size + 16 * start)
            return np.frombuffer(f.read(16 * (stop - start)), dtype="<f8").reshape(-1, 2)

    @classmethod
    def load(cls, path: Path) -> Levels:
        """The measurement `scan` wrote to `path`."""
        with open(path, "rb") as f:
            size, peak, energy = _HEADER.unpack(f.read(_HEADER.size))
        return cls(size, peak, energy, Path(path))


def scan(read: Chunks, oversampled: bool, sink: IO[bytes] | None = None) -> Levels:
    """Measure a signal in one pass: block peaks (of the samples, or 4x oversampled) and block energies.

    The interpolation filter's context is carried across chunks. With `sink`, a binary file
    open for writing at its start, the measurement is written there (see `Levels.load`) and
    not held; otherwise it is returned in memory.
    """
    held: list[np.ndarray] = []
    size, peak, energy = 0, 0.0, 0
    if sink is not None:
        sink.write(_HEADER.pack(0, 0.0, 0.0))  # filled in at the end

    def _add(pairs: np.ndarray, samples: int) -> None:
        nonlocal size, peak, energy
        # Block energies are whole numbers (int16 squared, 64 at a time): summed exactly, as integers.
        energy += int(pairs[:, 1].astype(np.int64).sum())
        peak = max(peak, float(pairs[:, 0].max()))
        size += samples
        if sink is None:
            held.append(pairs)
        else:
            sink.write(pairs.astype("<f8").tobytes())
    before = np.zeros(0, dtype=np.int16)
    chunks = read()
    chunk = next(chunks, None)
    while chunk is not None:
        following = next(chunks, None)
        pad = (-chunk.size) % BLOCK
        if not oversampled and chunk.dtype == np.int16:
            # Peaks and energies are whole numbers: worked out in integers, they are the floats' exactly.
            x = np.pad(chunk, (0, pad)).astype(np.int32).reshape(-1, BLOCK)
            pairs = np.empty((x.shape[0], 2))
            pairs[:, 0] = np.abs(x).max(axis=1)
            pairs[:, 1] = np.einsum("ij,ij->i", x, x, dtype=np.int64)
            _add(pairs, chunk.size)
            chunk = following
            continue
        x = chunk.astype(np.float64)
        mags = np.abs(x)
        if oversampled:
            after = following[:_SINC_TAPS] if following is not None else np.zeros(0, dtype=np.int16)
            context = np.concatenate([before, chunk, after]).astype(np.float64)
            first = before.size + _SINC_TAPS
            for h in _INTERPOLATORS:
                # convolving with the reversed filter correlates; entry i + taps is the point after x[i]
                between = np.convolve(context, h[::-1])[first : first + chunk.size]
                np.maximum(mags, np.abs(between), out=mags)
            before = chunk[-_SINC_TAPS:]
        pairs = np.empty(((x.size + pad) // BLOCK, 2))
        pairs[:, 0] = np.pad(mags, (0, pad)).reshape(-1, BLOCK).max(axis=1)
        pairs[:, 1] = np.square(np.pad(x, (0, pad))).reshape(-1, BLOCK).sum(axis=1)
        _add(pairs, chunk.size)
        chunk = following
    if sink is None:
        return Levels(size, peak, float(energy), np.concatenate([np.zeros((0, 2)), *held]))
    sink.seek(0)
    sink.write(_HEADER.pack(size, peak, float(energy)))
    sink.flush()
    return Levels(size, peak, float(energy), Path(sink.name))


def _need(peaks: np.ndarray, limit: float) -> np.ndarray:
    return np.minimum(1.0, limit / np.maximum(peaks, 1e-9))


def gains(levels: Levels, start: int, stop: int, gain: float, limit: float) -> np.ndarray:
    """The limiter's gain for blocks start..stop-1 of a signal amplified by `gain`, `gain` included.

    Per block: from the loudest nearby peak, falling early, recovering slowly, never above 1.
    Worked out from the blocks within _REACH either side, it is exactly what the same
    arithmetic gives over the whole signal at once.
    """
    n = levels.blocks
    lo, hi = max(0, start - _REACH), min(n, stop + _REACH)
    # The blocks lo-1..hi; as over the whole signal, the first block's neighbour before it is the
    # last block, and the last's after it the first.
    inner = levels.read(max(0, lo - 1), min(n, hi + 1))[:, 0]
    head = levels.read(n - 1, n)[:, 0] if lo == 0 else np.zeros(0)
    tail = levels.read(0, 1)[:, 0] if hi == n else np.zeros(0)
    raw = _need(np.concatenate([head, inner, tail]) * gain, limit)
    need = np.minimum(raw[1:-1], np.minimum(raw[:-2], raw[2:]))
    ramp = np.arange(lo, hi) / _RELEASE_BLOCKS
    # Release, rising at most one step a block: gain[i] = min(need[i], gain[i-1] + step),
    # which is the running minimum of need[j] + (i - j) * step over j <= i.
    released = ramp + np.minimum.accumulate(need - ramp)
    # Attack, falling early enough before a peak: the same from the other end.
    limited = np.minimum.accumulate((released + ramp)[::-1])[::-1] - ramp
    return limited[start - lo : stop - lo] * gain


def mean_square(levels: Levels, gain: float, limit: float) -> float:
    """The mean square of the signal times `gain` after the limiter, from the measurement alone.

    Within a block the gain is taken as constant; it moves by at most 1/24 of its range from
    block to block, so the estimate is within a few hundredths of a dB.
    """
    total = 0.0
    for start in range(0, levels.blocks, _SPAN):
        stop = min(levels.blocks, start + _SPAN)
        # Not np.dot: BLAS would run it on threads of its own, which then spin for a while after
        # each call, taking the cores the voice and the encoders need (6% of a build's CPU).
        total += float((levels.read(start, stop)[:, 1] * np.square(gains(levels, start, stop, gain, limit))).sum())
    return total / levels.size


def limited(read: Chunks, levels: Levels, gain: float, limit: float, beds: Iterator[np.ndarray] | None = None) -> Iterator[np.ndarray]:
    """The signal times `gain` through the limiter (peaks at most `limit`), as float chunks; over `beds` if given."""
    start = 0
    for chunk in read():
        end = start + chunk.size
        # the blocks whose centres bracket every sample of the chunk
        first, last = max(0, start // BLOCK - 1), min(levels.blocks, (end - 1) // BLOCK + 2)
        centers = np.arange(first, last) * BLOCK + BLOCK / 2
        y = chunk * np.interp(np.arange(start, end), centers, gains(levels, first, last, gain, limit))
        np.clip(y, -limit, limit, out=y)
        if beds is not None:
            y += next(beds)
        yield y
        start = end
