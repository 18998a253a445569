"""Assemble audio: sentences into sections, then MP3 frames into tracks and the book.

A section is mastered from its cached sentences a chunk at a time (never held
whole, however long) and encoded to MP3 once, as its "body". Every output is then
made by joining frames, never by decoding or encoding again: a track is head +
body + tail, the book is head, each body with the gap (pause, cue, pause)
between, and the tail. The joints are encoded once too. After an edit only the
changed body is encoded again, and the book is rewritten at disk speed; its
length never has to fit in memory.

Each run of frames is a separate LAME stream: decoded, it starts with the
encoder's priming (`pcm.mp3_delay()` samples, near silence) and ends padded to
a whole frame. Joined runs decode to their samples one after the other, so where
a body's audio starts is known exactly from frame counts: chapter times are
computed, not measured. The few tens of milliseconds of priming and padding at
each joint fall inside pauses.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from narrate import keys
from narrate.audio import limiter, master, mp3frames, mp3parts, pcm, xing
from narrate.audio.pcm import AudioSegment
from narrate.audio.tags import Chapter
from narrate.fsutil import atomic_path
from narrate.speech.cache import Cache

if TYPE_CHECKING:  # config validates formats with the outputs, which use this module
    from narrate.config import Pauses

log = logging.getLogger(__name__)


def encode_body(
    cache: Cache, section_key: str, bitrate: str, target: str, pieces: Callable[[], Iterable[np.ndarray]],
    takes: Sequence[str] = (),
) -> Path:
    """The section's MP3 body from the cache, made first when it is not there.

    A section is mastered from its sentences, `pieces()` (int16 arrays: speech, then
    the pause after it, ...; each call reads them afresh), over room tone, and stored
    losslessly as it is encoded. It is measured in one pass (block peaks and energies, kept
    in the cache beside it: see `measure`; `takes` are the speech keys it is made from), then
    written in another (more for the podcast target's loudness), a chunk at a time, so memory
    does not grow with the section's length. A long section is encoded in parts at once, one
    per core, decoding sample for sample where one run would (`mp3parts`). When the mastered
    section is already stored (the bitrate changed, say), it is only encoded.
    """
    path = cache.path("mp3", keys.body_key(section_key, bitrate), ".mp3")
    if path.is_file():
        return path
    if not cache.valid("sections", section_key):
        read = lambda: master.rechunk(pieces())  # noqa: E731
        levels = measure(cache, section_key, target, read, takes)
        mastered = master.level_chunks(read, target, bed=True, levels=levels)
        # A long section is encoded in parts, on every core (see narrate.audio.mp3parts).
        delay = pcm.mp3_delay(bitrate)
        cuts = mp3parts.cuts(levels, mp3parts.parts_for(levels.size), delay)
        with cache.writer("sections", section_key) as wav:
            try:
                with (mp3parts.parts_writer(path, bitrate, cuts, delay) if cuts
                      else pcm.mp3_writer(path, bitrate, header=False, keep_existing=True)) as mp3:
                    for chunk in mastered:
                        wav.writeframes(chunk.tobytes())
                        mp3.write(chunk)
            except mp3parts.Misaligned as exc:  # the section is stored whole: encoded from it below, in one run
                log.warning("%s; encoding it in one run", exc)
    if not path.is_file():  # from the mastered section (only the bitrate changed, say)
        with pcm.mp3_writer(path, bitrate, header=False, keep_existing=True) as mp3:
            for chunk in cache.chunks("sections", section_key):
                mp3.write(chunk)
    cache.seal(path)
    return path


def measure(cache: Cache, section_key: str, target: str, read: master.Chunks, takes: Sequence[str] = ()) -> limiter.Levels:
    """The section's measurement (`limiter.scan`), from the cache, made and kept there first when it is not.

    Kept, it is never held: the gain search and the limiter read it back a range at a time.
    It is filed under the section's key (which names its target, so whether peaks are
    oversampled) and the hashes its takes' seals record: a take made again (after damage,
    say) is measured again.
    """
    heard = hashlib.sha256(b"".join(cache.sealed_hash("speech", k) or b"" for k in takes)).hexdigest()[:16]
    ext = f".{heard}.f64"
    path = cache.path("levels", section_key, ext)
    if not cache.valid("levels", section_key, f"the measurement of section {section_key[:12]}", ext):
        with atomic_path(path, keep_existing=True) as tmp, open(tmp, "w+b") as sink:
            limiter.scan(read, master.target(target).true_peak, sink)
        cache.seal(path)
    return limiter.Levels.load(path)


@dataclass(frozen=True)
class Joints:
    """The encoded runs that go around section bodies: head, gap (pause, cue, pause), tail."""

    head: Path
    gap: Path
    tail: Path

    @property
    def keys(self) -> list[str]:
        return [p.name.split(".")[0] for p in (self.head, self.gap, self.tail)]


def joints(cache: Cache, cue: AudioSegment | None, pauses: Pauses, bitrate: str, encode: bool = True) -> Joints:
    """The head, gap and tail runs for these settings, encoded and cached unless `encode` is false."""
    between = [master.pause(pauses.cue_before)]
    if cue is not None:
        between += [master.with_room_tone(cue), master.pause(pauses.cue_after)]
    made = []
    for name, seg in (
        ("head", master.pause(pauses.head)),
        ("gap", pcm.concat(between)),
        ("tail", master.pause(pauses.tail)),
    ):
        key = keys.joint_key(name, hashlib.sha256(seg.raw_data).hexdigest(), bitrate)
        path = cache.path("mp3", key, ".mp3")
        if encode and not cache.valid("mp3", key, f"the {name} joint", ".mp3"):
            cache.put_bytes("mp3", key, pcm.encode_mp3(seg, bitrate), ".mp3")
        made.append(path)
    return Joints(*made)


def _frames(path: Path) -> int:
    """Frames in an encoded run; runs are content-addressed and final, so each is counted once."""
    st = path.stat()
    return _frame_count(str(path), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=4096)
def _frame_count(path: str, size: int, mtime_ns: int) -> int:
    return mp3frames.file_frame_count(Path(path))


def _join(path: Path, tag: bytes, runs: Sequence[Path]) -> None:
    """Write `tag`, an Info frame describing the runs, then each run's frames to `path`, atomically, copying in chunks."""
    with open(runs[0], "rb") as first:
        first_header = first.read(4)
    found = mp3frames.frame_header(first_header, 0)
    header = xing.info_frame(
        first_header, sum(_frames(r) for r in runs), sum(r.stat().st_size for r in runs), pcm.mp3_delay(),
        found.bitrate_kbps if found else 0,
    )
    with atomic_path(path) as tmp, open(tmp, "wb") as out:
        out.write(tag)
        out.write(header)
        for run in runs:
            with open(run, "rb") as src:
                while chunk := src.read(1 << 20):
                    out.write(chunk)


def speech_offsets(around: Joints) -> int:
    """Where the first section's audio starts, decoded, in samples, in the book and in a track.

    Both begin with the head run, then the section's body, whose audio follows its encoder
    priming; decoders honouring the Info frame drop as much priming from the file's start
    (see narrate.audio.xing), so the section starts right after the head's frames.
    """
    return _frames(around.head) * pcm.FRAME_SAMPLES


def section_starts(bodies: Sequence[Path], around: Joints) -> list[int]:
    """Where each section's first audio sample is in the book, decoded gaplessly: head, body, gap, body, ...

    Each body's audio follows its own priming, and a decoder honouring the Info frame drops
    as much from the file's start: a body starts where its frames do. A decoder that ignores
    the Info frame hears everything `pcm.mp3_delay()` samples (25 ms) later, inside a pause.
    """
    head, gap = _frames(around.head), _frames(around.gap)
    starts, position = [], head
    for index, body in enumerate(bodies):
        if index:
            position += gap
        starts.append(position * pcm.FRAME_SAMPLES)
        position += _frames(body)
    return starts


def write_track(path: Path, body: Path, around: Joints, tag: bytes) -> None:
    """Write one section track (head, the section, tail) behind its ID3 tag."""
    _join(path, tag, [around.head, body, around.tail])


@dataclass(frozen=True)
class BookPart:
    """A section as the book needs it: its chapter title and its encoded body."""

    title: str
    body: Path


def chapters(parts: Sequence[BookPart], around: Joints) -> list[Chapter]:
    """The book's chapters, from frame counts: each starts on its body's first audio sample.

    The first chapter starts at 0 (it owns the head); the gap after a section closes
    its chapter; the last chapter ends where the audio ends.
    """
    starts = section_starts([p.body for p in parts], around)
    frames = _frames(around.head) + sum(_frames(p.body) for p in parts)
    end = (frames + (len(parts) - 1) * _frames(around.gap) + _frames(around.tail)) * pcm.FRAME_SAMPLES - pcm.mp3_delay()
    starts[0] = 0
    to_ms = lambda n: int(round(n * 1000 / pcm.RATE))  # noqa: E731
    return [Chapter(p.title, to_ms(s), to_ms(e)) for p, s, e in zip(parts, starts, [*starts[1:], end])]


def write_book(path: Path, bodies: Sequence[Path], around: Joints, tag: bytes) -> None:
    """Write the book: head, each section's body with the gap between, tail; behind its tag.

    Args:
        path: the book MP3 to write (atomically).
        bodies: the sections' bodies in order, already encoded.
        around: the joints.
        tag: the ID3 tag, with the chapters `chapters` computes for these bodies.
    """
    runs = [around.head]
    for index, body in enumerate(bodies):
        runs += [around.gap, body] if index else [body]
    _join(path, tag, [*runs, around.tail])
