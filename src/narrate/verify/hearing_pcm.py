"""Audio as the recognizer hears it: 16 kHz mono float32, at a tempo; a file decoded and cut into sentences a piece at a time."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np

from narrate.audio import ffmpeg
from narrate.audio import pcm as audio

RATE = 16000  # what Whisper listens to: mono float32
T = TypeVar("T")

_TO_16K = ffmpeg.pcm_output(RATE)


def _pcm(raw: bytes) -> np.ndarray:
    """ffmpeg's s16le output as float32 samples."""
    return np.frombuffer(raw, dtype=np.int16).astype(np.float32) / 32768


def _converted(takes: Sequence[np.ndarray], tempo: float = 1.0) -> list[np.ndarray]:
    """narrate's int16 takes (audio.RATE) as the recognizer hears them, at `tempo`: one ffmpeg run, cut where each went."""
    joined = np.concatenate([np.asarray(t, dtype=np.int16) for t in takes]) if takes else np.zeros(0, np.int16)
    pcm = _pcm(ffmpeg.run(
        [*ffmpeg.pcm_input(audio.RATE), *ffmpeg.tempo_filter(tempo), *_TO_16K],
        "cannot resample for the recognizer", joined.tobytes(),
    ))
    # resampling keeps time to the sample, atempo to a few ms: the bounds are scaled
    bounds = (np.cumsum([0, *map(len, takes)]) * (RATE / audio.RATE / tempo)).round().astype(int)
    return [pcm[a:b] for a, b in itertools.pairwise(bounds)]


def to_16k(samples: np.ndarray) -> np.ndarray:
    """narrate's int16 samples (audio.RATE) as the recognizer hears them: 16 kHz mono float32."""
    return _converted([samples])[0]


def _decoded(path: Path, tempo: float = 1.0) -> Iterator[np.ndarray]:
    """An audio file as the recognizer hears it (encoder delay honoured), played `tempo` times as fast, a piece at a time."""
    with ffmpeg.stream(["-i", str(path), *ffmpeg.tempo_filter(tempo), *_TO_16K], f"cannot decode {path}", stdout=True) as run:
        assert run.stdout is not None  # started with stdout=True
        carry = b""
        while data := run.stdout.read(1 << 20):
            data, carry = carry + data, b""
            if len(data) % 2:
                data, carry = data[:-1], data[-1:]
            yield _pcm(data)


def _slices(pieces: Iterator[np.ndarray], bounds: Sequence[tuple[int, int]]) -> Iterator[np.ndarray]:
    """Each (start, end) of a stream of samples, in order, holding only what the spans still to come need.

    As slicing the whole would: a span past the end is cut short (or empty). What comes before
    the earliest start still needed is dropped as it is read, so a span far into the file (a
    doubtful sentence 87 minutes into a book) costs a piece of memory, not the 87 minutes.
    """
    # what the spans from k on need: from the earliest of their starts
    needed = list(np.minimum.accumulate([a for a, _ in bounds][::-1])[::-1]) if bounds else []
    held, base, ended = np.zeros(0, np.float32), 0, False  # held: samples base .. base + held.size
    for k, (a, b) in enumerate(bounds):
        while True:
            drop = min(max(0, int(needed[k]) - base), held.size)
            held, base = held[drop:], base + drop
            if ended or base + held.size >= b:
                break
            piece = next(pieces, None)
            if piece is None:
                ended = True
            else:
                held = np.concatenate([held, piece])
        yield held[max(0, a - base) : max(0, b - base)].copy()


def _at(seconds: float) -> int:
    """A time of 16 kHz audio in samples (0 at the most)."""
    return max(0, int(seconds * RATE))


def _faster(samples: np.ndarray, tempo: float) -> np.ndarray:
    """16 kHz samples played `tempo` times as fast, pitch kept."""
    raw = (np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes()
    return _pcm(ffmpeg.run([*ffmpeg.pcm_input(RATE), *ffmpeg.tempo_filter(tempo), *_TO_16K],
                           "cannot change the tempo for the recognizer", raw))


def _grouped(items: Iterable[T], seconds: Callable[[T], float], window_s: float) -> Iterator[list[T]]:
    """Consecutive items, grouped as they come so each group's `seconds` add up to `window_s` at most (an item alone may be longer)."""
    run: list[T] = []
    total = 0.0
    for item in items:
        length = seconds(item)
        if run and total + length <= window_s:
            run.append(item)
            total += length
        else:
            if run:
                yield run
            run, total = [item], length
    if run:
        yield run


def _runs(lengths: Sequence[int], window_s: float, gap_s: float = 0.0) -> list[list[int]]:
    """Consecutive sentences (lengths in samples) grouped so each group, with the gaps between, fits `window_s`."""
    return list(_grouped(range(len(lengths)), lambda i: lengths[i] / RATE + gap_s, window_s))
