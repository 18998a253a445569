"""Planning a build: every sentence's cache key, what is missing, what is stale, read from the disk once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from narrate import chosen, cues, engines
from narrate.audio import AudioSegment
from narrate import keys
from narrate.cover import Cover, cover_for
from narrate.engines import Engine, EngineSettings, EngineSpec
from narrate.errors import ConfigError, InputError
from narrate.lexicon import respell
from narrate.project import Project, essay_scripts, essay_sha, read_essay, split
from narrate.script import Script, Unit, essay_changed, load_scripts, units
from narrate.tags import read_key


def book_title(project: Project, scripts: list[Script]) -> str:
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
    takes: tuple[int, ...] = ()  # each unit's chosen take (script/takes.json); empty: every first take

    def take(self, index: int) -> int:
        """The take chosen for unit `index` (0: the voice's first)."""
        return self.takes[index] if self.takes else 0

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
    book_key: str
    cover: Cover

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
        missing: list[int] = []
        # A damaged entry is removed by its check here, so it counts as missing and is made again.
        where = f"section {script.file}"
        if not cache.valid("mp3", body.stem, where, ".mp3") and not cache.valid("sections", key, where):
            for i, k in enumerate(speech_keys):
                if k not in claimed and not cache.valid("speech", k, f"{pieces[i].text[:60]!r} ({script.file})"):
                    claimed.add(k)
                    missing.append(i)
        track = track_key = track_number = None
        if script.kind == "section" and "tracks" in config.formats:
            number += 1
            track_number = number
            track = project.audio_dir / "sections" / f"{Path(script.file).stem}.mp3"
            track_key = keys.track_key(
                section=key, title=script.title, album=title, author=author, number=number,
                total=total, pauses=[config.pauses.head, config.pauses.tail], bitrate=config.bitrate, cover=cover.key,
                date=config.date,
            )
        sections.append(
            SectionPlan(script, pieces, speech_keys, key, body, tuple(missing), track, track_key, track_number, takes if any(takes) else ())
        )
    book_key = keys.book_key(
        sections=[[s.script.title, s.key] for s in sections],
        cue=hashlib.sha256(cue.raw_data).hexdigest() if cue is not None else None,
        pauses=list(vars(config.pauses).values()),
        title=title, author=author, bitrate=config.bitrate, target=config.target, cover=cover.key, date=config.date,
    )
    # Without "mp3" among the formats the book MP3 is still made (the other formats come from it), out of sight.
    book = project.book_path if "mp3" in config.formats else project.root / ".narrate" / "book" / project.book_path.name
    return BuildPlan(engine, spec, title, author, tuple(sections), cue, book, book_key, cover)


def engine_spec(project: Project, engine_name: str | None) -> EngineSpec:
    config = project.config
    settings = EngineSettings(voice=config.voice, language=config.language, tld=config.tld, speed=config.speed)
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


def readonly(project: Project, engine_name: str | None) -> tuple[bool, BuildPlan]:
    """Plan as a build would, writing nothing: (the essay changed since the split, plan)."""
    if project.essay is not None:
        if essay_changed(project.script_dir, essay_sha(project)):
            return True, make_plan(project, essay_scripts(project), engine_spec(project, engine_name))
    return False, make_plan(project, load_scripts(project.script_dir), engine_spec(project, engine_name))


