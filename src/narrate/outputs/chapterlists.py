"""Chapter lists beside the audio: Podcasting 2.0 JSON chapters and a cue sheet."""

from __future__ import annotations

import json
from collections.abc import Sequence

from narrate.audio.tags import Chapter
from narrate.timefmt import cue_sheet_time

JSON_CHAPTERS_VERSION = "1.2.0"


def chapters_json(title: str, author: str, chapters: Sequence[Chapter], file_name: str) -> str:
    """Podcasting 2.0 JSON chapters (version 1.2.0): startTime and endTime in seconds, and title.

    Args:
        title: the book's title.
        author: the book's author ("" to leave it out).
        chapters: the chapters, in milliseconds.
        file_name: the audio file they apply to.

    Returns:
        The JSON document (UTF-8 text, ending in a newline).
    """
    document: dict[str, object] = {"version": JSON_CHAPTERS_VERSION, "title": title}
    if author:
        document["author"] = author
    document["fileName"] = file_name
    document["chapters"] = [
        {"startTime": round(c.start_ms / 1000, 3), "endTime": round(c.end_ms / 1000, 3), "title": c.title}
        for c in chapters
    ]
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _quoted(text: str) -> str:
    # Caption sheets have no escape for a double quote inside a quoted field.
    return '"' + " ".join(text.replace('"', "'").split()) + '"'


def cue_sheet(title: str, author: str, chapters: Sequence[Chapter], file_name: str) -> str:
    """A cue sheet: one TRACK per chapter, its INDEX 01 at the chapter's start.

    Args:
        title: the book's title.
        author: the book's author ("" to leave it out).
        chapters: the chapters, in milliseconds.
        file_name: the audio file (MP3 or M4B) the sheet describes.

    Returns:
        The cue sheet text (CRLF-free UTF-8).
    """
    kind = "MP3" if file_name.lower().endswith(".mp3") else "MP4"
    lines = ["REM GENRE Audiobook", "REM COMMENT \"narrate\""]
    if author:
        lines.append(f"PERFORMER {_quoted(author)}")
    lines += [f"TITLE {_quoted(title)}", f"FILE {_quoted(file_name)} {kind}"]
    for number, chapter in enumerate(chapters, 1):
        lines += [f"  TRACK {number:02d} AUDIO", f"    TITLE {_quoted(chapter.title)}"]
        if author:
            lines.append(f"    PERFORMER {_quoted(author)}")
        lines.append(f"    INDEX 01 {cue_sheet_time(chapter.start_ms)}")
    return "\n".join(lines) + "\n"
