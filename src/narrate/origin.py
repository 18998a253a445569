"""`script/origin.json`: what a book was made from, for the commands run after its first build.

It records the essay the scripts were split from (so `narrate build` and `narrate verify`
with no argument find the same book in a folder without narrate.toml) and the engine
`engine = "auto"` chose (so the book keeps its voice whatever the network does). It lives
beside the scripts, which a project keeps under version control, so a fresh clone of the
project still knows them; `.narrate/` is only a cache.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from narrate.fsutil import write_text

log = logging.getLogger(__name__)

NAME = "origin.json"


@dataclass(frozen=True)
class Origin:
    """What a book was made from.

    Attributes:
        essay: the essay's path, relative to the project folder when inside it ("" if unknown).
        book: the book's file name without its extension ("" if unknown).
        engine: the engine `engine = "auto"` chose for this book ("" until it chose one).
    """

    essay: str = ""
    book: str = ""
    engine: str = ""


def _path(root: Path) -> Path:
    return Path(root) / "script" / NAME


def read(root: Path) -> Origin:
    """The project's origin; an absent or unreadable file is an empty one (it is written again)."""
    path = _path(root)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Origin()
    except (OSError, ValueError) as exc:
        log.warning("%s cannot be read (%s); it is written again by the next build", path, exc)
        return Origin()
    if not isinstance(data, dict):
        return Origin()
    return Origin(**{k: v for k, v in data.items() if k in Origin.__dataclass_fields__ and isinstance(v, str)})


def update(root: Path, **changes: str) -> None:
    """Record `changes` (fields of Origin), writing the file only when it changes."""
    old = read(root)
    new = replace(old, **changes)
    if new != old or not _path(root).is_file():
        write_text(_path(root), json.dumps(asdict(new), indent=2, ensure_ascii=False) + "\n")


def essay_field(root: Path, essay: Path) -> str:
    """How the essay is recorded: relative to the project folder when inside it, else absolute."""
    essay, root = Path(essay).resolve(), Path(root).resolve()
    return essay.relative_to(root).as_posix() if essay.is_relative_to(root) else str(essay)
