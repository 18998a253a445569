"""Assemble audio: sentences into sections, sections and cues into the book.

A section is assembled in memory (it is minutes long at most); the book is
streamed to the encoder one section at a time, so its length never has to fit
in memory. Chapter times come from sample counts, not from measuring audio.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from narrate import audio
from narrate.audio import AudioSegment
from narrate.config import Pauses
from narrate.tags import Chapter

# Narration level: ACX asks for RMS between -23 and -18 dB and peaks at or below -3 dB.
TARGET_RMS_DBFS = -20.0
PEAK_CEILING_DBFS = -3.5


@dataclass(frozen=True)
class BookPart:
    """A section as the book needs it: its title and a way to load its audio when its turn comes."""

    title: str
    load: Callable[[], AudioSegment]


def assemble(pieces: Sequence[tuple[AudioSegment, int]]) -> AudioSegment:
    """Join (speech, pause after it in ms) pairs into one section, levelled."""
    parts: list[AudioSegment] = []
    for speech, pause_ms in pieces:
        parts.append(speech)
        if pause_ms:
            parts.append(audio.silence(pause_ms))
    return level(audio.concat(parts))


def level(seg: AudioSegment) -> AudioSegment:
    """Gain the section to the narration RMS, without letting peaks pass the ceiling."""
    data = audio.samples(seg).astype(np.float64)
    if data.size == 0 or not np.any(data):
        return seg
    rms = 20 * np.log10(np.sqrt(np.mean(data**2)) / 32768)
    peak = 20 * np.log10(np.max(np.abs(data)) / 32768)
    return seg.apply_gain(min(TARGET_RMS_DBFS - rms, PEAK_CEILING_DBFS - peak))


def track_audio(section: AudioSegment, pauses: Pauses) -> AudioSegment:
    """A section as a standalone track: lead-in and tail silence around the speech."""
    return audio.concat([audio.silence(pauses.head), section, audio.silence(pauses.tail)])


Tagger = Callable[[Path], None]


def write_track(path: Path, section: AudioSegment, pauses: Pauses, bitrate: str, tag: Tagger) -> None:
    """Encode and tag one section track; it appears at `path` only when complete."""
    with audio.mp3_writer(path, bitrate) as out:
        out.write(track_audio(section, pauses))
        out.finish()
        tag(out.path)


def write_book(
    path: Path,
    parts: Sequence[BookPart],
    cue: AudioSegment | None,
    pauses: Pauses,
    bitrate: str,
    tag: Callable[[Path, list[Chapter]], None],
) -> list[Chapter]:
    """Stream the book to an MP3: head, then each section with pause, cue, pause between.

    The cue and its pauses end the previous chapter; each later chapter starts on
    the first sample of its section's speech. Chapters tile the file. `tag` gets
    the finished temporary file and the chapters before the file takes its name.

    Returns:
        The chapters, in milliseconds.
    """
    starts: list[int] = []
    with audio.mp3_writer(path, bitrate) as out:
        out.write(audio.silence(pauses.head))
        for index, part in enumerate(parts):
            if index:
                between = [audio.silence(pauses.cue_before)]
                if cue is not None:
                    between += [cue, audio.silence(pauses.cue_after)]
                out.write(audio.concat(between))
            starts.append(out.samples)
            out.write(part.load())
        out.write(audio.silence(pauses.tail))
        out.finish()
        starts[0] = 0  # the first chapter owns the lead-in
        ends = [*starts[1:], out.samples]
        to_ms = lambda n: int(round(n * 1000 / audio.RATE))  # noqa: E731
        chapters = [Chapter(p.title, to_ms(s), to_ms(e)) for p, s, e in zip(parts, starts, ends)]
        tag(out.path, chapters)
    return chapters
