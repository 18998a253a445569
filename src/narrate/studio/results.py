"""What the page shows of the last build and the last review, made again from the project's files on every load.

The build's result is read back from the book it wrote (its chapters) and audio/; the review's
doubts are kept in .narrate/review.json by speech key, so a doubt goes when its sentence's take
changes (a retake, a new text) and a reload or a restart shows the others still.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from narrate.audio.tags import read_chapters
from narrate.errors import NarrateError
from narrate.fsutil import write_text

log = logging.getLogger(__name__)

REVIEW = Path(".narrate") / "review.json"
_FORMAT = 1


def built(root: Path, book: Path, audio_dir: Path) -> dict | None:
    """The book's chapters, duration and the files under audio/ (the book first); None when it is not built."""
    if not book.is_file():
        return None
    try:
        chapters = read_chapters(book)
    except NarrateError as exc:  # a book being written, or damaged: shown as no result
        log.info("%s", exc)
        return None
    files = sorted(p for p in audio_dir.rglob("*") if p.is_file() and p != book)
    return {
        "chapters": [{"title": c.title, "start_ms": c.start_ms, "end_ms": c.end_ms} for c in chapters],
        "duration_ms": chapters[-1].end_ms if chapters else 0,
        "version": book.stat().st_mtime_ns,  # a new build, a new address: the browser does not play the old one
        "files": [p.resolve().relative_to(root).as_posix() for p in (book, *files)],
    }


def save_review(root: Path, total: int, doubtful: list[dict]) -> None:
    """Keep the review's verdicts: how many sentences were heard, and the doubtful ones (with their speech keys)."""
    write_text(root / REVIEW, json.dumps({"format": _FORMAT, "total": total, "doubtful": doubtful}, ensure_ascii=False, indent=1) + "\n")


def review(root: Path, now: dict[str, dict]) -> list[dict]:
    """The doubts of the last review whose take is still a sentence's chosen one, placed where that sentence is now.

    Args:
        root: the project folder.
        now: each sentence of the book as the page gets it, by its chosen take's speech key.
    """
    path = root / REVIEW
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        log.warning("%s is damaged (%s); the last review's doubts are not shown: review again", path, exc)
        return []
    found = data.get("doubtful") if isinstance(data, dict) and data.get("format") == _FORMAT else None
    if not isinstance(found, list) or not all(isinstance(d, dict) and isinstance(d.get("key"), str) for d in found):
        log.warning("%s is damaged (unknown format); the last review's doubts are not shown: review again", path)
        return []
    return [{**d, **now[d["key"]]} for d in found if d["key"] in now]  # an edit above it may have moved it
