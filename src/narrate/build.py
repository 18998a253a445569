"""The whole pipeline: scripts, synthesis through the cache, section tracks, the chaptered book."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Iterator

import numpy as np

from narrate import audio, cues, engines, inputs, outputs, stitch
from narrate.audio import AudioSegment
from narrate.cache import Cache, make_key
from narrate.config import Config, check_formats, load_config
from narrate.cover import Cover, cover_for
from narrate.engines import Engine, EngineSettings
from narrate.errors import ConfigError, EngineError, InputError, NarrateError, OutputError, SynthesisError
from narrate.fsutil import sha256_text
from narrate.lexicon import respell
from narrate.normalize import is_english
from narrate.script import Script, Unit, essay_changed, load_scripts, plan_scripts, units, write_scripts
from narrate.split import Essay, slugify
from narrate.tags import Chapter, book_tags, read_chapters, read_key, render, track_tags

log = logging.getLogger(__name__)

# Bump when section assembly or levelling changes, so cached sections are rebuilt.
SECTION_VERSION = 3
# Bump when how outputs are put together changes, so they are rewritten.
OUTPUT_VERSION = 2


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


def _remove_leftovers(project: Project) -> None:
    """Delete temporary files a killed build left behind (we hold the lock: nobody is writing them)."""
    for folder in (project.root / ".narrate", project.audio_dir, project.script_dir):
        for path in folder.rglob(".*.part") if folder.is_dir() else ():
            path.unlink(missing_ok=True)


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
    outputs: tuple[Path, ...] = ()  # other formats written (M4B, captions, sidecars, page)

    @property
    def synthesized(self) -> int:
        return sum(s.synthesized for s in self.sections)


@dataclass(frozen=True)
class Progress:
    """One step of a build's long work, for a progress display.

    Attributes:
        stage: "synthesize" (one sentence spoken) or "encode" (one section encoded).
        done: steps of this stage finished so far.
        total: steps this stage has in this build.
        section: the script the step belonged to.
    """

    stage: str
    done: int
    total: int
    section: str


ProgressCallback = Callable[[Progress], None]


class _Counter:
    """Counts a stage's steps from any thread and reports each one, one at a time."""

    def __init__(self, stage: str, total: int, report: ProgressCallback | None):
        self.stage, self.total, self._report = stage, total, report
        self._done = 0
        self._lock = threading.Lock()

    def step(self, section: str) -> None:
        with self._lock:
            self._done += 1
            if self._report is not None:
                self._report(Progress(self.stage, self._done, self.total, section))


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
        if not _try_lock(handle):
            raise NarrateError("another narrate build is running in this folder; wait for it to finish and run again")
        yield


def _try_lock(handle) -> bool:
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
    essay_sha = _essay_sha(project)
    return write_scripts(project.script_dir, _essay_scripts(project), essay_sha, force)


def _read_essay(project: Project) -> Essay:
    """The project's essay, read by whichever input reader its content calls for (once per version)."""
    stat = project.essay.stat() if project.essay.is_file() else None
    return _read_cached(project.essay, stat.st_mtime_ns if stat else 0, stat.st_size if stat else -1)


@functools.lru_cache(maxsize=4)
def _read_cached(path: Path, mtime_ns: int, size: int) -> Essay:
    return inputs.read(path)


def _essay_scripts(project: Project) -> list[Script]:
    """The scripts the essay splits into (in memory); narrate.toml's title and author win over the essay's."""
    essay = _read_essay(project)
    if project.config.title:
        essay = replace(essay, title=project.config.title)
    return plan_scripts(essay, project.config.author or essay.author, project.config.language)


def _essay_sha(project: Project) -> str:
    """What the scripts are made from: the essay's content, the settings spoken in the opening, and
    the language when it is not English (scripts are normalized differently then)."""
    language = project.config.language
    other = () if is_english(language) else (language,)
    source = inputs.fingerprint(project.essay)
    return sha256_text("\0".join((source, project.config.title, project.config.author, *other)))


def _book_title(project: Project, scripts: list[Script]) -> str:
    opening = next((s.title for s in scripts if s.kind == "opening"), "")
    return project.config.title or opening or project.book_path.stem.replace("-", " ").title()


@dataclass(frozen=True)
class SectionPlan:
    """What one script needs: its units, their cache keys, and its track."""

    script: Script
    units: tuple[Unit, ...]
    speech_keys: tuple[str, ...]
    key: str
    body: Path  # the section's encoded MP3 frames, in the cache
    missing: tuple[int, ...]  # indices of units to synthesize (empty when the section is cached)
    track: Path | None
    track_key: str | None
    number: int | None

    @property
    def track_stale(self) -> bool:
        return self.track is not None and read_key(self.track) != self.track_key


@dataclass(frozen=True)
class BuildPlan:
    """Everything a build would do, computed without synthesizing or encoding."""

    engine: Engine
    title: str
    author: str
    sections: tuple[SectionPlan, ...]
    cue: AudioSegment | None
    book: Path
    book_key: str
    cover: Cover

    @property
    def book_stale(self) -> bool:
        return read_key(self.book) != self.book_key

    @property
    def to_synthesize(self) -> int:
        return sum(len(s.missing) for s in self.sections)


def _plan(project: Project, scripts: list[Script], engine: Engine) -> BuildPlan:
    config, cache = project.config, project.cache
    title, author = _book_title(project, scripts), config.author
    if project.essay is not None and not (author and config.cover):
        essay = _read_essay(project)  # the essay's own author and cover, when narrate.toml names none
        author = author or essay.author
        if essay.cover and not config.cover:
            config = replace(config, cover=str(project.essay.parent / essay.cover))
    total = sum(s.kind == "section" for s in scripts)
    try:
        cue = cues.load_cue(config.cue, project.root, config.target)
        cover = cover_for(config.cover, project.root, title, author)
        if cover.source is not None:
            cover.jpeg()  # the user's image is read now, so a bad one is reported against its setting
    except ConfigError as exc:
        raise config.located(exc) from exc
    number = 0
    sections: list[SectionPlan] = []
    # A sentence several sections share (a refrain, a repeated heading) is spoken once, by the
    # first section that needs it: sections are rendered in order, so later ones find its take.
    claimed: set[str] = set()
    for script in scripts:
        # The lexicon applies here, not in the scripts: the speech keys below are made from the
        # text the engine receives, so changing one entry re-synthesizes only its sentences.
        pieces = tuple(Unit(respell(u.text, config.lexicon), u.pause_ms) for u in units(script.text, config.pauses, config.language))
        if not pieces:
            raise InputError(
                f"script {script.file} is empty; write the text to speak, or restore it with `narrate split --force`"
            )
        speech_keys = tuple(make_key(engine=engine.name, **engine.identity(), text=u.text) for u in pieces)
        key = make_key(
            kind="section", version=SECTION_VERSION, target=config.target,
            units=[[k, u.pause_ms] for k, u in zip(speech_keys, pieces)],
        )
        body = cache.path("mp3", stitch.body_key(key, config.bitrate), ".mp3")
        missing: list[int] = []
        if not body.is_file() and not cache.path("sections", key).is_file():
            for i, k in enumerate(speech_keys):
                if k not in claimed and not cache.path("speech", k).is_file():
                    claimed.add(k)
                    missing.append(i)
        track = track_key = track_number = None
        if script.kind == "section" and "tracks" in config.formats:
            number += 1
            track_number = number
            track = project.audio_dir / "sections" / f"{Path(script.file).stem}.mp3"
            track_key = make_key(
                kind="track", version=OUTPUT_VERSION, section=key, title=script.title, album=title, author=author, number=number,
                total=total, pauses=[config.pauses.head, config.pauses.tail], bitrate=config.bitrate, cover=cover.key,
            )
        sections.append(SectionPlan(script, pieces, speech_keys, key, body, tuple(missing), track, track_key, track_number))
    book_key = make_key(
        kind="book",
        version=OUTPUT_VERSION,
        sections=[[s.script.title, s.key] for s in sections],
        cue=hashlib.sha256(cue.raw_data).hexdigest() if cue is not None else None,
        pauses=list(vars(config.pauses).values()),
        title=title, author=author, bitrate=config.bitrate, target=config.target, cover=cover.key,
    )
    # Without "mp3" among the formats the book MP3 is still made (the other formats come from it), out of sight.
    book = project.book_path if "mp3" in config.formats else project.root / ".narrate" / "book" / project.book_path.name
    return BuildPlan(engine, title, author, tuple(sections), cue, book, book_key, cover)


def _engine(project: Project, engine_name: str | None) -> Engine:
    config = project.config
    settings = EngineSettings(voice=config.voice, language=config.language, tld=config.tld, speed=config.speed)
    try:
        return engines.resolve(engine_name or config.engine, settings)
    except ConfigError as exc:
        if engine_name and exc.setting == "voice.engine":
            raise  # the --engine option's fault, not narrate.toml's
        raise config.located(exc) from exc


def _prepare(project: Project, engine_name: str | None, force: bool) -> tuple[list[str], BuildPlan]:
    """Re-split a changed essay, choose the engine, plan the build."""
    written: list[str] = []
    if project.essay is not None and essay_changed(project.script_dir, _essay_sha(project)):
        written = split(project, force=force)
    return written, _plan(project, load_scripts(project.script_dir), _engine(project, engine_name))


def _prepare_readonly(project: Project, engine_name: str | None) -> tuple[bool, BuildPlan]:
    """Plan as a build would, writing nothing: (the essay changed since the split, plan)."""
    if project.essay is not None:
        if essay_changed(project.script_dir, _essay_sha(project)):
            return True, _plan(project, _essay_scripts(project), _engine(project, engine_name))
    return False, _plan(project, load_scripts(project.script_dir), _engine(project, engine_name))


def _speak(section: SectionPlan, index: int, engine: Engine, cache: Cache) -> None:
    """Synthesize one unit into the cache (kept as soon as it exists)."""
    unit = section.units[index]
    try:
        seg = audio.conform(engine.synthesize(unit.text))
    except SynthesisError as exc:
        raise SynthesisError(f"section {section.script.file}, sentence {unit.text[:60]!r}: {exc}") from exc
    cache.put("speech", section.speech_keys[index], seg)


def _spoken(section: SectionPlan, cache: Cache) -> Iterator[np.ndarray]:
    """The section's cached sentences, each followed by its pause, one sentence in memory at a time."""
    for unit, key in zip(section.units, section.speech_keys):
        speech = cache.get("speech", key)
        if speech is None:
            raise NarrateError(
                f"the cached audio of {unit.text[:60]!r} ({section.script.file}) vanished; run the build again"
            )
        yield audio.samples(speech)
        yield audio.samples(audio.silence(unit.pause_ms))


_SECTIONS_AHEAD = 4


def _render(plan: BuildPlan, cache: Cache, config: Config, progress: ProgressCallback | None = None) -> stitch.Joints:
    """Make every section's encoded body, and the joints: synthesize the missing sentences on
    the engine's workers, and master and encode each section as soon as its sentences exist.

    The first failure stops the work: sentences not yet started are not attempted (a
    failing service is not hammered), finished ones stay cached for the next run.
    """
    todo = [s for s in plan.sections if not s.body.is_file()]
    failed = threading.Event()
    spoke = _Counter("synthesize", sum(len(s.missing) for s in todo), progress)
    coded = _Counter("encode", len({s.key for s in todo}), progress)

    def speak(section: SectionPlan, index: int) -> None:
        if failed.is_set():
            return
        try:
            _speak(section, index, plan.engine, cache)
        except BaseException:
            failed.set()
            raise
        spoke.step(section.script.file)

    def encode(section: SectionPlan) -> None:
        stitch.encode_body(cache, section.key, config.bitrate, config.target, lambda: _spoken(section, cache))
        coded.step(section.script.file)

    speaking = ThreadPoolExecutor(max_workers=max(1, plan.engine.workers), thread_name_prefix="speak")
    encoding = ThreadPoolExecutor(max_workers=os.cpu_count() or 1, thread_name_prefix="encode")
    # Sentences are queued a few sections ahead of the one awaited: enough to keep every worker
    # busy, few enough that what is queued does not grow with the book.
    upcoming = iter(todo)
    queued: deque[tuple[SectionPlan, list[Future]]] = deque()

    def queue_next() -> None:
        section = next(upcoming, None)
        if section is not None:
            queued.append((section, [speaking.submit(speak, section, i) for i in section.missing]))

    try:
        around = encoding.submit(stitch.joints, cache, plan.cue, config.pauses, config.bitrate)
        for _ in range(_SECTIONS_AHEAD):
            queue_next()
        encoded: dict[str, Future] = {}  # by section key: identical sections are encoded once
        while queued:
            section, futures = queued.popleft()
            for future in futures:
                future.result()  # raises this section's failure
            if failed.is_set():  # a later section failed: raise its failure
                for _, later in queued:
                    for future in later:
                        future.result()
            if futures:
                log.info("%s: %d of %d sentence(s) synthesized", section.script.file, len(futures), len(section.units))
            if section.key not in encoded:
                encoded[section.key] = encoding.submit(encode, section)
            queue_next()
        for future in encoded.values():
            future.result()
        return around.result()
    finally:
        for pool in (speaking, encoding):  # on failure or Ctrl-C: drop what has not started
            pool.shutdown(wait=True, cancel_futures=True)


def build(
    project: Project,
    engine_name: str | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
    formats: tuple[str, ...] = (),
) -> BuildReport:
    """Build the audiobook: scripts (when the essay changed), audio, section tracks, the book, other formats.

    Args:
        project: from `open_project`.
        engine_name: overrides narrate.toml's engine ("auto", "gtts", "piper", ...).
        force: let a changed essay overwrite hand-edited scripts.
        progress: called after each sentence synthesized and each section encoded
            (from worker threads, one call at a time).
        formats: overrides narrate.toml's [output] formats (empty: keep them).

    Returns:
        A BuildReport.

    Raises:
        NarrateError: any failure, with the cause and the next step in its message.
    """
    started = time.monotonic()
    if formats:
        project = replace(project, config=replace(project.config, formats=check_formats(formats, "--format")))
    config, cache = project.config, project.cache
    with _lock(project):
        _remove_leftovers(project)
        written, plan = _prepare(project, engine_name, force)
        try:
            around = _render(plan, cache, config, progress)
        finally:
            plan.engine.close()
        tracks = _tracks(plan)
        reports: list[SectionReport] = []
        for section in plan.sections:
            stale = section.track_stale
            if stale:
                tag = track_tags(
                    section.script.title, plan.title, plan.author, section.number, len(tracks), section.track_key,
                    plan.cover.jpeg(),
                )
                stitch.write_track(section.track, section.body, around, render(tag))
            reports.append(
                SectionReport(
                    section.script.file, section.script.title, section.script.kind,
                    audio.ms(cache.samples("sections", section.key) or 0),
                    len(section.units), len(section.missing), section.track, stale,
                )
            )
        _remove_stale_tracks(project.audio_dir / "sections", {s.track for s in tracks})
        book_written = plan.book_stale
        if book_written:
            stitch.write_book(
                plan.book,
                [stitch.BookPart(s.script.title, s.body) for s in plan.sections],
                around,
                lambda chapters: book_tags(plan.title, plan.author, chapters, plan.book_key, plan.cover.jpeg()),
            )
        chapters = tuple(read_chapters(plan.book))
        written_outputs = outputs.write_outputs(project, plan, chapters)
    return BuildReport(
        engine=plan.engine.describe(),
        book=plan.book,
        book_written=book_written,
        chapters=chapters,
        sections=tuple(reports),
        scripts_written=tuple(written),
        seconds=time.monotonic() - started,
        outputs=tuple(written_outputs),
    )


def _tracks(plan: BuildPlan) -> list[SectionPlan]:
    return [s for s in plan.sections if s.track is not None]


def _stale_track_files(folder: Path, keep: set[Path]) -> list[Path]:
    """Section tracks whose scripts are gone."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.mp3") if p not in keep and re.match(r"\d+-", p.name))


def _remove_stale_tracks(folder: Path, keep: set[Path]) -> None:
    """Delete section tracks whose scripts are gone (they are outputs, never user files)."""
    for path in _stale_track_files(folder, keep):
        path.unlink()
        log.info("removed %s: its script is gone", path)


@dataclass(frozen=True)
class SectionStatus:
    """How one script stands against what was last built."""

    script: str
    title: str
    state: str  # "up to date", "changed" or "new"
    units: int
    to_synthesize: int


@dataclass(frozen=True)
class Status:
    """What `build` would do now, without doing it."""

    engine: str
    essay_changed: bool
    sections: tuple[SectionStatus, ...]
    removed: tuple[str, ...]
    tracks_to_encode: tuple[str, ...]
    book: Path
    book_stale: bool

    @property
    def to_synthesize(self) -> int:
        return sum(s.to_synthesize for s in self.sections)


def status(project: Project, engine_name: str | None = None) -> Status:
    """Compare the scripts with the cache and the outputs; change nothing.

    Args:
        project: from `open_project`.
        engine_name: as for `build`.

    Returns:
        A Status listing every section as up to date, changed or new, and removed tracks.
    """
    changed_essay, plan = _prepare_readonly(project, engine_name)
    sections: list[SectionStatus] = []
    for section in plan.sections:
        cached = project.cache.path("sections", section.key).is_file()
        made_before = section.track.is_file() if section.track is not None else plan.book.is_file()
        state = "up to date" if cached and not section.track_stale else "changed" if made_before else "new"
        sections.append(
            SectionStatus(section.script.file, section.script.title, state, len(section.units), len(section.missing))
        )
    keep = {s.track for s in _tracks(plan)}
    tracks_dir = project.audio_dir / "sections"
    removed = tuple(p.name for p in _stale_track_files(tracks_dir, keep))
    return Status(
        engine=plan.engine.describe(),
        essay_changed=changed_essay,
        sections=tuple(sections),
        removed=removed,
        tracks_to_encode=tuple(s.track.name for s in _tracks(plan) if s.track_stale),
        book=plan.book,
        book_stale=plan.book_stale,
    )


@dataclass(frozen=True)
class CacheReport:
    """The synthesis cache: what it holds, and what pruning removed."""

    entries: int
    bytes: int
    unused_entries: int
    unused_bytes: int
    pruned: bool


def cache_report(project: Project, prune: bool = False, engine_name: str | None = None) -> CacheReport:
    """Measure the cache; with `prune`, delete entries that no current script refers to.

    Entries made with another voice, or an engine the build would not use, count as unused:
    pruning them means a later switch back synthesizes again. With the engine "auto", which
    picks gTTS or Piper by whether Google answers, the audio of both is kept (and Google is
    not asked).
    """
    name = engine_name or project.config.engine
    with _lock(project):
        plans: list[BuildPlan] = []
        for candidate in ("gtts", "piper") if name == engines.AUTO else (name,):
            try:
                plans.append(_prepare_readonly(project, candidate)[1])
            except EngineError as exc:  # that engine is not installed here: nothing of it to keep
                missing = exc
        if not plans:
            raise missing
        keep = {k for plan in plans for s in plan.sections for k in (s.key, s.body.name.split(".")[0], *s.speech_keys)}
        keep.update(stitch.joints(project.cache, plans[0].cue, project.config.pauses, project.config.bitrate, encode=False).keys)
        entries = project.cache.entries()
        unused = [e for e in entries if e[1].split(".")[0] not in keep]
        if prune:
            project.cache.prune(keep)
    return CacheReport(
        entries=len(entries),
        bytes=sum(e[2] for e in entries),
        unused_entries=len(unused),
        unused_bytes=sum(e[2] for e in unused),
        pruned=prune,
    )


def _fingerprint(root: Path, essay: Path | None) -> tuple:
    """What --watch looks at: narrate.toml, the essay, the scripts (names, sizes, times)."""
    paths = [root / "narrate.toml", *(sorted((root / "script").glob("*")) if (root / "script").is_dir() else [])]
    if essay is not None:
        paths.append(Path(essay))
    stamp = []
    for path in paths:
        try:
            st = path.stat()
            stamp.append((str(path), st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            stamp.append((str(path), None, None))
    return tuple(stamp)


def watch(
    root: Path,
    essay: Path | None,
    on_build: Callable[[BuildReport | NarrateError], None],
    engine_name: str | None = None,
    interval: float = 1.0,
    should_stop: Callable[[], bool] = lambda: False,
    formats: tuple[str, ...] = (),
) -> None:
    """Build now, then again whenever a script, narrate.toml or the essay is saved.

    A failed build is reported through `on_build` and watching goes on.
    """
    last = None
    while not should_stop():
        current = _fingerprint(root, essay)
        if current != last:
            last = current  # taken before building, so a save during the build triggers another
            try:
                report = build(open_project(root, essay), engine_name=engine_name, formats=formats)
                if report.scripts_written:
                    last = _fingerprint(root, essay)  # the build's own script writes are not edits
                on_build(report)
            except NarrateError as exc:
                on_build(exc)
        time.sleep(interval)
