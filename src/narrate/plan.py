"""Planning a build: every sentence's cache key, what is missing, what is stale, read from the disk once."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from narrate import captions, chosen, cues, engines, origin
from narrate.audio import AudioSegment
from narrate import keys
from narrate.cache import Cache
from narrate.cover import Cover, cover_for
from narrate.engines import Engine, EngineSettings, EngineSpec
from narrate.errors import ConfigError, EngineError, InputError, NarrateError
from narrate.lexicon import respell
from narrate.project import Project, essay_scripts, essay_sha, read_essay, split
from narrate.script import Script, Unit, essay_changed, load_scripts, preview_scripts, units
from narrate.tags import read_key

log = logging.getLogger(__name__)


def book_title(project: Project, scripts: list[Script]) -> str:
    opening = next((s.title for s in scripts if s.kind == "opening"), "")
    return project.config.title or opening or project.book_path.stem.replace("-", " ").title()


@dataclass(frozen=True)
class SectionPlan:
    """What one script needs: its units, their cache keys, its body, and its track.

    A section is made when its encoded body and its timings (the length of each take it was
    mastered from) are both in the cache: every output needs only those. Otherwise it is
    encoded again from its mastered audio when that and the timings are there, else
    mastered again from its takes (`remaster`), synthesizing the missing ones.
    """

    script: Script
    units: tuple[Unit, ...]
    speech_keys: tuple[str, ...]
    key: str
    body: Path  # the section's encoded MP3 frames, in the cache
    missing: tuple[int, ...]  # indices of units to synthesize (only when remastering)
    track: Path | None
    track_recipe: str | None  # the track's tags, joints and section key; its key adds the body's audio
    number: int | None
    remake: bool = False  # the body or the timings must be made this build
    remaster: bool = False  # ... from the takes (the mastered audio or the timings are gone)
    cached: bool = False  # some of the section's audio is in the cache (a remake then repairs it)
    takes: tuple[int, ...] = ()  # each unit's chosen take (script/takes.json); empty: every first take

    def take(self, index: int) -> int:
        """The take chosen for unit `index` (0: the voice's first)."""
        return self.takes[index] if self.takes else 0

    @property
    def track_key(self) -> str | None:
        return None if self.track_recipe is None else keys.with_audio(self.track_recipe, [Cache.digest(self.body)])

    @property
    def track_stale(self) -> bool:
        return self.track is not None and read_key(self.track) != self.track_key


@dataclass(frozen=True)
class BuildPlan:
    """Everything a build would do, computed without synthesizing or encoding."""

    engine: Engine
    spec: EngineSpec  # what makes `engine`, for an executor's workers
    title: str
    author: str
    sections: tuple[SectionPlan, ...]
    cue: AudioSegment | None
    book: Path
    book_recipe: str  # the book's sections, cue, pauses, tags...; its key adds the bodies' audio
    cover: Cover

    @property
    def book_key(self) -> str:
        return keys.with_audio(self.book_recipe, [Cache.digest(s.body) for s in self.sections])

    @property
    def book_stale(self) -> bool:
        return read_key(self.book) != self.book_key

    @property
    def to_synthesize(self) -> int:
        return sum(len(s.missing) for s in self.sections)


def make_plan(project: Project, scripts: list[Script], spec: EngineSpec) -> BuildPlan:
    config, cache = project.config, project.cache
    engine = engines.instance(spec)
    title, author = book_title(project, scripts), config.author
    if project.essay is not None and not (author and config.cover):
        essay = read_essay(project)  # the essay's own author and cover, when narrate.toml names none
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
    choices = chosen.load(project.script_dir)
    for script in scripts:
        # The lexicon applies here, not in the scripts: the speech keys below are made from the
        # text the engine receives, so changing one entry re-synthesizes only its sentences.
        written = units(script.text, config.pauses, config.language)
        pieces = tuple(Unit(respell(u.text, config.lexicon), u.pause_ms) for u in written)
        if not pieces:
            raise InputError(
                f"script {script.file} is empty; write the text to speak, or restore it with `narrate split --force`"
            )
        picks = choices.get(script.file, {})  # a take is chosen by the sentence as the script writes it
        takes = tuple(picks.get(u.text, 0) for u in written)
        speech_keys = tuple(keys.speech_key(engine.name, engine.identity(), u.text, t) for u, t in zip(pieces, takes))
        key = keys.section_key(config.target, [(k, u.pause_ms) for k, u in zip(speech_keys, pieces)])
        body = cache.path("mp3", keys.body_key(key, config.bitrate), ".mp3")
        # A damaged entry is removed by its check here, so it counts as missing and is made again.
        where = f"section {script.file}"
        timed = captions.timings(cache, key, len(pieces), f"the timings of {where}") is not None
        body_ok = cache.valid("mp3", body.stem, where, ".mp3")
        remake = not (body_ok and timed)
        # The mastered audio is read (and checked) only when the body is to be encoded from it.
        remaster = remake and not (timed and cache.valid("sections", key, where))
        missing: list[int] = []
        for i, k in enumerate(speech_keys if remaster else ()):
            if k not in claimed and not cache.valid("speech", k, f"{pieces[i].text[:60]!r} ({script.file})"):
                claimed.add(k)
                missing.append(i)
        track = track_recipe = track_number = None
        if script.kind == "section" and "tracks" in config.formats:
            number += 1
            track_number = number
            track = project.audio_dir / "sections" / f"{Path(script.file).stem}.mp3"
            track_recipe = keys.track_key(
                section=key, title=script.title, album=title, author=author, number=number,
                total=total, pauses=[config.pauses.head, config.pauses.tail], bitrate=config.bitrate, cover=cover.key,
                date=config.date,
            )
        sections.append(SectionPlan(
            script, pieces, speech_keys, key, body, tuple(missing), track, track_recipe, track_number,
            remake, remaster, body_ok or timed or cache.path("sections", key).is_file(), takes if any(takes) else (),
        ))
    book_recipe = keys.book_key(
        sections=[[s.script.title, s.key] for s in sections],
        cue=hashlib.sha256(cue.raw_data).hexdigest() if cue is not None else None,
        pauses=list(vars(config.pauses).values()),
        title=title, author=author, bitrate=config.bitrate, target=config.target, cover=cover.key, date=config.date,
    )
    # Without "mp3" among the formats the book MP3 is still made (the other formats come from it), out of sight.
    book = project.book_path if "mp3" in config.formats else project.root / ".narrate" / "book" / project.book_path.name
    return BuildPlan(engine, spec, title, author, tuple(sections), cue, book, book_recipe, cover)


def chooses(project: Project, engine_name: str | None) -> bool:
    """Whether the engine is "auto" with no voice set: chosen by the network, then kept (see `engine_spec`)."""
    return (engine_name or project.config.engine) == engines.AUTO and not project.config.voice


def engine_spec(project: Project, engine_name: str | None) -> EngineSpec:
    """The engine for the build: the one named, the voice's, or for "auto" the one this book was made with.

    "auto" picks gTTS or the offline voice by whether Google answers only for a book not yet
    made; a build records that choice in script/origin.json, and later builds keep it, so a
    book's voice never changes with the network. Where that voice cannot be reached, its
    engine's error says so when a sentence must be synthesized (a built book needs none).
    """
    config = project.config
    settings = EngineSettings(voice=config.voice, language=config.language, tld=config.tld, speed=config.speed)
    kept = origin.read(project.root).engine if chooses(project, engine_name) else ""
    if kept:
        try:
            spec = EngineSpec(kept, settings)
            engines.instance(spec)
        except NarrateError as exc:
            raise EngineError(
                f"this book was narrated with the {kept} engine (script/origin.json), which is not usable here: {exc}. "
                "Install it again, or choose the book's voice: set [voice] voice in narrate.toml, or pass --voice NAME "
                "(`narrate voices` lists them; the book is then narrated again)"
            ) from exc
        log.info("narrating with %s, the voice this book was made with (script/origin.json)", spec.name)
        return spec
    try:
        return engines.resolve(engine_name or config.engine, settings)
    except ConfigError as exc:
        if engine_name and exc.setting == "voice.engine":
            raise  # the --engine option's fault, not narrate.toml's
        raise config.located(exc) from exc


def prepare(project: Project, engine_name: str | None, force: bool) -> tuple[list[str], BuildPlan]:
    """Re-split a changed essay, choose the engine, plan the build."""
    written: list[str] = []
    if project.essay is not None and essay_changed(project.script_dir, essay_sha(project)):
        written = split(project, force=force)
    return written, make_plan(project, load_scripts(project.script_dir), engine_spec(project, engine_name))


def preview(project: Project) -> tuple[bool, list[Script], list[str]]:
    """The scripts a build would use, writing nothing.

    Returns:
        (the essay changed since the split, the scripts, the hand-edited scripts a split would
        stop on: when there are some, the build stops and the scripts are those on disk).
    """
    if project.essay is not None and essay_changed(project.script_dir, essay_sha(project)):
        scripts, conflicts = preview_scripts(project.script_dir, essay_scripts(project))
        return True, scripts if not conflicts else load_scripts(project.script_dir), conflicts
    return False, load_scripts(project.script_dir), []


def readonly(project: Project, engine_name: str | None) -> tuple[bool, BuildPlan]:
    """Plan as a build would, writing nothing: (the essay changed since the split, plan)."""
    changed, scripts, _ = preview(project)
    return changed, make_plan(project, scripts, engine_spec(project, engine_name))


