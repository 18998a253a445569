"""Mastering: even narration levels under a peak ceiling, over a constant room-tone bed.

Targets ACX's published requirements with a margin for what MP3 encoding adds:
RMS between -23 and -18 dB, peaks at or below -3 dB, a noise floor at or below
-60 dB that is never dead digital silence.
"""

from __future__ import annotations

import numpy as np

from narrate import audio
from narrate.audio import AudioSegment

TARGET_RMS_DBFS = -20.5
PEAK_CEILING_DBFS = -4.0  # MP3 decoding overshoots true peaks by up to about half a dB
ROOM_TONE_DBFS = -72.0  # RMS of the bed: well under ACX's -60 dB floor, never digital zero
CUE_RMS_DBFS = -25.0  # a few dB under the narration

_BLOCK = 64  # samples per limiter block (1.5 ms)
_RELEASE_BLOCKS = 24  # ~35 ms for the limiter's gain to recover


def _db(x: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(np.square(x)))) if x.size else 0.0
    return 20 * np.log10(rms / 32768) if rms > 0 else -np.inf


def _limit(x: np.ndarray, ceiling: float) -> np.ndarray:
    """Look-ahead peak limiter: per-block gain from the loudest nearby sample, smoothed, never above 1."""
    limit = 32768 * 10 ** (ceiling / 20)
    n = x.size
    pad = (-n) % _BLOCK
    blocks = np.abs(np.concatenate([x, np.zeros(pad)])).reshape(-1, _BLOCK).max(axis=1)
    need = np.minimum(1.0, limit / np.maximum(blocks, 1e-9))
    # Look ahead and behind by one block, then let the gain recover slowly (release).
    need = np.minimum(need, np.minimum(np.roll(need, 1), np.roll(need, -1)))
    gain = need.copy()
    step = 1.0 / _RELEASE_BLOCKS
    for i in range(1, gain.size):  # release: rise at most `step` per block
        gain[i] = min(need[i], gain[i - 1] + step)
    for i in range(gain.size - 2, -1, -1):  # attack: fall early enough before a peak
        gain[i] = min(gain[i], gain[i + 1] + step)
    centers = np.arange(gain.size) * _BLOCK + _BLOCK / 2
    per_sample = np.interp(np.arange(n), centers, gain)
    return np.clip(x * per_sample, -limit, limit)


def level(seg: AudioSegment, target_dbfs: float = TARGET_RMS_DBFS, ceiling_dbfs: float = PEAK_CEILING_DBFS) -> AudioSegment:
    """Bring speech to the target RMS with peaks under the ceiling (gain, limit, correct once more)."""
    x = audio.samples(seg).astype(np.float64)
    if not np.any(x):
        return seg
    y = x
    for _ in range(3):  # limiting lowers RMS a little; converge on the target
        y = _limit(y * 10 ** ((target_dbfs - _db(y)) / 20), ceiling_dbfs)
    return audio.from_samples(y / 32768)


def room_tone(n: int) -> np.ndarray:
    """`n` samples of room tone: soft, low-passed noise at the room-tone level, the same for the same n."""
    rng = np.random.default_rng(n)
    white = rng.standard_normal(n + 64)
    # A gentle low-pass (moving average) makes it a hush rather than hiss, as a quiet room sounds.
    soft = np.convolve(white, np.ones(8) / 8, mode="valid")[:n]
    rms = np.sqrt(np.mean(soft**2)) if n else 1.0
    return soft / rms * 32768 * 10 ** (ROOM_TONE_DBFS / 20)


def with_room_tone(seg: AudioSegment) -> AudioSegment:
    """The segment with the room-tone bed mixed under it."""
    x = audio.samples(seg).astype(np.float64)
    return audio.from_samples((x + room_tone(x.size)) / 32768)


def pause(ms: float) -> AudioSegment:
    """A pause: room tone, not dead digital silence."""
    n = int(round(ms * audio.RATE / 1000))
    return audio.from_samples(room_tone(n) / 32768)
