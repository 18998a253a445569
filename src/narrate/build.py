"""The whole pipeline: scripts, synthesis through the cache, section tracks, the chaptered book."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from narrate import audio, cues, engines, stitch
from narrate.audio import AudioSegment
from narrate.cache import Cache, make_key
from narrate.config import Config, load_config
from narrate.engines import Engine, EngineSettings
from narrate.errors import InputError, NarrateError, OutputError, SynthesisError
from narrate.fsutil import sha256_text
from narrate.script import Script, essay_changed, load_scripts, plan_scripts, units, write_scripts
from narrate.split import read_essay, slugify, split_essay
from narrate.tags import Chapter, read_chapters, read_key, tag_book, tag_track

log = logging.getLogger(__name__)

# Bump when section assembly or levelling changes, so cached sections are rebuilt.
SECTION_VERSION = 1


@dataclass(frozen=True)
class Project:
    """A narrate project folder and its settings.

    Attributes:
        root: the folder holding narrate.toml, script/, audio/ and .narrate/.
        config: the settings (defaults when there is no narrate.toml).
        essay: the essay the scripts come from, or None to build from the scripts alone.
    """

    root: Path
    config: Config
    essay: Path | None

    @property
    def script_dir(self) -> Path:
        return self.root / "script"

    @property
    def audio_dir(self) -> Path:
        return self.root / "audio"

    @property
    def cache(self) -> Cache:
        return Cache(self.root / ".narrate" / "cache")

    @property
    def book_path(self) -> Path:
        name = slugify(self.essay.stem) if self.essay else slugify(self.config.title or self.root.resolve().name)
        return self.audio_dir / f"{name}.mp3"


def open_project(root: Path, essay: Path | None = None) -> Project:
    """The project in `root`: narrate.toml if there is one, the essay argument over its `essay`.

    Raises:
        ConfigError: narrate.toml is invalid.
        InputError: there is neither an essay nor scripts to build from.
    """
    root = Path(root)
    config = load_config(root) or Config()
    if essay is None and config.essay:
        essay = root / config.essay
    if essay is None and not (root / "script" / "book.json").is_file():
        raise InputError(
            f"nothing to narrate in {root.resolve()}: no narrate.toml naming an essay and no scripts; "
            "run `narrate build ESSAY`"
        )
    return Project(root=root, config=config, essay=Path(essay) if essay else None)


@dataclass(frozen=True)
class SectionReport:
    """What a build did for one script."""

    script: str
    title: str
    kind: str
    duration_ms: float
    units: int
    synthesized: int
    track: Path | None
    track_written: bool


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the CLI to report."""

    engine: str
    book: Path
    book_written: bool
    chapters: tuple[Chapter, ...]
    sections: tuple[SectionReport, ...]
    scripts_written: tuple[str, ...]
    seconds: float

    @property
    def synthesized(self) -> int:
        return sum(s.synthesized for s in self.sections)


@contextlib.contextmanager
def _lock(project: Project) -> Iterator[None]:
    """One build at a time per folder: a second one stops with a clear message."""
    path = project.root / ".narrate" / "lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")
    except OSError as exc:
        raise OutputError(f"cannot write in {project.root.resolve()}: {exc.strerror}; build in a writable folder") from exc
    with handle:
        try:
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - Windows: no advisory locks here
            pass
        except OSError as exc:
            raise NarrateError(
                "another narrate build is running in this folder; wait for it to finish and run again"
            ) from exc
        yield


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
    text = read_essay(project.essay)
    essay_sha = _essay_sha(project, text)
    essay = split_essay(text, fallback_title=project.essay.stem.replace("-", " ").title())
    if project.config.title:
        essay = replace(essay, title=project.config.title)
    scripts = plan_scripts(essay, project.config.author)
    return write_scripts(project.script_dir, scripts, essay_sha, force)


def _essay_sha(project: Project, text: str) -> str:
    """What the scripts are made from: the essay's text and the settings spoken in the opening."""
    return sha256_text("\0".join((text, project.config.title, project.config.author)))


def _book_title(project: Project, scripts: list[Script]) -> str:
    opening = next((s.title for s in scripts if s.kind == "opening"), "")
    return project.config.title or opening or project.book_path.stem.replace("-", " ").title()


def _render_section(
    script: Script, project: Project, engine: Engine, cache: Cache
) -> tuple[str, int, int]:
    """Make sure the section's audio is in the cache; (section key, units, synthesized)."""
    pieces = units(script.text, project.config.pauses)
    if not pieces:
        raise InputError(f"script {script.file} is empty; write the text to speak, or restore it with `narrate split --force`")
    speech_keys = [make_key(engine=engine.name, **engine.identity(), text=u.text) for u in pieces]
    section_key = make_key(
        kind="section", version=SECTION_VERSION, units=[[k, u.pause_ms] for k, u in zip(speech_keys, pieces)]
    )
    if cache.path("sections", section_key).is_file():
        return section_key, len(pieces), 0
    synthesized = 0
    spoken: list[tuple[AudioSegment, int]] = []
    for unit, key in zip(pieces, speech_keys):
        seg = cache.get("speech", key)
        if seg is None:
            try:
                seg = engine.synthesize(unit.text)
            except SynthesisError as exc:
                raise SynthesisError(f"section {script.file}, sentence {unit.text[:60]!r}: {exc}") from exc
            cache.put("speech", key, seg)  # each sentence is kept as soon as it exists
            synthesized += 1
        spoken.append((seg, unit.pause_ms))
    cache.put("sections", section_key, stitch.assemble(spoken))
    log.info("%s: %d sentence(s), %d synthesized", script.file, len(pieces), synthesized)
    return section_key, len(pieces), synthesized


def build(project: Project, engine_name: str | None = None, force: bool = False) -> BuildReport:
    """Build the audiobook: scripts (when the essay changed), audio, section tracks, the book.

    Args:
        project: from `open_project`.
        engine_name: overrides narrate.toml's engine ("auto", "gtts", "piper", ...).
        force: let a changed essay overwrite hand-edited scripts.

    Returns:
        A BuildReport.

    Raises:
        NarrateError: any failure, with the cause and the next step in its message.
    """
    started = time.monotonic()
    config = project.config
    with _lock(project):
        written: list[str] = []
        if project.essay is not None and essay_changed(
            project.script_dir, _essay_sha(project, read_essay(project.essay))
        ):
            written = split(project, force=force)
        scripts = load_scripts(project.script_dir)
        settings = EngineSettings(voice=config.voice, language=config.language, tld=config.tld)
        engine = engines.resolve(engine_name or config.engine, settings)
        cache = project.cache
        try:
            rendered = [(s, *_render_section(s, project, engine, cache)) for s in scripts]
        finally:
            engine.close()

        title, author = _book_title(project, scripts), config.author
        section_scripts = [r for r in rendered if r[0].kind == "section"]
        tracks_dir = project.audio_dir / "sections"
        reports: list[SectionReport] = []
        for script, key, count, synthesized in rendered:
            seg = cache.get("sections", key)
            assert seg is not None  # just rendered
            track, track_written = None, False
            if script.kind == "section":
                number = [r[0] for r in section_scripts].index(script) + 1
                track = tracks_dir / (Path(script.file).stem + ".mp3")
                track_key = make_key(
                    kind="track", section=key, title=script.title, album=title, author=author,
                    number=number, total=len(section_scripts), pauses=[config.pauses.head, config.pauses.tail],
                    bitrate=config.bitrate,
                )
                if read_key(track) != track_key:
                    stitch.write_track(
                        track, seg, config.pauses, config.bitrate,
                        lambda p, s=script, n=number, k=track_key: tag_track(
                            p, s.title, title, author, n, len(section_scripts), k
                        ),
                    )
                    track_written = True
            reports.append(SectionReport(script.file, script.title, script.kind, audio.ms(seg), count, synthesized, track, track_written))
        _remove_stale_tracks(tracks_dir, {r.track for r in reports if r.track})

        cue = cues.load_cue(config.cue, project.root)
        book_key = make_key(
            kind="book",
            sections=[[s.title, key] for s, key, _, _ in rendered],
            cue=hashlib.sha256(cue.raw_data).hexdigest() if cue is not None else None,
            pauses=list(vars(config.pauses).values()),
            title=title, author=author, bitrate=config.bitrate,
        )
        book = project.book_path
        book_written = read_key(book) != book_key
        if book_written:
            parts = [
                stitch.BookPart(s.title, lambda k=key: cache.get("sections", k)) for s, key, _, _ in rendered
            ]
            stitch.write_book(
                book, parts, cue, config.pauses, config.bitrate,
                lambda p, chapters: tag_book(p, title, author, chapters, book_key),
            )
        chapters = tuple(read_chapters(book))
    return BuildReport(
        engine=engine.describe(),
        book=book,
        book_written=book_written,
        chapters=chapters,
        sections=tuple(reports),
        scripts_written=tuple(written),
        seconds=time.monotonic() - started,
    )


def _remove_stale_tracks(folder: Path, keep: set[Path]) -> None:
    """Delete section tracks whose scripts are gone (they are outputs, never user files)."""
    if not folder.is_dir():
        return
    for path in folder.glob("*.mp3"):
        if path not in keep and re.match(r"\d+-", path.name):
            path.unlink()
            log.info("removed %s: its script is gone", path)
