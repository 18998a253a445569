"""The last build's record: a build with nothing to do knows it before loading a voice or numpy.

A command-line build writes `.narrate/last-build.json` when it ends: how it was asked for
(folder, essay, voice, engine, formats, ...), what it read (narrate.toml, the essay, every
script, the cover and cue files, by content) and what it left (every file under audio/, the
book, each section's encoded body and the joints, by size and modification time), with its
report. The next build asked for the same way first checks that record; when nothing it names
has changed, the build has nothing to do and reports so, in a fraction of a second: no engine
is resolved (with engine "auto", Google is not asked again: the voice of the last build stays),
no plan is made, nothing is imported beyond this module.

Anything else, or any doubt (no record, a different request, a changed or missing file, another
build running, --verify), and the build runs as usual, and writes a new record.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from narrate import __version__, keys
from narrate.fsutil import write_text
from narrate.reports import BuildReport, SectionReport
from narrate.kinds import LeftOut
from narrate.tags import Chapter

if TYPE_CHECKING:
    from narrate.plan import BuildPlan
    from narrate.project import Project
    from narrate.stitch import Joints

log = logging.getLogger(__name__)

_FORMAT = 1


def _path(root: Path) -> Path:
    return Path(root) / ".narrate" / "last-build.json"


def request(root: Path, essay: Path | str | None, voice: str | None, engine: str | None, formats: Iterable[str], force: bool) -> str:
    """How a build was asked for, as one string: a record is used only by a build asked for the same way."""
    return json.dumps({
        "root": str(Path(root).resolve()), "essay": str(Path(essay).resolve()) if essay else None, "voice": voice,
        "engine": engine, "formats": list(formats), "force": force,
        # what narrate makes, and the year a book is dated with when narrate.toml names none
        "narrate": __version__, "versions": [keys.CACHE_VERSION, keys.SECTION_VERSION, keys.ENCODING_VERSION,
                                             keys.OUTPUT_VERSION, keys.M4B_VERSION, keys.COVER_VERSION,
                                             keys.NORMALIZE_VERSION],
        "year": datetime.date.today().year,
    }, sort_keys=True)


def _digest(path: Path) -> str | None:
    """SHA-256 of a file's content; None when it is not there."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _stat(path: Path) -> list[int] | None:
    try:
        st = Path(path).stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ino]


def _listing(folder: Path) -> list[str]:
    """Every file under `folder`, relative to it, sorted."""
    if not folder.is_dir():
        return []
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def _state(root: Path, read: list[str], left: list[str]) -> dict:
    """What the files a build read (by content) and left (by size, modification time and inode) are now."""
    return {
        "scripts": _listing(root / "script"),
        "outputs": _listing(root / "audio"),
        "read": {p: _digest(root / p) for p in read},
        "left": {p: _stat(root / p) for p in left},
    }


def write(project: Project, plan: BuildPlan, joints: Joints, report: BuildReport, asked: str) -> None:
    """Record a build that ended, asked for as `asked` (see `request`)."""
    root = project.root
    script_dir = project.script_dir
    read = ["narrate.toml", *(str(Path("script") / p) for p in _listing(script_dir))]
    if project.essay is not None:
        read.append(os.path.relpath(project.essay, root))
    if plan.cover.source is not None:
        read.append(os.path.relpath(plan.cover.source, root))
    cue = root / project.config.cue if project.config.cue else None
    if cue is not None and cue.is_file():
        read.append(os.path.relpath(cue, root))
    cache = [p for s in plan.sections for p in (s.body, Path(f"{s.body}.sum"))]
    cache += [p for j in (joints.head, joints.gap, joints.tail) for p in (j, Path(f"{j}.sum"))]
    left = [str(Path("audio") / p) for p in _listing(project.audio_dir)]
    left += [os.path.relpath(p, root) for p in (plan.book, *cache)]
    record = {
        "format": _FORMAT, "asked": asked, "state": _state(root, read, left),
        "report": {
            "engine": report.engine, "book": str(report.book),
            "chapters": [[c.title, c.start_ms, c.end_ms] for c in report.chapters],
            "sections": [[s.script, s.title, s.kind, s.duration_ms, s.units, str(s.track) if s.track else None]
                         for s in report.sections],
            "left_out": [[p.kind, p.count, p.words] for p in report.left_out],
        },
    }
    with contextlib.suppress(OSError):  # a record is a shortcut: without it the next build plans as usual
        write_text(_path(root), json.dumps(record, ensure_ascii=False))


def forget(root: Path) -> None:
    """Drop the record (a build asked for otherwise, by the library, changed what it describes)."""
    with contextlib.suppress(OSError):
        _path(root).unlink(missing_ok=True)


def _another_build(root: Path) -> bool:
    """Whether another build holds the folder's lock (then the usual path reports it)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the usual path takes the lock
        return True
    try:
        with open(Path(root) / ".narrate" / "lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    return False


def unchanged(root: Path, asked: str, seconds: float = 0.0) -> BuildReport | None:
    """The report of a build with nothing to do, when the record says so; otherwise None (build as usual)."""
    try:
        record = json.loads(_path(root).read_text(encoding="utf-8"))
        if record.get("format") != _FORMAT or record.get("asked") != asked:
            return None
        state = record["state"]
        if _another_build(root) or _state(Path(root), list(state["read"]), list(state["left"])) != state:
            return None
        made = record["report"]
        return BuildReport(
            engine=made["engine"], book=Path(made["book"]), book_written=False,
            chapters=tuple(Chapter(title, start, end) for title, start, end in made["chapters"]),
            sections=tuple(
                SectionReport(script, title, kind, duration, units, 0, Path(track) if track else None, False)
                for script, title, kind, duration, units, track in made["sections"]
            ),
            scripts_written=(), seconds=seconds,
            left_out=tuple(LeftOut(kind, count, words) for kind, count, words in made.get("left_out", [])),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
