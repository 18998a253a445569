"""Mastering: even narration levels under a peak ceiling, over a constant room-tone bed.

Two targets. "acx" (the default) meets ACX's published requirements with a margin for
what MP3 encoding adds: RMS between -23 and -18 dB, peaks at or below -3 dB, a noise
floor at or below -60 dB that is never dead digital silence. "podcast" sets each section
to -16 LUFS integrated loudness (ITU-R BS.1770: K-weighted and gated) with true peaks at
or below -1 dBTP. Either way every section gets its own gain, so sections match, and the
cue is levelled a few dB under the voice by the same measure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import numpy as np

from narrate import audio, ffmpeg
from narrate.audio import AudioSegment
from narrate.errors import AudioError, ConfigError


@dataclass(frozen=True)
class Target:
    """How a target sets levels.

    Attributes:
        name: "acx" or "podcast".
        voice: the narration's level in PCM: dBFS RMS, or LUFS integrated when `loudness` is set.
        ceiling: the limiter's ceiling: dBFS sample peak, or dBTP (4x oversampled) when `true_peak` is set.
        loudness: level by integrated loudness (BS.1770) rather than RMS.
        true_peak: limit the 4x oversampled signal, not just the samples.
    """

    name: str
    voice: float
    ceiling: float
    loudness: bool
    true_peak: bool


# What LAME's 192 kbps CBR takes off the level (lossy coding drops energy): measured with
# imageio-ffmpeg's and Debian's ffmpeg, 0.26 dB on a sine, 0.36 dB on noise, 0.3 LU on the Piper voice.
MP3_LOSS_DB = 0.3

TARGETS = {
    # ACX: -21.5 dB RMS, 1.5 dB inside ACX's range: a speech-quality model (DNSMOS) scores the
    # default voice higher there than at -20.5 (3.41 against 3.40 with the bed below); MP3
    # decoding overshoots sample peaks by up to about half a dB.
    "acx": Target("acx", voice=-21.5, ceiling=-4.0, loudness=False, true_peak=False),
    # Podcast: -16 LUFS in the file, so the PCM is set MP3_LOSS_DB louder; 1 dB of margin under
    # -1 dBTP for what encoding may add to the true peak.
    "podcast": Target("podcast", voice=-16.0 + MP3_LOSS_DB, ceiling=-2.0, loudness=True, true_peak=True),
}
DEFAULT_TARGET = "acx"
TARGET_RMS_DBFS = TARGETS["acx"].voice
PEAK_CEILING_DBFS = TARGETS["acx"].ceiling
ROOM_TONE_DBFS = -72.0  # RMS of the bed: well under ACX's -60 dB floor, never digital zero
CUE_UNDER_DB = 4.5  # the cue sits this far under the voice, by the target's measure
CUE_RMS_DBFS = TARGET_RMS_DBFS - CUE_UNDER_DB

_BLOCK = 64  # samples per limiter block (1.5 ms)
_RELEASE_BLOCKS = 24  # ~35 ms for the limiter's gain to recover
_OVERSAMPLE = 4
_SINC_TAPS = 16  # each side of the interpolation filter


def target(name: str) -> Target:
    """The Target called `name`.

    Raises:
        ConfigError: unknown target.
    """
    try:
        return TARGETS[name]
    except KeyError:
        raise ConfigError(f"unknown sound target '{name}'; known targets: {', '.join(TARGETS)}") from None


def _db(x: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(np.square(x)))) if x.size else 0.0
    return 20 * np.log10(rms / 32768) if rms > 0 else -np.inf


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


_CHUNK = _BLOCK * 4096  # samples a pass holds as floats at once: memory stays flat however long a section is

# A signal that can be read more than once, a chunk at a time: each call returns a fresh
# iterator of int16 arrays of _CHUNK samples (the last may be shorter). A long section is
# mastered in several passes over its cached sentences, never held whole.
Chunks = Callable[[], Iterator[np.ndarray]]


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


@dataclass(frozen=True)
class _Scan:
    """One pass over a signal: per limiter block, its largest magnitude and its energy; its length."""

    peaks: np.ndarray
    energy: np.ndarray
    size: int


def _scan(read: Chunks, oversampled: bool) -> _Scan:
    """Block peaks (of the samples, or of the 4x oversampled signal) and block energies, in one pass.

    The interpolation filter's context is carried across chunks.
    """
    peaks: list[np.ndarray] = []
    energy: list[np.ndarray] = []
    size = 0
    before = np.zeros(0, dtype=np.int16)
    chunks = read()
    chunk = next(chunks, None)
    while chunk is not None:
        following = next(chunks, None)
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
        pad = np.zeros((-x.size) % _BLOCK)
        peaks.append(np.concatenate([mags, pad]).reshape(-1, _BLOCK).max(axis=1))
        energy.append(np.square(np.concatenate([x, pad])).reshape(-1, _BLOCK).sum(axis=1))
        size += chunk.size
        chunk = following
    return _Scan(np.concatenate([np.zeros(0), *peaks]), np.concatenate([np.zeros(0), *energy]), size)


def true_peak_db(seg: AudioSegment) -> float:
    """The 4x oversampled peak of a segment in dBTP (a true-peak estimate, as BS.1770 describes)."""
    x = audio.samples(seg)
    peak = float(_scan(chunks_of(x), True).peaks.max()) if x.size else 0.0
    return 20 * np.log10(peak / 32768) if peak > 0 else -np.inf


def _block_gains(peaks: np.ndarray, limit: float) -> np.ndarray:
    """The limiter's gain per block: from the loudest nearby peak, falling early, recovering slowly, never above 1."""
    need = np.minimum(1.0, limit / np.maximum(peaks, 1e-9))
    # Look ahead and behind by one block.
    need = np.minimum(need, np.minimum(np.roll(need, 1), np.roll(need, -1)))
    ramp = np.arange(need.size) / _RELEASE_BLOCKS
    # Release, rising at most one step a block: gain[i] = min(need[i], gain[i-1] + step),
    # which is the running minimum of need[j] + (i - j) * step over j <= i.
    gain = ramp + np.minimum.accumulate(need - ramp)
    # Attack, falling early enough before a peak: the same from the other end.
    return np.minimum.accumulate((gain + ramp)[::-1])[::-1] - ramp


def _limited(read: Chunks, gain: float, ceiling: float, peaks: np.ndarray, bed: int = 0) -> Iterator[np.ndarray]:
    """The signal times `gain` through the limiter, as float chunks; over `bed` samples of room tone if given.

    `peaks` are the signal's block peaks (they scale with the gain).
    """
    beds = _room_tone_chunks(bed) if bed else None
    limit = 32768 * 10 ** (ceiling / 20)
    gains = _block_gains(peaks * gain, limit) * gain
    centers = np.arange(gains.size) * _BLOCK + _BLOCK / 2
    start = 0
    for chunk in read():
        end = start + chunk.size
        y = chunk * np.interp(np.arange(start, end), centers, gains)
        np.clip(y, -limit, limit, out=y)
        if beds is not None:
            y += next(beds)
        yield y
        start = end


def _int16(y: np.ndarray) -> np.ndarray:
    return np.clip(np.round(y), -32768, 32767).astype(np.int16)


def _limit(x: np.ndarray, ceiling: float, oversampled: bool = False) -> np.ndarray:
    """Look-ahead peak limiter on a float signal: per-block gain from the loudest nearby (oversampled) peak."""
    read = chunks_of(x)
    return np.concatenate([np.zeros(0), *_limited(read, 1.0, ceiling, _scan(read, oversampled).peaks)])


def level_chunks(read: Chunks, target_name: str = DEFAULT_TARGET, under_db: float = 0.0, bed: bool = False) -> Iterator[np.ndarray]:
    """Bring a signal to the target's level (less `under_db`) with peaks under its ceiling, a chunk at a time.

    Limiting lowers the level, so the gain is corrected by what the limited result
    measures until it is within 0.05 dB (six rounds at most); what is returned has
    always been through the limiter. RMS rounds work from block statistics gathered in
    one pass; loudness rounds stream the signal through ffmpeg. Memory does not grow
    with the signal's length.

    Args:
        read: the audio as a re-readable signal (see `Chunks`), _CHUNK-sized pieces.
        target_name: "acx" (RMS) or "podcast" (integrated loudness, true peak).
        under_db: how far under the voice's level to set it (the cue).
        bed: lay the room-tone bed under the result (as `with_room_tone` does).

    Returns:
        The levelled audio as int16 chunks; digital silence comes back unchanged (with the bed, if asked).

    Raises:
        ConfigError: unknown target.
        AudioError: ffmpeg cannot measure loudness (podcast target).
    """
    goal = target(target_name)
    scan = _scan(read, goal.true_peak)
    bed_size = scan.size if bed else 0
    if not scan.size or not scan.peaks.max():
        return (_int16(y) for y in _limited(read, 1.0, 0.0, scan.peaks, bed_size))
    limit = 32768 * 10 ** (goal.ceiling / 20)

    def measure(gain_db: float | None) -> float:
        if goal.loudness:  # integrated loudness needs the signal itself: a pass through ffmpeg
            if gain_db is None:
                return _loudness_of(read())
            return _loudness_of(_int16(y) for y in _limited(read, 10 ** (gain_db / 20), goal.ceiling, scan.peaks))
        # RMS from the block energies and the limiter's block gains: no pass over the samples.
        # Within a block the gain is taken as constant; it moves by at most 1/24 of its range
        # from block to block, so the estimate is within a few hundredths of a dB.
        if gain_db is None:
            mean_square = float(scan.energy.sum()) / scan.size
        else:
            gain = 10 ** (gain_db / 20)
            mean_square = float(np.dot(scan.energy, np.square(_block_gains(scan.peaks * gain, limit) * gain))) / scan.size
        return 10 * np.log10(mean_square / 32768**2) if mean_square > 0 else -np.inf

    wanted = goal.voice - under_db
    gain_db = wanted - measure(None)
    previous: tuple[float, float] | None = None
    for _ in range(6):
        got = measure(gain_db)
        if abs(wanted - got) < 0.05:
            break
        # Secant step: the limiter keeps back part of each added dB, so add more than the error.
        slope = 1.0
        if previous is not None and got != previous[1]:
            slope = min(4.0, max(1.0, (gain_db - previous[0]) / (got - previous[1])))
        previous = (gain_db, got)
        gain_db += (wanted - got) * slope
    else:
        gain_db -= (wanted - got) * slope  # six rounds without converging: keep the last one measured
    return (_int16(y) for y in _limited(read, 10 ** (gain_db / 20), goal.ceiling, scan.peaks, bed_size))


def level(
    seg: AudioSegment, target_name: str = DEFAULT_TARGET, under_db: float = 0.0, bed: bool = False
) -> AudioSegment:
    """`level_chunks` for audio in memory (a cue, a test's signal).

    Args:
        seg: the audio.
        target_name: "acx" or "podcast".
        under_db: how far under the voice's level to set it.
        bed: lay the room-tone bed under the result.

    Returns:
        The levelled audio; digital silence is returned unchanged (with the bed, if asked).

    Raises:
        ConfigError: unknown target.
    """
    x = audio.samples(seg)
    if not np.any(x):
        return with_room_tone(seg) if bed else seg
    return audio.from_int16(np.concatenate(list(level_chunks(chunks_of(x), target_name, under_db, bed))))


def loudness(source: Path | AudioSegment, true_peak: bool = True) -> tuple[float, float | None]:
    """Integrated loudness (LUFS) and true peak (dBTP) from ffmpeg's ebur128 filter (BS.1770).

    Args:
        source: an audio file, or a segment in the one PCM format.
        true_peak: also measure the true peak (slower); otherwise the second value is None.

    Returns:
        (integrated loudness, true peak or None).

    Raises:
        AudioError: ffmpeg cannot read the audio or reports no summary.
    """
    if isinstance(source, AudioSegment):
        return _ebur128([audio.samples(source)], "the audio", true_peak)
    return _ebur128(None, str(source), true_peak, ["-i", str(source)])


def _loudness_of(chunks: Iterable[np.ndarray]) -> float:
    """Integrated loudness of int16 chunks, streamed to ffmpeg."""
    return _ebur128(chunks, "the audio", False)[0]


def _ebur128(
    feed: Iterable[np.ndarray] | None, what: str, true_peak: bool, inputs: list[str] | None = None
) -> tuple[float, float | None]:
    """Run ebur128 on `inputs`, or on int16 PCM chunks fed to its stdin; (integrated, true peak or None)."""
    inputs = inputs or audio.PCM_INPUT
    args = [*inputs, "-af", "ebur128=peak=true" if true_peak else "ebur128", "-f", "null", "-"]
    with ffmpeg.stream(args, f"cannot measure the loudness of {what}", stdin=feed is not None, check=False, quiet=False) as run:
        for chunk in feed or ():
            run.stdin.write(chunk.tobytes())
    text = run.log
    summary = text[text.rfind("Summary:") :] if "Summary:" in text else ""
    integrated = re.search(r"^\s*I:\s*(-?[\d.]+|-?inf)\s*LUFS", summary, re.M)
    peak = re.search(r"^\s*Peak:\s*(-?[\d.]+|-?inf)\s*dBFS", summary, re.M)
    if run.returncode != 0 or not integrated or (true_peak and not peak):
        last = text.strip().splitlines()
        raise AudioError(f"cannot measure the loudness of {what}: ffmpeg said: {last[-1] if last else 'nothing'}")
    return float(integrated.group(1)), float(peak.group(1)) if true_peak else None


def _room_tone_chunks(n: int):
    """Room tone for `n` samples, a chunk of floats at a time; the same for the same n."""
    rng = np.random.default_rng(n)
    # White noise through two moving averages (64 and 63 samples): a low rumble under about
    # 700 Hz, as a quiet room's tone is, rather than hiss. Listeners (and DNSMOS, whose
    # background score hiss lowers) hear it less at the same RMS. The scale restores the RMS
    # the filter takes off.
    response = np.convolve(np.ones(64) / 64, np.ones(63) / 63)
    scale = 32768 * 10 ** (ROOM_TONE_DBFS / 20) / np.sqrt(np.sum(response**2))
    overlap = response.size - 1
    carry = rng.standard_normal(overlap)
    for start in range(0, n, _CHUNK):
        white = np.concatenate([carry, rng.standard_normal(min(_CHUNK, n - start))])
        carry = white[-overlap:]
        yield np.convolve(white, response, mode="valid") * scale


def with_room_tone(seg: AudioSegment) -> AudioSegment:
    """The segment with the room-tone bed mixed under it (worked through a chunk at a time)."""
    x = audio.samples(seg)
    out = np.empty(x.size, dtype=np.int16)
    start = 0
    for bed in _room_tone_chunks(x.size):
        end = start + bed.size
        out[start:end] = _int16(x[start:end] + bed)
        start = end
    return audio.from_int16(out)


def pause(ms: float) -> AudioSegment:
    """A pause: room tone, not dead digital silence."""
    return with_room_tone(audio.silence(ms))
