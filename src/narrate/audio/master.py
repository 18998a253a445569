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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrate.audio import ffmpeg, limiter, pcm
from narrate.audio.limiter import _CHUNK, Chunks, chunks_of, rechunk  # noqa: F401  (the signal's shape, shared)
from narrate.audio.pcm import AudioSegment
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

def _db(x: np.ndarray) -> float:
    rms = float(np.sqrt(np.mean(np.square(x)))) if x.size else 0.0
    return 20 * np.log10(rms / 32768) if rms > 0 else -np.inf


def target(name: str) -> Target:
    """The Target called `name`.

    Raises:
        ConfigError: unknown target.
    """
    try:
        return TARGETS[name]
    except KeyError:
        raise ConfigError(f"unknown sound target '{name}'; known targets: {', '.join(TARGETS)}") from None


def true_peak_db(seg: AudioSegment) -> float:
    """The 4x oversampled peak of a segment in dBTP (a true-peak estimate, as BS.1770 describes)."""
    peak = limiter.scan(chunks_of(pcm.samples(seg)), True).peak
    return 20 * np.log10(peak / 32768) if peak > 0 else -np.inf


def _int16(y: np.ndarray) -> np.ndarray:
    return np.clip(np.round(y), -32768, 32767).astype(np.int16)


def level_chunks(
    read: Chunks, target_name: str = DEFAULT_TARGET, under_db: float = 0.0, bed: bool = False,
    levels: limiter.Levels | None = None,
) -> Iterator[np.ndarray]:
    """Bring a signal to the target's level (less `under_db`) with peaks under its ceiling, a chunk at a time.

    Limiting lowers the level, so the gain is corrected by what the limited result
    measures until it is within 0.05 dB (six rounds at most); what is returned has
    always been through the limiter. RMS rounds work from the measurement (block
    statistics gathered in one pass, read back a range at a time); loudness rounds stream
    the signal through ffmpeg. Memory does not grow with the signal's length.

    Args:
        read: the audio as a re-readable signal (see `Chunks`), _CHUNK-sized pieces.
        target_name: "acx" (RMS) or "podcast" (integrated loudness, true peak).
        under_db: how far under the voice's level to set it (the cue).
        bed: lay the room-tone bed under the result (as `with_room_tone` does).
        levels: the signal's measurement (`limiter.scan`, oversampled for a true-peak target),
            when already made; otherwise it is made here, in memory.

    Returns:
        The levelled audio as int16 chunks; digital silence comes back unchanged (with the bed, if asked).

    Raises:
        ConfigError: unknown target.
        AudioError: ffmpeg cannot measure loudness (podcast target).
    """
    goal = target(target_name)
    if levels is None:
        levels = limiter.scan(read, goal.true_peak)
    beds = _room_tone_chunks(levels.size) if bed else None
    if not levels.size or not levels.peak:
        return (_int16(y) for y in limiter.limited(read, levels, 1.0, 32768.0, beds))
    limit = 32768 * 10 ** (goal.ceiling / 20)

    def measure(gain_db: float | None) -> float:
        if goal.loudness:  # integrated loudness needs the signal itself: a pass through ffmpeg
            if gain_db is None:
                return _loudness_of(read())
            return _loudness_of(_int16(y) for y in limiter.limited(read, levels, 10 ** (gain_db / 20), limit))
        # RMS from the block energies and the limiter's block gains: no pass over the samples.
        mean_square = levels.energy / levels.size if gain_db is None else limiter.mean_square(levels, 10 ** (gain_db / 20), limit)
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
    return (_int16(y) for y in limiter.limited(read, levels, 10 ** (gain_db / 20), limit, beds))


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
    x = pcm.samples(seg)
    if not np.any(x):
        return with_room_tone(seg) if bed else seg
    return pcm.from_int16(np.concatenate(list(level_chunks(chunks_of(x), target_name, under_db, bed))))


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
        return _ebur128([pcm.samples(source)], "the audio", true_peak)
    return _ebur128(None, str(source), true_peak, ["-i", str(source)])


def _loudness_of(chunks: Iterable[np.ndarray]) -> float:
    """Integrated loudness of int16 chunks, streamed to ffmpeg."""
    return _ebur128(chunks, "the audio", False)[0]


def _ebur128(
    feed: Iterable[np.ndarray] | None, what: str, true_peak: bool, inputs: list[str] | None = None
) -> tuple[float, float | None]:
    """Run ebur128 on `inputs`, or on int16 PCM chunks fed to its stdin; (integrated, true peak or None)."""
    inputs = inputs or pcm.PCM_INPUT
    args = [*inputs, "-af", "ebur128=peak=true" if true_peak else "ebur128", "-f", "null", "-"]
    with ffmpeg.stream(args, f"cannot measure the loudness of {what}", stdin=feed is not None, check=False, quiet=False) as run:
        for chunk in feed or ():
            assert run.stdin is not None  # started with stdin when there is a feed
            run.stdin.write(chunk.tobytes())
    text = run.log
    summary = text[text.rfind("Summary:") :] if "Summary:" in text else ""
    integrated = re.search(r"^\s*I:\s*(-?[\d.]+|-?inf)\s*LUFS", summary, re.M)
    peak = re.search(r"^\s*Peak:\s*(-?[\d.]+|-?inf)\s*dBFS", summary, re.M)
    if run.returncode != 0 or not integrated or (true_peak and not peak):
        last = text.strip().splitlines()
        raise AudioError(f"cannot measure the loudness of {what}: ffmpeg said: {last[-1] if last else 'nothing'}")
    return float(integrated.group(1)), float(peak.group(1)) if true_peak and peak else None


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
        # The two moving averages as differences of running sums: a few operations a sample where
        # the 126-tap convolution took 126 (within 1e-11 of it, far under the int16 rounding).
        first = _moving_average(white, 64)
        yield _moving_average(first, 63) * scale


def _moving_average(x: np.ndarray, width: int) -> np.ndarray:
    """The mean of every `width` consecutive values of `x` (x.size - width + 1 of them)."""
    sums = np.empty(x.size + 1)
    sums[0] = 0.0
    np.cumsum(x, out=sums[1:])
    return (sums[width:] - sums[:-width]) / width


def with_room_tone(seg: AudioSegment) -> AudioSegment:
    """The segment with the room-tone bed mixed under it (worked through a chunk at a time)."""
    x = pcm.samples(seg)
    out = np.empty(x.size, dtype=np.int16)
    start = 0
    for bed in _room_tone_chunks(x.size):
        end = start + bed.size
        out[start:end] = _int16(x[start:end] + bed)
        start = end
    return pcm.from_int16(out)


def pause(ms: float) -> AudioSegment:
    """A pause: room tone, not dead digital silence."""
    return with_room_tone(pcm.silence(ms))
