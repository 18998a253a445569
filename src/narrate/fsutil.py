"""Atomic file writes: a reader never sees half a file, a crash never leaves one."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from narrate.errors import OutputError


def sha256_text(text: str) -> str:
    """Hex SHA-256 of UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest folder on the way to `path` that exists as something other than a folder."""
    for parent in reversed(path.parents):
        if parent.exists() and not parent.is_dir():
            return parent
    return None


def _explain(path: Path, exc: OSError) -> OutputError:
    if exc.errno == errno.ENOSPC:
        why = "the disk is full. Probable cause: free some space and run again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        why = "permission denied. Probable cause: the folder is read-only; choose a writable one"
    elif exc.errno in (errno.ENOTDIR, errno.EEXIST) and (blocker := _file_in_the_way(path)) is not None:
        why = f"{blocker} is a file where a folder should be; move or rename it and run again"
    else:
        why = exc.strerror or str(exc)
    return OutputError(f"cannot write {path}: {why}")


def _mode_of(path: Path) -> int:
    """The permission bits a rewrite of `path` keeps: its own, or 0666 less the umask for a new file."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


_UMASK = os.umask(0o022)
os.umask(_UMASK)  # reading the umask means setting it: put it back at once (at import, before any thread)


@contextlib.contextmanager
def atomic_path(path: Path, keep_existing: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it over `path` only on success.

    With `keep_existing`, a `path` that already exists wins: the new file is dropped, so
    an entry once written never changes under a reader (content-addressed stores).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.close(fd)
        # mkstemp makes the file private (0600): give it the mode a plain open() would, or the old file's.
        os.chmod(tmp, _mode_of(path))
    except OSError as exc:
        raise _explain(path, exc) from exc
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as f:
            os.fsync(f.fileno())
        if keep_existing:
            _link_unless_there(tmp_path, path)
        else:
            os.replace(tmp_path, path)
    except OSError as exc:
        raise _explain(path, exc) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def _link_unless_there(tmp: Path, path: Path) -> None:
    """Put `tmp` at `path` unless something is there already; either way `tmp` is left to be removed."""
    try:
        os.link(tmp, path)  # atomic, and fails rather than replacing: the first writer wins
    except FileExistsError:
        pass
    except OSError:  # a file system without hard links: check, then rename (a narrower race)
        if not path.exists():
            os.replace(tmp, path)


def write_bytes(path: Path, data: bytes) -> None:
    """Write bytes atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically (LF line endings)."""
    write_bytes(path, text.encode("utf-8"))


def write_if_changed(path: Path, content: bytes | str) -> bool:
    """Write `content` (text as UTF-8) atomically unless `path` holds exactly those bytes; True when written.

    An unchanged file keeps its time stamp, so what watches it (a browser, a podcast app, make) sees no change.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        if Path(path).read_bytes() == data:
            return False
    except OSError:
        pass
    write_bytes(path, data)
    return True
