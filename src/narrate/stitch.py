"""Assemble audio: sentences into sections, sections and cues into the book.

A section is assembled in memory (it is minutes long at most). The book is a
run of MP3 pieces, one per section with the pause and cue before it, each
encoded once and cached: after an edit only the changed piece is encoded again,
and the book is rewritten at disk speed by joining frames. Its length never has
to fit in memory. Chapter times come from frame and sample counts, not from
measuring audio.
"""

from __future__ import annotations

import hashlib
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence


from narrate import audio, master
from narrate.audio import AudioSegment
from narrate.cache import Cache, make_key
from narrate.config import Pauses
from narrate.fsutil import atomic_path
from narrate.tags import Chapter, render

# Bump when a book piece's audio or encoding changes.
PIECE_VERSION = 1


@dataclass(frozen=True)
class BookPart:
    """A section as the book needs it: its title and a way to load its audio when its turn comes."""

    title: str
    key: str
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


@dataclass(frozen=True)
class _Piece:
    part: BookPart
    lead: AudioSegment  # what comes before the section's speech: head, or pause-cue-pause
    tail: AudioSegment | None
    key: str


def _pieces(parts: Sequence[BookPart], cue: AudioSegment | None, pauses: Pauses, bitrate: str) -> list[_Piece]:
    head = master.pause(pauses.head)
    between = [master.pause(pauses.cue_before)]
    if cue is not None:
        between += [master.with_room_tone(cue), master.pause(pauses.cue_after)]
    gap = audio.concat(between)
    tail = master.pause(pauses.tail)
    gap_key, head_key, tail_key = _digest(gap), _digest(head), _digest(tail)
    pieces = []
    for index, part in enumerate(parts):
        first, last = index == 0, index == len(parts) - 1
        key = make_key(
            kind="piece", version=PIECE_VERSION, section=part.key, lead=head_key if first else gap_key,
            tail=tail_key if last else None, bitrate=bitrate,
        )
        pieces.append(_Piece(part, head if first else gap, tail if last else None, key))
    return pieces


def piece_keys(section_keys: Sequence[str], cue: AudioSegment | None, pauses: Pauses, bitrate: str) -> list[str]:
    """The cache keys of the book's MP3 pieces for these sections."""
    parts = [BookPart("", key, lambda: audio.silence(0)) for key in section_keys]
    return [piece.key for piece in _pieces(parts, cue, pauses, bitrate)]


def speech_offsets(cache: Cache, cue: AudioSegment | None, pauses: Pauses, bitrate: str) -> tuple[int, int]:
    """Where a section's first sample is, decoded: (in the book, for the first section; in its track).

    The first chapter starts at 0 and owns what comes before the speech; captions need
    where the speech itself starts. (`cache` and `cue` are unused here: kept so the
    signature holds for a layout where the head is a cached run of its own.)
    """
    head = len(master.pause(pauses.head).raw_data) // audio.WIDTH
    # The book is headerless frames: its decoding starts with the encoder's priming. A track
    # has a LAME header, so decoders drop the priming.
    return audio.mp3_delay(bitrate) + head, head


def _digest(seg: AudioSegment) -> str:
    return hashlib.sha256(seg.raw_data).hexdigest()


def write_book(
    path: Path,
    parts: Sequence[BookPart],
    cue: AudioSegment | None,
    pauses: Pauses,
    bitrate: str,
    cache: Cache,
    tags: Callable[[list[Chapter]], object],
) -> list[Chapter]:
    """Write the book: head, then each section with pause, cue, pause between, then the tail.

    Each section's piece is encoded once (in parallel, on every core) and cached; the
    book is their frames joined behind the ID3 tag. The cue and its pauses end the
    previous chapter; each later chapter starts on the first sample of its section's
    speech; chapters tile the file. `tags` makes the ID3 tag for the chapters.

    Returns:
        The chapters, in milliseconds.
    """
    pieces = _pieces(parts, cue, pauses, bitrate)

    def encode(piece: _Piece) -> None:
        if cache.path("mp3", piece.key, ".mp3").is_file():
            return
        body = [piece.lead, piece.part.load(), *([piece.tail] if piece.tail is not None else [])]
        cache.put_bytes("mp3", piece.key, audio.encode_mp3(audio.concat(body), bitrate), ".mp3")

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(encode, pieces))  # each is an ffmpeg process: threads suffice

    delay = audio.mp3_delay(bitrate)
    starts, position = [], 0
    for piece in pieces:
        count = audio.mp3_frame_count(cache.path("mp3", piece.key, ".mp3").read_bytes())
        starts.append(position + delay + len(piece.lead.raw_data) // audio.WIDTH)
        position += count * audio.FRAME_SAMPLES
    starts[0] = 0  # the first chapter owns the lead-in
    ends = [*starts[1:], position]
    to_ms = lambda n: int(round(n * 1000 / audio.RATE))  # noqa: E731
    chapters = [Chapter(p.part.title, to_ms(s), to_ms(e)) for p, s, e in zip(pieces, starts, ends)]

    with atomic_path(path) as tmp:
        with open(tmp, "wb") as out:
            out.write(render(tags(chapters)))
            for piece in pieces:
                with open(cache.path("mp3", piece.key, ".mp3"), "rb") as src:
                    while chunk := src.read(1 << 20):
                        out.write(chunk)
    return chapters
