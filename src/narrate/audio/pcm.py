"""Audio plumbing: one PCM format, the ffmpeg binary from imageio-ffmpeg, pydub segments.

Everything between synthesis and encoding is 16-bit mono PCM at 44.1 kHz held in
pydub AudioSegments. MP3 is decoded with the ffmpeg binary directly, because
pydub's from_file calls ffprobe, which the imageio-ffmpeg wheel does not ship.
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np

with warnings.catch_warnings():
    # pydub warns at import when ffmpeg/ffprobe are not on PATH; we hand it ffmpeg below.
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.simplefilter("ignore", DeprecationWarning)  # audioop, on Python 3.11-3.12
    from pydub import AudioSegment

from narrate.audio import ffmpeg as ffmpeg_run
from narrate.errors import AudioError
from narrate.fsutil import atomic_path

RATE = 44100
WIDTH = 2
CHANNELS = 1


def ffmpeg() -> str:
    """Path of the ffmpeg binary that imageio-ffmpeg ships; pydub is pointed at it too."""
    exe = ffmpeg_run.exe()
    AudioSegment.converter = exe
    return exe


def segment(data: bytes | memoryview) -> AudioSegment:
    """Wrap raw PCM (the one format) as an AudioSegment."""
    return AudioSegment(data=data, sample_width=WIDTH, frame_rate=RATE, channels=CHANNELS)


def samples(seg: AudioSegment) -> np.ndarray:
    """The segment's samples as int16 (a view, no copy)."""
    return np.frombuffer(seg.raw_data, dtype=np.int16)


def from_int16(array: np.ndarray) -> AudioSegment:
    """An int16 array as an AudioSegment, sharing its memory (no copy of a long section)."""
    # numpy's stubs declare ndarray's buffer protocol for Python 3.12 and later only
    return segment(memoryview(np.ascontiguousarray(array, dtype=np.int16).view(np.uint8)))  # type: ignore[arg-type]


def from_samples(array: np.ndarray) -> AudioSegment:
    """Float in [-1, 1] or int16 samples at RATE as an AudioSegment."""
    if array.dtype != np.int16:
        array = np.clip(np.round(array * 32767.0), -32768, 32767).astype(np.int16)
    return segment(array.tobytes())


def silence(ms: float) -> AudioSegment:
    """Digital silence of `ms` milliseconds, sample-exact."""
    return segment(b"\x00\x00" * int(round(ms * RATE / 1000)))


def concat(parts: list[AudioSegment]) -> AudioSegment:
    """Join segments in one copy (pydub's `+` copies the whole on every join)."""
    return segment(b"".join(p.raw_data for p in parts))


def ms(seg_or_samples: AudioSegment | int) -> float:
    """Exact duration in milliseconds."""
    n = seg_or_samples if isinstance(seg_or_samples, int) else len(seg_or_samples.raw_data) // WIDTH
    return n * 1000.0 / RATE


_TO_PCM = ffmpeg_run.pcm_output(RATE, CHANNELS)
# ffmpeg input: the one PCM format on stdin.
PCM_INPUT = ffmpeg_run.pcm_input(RATE, CHANNELS)


def mp3_output(bitrate: str, header: bool, target: str) -> list[str]:
    """ffmpeg output options: CBR MP3 without tags, with or without the LAME/Info header."""
    return ["-c:a", "libmp3lame", "-b:a", bitrate, "-write_xing", "1" if header else "0",
            "-id3v2_version", "0", "-write_id3v1", "0", "-f", "mp3", target]


def decode(source: bytes | Path, what: str = "audio", tempo: float = 1.0) -> AudioSegment:
    """Decode any audio ffmpeg reads (MP3 bytes, a file) to the one PCM format.

    `tempo` other than 1 speeds it up or slows it down (0.5 to 2), keeping the pitch.

    Raises:
        AudioError: ffmpeg cannot decode it, or it holds no audio.
    """
    to_pcm = [*ffmpeg_run.tempo_filter(tempo), *_TO_PCM]
    if isinstance(source, (bytes, bytearray)):
        pcm = ffmpeg_run.run(["-i", "pipe:0", *to_pcm], f"cannot decode {what}", bytes(source))
    else:
        pcm = ffmpeg_run.run(["-i", str(source), *to_pcm], f"cannot decode {source}")
    if not pcm:
        raise AudioError(f"{what} holds no audio")
    return segment(pcm)


@functools.cache
def _interpolator(factor: int, zero_crossings: int = 16) -> np.ndarray:
    """Windowed-sinc low-pass for upsampling by `factor` (odd length, centred: no delay)."""
    n = np.arange(-zero_crossings * factor, zero_crossings * factor + 1)
    cutoff = 0.95 / factor  # a little under the old Nyquist: no imaging, speech untouched
    return np.sinc(cutoff * n) * cutoff * np.kaiser(n.size, 8.0) * factor


def resample(array: np.ndarray, rate: int) -> AudioSegment:
    """int16 mono samples at `rate` as an AudioSegment at RATE.

    Whole-number ratios (Piper's 22.05 kHz voices) are upsampled in process by a
    windowed-sinc filter: a subprocess per sentence would cost more than the filtering.
    Other rates go through ffmpeg's resampler.
    """
    if rate == RATE:
        return from_samples(np.asarray(array, dtype=np.int16))
    if RATE % rate == 0:
        factor = RATE // rate
        stuffed = np.zeros(len(array) * factor)
        stuffed[::factor] = array
        return from_samples(np.convolve(stuffed, _interpolator(factor), mode="same") / 32768.0)
    array = np.ascontiguousarray(array, dtype=np.int16)
    pcm = _swresample(array, rate)
    if pcm is None:
        pcm = ffmpeg_run.run([*ffmpeg_run.pcm_input(rate), *_TO_PCM], "cannot resample", array.tobytes())
    return segment(pcm)


def warm() -> None:
    """Import the resampler (PyAV, about 0.1 s) now, off the path of the first sentence resampled."""
    with contextlib.suppress(ImportError):
        import av  # noqa: F401


def _swresample(array: np.ndarray, rate: int) -> bytes | None:
    """int16 samples at `rate` resampled to RATE by libswresample in this process, through PyAV; None without PyAV.

    The same resampler, with the same defaults, as the ffmpeg command's `-ar` (tests/test_audio.py
    compares them sample for sample), without starting a process for every sentence.
    """
    try:
        import av
    except ImportError:
        return None
    if not array.size:
        return b""
    frame = av.AudioFrame.from_ndarray(array.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="s16", layout="mono", rate=RATE)
    return b"".join(bytes(out.planes[0])[: out.samples * WIDTH] for out in [*resampler.resample(frame), *resampler.resample(None)])


def conform(seg: AudioSegment) -> AudioSegment:
    """An engine's audio in the one PCM format: mono, 16-bit, at RATE (resampled if need be).

    Raises:
        AudioError: the segment is not audio pydub can convert (an unusual sample width).
    """
    if (seg.frame_rate, seg.sample_width, seg.channels) == (RATE, WIDTH, CHANNELS):
        return seg
    try:
        mono = seg.set_channels(CHANNELS).set_sample_width(WIDTH)
    except Exception as exc:  # pydub/audioop reject what they cannot convert
        raise AudioError(f"cannot convert the engine's audio ({seg.sample_width * 8}-bit, {seg.channels} channels): {exc}") from exc
    return resample(samples(mono), mono.frame_rate)


def from_float(array: np.ndarray, rate: int) -> AudioSegment:
    """A neural voice's float samples in [-1, 1] at `rate`, clipped, as an AudioSegment at RATE."""
    return resample(np.round(np.clip(array, -1.0, 1.0) * 32767).astype(np.int16), rate)


def trim(seg: AudioSegment, threshold_db: float = -50.0, keep_ms: float = 40.0) -> AudioSegment:
    """Cut an engine's leading and trailing near-silence, keeping a short margin.

    Pauses are set by narrate, not left to whatever silence an engine emits.
    """
    data = samples(seg)
    if data.size == 0:
        return seg
    loud = np.flatnonzero(np.abs(data.astype(np.int32)) > 32767 * 10 ** (threshold_db / 20))
    if loud.size == 0:
        return segment(b"")
    keep = int(keep_ms * RATE / 1000)
    start, end = max(0, loud[0] - keep), min(data.size, loud[-1] + 1 + keep)
    return segment(data[start:end].tobytes())


class Mp3Writer:
    """Streams PCM into ffmpeg's MP3 encoder, which writes the file."""

    def __init__(self, stdin):
        self._stdin = stdin

    def write(self, pcm: AudioSegment | np.ndarray) -> None:
        """Append a segment, or int16 samples, to the stream."""
        data = pcm.raw_data if isinstance(pcm, AudioSegment) else pcm.astype(np.int16, copy=False).tobytes()
        self._stdin.write(data)


@contextlib.contextmanager
def mp3_writer(path: Path, bitrate: str = "192k", header: bool = True, keep_existing: bool = False) -> Iterator[Mp3Writer]:
    """Encode streamed PCM to a constant-bitrate MP3, written atomically.

    The file appears at `path` only once complete (after the block). With `header`,
    ffmpeg writes a LAME/Info header recording the encoder delay and padding, so a
    decoder that honours it gives back exactly the samples written; without it the
    file is bare frames, as `encode_mp3` makes, to be joined into a book. With
    `keep_existing`, a file already at `path` is kept (a cache entry is final).

    Raises:
        AudioError: the encoder failed.
    """
    with (
        atomic_path(path, keep_existing) as tmp,
        ffmpeg_run.stream([*PCM_INPUT, *mp3_output(bitrate, header, str(tmp))], f"cannot encode {path}", stdin=True) as run,
    ):
        yield Mp3Writer(run.stdin)


# --- MP3 frames: the book is joined from separately encoded pieces, frame by frame ---

FRAME_SAMPLES = 1152  # MPEG-1 Layer III


def encode_mp3(seg: AudioSegment, bitrate: str) -> bytes:
    """One-shot CBR MP3 frames with no Xing/LAME header and no tags: a piece to join into a book.

    Decoded alone, it gives `mp3_delay()` samples of encoder priming, the audio, then
    padding up to a whole frame.
    """
    return ffmpeg_run.run([*PCM_INPUT, *mp3_output(bitrate, False, "pipe:1")], "cannot encode MP3", seg.raw_data)


def mp3_delay(bitrate: str = "192k") -> int:
    """Samples of priming before a piece's audio when decoded, measured with this ffmpeg (1105 for LAME)."""
    return _measured_delay(bitrate)  # one measurement for `mp3_delay()` and `mp3_delay("192k")` alike


@functools.cache
def _measured_delay(bitrate: str) -> int:
    """`mp3_delay`, measured once per bitrate: an impulse encoded, decoded and found."""
    impulse = np.zeros(4 * FRAME_SAMPLES, dtype=np.int16)
    impulse[0] = 20000
    decoded = samples(decode(encode_mp3(segment(impulse.tobytes()), bitrate), what="the calibration impulse"))
    return int(np.argmax(np.abs(decoded.astype(np.int32))))
