"""ID3 tags with mutagen: book tags, chapters (CHAP + CTOC), section track tags.

Written as ID3v2.3, the version players handle best: the date goes out as TYER (+ TDAT),
which v2.3 readers show, not v2.4's TDRC. What each player reads is listed in README.md. Every output also carries
the key of the inputs it was made from (TXXX:narrate-key), so a rebuild can skip
outputs whose inputs did not change without keeping any other state.
"""

from __future__ import annotations

import contextlib
import io
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from mutagen.id3 import APIC, CHAP, CTOC, ID3, TALB, TCOM, TCON, TDRC, TIT2, TPE1, TPE2, TRCK, TXXX, CTOCFlags, ID3NoHeaderError

from narrate.errors import AudioError

KEY_DESC = "narrate-key"
_NO_OFFSET = 0xFFFFFFFF


@dataclass(frozen=True)
class Chapter:
    """A chapter of the book, in milliseconds from the start of the audio."""

    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Details:
    """What the book's tags say besides its title and author.

    Attributes:
        date: the book's date, "YYYY", "YYYY-MM" or "YYYY-MM-DD" ("" for none).
        narrator: who reads it (the voice), shown by audiobook players as the narrator.
    """

    date: str = ""
    narrator: str = ""


def _load(path: Path) -> ID3:
    tags = ID3()
    with contextlib.suppress(ID3NoHeaderError):  # a file without tags yet: start from none
        tags.load(str(path))
    return tags


def _common(tags: ID3, title: str, author: str, album: str, key: str, details: Details) -> None:
    tags.add(TIT2(encoding=3, text=title))
    if author:
        tags.add(TPE1(encoding=3, text=author))
        tags.add(TPE2(encoding=3, text=author))  # album artist: what libraries group books by
    tags.add(TALB(encoding=3, text=album))
    tags.add(TCON(encoding=3, text="Audiobook"))
    if details.date:
        tags.add(TDRC(encoding=3, text=details.date))  # tag_bytes() writes it as v2.3's TYER + TDAT
    if details.narrator:
        tags.add(TCOM(encoding=3, text=details.narrator))  # composer: the narrator, by audiobook convention
    tags.add(TXXX(encoding=3, desc=KEY_DESC, text=key))


def tag_bytes(tags: ID3) -> bytes:
    """The ID3v2.3 tag as bytes, to write in front of MP3 frames.

    mutagen writes every frame but the chapters; the table of contents and the chapters
    follow, assembled here in time order (mutagen orders frames by size, and players that
    ignore CTOC list CHAP frames in file order), then 1 KiB of padding.
    """
    chapters = sorted(tags.getall("CHAP"), key=lambda c: (c.start_time, c.element_id))
    rest = ID3()
    for frame in tags.values():
        if frame.FrameID not in ("CHAP", "CTOC"):
            rest.add(frame)
    rest.update_to_v23()  # save(v2_version=3) alone would write v2.4 frames (TDRC) that v2.3 readers ignore
    buffer = io.BytesIO()
    rest.save(buffer, v2_version=3, v1=0, padding=lambda info: 0)
    head = buffer.getvalue()
    body = head[10:] + b"".join(_toc_frame(t) for t in tags.getall("CTOC")) + b"".join(map(_chapter_frame, chapters))
    body += bytes(1024)
    size = len(body)
    syncsafe = bytes((size >> shift) & 0x7F for shift in (21, 14, 7, 0))
    return b"ID3\x03\x00" + bytes([head[5] if head else 0]) + syncsafe + body


def _frame(frame_id: str, body: bytes) -> bytes:
    """An ID3v2.3 frame: id, size (plain 32 bits in v2.3), no flags, body."""
    return frame_id.encode("ascii") + struct.pack(">I", len(body)) + b"\x00\x00" + body


class _SubFrames(Protocol):
    def get(self, frame_id: str) -> Any: ...


class _ChapterFrame(Protocol):
    """What a CHAP frame has: mutagen sets these attributes at run time from the frame's spec, so its types omit them."""

    element_id: str
    start_time: int
    end_time: int
    start_offset: int
    end_offset: int
    sub_frames: _SubFrames


class _TocFrame(Protocol):
    """What a CTOC frame has (set at run time by mutagen, as for CHAP)."""

    element_id: str
    flags: int
    child_element_ids: list[str]
    sub_frames: _SubFrames


def _title_frames(frame: _ChapterFrame | _TocFrame) -> bytes:
    """The frame's TIT2 sub-frame in UTF-16 with a byte-order mark, as ID3v2.3 has it."""
    sub = frame.sub_frames.get("TIT2")
    return _frame("TIT2", b"\x01" + str(sub.text[0]).encode("utf-16") + b"\x00\x00") if sub else b""


def _chapter_frame(chap: _ChapterFrame) -> bytes:
    times = struct.pack(">IIII", chap.start_time, chap.end_time, chap.start_offset, chap.end_offset)
    return _frame("CHAP", chap.element_id.encode("latin-1") + b"\x00" + times + _title_frames(chap))


def _toc_frame(toc: _TocFrame) -> bytes:
    children = b"".join(c.encode("latin-1") + b"\x00" for c in toc.child_element_ids)
    head = toc.element_id.encode("latin-1") + b"\x00" + bytes([int(toc.flags), len(toc.child_element_ids)])
    return _frame("CTOC", head + children + _title_frames(toc))


def book_tags(
    title: str, author: str, chapters: list[Chapter], key: str, cover: bytes | None = None, details: Details = Details()
) -> ID3:
    """The book's tag: title, author and album artist, album, genre, date, narrator, front cover (JPEG),
    one CHAP per chapter, an ordered top-level CTOC."""
    tags = ID3()
    _common(tags, title, author, title, key, details)
    _add_cover(tags, cover)
    ids = [f"ch{i:04d}" for i in range(len(chapters))]
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=3, text=title)],
        )
    )
    for element_id, chapter in zip(ids, chapters):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=chapter.start_ms,
                end_time=chapter.end_ms,
                start_offset=_NO_OFFSET,
                end_offset=_NO_OFFSET,
                sub_frames=[TIT2(encoding=3, text=chapter.title)],
            )
        )
    return tags


def track_tags(
    title: str, album: str, author: str, number: int, total: int, key: str, cover: bytes | None = None,
    details: Details = Details(),
) -> ID3:
    """A section track's tag: title, album, artist and album artist, genre, date, narrator, track n/N,
    the book's front cover (JPEG)."""
    tags = ID3()
    _common(tags, title, author, album, key, details)
    tags.add(TRCK(encoding=3, text=f"{number}/{total}"))
    _add_cover(tags, cover)
    return tags


def _add_cover(tags: ID3, cover: bytes | None) -> None:
    if cover is not None:
        tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="Cover", data=cover))


def read_key(path: Path) -> str | None:
    """The inputs key an output was made from, or None (no file, no tag)."""
    if not Path(path).is_file():
        return None
    try:
        frames = _load(path).getall(f"TXXX:{KEY_DESC}")
    except Exception:  # a damaged file is simply rebuilt
        return None
    return str(frames[0].text[0]) if frames else None


def read_chapters(path: Path) -> list[Chapter]:
    """The chapters of an MP3, in the order the top-level CTOC gives (else by start time).

    Raises:
        AudioError: the file cannot be read.
    """
    try:
        tags = _load(Path(path))
    except Exception as exc:
        raise AudioError(f"cannot read tags of {path}: {exc}") from exc
    by_id = {c.element_id: c for c in tags.getall("CHAP")}
    order = next((t.child_element_ids for t in tags.getall("CTOC") if t.flags & CTOCFlags.TOP_LEVEL), None)
    frames = [by_id[i] for i in order if i in by_id] if order else sorted(by_id.values(), key=lambda c: c.start_time)

    def title(frame: _ChapterFrame) -> str:
        sub = frame.sub_frames.get("TIT2")
        return str(sub.text[0]) if sub else frame.element_id

    return [Chapter(title(c), c.start_time, c.end_time) for c in frames]
