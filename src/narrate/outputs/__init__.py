"""Outputs: what a build makes from its encoded sections, each a plug-in of `narrate.outputs`.

An output has a name (the format named in `[output] formats` and `--format`), says which
other formats must be made before it, and writes its files from one `BookContext`: the
plan, the joints, and what every output needs computed once (the book's chapters from
frame counts, each sentence's place in book time, the lead-in of a track). No output
recomputes stitch's arithmetic, re-splits a script or reads back a file narrate wrote.
Each declares the files it writes (`paths`) and writes only what changed, so a build that
changed nothing writes nothing.
"""

from __future__ import annotations

import functools
import logging
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from narrate import plugins
from narrate.audio import stitch
from narrate.audio.tags import Chapter
from narrate.errors import ConfigError, InputError, PluginError
from narrate.fsutil import write_if_changed
from narrate.outputs import captions
from narrate.outputs.captions import Caption

if TYPE_CHECKING:  # plan imports this package (captions)
    from narrate.plan import BuildPlan
    from narrate.project import Project

log = logging.getLogger(__name__)

BOOK = "mp3"  # the book MP3: every other output is made from it, so it is always made
# The built-ins in the order narrate lists them (entry points come back sorted by name).
BUILT_IN = ("mp3", "tracks", "m4b", "vtt", "json", "cue", "html")


@dataclass(frozen=True)
class BookContext:
    """What outputs are made from. Computed values are worked out once, on first use.

    Attributes:
        project: the project (its settings, folders, cache).
        plan: the build's plan (sections, keys, the book's path, title, author, cover).
        joints: the encoded head, gap and tail runs.
        formats: every format this build makes.
    """

    project: Project
    plan: BuildPlan
    joints: stitch.Joints
    formats: tuple[str, ...]

    @functools.cached_property
    def lead_samples(self) -> int:
        """Where speech starts in a track, and in the book (both open with the head run)."""
        return stitch.speech_offsets(self.joints)

    @functools.cached_property
    def chapters(self) -> tuple[Chapter, ...]:
        """The book's chapters, from frame counts (its sections' bodies must be encoded): what its tags carry."""
        return tuple(stitch.chapters([stitch.BookPart(s.script.title, s.body) for s in self.plan.sections], self.joints))

    @functools.cached_property
    def section_starts(self) -> list[int]:
        """Each section's first sample in the book (the first section's after the lead-in)."""
        return stitch.section_starts([s.body for s in self.plan.sections], self.joints)

    @functools.cached_property
    def sentence_captions(self) -> list[Caption]:
        """One caption per sentence, in book time, from each section's timings.

        Raises:
            InputError: a section's timings are not in the cache (a build makes them; this one is not built).
        """
        found: list[Caption] = []
        for section, start in zip(self.plan.sections, self.section_starts):
            lengths = captions.timings(self.project.cache, section.key, len(section.units), f"the timings of section {section.script.file}")
            if lengths is None:
                raise InputError(f"the timings of {section.script.file} are not in the cache; run `narrate build`")
            found += captions.section_captions(section.units, lengths, start)
        return found

    @functools.cached_property
    def shown_captions(self) -> list[Caption]:
        """The cues with each sentence as its script says it: the lexicon respells only for the voice.

        What captions and the page show; `cues` keep the text the engine was sent (what verify hears).
        """
        written = [sentence.written for s in self.plan.sections for sentence in s.sentences]
        return [Caption(c.start_ms, c.end_ms, text) for c, text in zip(self.sentence_captions, written, strict=True)]

    @property
    def audio_name(self) -> str:
        """The audio file sidecars and the page name: the book MP3, else the M4B."""
        return self.plan.book.name if BOOK in self.formats else f"{self.plan.book.stem}.m4b"

    def path(self, name: str) -> Path:
        """Where a file named `name` beside the book goes (audio/)."""
        return self.project.audio_dir / name

    def update(self, path: Path, text: str) -> list[Path]:
        """Write `text` to `path` only when it differs from what is there: [path] if written."""
        if not write_if_changed(path, text):
            return []
        log.debug("wrote %s", path)  # the CLI lists what a build wrote, once
        return [path]


class Output(ABC):
    """One output format.

    Subclasses set `name`, list in `after` the formats that must be made first when they are
    made too, and implement `write`. `check` may refuse a choice of formats it cannot serve.
    """

    name: str = ""
    after: tuple[str, ...] = ()

    def check(self, formats: Sequence[str]) -> str | None:
        """A problem with making this output alongside `formats`, or None."""
        return None

    def paths(self, project: Project) -> tuple[Path, ...]:
        """The files this output writes at fixed places, its main one first (none by default).

        What others ask rather than spell out a file name (the catalog links the chapters, the
        captions and the page); `write` writes them there.
        """
        return ()

    def retire(self, context: BookContext) -> None:
        """Called when a build does not make this format: remove what must not outlive it (nothing by default)."""

    @abstractmethod
    def write(self, context: BookContext) -> list[Path]:
        """Make this output's files from `context`; return those written (up-to-date ones are left alone).

        Raises:
            NarrateError: the output cannot be made or written.
        """


def registry() -> plugins.Registry:
    """The outputs registry (name -> Output class)."""
    return plugins.registry("outputs")


def names() -> list[str]:
    """Every registered output format, built-ins first."""
    found = list(registry())
    return [n for n in BUILT_IN if n in found] + [n for n in found if n not in BUILT_IN]


def _output(name: str) -> Output:
    made = registry()[name]()
    if not isinstance(made, Output):
        raise PluginError(f"the output plug-in '{name}' made a {type(made).__name__}, not a narrate Output; update its package")
    return made


def paths(name: str, project: Project) -> tuple[Path, ...]:
    """The files the output `name` writes for `project`, its main one first (see `Output.paths`).

    Raises:
        PluginError: no output has that name, or its plug-in cannot be loaded.
    """
    if name not in registry():
        raise PluginError(f"no output format is named '{name}'; known formats: {', '.join(names())}")
    return _output(name).paths(project)


def check_formats(value: object, where: str) -> tuple[str, ...]:
    """Validate a list of output format names; returns them in registry order, without repeats.

    Raises:
        ConfigError: not a list of known names, none given, or a choice an output refuses.
    """
    known = names()
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{where}: output.formats must be a list of names, like formats = ["mp3", "vtt"]')
    unknown = [v for v in value if v not in known]
    if unknown:
        raise ConfigError(f"{where}: unknown output format '{unknown[0]}'; known formats: {', '.join(known)}")
    if not value:
        raise ConfigError(f"{where}: output.formats is empty; name at least one of: {', '.join(known)}")
    for name in value:
        problem = _output(name).check(value)
        if problem:
            raise ConfigError(f"{where}: {problem}")
    return tuple(f for f in known if f in value)


def write_all(context: BookContext) -> list[Path]:
    """Make the book, then every other format asked for, each after those it names in `after`.

    Returns:
        The files written.

    Raises:
        NarrateError: an output cannot be made or written.
    """
    made = {BOOK: _output(BOOK)} | {name: _output(name) for name in context.formats}
    done: list[str] = []

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in done:
            return
        if name in path:
            raise PluginError(f"output formats wait for each other in a circle: {' -> '.join([*path, name])}")
        for first in made[name].after:
            if first in made:
                visit(first, (*path, name))
        done.append(name)

    visit(BOOK, ())
    for name in made:
        visit(name, ())
    for name in BUILT_IN:  # narrate's own formats turned off (a plug-in's files are its own business)
        if name not in made and name in registry():
            _output(name).retire(context)
    written: list[Path] = []
    for name in done:
        written += made[name].write(context)
    return written


__all__ = ["BOOK", "BookContext", "Output", "check_formats", "names", "paths", "registry", "write_all"]
