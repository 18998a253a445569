"""Assemble audio: sentences into sections, sections and cues into the book.

A section is assembled in memory (it is minutes long at most); the book is
streamed to the encoder one section at a time, so its length never has to fit
in memory. Chapter times come from sample counts, not from measuring audio.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from narrate import audio, master
from narrate.audio import AudioSegment
from narrate.config import Pauses
from narrate.tags import Chapter


@dataclass(frozen=True)
class BookPart:
    """A section as the book needs it: its title and a way to load its audio when its turn comes."""

    title: str
    load: Callable[[], AudioSegment]


def assemble(pieces: Sequence[tuple[AudioSegment, int]]) -> AudioSegment:
    """Join (speech, pause after it in ms) pairs into one mastered section over room tone."""
    parts: list[AudioSegment] = []
    for speech, pause_ms in pieces:
        parts.append(speech)
        if pause_ms:
            parts.append(audio.silence(pause_ms))
    return master.with_room_tone(master.level(audio.concat(parts)))


def track_audio(section: AudioSegment, pauses: Pauses) -> AudioSegment:
    """A section as a standalone track: room tone before and after the speech."""
    return audio.concat([master.pause(pauses.head), section, master.pause(pauses.tail)])


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
        out.write(master.pause(pauses.head))
        between = [master.pause(pauses.cue_before)]
        if cue is not None:
            between += [master.with_room_tone(cue), master.pause(pauses.cue_after)]
        gap = audio.concat(between)
        for index, part in enumerate(parts):
            if index:
                out.write(gap)
            starts.append(out.samples)
            out.write(part.load())
        out.write(master.pause(pauses.tail))
        out.finish()
        starts[0] = 0  # the first chapter owns the lead-in
        ends = [*starts[1:], out.samples]
        to_ms = lambda n: int(round(n * 1000 / audio.RATE))  # noqa: E731
        chapters = [Chapter(p.title, to_ms(s), to_ms(e)) for p, s, e in zip(parts, starts, ends)]
        tag(out.path, chapters)
    return chapters
