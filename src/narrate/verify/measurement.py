"""Measure an MP3 as a reviewer's tools would: levels, frame headers and chapters.

- Levels come from the audio decoded with the ffmpeg binary of imageio-ffmpeg, streamed
  as 44.1 kHz 16-bit PCM (a file at another rate is resampled for this; its own rate is
  read from its frame headers). A stereo file is measured over both channels together,
  not downmixed, as astats' "Overall" figures are.
  Decibels are dBFS: 20·log10(x / 32768), so a full-scale square wave is 0 dB RMS and a
  full-scale sine -3 dB, the convention of ffmpeg's astats "RMS level dB" and of ACX.
- RMS and peak: over the whole file; the peak is the largest sample magnitude.
- Noise floor: the RMS of the quietest half second (windows of 0.5 s every 0.1 s). Room
  tone is a quiet, constant noise bed; dead digital silence is a failure, never a very
  good floor: the longest run of exact-zero samples is measured, and an all-zero window
  makes the floor -inf.
- Head and tail room tone: from the start of the file to where speech begins, and from
  where it ends to the end of the file. Speech is the first (last) 50 ms window, taken every
  10 ms, whose RMS exceeds -45 dBFS: 15 dB above the loudest floor ACX allows and some
  25 dB under speech at ACX's levels. The boundary is then placed on the first (last)
  10 ms block in that window louder than -45 dBFS.
- Sample rate, channels and bitrate: from every MPEG audio frame header. The bitrate is
  constant only when every audio frame has the same bitrate index (a Xing/Info/VBRI header
  frame is not audio and is skipped).
- Loudness (asked for by the podcast target): integrated loudness and true peak from
  ffmpeg's ebur128 filter (narrate.audio.master.loudness: the same BS.1770 measurement mastering
  aims with).
- Chapters: CHAP frames in the order of the top-level CTOC (narrate.audio.tags.read_chapters),
  whether they tile the file (the first starts at 0, each ends where the next starts, the
  last ends within 50 ms of the end of the audio), run in time order, are listed by a
  top-level CTOC and each have a title.
"""

from __future__ import annotations

import itertools
import math
import mmap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrate.audio import ffmpeg, pcm
from narrate.audio.master import loudness  # BS.1770 through ffmpeg's ebur128: the one implementation, shared
from narrate.audio.mp3frames import Frame, frame_header, id3v2_end, is_info_frame
from narrate.audio.tags import Chapter, read_chapters
from narrate.errors import AudioError

SPEECH_THRESHOLD_DB = -45.0
CHAPTER_END_TOLERANCE_MS = 50

_RATE = pcm.RATE
_BLOCK = _RATE // 100  # 10 ms
_FLOOR_WINDOW = 50  # blocks: 0.5 s
_FLOOR_HOP = 10  # blocks: 0.1 s
_SPEECH_WINDOW = 5  # blocks: 50 ms, hop one block
_FULL_SCALE = 32768.0


@dataclass(frozen=True)
class Measurement:
    """What one MP3 measures. Levels in dBFS (-inf for digital zero), times in seconds."""

    duration_s: float
    rms_db: float
    peak_db: float
    noise_floor_db: float
    digital_silence_s: float  # the longest run of exact-zero samples
    head_s: float
    tail_s: float
    speech_found: bool
    sample_rate: int
    channels: int
    bitrate_kbps: float  # average over the audio frames
    bitrate_min_kbps: int
    bitrate_max_kbps: int
    constant_bitrate: bool
    chapters: tuple[Chapter, ...]
    has_ctoc: bool  # a top-level CTOC listing every chapter
    chapters_tiled: bool
    chapters_ordered: bool
    chapters_titled: bool
    loudness_lufs: float | None = None  # integrated, EBU R128; measured for the podcast target
    true_peak_db: float | None = None




# --- MPEG frame headers ---

@dataclass(frozen=True)
class _Stream:
    sample_rate: int
    channels: int
    bitrate_kbps: float
    bitrate_min_kbps: int
    bitrate_max_kbps: int
    constant_bitrate: bool


def _sync(data, pos: int) -> tuple[int, Frame] | None:
    """The next frame at or after `pos` that is followed by another frame (or the end)."""
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0:
            return None
        frame = frame_header(data, pos)
        if frame is not None:
            after = pos + frame.length
            if after >= len(data) or frame_header(data, after) is not None or bytes(data[after : after + 3]) == b"TAG":
                return pos, frame
        pos += 1


_DROP = 1 << 24  # bytes of a mapped file read before its pages are let go: a long book is not held


def _let_go(data: mmap.mmap, start: int, end: int) -> int:
    """Let the pages of data[start:end] go (where the system can); returns where the pages kept begin."""
    end -= end % mmap.PAGESIZE
    if hasattr(mmap, "MADV_DONTNEED") and end > start:
        data.madvise(mmap.MADV_DONTNEED, start, end - start)
    return end


def _stream(path: Path) -> _Stream:
    """Sample rate, channels and bitrates from every audio frame header of an MP3."""
    try:
        with open(path, "rb") as handle:
            if not handle.seek(0, 2):
                raise AudioError(f"{path} is empty, not an MP3")
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as exc:
        raise AudioError(f"cannot read {path}: {exc}") from exc
    with data:
        found = _sync(data, id3v2_end(data))
        if found is None:
            raise AudioError(f"{path} is not an MP3: no MPEG Layer III audio frame found")
        pos, frame = found
        first = pos
        counts: dict[int, int] = {}
        rates, channels = set(), set()
        audio_bytes = samples = dropped = 0
        while True:
            if not (pos == first and is_info_frame(data, pos, frame)):
                counts[frame.bitrate_kbps] = counts.get(frame.bitrate_kbps, 0) + 1
                rates.add(frame.sample_rate)
                channels.add(frame.channels)
                audio_bytes += frame.length
                samples += frame.samples
            pos += frame.length
            if pos - dropped >= _DROP:  # pages read stay counted against the process until let go
                dropped = _let_go(data, dropped, pos)
            nxt = frame_header(data, pos)
            if nxt is None:
                found = None if bytes(data[pos : pos + 3]) == b"TAG" else _sync(data, pos)
                if found is None:
                    break
                pos, nxt = found
            frame = nxt
    if not counts:
        raise AudioError(f"{path} holds no MPEG audio frames")
    if len(rates) > 1:
        raise AudioError(f"{path} changes sample rate between frames ({sorted(rates)}); re-encode it")
    rate = rates.pop()
    return _Stream(
        sample_rate=rate,
        channels=max(channels),
        bitrate_kbps=audio_bytes * 8 / (samples / rate) / 1000,
        bitrate_min_kbps=min(counts),
        bitrate_max_kbps=max(counts),
        constant_bitrate=len(counts) == 1,
    )


# --- levels ---


@dataclass(frozen=True)
class _Levels:
    duration_s: float
    rms_db: float
    peak_db: float
    noise_floor_db: float
    digital_silence_s: float
    head_s: float
    tail_s: float
    speech_found: bool


def _db(power: float | np.ndarray):
    """Mean square (of int16-scaled samples) to dBFS; -inf for zero."""
    with np.errstate(divide="ignore"):
        return 10 * np.log10(np.asarray(power, dtype=np.float64) / _FULL_SCALE**2)


def _pcm_chunks(path: Path, channels: int) -> Iterator[np.ndarray]:
    """The file decoded to 44.1 kHz int16 (channels interleaved), streamed in chunks of 10 s."""
    chunk_bytes = _BLOCK * 1000 * pcm.WIDTH * channels
    frame = pcm.WIDTH * channels
    args = ["-i", str(path), *ffmpeg.pcm_output(_RATE, channels)]
    with ffmpeg.stream(args, f"cannot decode {path}", stdout=True) as run:
        assert run.stdout is not None  # started with stdout=True
        while data := run.stdout.read(chunk_bytes):
            yield np.frombuffer(data[: len(data) // frame * frame], dtype=np.int16)


def _levels(path: Path, channels: int = 1) -> _Levels:
    """Levels over every channel together, as astats' "Overall" figures: a block's power is its
    mean square over all its samples; a run of zeros is counted in whole sample frames."""
    block = _BLOCK * channels
    total = 0
    sum_squares = 0.0
    peak = 0
    zero_run = longest_zero = 0
    blocks: list[np.ndarray] = []
    carry = np.zeros(0, dtype=np.int16)
    for chunk in _pcm_chunks(path, channels):
        total += chunk.size
        x = chunk.astype(np.int64)
        sum_squares += float(np.dot(x, x))
        peak = max(peak, int(np.abs(x).max()))
        nonzero = np.flatnonzero(chunk)
        if nonzero.size == 0:
            zero_run += chunk.size
        else:
            longest_zero = max(longest_zero, zero_run + int(nonzero[0]))
            if nonzero.size > 1:
                longest_zero = max(longest_zero, int(np.diff(nonzero).max()) - 1)
            zero_run = chunk.size - 1 - int(nonzero[-1])
        longest_zero = max(longest_zero, zero_run)
        pending = np.concatenate([carry, chunk]) if carry.size else chunk
        whole = pending.size // block * block
        if whole:
            b = pending[:whole].astype(np.float64).reshape(-1, block)
            blocks.append(np.einsum("ij,ij->i", b, b))  # sum of squares per block
        carry = pending[whole:].copy()
    if total == 0:
        raise AudioError(f"{path} holds no audio")
    energy = (np.concatenate(blocks) if blocks else np.zeros(0)) / channels  # per 10 ms of one channel
    duration = total / channels / _RATE

    # Noise floor: the quietest 0.5 s window, every 0.1 s.
    if energy.size >= _FLOOR_WINDOW:
        cumulative = np.concatenate([[0.0], np.cumsum(energy)])
        starts = np.arange(0, energy.size - _FLOOR_WINDOW + 1, _FLOOR_HOP)
        window = cumulative[starts + _FLOOR_WINDOW] - cumulative[starts]
        floor = float(_db(max(window.min(), 0.0) / (_FLOOR_WINDOW * _BLOCK)))
    else:  # shorter than half a second: the whole file is the window
        floor = float(_db(sum_squares / total))

    # Speech: 50 ms windows every 10 ms above the threshold; edges on 10 ms blocks.
    threshold = _FULL_SCALE**2 * 10 ** (SPEECH_THRESHOLD_DB / 10)
    loud_block = energy / _BLOCK > threshold
    if energy.size >= _SPEECH_WINDOW:
        sums = np.convolve(energy, np.ones(_SPEECH_WINDOW), mode="valid") / (_SPEECH_WINDOW * _BLOCK)
        loud_window = np.flatnonzero(sums > threshold)
    else:
        loud_window = np.zeros(0, dtype=np.int64)
    if loud_window.size:
        first, last = int(loud_window[0]), int(loud_window[-1])
        head = (first + int(np.argmax(loud_block[first : first + _SPEECH_WINDOW]))) * _BLOCK / _RATE
        tail_blocks = loud_block[last : last + _SPEECH_WINDOW]
        end_block = last + _SPEECH_WINDOW - int(np.argmax(tail_blocks[::-1]))
        tail = max(0.0, duration - end_block * _BLOCK / _RATE)
    else:
        head = tail = duration

    return _Levels(
        duration_s=duration,
        rms_db=float(_db(sum_squares / total)),
        peak_db=float(20 * np.log10(peak / _FULL_SCALE)) if peak else -math.inf,
        noise_floor_db=floor,
        digital_silence_s=longest_zero // channels / _RATE,
        head_s=head,
        tail_s=tail,
        speech_found=bool(loud_window.size),
    )


# --- chapters ---


def tiling_problem(chapters: Sequence[Chapter], duration_s: float) -> str | None:
    """Why the chapters do not tile a file of `duration_s`, or None when they do."""
    if not chapters:
        return None
    if chapters[0].start_ms != 0:
        return f"the first chapter starts at {chapters[0].start_ms} ms, not 0"
    for number, (before, after) in enumerate(itertools.pairwise(chapters), 1):
        if before.end_ms != after.start_ms:
            kind = "overlaps" if before.end_ms > after.start_ms else "leaves a gap before"
            return f"chapter {number} ends at {before.end_ms} ms and {kind} chapter {number + 1} at {after.start_ms} ms"
    end = duration_s * 1000
    if abs(chapters[-1].end_ms - end) > CHAPTER_END_TOLERANCE_MS:
        return f"the last chapter ends at {chapters[-1].end_ms} ms, the audio at {end:.0f} ms"
    return None


def order_problem(chapters: Sequence[Chapter]) -> str | None:
    """Why the chapters are not in time order, or None when they are."""
    for number, chapter in enumerate(chapters, 1):
        if chapter.end_ms <= chapter.start_ms:
            return f"chapter {number} ends ({chapter.end_ms} ms) before it starts ({chapter.start_ms} ms)"
    for number, (before, after) in enumerate(itertools.pairwise(chapters), 1):
        if after.start_ms <= before.start_ms:
            return (f"chapter {number + 1} ({after.start_ms} ms) does not start after "
                    f"chapter {number} ({before.start_ms} ms)")
    return None


def _chapter_tags(path: Path) -> tuple[bool, bool]:
    """(a top-level CTOC lists every chapter, every chapter has a title) from the ID3 tag."""
    from mutagen.id3 import ID3, CTOCFlags, ID3NoHeaderError

    try:
        tags = ID3(str(path))
    except ID3NoHeaderError:
        return False, True
    except Exception as exc:  # mutagen raises its own errors or OSError
        raise AudioError(f"cannot read the tags of {path}: {exc}") from exc
    chaps = tags.getall("CHAP")
    ids = {c.element_id for c in chaps}
    tocs = [t for t in tags.getall("CTOC") if t.flags & CTOCFlags.TOP_LEVEL]
    has_toc = bool(tocs) and ids <= set(tocs[0].child_element_ids)
    titled = all(c.sub_frames.get("TIT2") is not None and str(c.sub_frames["TIT2"].text[0]).strip() for c in chaps)
    return has_toc, titled


# --- the library calls ---


def measure(path: Path, loudness_too: bool = False) -> Measurement:
    """Measure one MP3 (see the module's docstring for how).

    Args:
        path: the MP3.
        loudness_too: also measure integrated loudness and true peak (the podcast target).

    Raises:
        AudioError: the file is not an MP3 or cannot be decoded.
    """
    path = Path(path)
    stream = _stream(path)
    levels = _levels(path, stream.channels)
    chapters = tuple(read_chapters(path))
    has_toc, titled = _chapter_tags(path) if chapters else (False, True)
    lufs, true_peak = loudness(path) if loudness_too else (None, None)
    return Measurement(
        duration_s=levels.duration_s,
        rms_db=levels.rms_db,
        peak_db=levels.peak_db,
        noise_floor_db=levels.noise_floor_db,
        digital_silence_s=levels.digital_silence_s,
        head_s=levels.head_s,
        tail_s=levels.tail_s,
        speech_found=levels.speech_found,
        sample_rate=stream.sample_rate,
        channels=stream.channels,
        bitrate_kbps=stream.bitrate_kbps,
        bitrate_min_kbps=stream.bitrate_min_kbps,
        bitrate_max_kbps=stream.bitrate_max_kbps,
        constant_bitrate=stream.constant_bitrate,
        chapters=chapters,
        has_ctoc=has_toc,
        chapters_tiled=tiling_problem(chapters, levels.duration_s) is None,
        chapters_ordered=order_problem(chapters) is None,
        chapters_titled=titled,
        loudness_lufs=lufs,
        true_peak_db=true_peak,
    )
