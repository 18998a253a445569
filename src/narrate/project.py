"""A narrate project: its folder and settings, the essay's scripts, one build at a time."""

from __future__ import annotations

import contextlib
import functools
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from narrate.cache import Cache
from narrate.config import Config, load_config
from narrate.engines import AUTO
from narrate.errors import InputError, NarrateError, OutputError
from narrate.fsutil import sha256_text
from narrate.keys import NORMALIZE_VERSION, READER_VERSION
from narrate.normalize import is_english
from narrate.script import Script, plan_scripts, write_scripts
from narrate import inputs, origin
from narrate.split import Essay, slugify


@dataclass(frozen=True)
class Project:
    """A narrate project folder and its settings.

    Attributes:
        root: the folder holding narrate.toml, script/, audio/ and .narrate/.
        config: the settings (defaults when there is no narrate.toml).
        essay: the essay the scripts come from, or None to build from the scripts alone.
        cache_dir: where synthesized audio is kept; None for the project's own `.narrate/cache`
            (a catalog's books share one).
    """

    root: Path
    config: Config
    essay: Path | None
    cache_dir: Path | None = None
    name: str = ""  # the book's file name (no extension) when there is no essay: the one first built here

    @property
    def script_dir(self) -> Path:
        return self.root / "script"

    @property
    def audio_dir(self) -> Path:
        return self.root / "audio"

    @property
    def cache(self) -> Cache:
        return Cache(self.cache_dir or self.root / ".narrate" / "cache")

    @property
    def book_path(self) -> Path:
        name = slugify(self.essay.stem) if self.essay else self.name or slugify(self.config.title or self.root.resolve().name)
        return self.audio_dir / f"{name}.mp3"


def open_project(root: Path, essay: Path | None = None, voice: str | None = None) -> Project:
    """The project in `root`: narrate.toml if there is one, the essay argument over its `essay`.

    Args:
        root: the project folder.
        essay: the essay to narrate, over narrate.toml's `essay`.
        voice: a voice name over narrate.toml's `[voice] voice`; its engine is then the voice's
            own (engine "auto"), whatever narrate.toml's engine says.

    Raises:
        ConfigError: narrate.toml is invalid.
        InputError: there is neither an essay nor scripts to build from.
    """
    root = Path(root)
    config = load_config(root) or Config()
    if voice:  # the command line's: an error about it must not point at narrate.toml
        origins = tuple(o for o in config.origins if o[0] not in ("voice.voice", "voice.engine"))
        config = replace(config, voice=voice, engine=AUTO, origins=origins)
    if essay is None and config.essay:
        essay = root / config.essay
    made = origin.read(root)
    if essay is None and made.essay and (root / made.essay).is_file():
        essay = root / made.essay  # the essay this folder's book was built from (`narrate build ESSAY`)
    if essay is None and not (root / "script" / "book.json").is_file():
        raise InputError(
            f"nothing to narrate in {root.resolve()}: no narrate.toml naming an essay and no scripts; "
            "run `narrate build ESSAY`"
        )
    return Project(root=root, config=config, essay=Path(essay) if essay else None, name=made.book)


def remember(project: Project) -> None:
    """Record the project's essay and book name in script/origin.json, for the commands run later without them."""
    if project.essay is not None:
        origin.update(project.root, essay=origin.essay_field(project.root, project.essay), book=project.book_path.stem)


def remove_leftovers(project: Project) -> None:
    """Delete temporary files a killed build left behind (we hold the lock: nobody is writing them)."""
    for folder in (project.root / ".narrate", project.audio_dir, project.script_dir):
        for path in folder.rglob(".*.part") if folder.is_dir() else ():
            path.unlink(missing_ok=True)


@contextlib.contextmanager
def lock(project: Project) -> Iterator[None]:
    """One build at a time per folder: a second one stops with a clear message."""
    path = project.root / ".narrate" / "lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")
    except OSError as exc:
        raise OutputError(f"cannot write in {project.root.resolve()}: {exc.strerror}; build in a writable folder") from exc
    with handle:
        if not _trylock(handle):
            raise NarrateError("another narrate build is running in this folder; wait for it to finish and run again")
        yield


def _trylock(handle) -> bool:
    """Take the lock on an open file without waiting; False when another process holds it.

    The lock goes with the process: a killed build leaves no stale lock behind.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def split(project: Project, force: bool = False) -> list[str]:
    """Write the essay's narration scripts into script/.

    Args:
        project: the project; its essay must be set.
        force: overwrite hand-edited scripts with the essay's text.

    Returns:
        The script files written or removed.

    Raises:
        InputError: no essay, or it cannot be read.
        ConflictError: hand-edited scripts would be overwritten.
    """
    if project.essay is None:
        raise InputError("no essay to split; run `narrate split ESSAY`")
    written = write_scripts(project.script_dir, essay_scripts(project), essay_sha(project), force, read_essay(project).left_out)
    remember(project)
    return written


def read_essay(project: Project) -> Essay:
    """The project's essay, read by whichever input reader its content calls for (once per version)."""
    stat = project.essay.stat() if project.essay.is_file() else None
    return _read_cached(project.essay, stat.st_mtime_ns if stat else 0, stat.st_size if stat else -1, project.config.read)


@functools.lru_cache(maxsize=4)
def _read_cached(path: Path, mtime_ns: int, size: int, narrate: tuple[str, ...]) -> Essay:
    return inputs.read(path, frozenset(narrate))


def essay_scripts(project: Project) -> list[Script]:
    """The scripts the essay splits into (in memory); narrate.toml's title and author win over the essay's."""
    essay = read_essay(project)
    if project.config.title:
        essay = replace(essay, title=project.config.title)
    return plan_scripts(essay, project.config.author or essay.author, project.config.language)


def essay_sha(project: Project) -> str:
    """What the scripts are made from: the essay's content, the settings spoken in the opening, the
    language when it is not English (scripts are normalized differently then), and the
    normalizer's and the readers' versions (new readings make the scripts again), and the left-out kinds
    narrate.toml asks to be read."""
    language = project.config.language
    other = () if is_english(language) else (language,)
    source = inputs.fingerprint(project.essay)
    versions = f"n{NORMALIZE_VERSION}r{READER_VERSION}"
    return sha256_text("\0".join((source, project.config.title, project.config.author, *other, versions, *project.config.read)))


