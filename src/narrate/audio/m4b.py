"""The M4B audiobook: AAC with chapters, title, author and cover, muxed by ffmpeg.

ffmpeg's MP4 muxer in its "ipod" mode (the one for .m4b) writes chapters twice: as a
QuickTime chapter track (a text track the audio track references with `tref/chap`),
which Apple Books and VLC show, and as a Nero `chpl` atom in `moov/udta`, which other
players read. mutagen cannot write MP4 chapters, but it adds the freeform atom holding
the key of the inputs, as for the MP3, so a rebuild skips an up-to-date M4B.

The audio is the book MP3 decoded: its timeline (encoder priming included) is the one
the MP3's chapter times are measured on, and the AAC edit list keeps it, so both books
share one chapter list.

The file's major brand is `M4B ` (the muxer's `-brand` option; "ipod" mode alone writes
`M4A `): some apps decide "audiobook" by the brand, others by the media kind (stik 2).
"""

from __future__ import annotations

import logging
import struct
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from narrate.audio import ffmpeg
from narrate.audio.tags import Chapter, Details
from narrate.errors import AudioError
from narrate.fsutil import atomic_path

if TYPE_CHECKING:
    from mutagen.mp4 import MP4Info

log = logging.getLogger(__name__)

AAC_BITRATE = "96k"  # mono speech: transparent at this rate
KEY_ATOM = "----:org.narrate:key"
_AUDIOBOOK = "2"  # iTunes media kind (stik) 2: Audiobook
BRAND = "M4B "


def _escape(value: str) -> str:
    """A value for ffmpeg's ffmetadata file: '=', ';', '#', backslash and newlines escaped."""
    out = value.replace("\\", "\\\\")
    for char in "=;#":
        out = out.replace(char, "\\" + char)
    return out.replace("\n", "\\\n")


def ffmetadata(title: str, author: str, chapters: Sequence[Chapter], details: Details = Details()) -> str:
    """ffmpeg's metadata file: the book's tags and one [CHAPTER] per chapter, in milliseconds.

    ffmpeg's MP4 muxer writes title as ©nam, album ©alb, artist ©ART, album_artist aART,
    genre ©gen, date ©day, composer ©wrt (the narrator) and media_type as stik.
    """
    lines = [";FFMETADATA1", f"title={_escape(title)}", f"album={_escape(title)}", "genre=Audiobook",
             f"media_type={_AUDIOBOOK}"]
    if author:
        lines += [f"artist={_escape(author)}", f"album_artist={_escape(author)}"]
    if details.date:
        lines.append(f"date={_escape(details.date)}")
    if details.narrator:
        lines.append(f"composer={_escape(details.narrator)}")
    for chapter in chapters:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={chapter.start_ms}", f"END={chapter.end_ms}",
                  f"title={_escape(chapter.title)}"]
    return "\n".join(lines) + "\n"


def write_m4b(
    path: Path, source: Path, title: str, author: str, chapters: Sequence[Chapter], cover: bytes | None, key: str,
    details: Details = Details(),
) -> None:
    """Encode the book at `source` (the MP3) as an M4B at `path`, atomically.

    Args:
        path: where the M4B goes.
        source: the book MP3, whose timeline the chapters are measured on.
        title: the book's title.
        author: the book's author.
        chapters: the chapters (the MP3's).
        cover: JPEG bytes of the cover, or None.
        key: the inputs key, stored in the file for `read_key`.
        details: the date and narrator to tag.

    Raises:
        AudioError: ffmpeg failed.
        OutputError: the file cannot be written.
    """
    from mutagen.mp4 import MP4, MP4FreeForm

    with tempfile.TemporaryDirectory(prefix="narrate-m4b-") as scratch:
        meta = Path(scratch) / "chapters.txt"
        meta.write_text(ffmetadata(title, author, chapters, details), encoding="utf-8")
        inputs = ["-i", str(source), "-f", "ffmetadata", "-i", str(meta)]
        maps = ["-map", "0:a", "-map_metadata", "1", "-map_chapters", "1"]
        if cover is not None:
            picture = Path(scratch) / "cover.jpg"
            picture.write_bytes(cover)
            inputs += ["-i", str(picture)]
            maps += ["-map", "2:v", "-c:v", "copy", "-disposition:v", "attached_pic"]
        with atomic_path(path) as tmp:
            ffmpeg.run(
                [*inputs, *maps, "-c:a", "aac", "-b:a", AAC_BITRATE, "-movflags", "+faststart", "-brand", BRAND,
                 "-f", "ipod", str(tmp)],
                f"cannot encode {path}",
            )
            try:
                tags = MP4(str(tmp))
                tags[KEY_ATOM] = [MP4FreeForm(key.encode("ascii"))]
                tags.save()
            except Exception as exc:  # mutagen raises its own error types
                raise AudioError(f"cannot tag {path}: {exc}") from exc
    log.debug("wrote %s", path)  # the CLI lists what a build wrote, once


def read_key(path: Path) -> str | None:
    """The inputs key an M4B was made from, or None (no file, no key, unreadable)."""
    if not Path(path).is_file():
        return None
    try:
        from mutagen.mp4 import MP4

        tags = MP4(str(path)).tags
        values = tags.get(KEY_ATOM) if tags is not None else None  # a file may have no tags at all
    except Exception:  # a damaged file is simply rebuilt
        return None
    return bytes(values[0]).decode("ascii", "replace") if values else None


def is_mp4(path: Path) -> bool:
    """Whether the file is an MP4 (an M4B among them): its first atom is `ftyp`."""
    with open(path, "rb") as f:
        return f.read(8)[4:8] == b"ftyp"


def read_chapters(path: Path) -> list[Chapter]:
    """An M4B's chapters as mutagen reads them (the `chpl` list); each ends where the next starts, the last with the audio.

    Raises:
        AudioError: the file cannot be read as an MP4.
    """
    from mutagen.mp4 import MP4

    try:
        mp4 = MP4(str(path))
    except Exception as exc:  # mutagen raises its own error types
        raise AudioError(f"cannot read {path} as an MP4: {exc}") from exc
    marks = [(int(round(c.start * 1000)), c.title) for c in (getattr(mp4, "chapters", None) or ())]
    info = cast("MP4Info", mp4.info)  # mutagen declares `info = None` on the base class; a loaded file has its own
    ends = [start for start, _ in marks[1:]] + [int(round(info.length * 1000))]
    return [Chapter(title, start, end) for (start, title), end in zip(marks, ends)]


_CONTAINERS = {b"moov", b"trak", b"udta", b"mdia", b"minf", b"stbl", b"edts", b"tref"}


def atoms(data: bytes, start: int = 0, end: int | None = None, prefix: str = "") -> dict[str, tuple[int, int]]:
    """The atom tree as {"moov/udta/chpl": (payload start, payload end)} (first of each path)."""
    found: dict[str, tuple[int, int]] = {}
    end = len(data) if end is None else end
    while start + 8 <= end:
        size, kind = struct.unpack(">I4s", data[start : start + 8])
        header = 8
        if size == 1:
            size, header = struct.unpack(">Q", data[start + 8 : start + 16])[0], 16
        elif size == 0:
            size = end - start
        if size < header:
            break
        name = prefix + kind.decode("latin-1")
        found.setdefault(name, (start + header, start + size))
        if kind in _CONTAINERS:
            for child, span in atoms(data, start + header, start + size, name + "/").items():
                found.setdefault(child, span)
        start += size
    return found
