"""narrate's library API: what the command line and the studio call, re-exported by `narrate`.

    import narrate
    project = narrate.open_project(Path("."))
    report = narrate.build_book(project, progress=print)
    spec = narrate.voice(project)
    first = narrate.sentences(project, spec)[0]
    narrate.replace_sentence(project, spec, first.script, first.index, first.text, "A new first line.", first.script_sha)

The stage modules keep their names (`narrate.build`, `narrate.plan`, `narrate.watch`, ...),
so the functions that run a stage are named for what they do to the book: `plan_book`,
`build_book`, `watch_book`, `book_status`, `verify_book`, `split_essay`. (A plain
`narrate.build(...)` would shadow `from narrate import build`, the module.)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from narrate import config_edit, outputs, undo
from narrate.build import BuildReport, SectionReport
from narrate.build import build as build_book
from narrate.editing import Hearing, Sentence, choose_take, replace_sentence, script_sentences, sentences
from narrate.editing import hear as hear_sentences
from narrate.editing import preview as preview_pronunciation
from narrate.editing import speak as speak_sentence
from narrate.engines import AUTO, EngineSpec
from narrate.engines.base import Voice
from narrate.plan import BuildPlan, engine_spec, readonly
from narrate.project import Project, essay_sha, open_project
from narrate.project import split as split_essay
from narrate.speech.cache_report import CacheReport
from narrate.speech.cache_report import cache_report as cache_status
from narrate.speech.synthesize import Progress, ProgressCallback
from narrate.status import SectionStatus, Status
from narrate.status import status as book_status
from narrate.text.kinds import LeftOut
from narrate.text.script import essay_changed, load_left_out
from narrate.undo import Step as UndoStep
from narrate.verify.book import VerifyReport
from narrate.verify.book import verify as verify_book
from narrate.watch import watch as watch_book

__all__ = [
    "BuildPlan",
    "BuildReport",
    "CacheReport",
    "Hearing",
    "LeftOut",
    "Progress",
    "ProgressCallback",
    "Project",
    "Pronunciation",
    "SectionReport",
    "SectionStatus",
    "Sentence",
    "Status",
    "UndoStep",
    "VerifyReport",
    "Voice",
    "book_status",
    "build_book",
    "cache_status",
    "choose_take",
    "choose_voice",
    "hear_sentences",
    "installed_voices",
    "left_out",
    "open_project",
    "output_paths",
    "plan_book",
    "preview_pronunciation",
    "replace_sentence",
    "script_sentences",
    "sentences",
    "set_pronunciation",
    "speak_sentence",
    "split_essay",
    "undo_edit",
    "undo_history",
    "update_scripts",
    "verify_book",
    "voice",
    "watch_book",
]


def plan_book(project: Project, engine_name: str | None = None) -> BuildPlan:
    """What a build would do now (every section's sentences, keys and what is missing), writing nothing.

    Args:
        project: from `open_project`.
        engine_name: overrides narrate.toml's engine.

    Returns:
        The plan; made from the essay's scripts in memory when the essay changed since the split.

    Raises:
        NarrateError: the settings, the essay or a script cannot be used.
    """
    return readonly(project, engine_name)[1]


def left_out(project: Project) -> tuple[LeftOut, ...]:
    """What the essay's reader did not narrate, by kind, as the last split recorded it.

    Args:
        project: from `open_project`.

    Returns:
        One LeftOut per kind (code, footnotes...), with its count and words; empty when nothing was left out.
    """
    return load_left_out(project.script_dir)


def output_paths(project: Project, name: str) -> tuple[Path, ...]:
    """Where the output format `name` writes its files for this project, its main file first.

    Args:
        project: from `open_project`.
        name: an output format ("mp3", "vtt", "json", "html", a plug-in's...).

    Returns:
        The files at fixed places (the book, its captions, chapter lists, page); empty for an
        output whose files follow the scripts (the section tracks).

    Raises:
        PluginError: no output format has that name, or its plug-in cannot be loaded.
    """
    return outputs.paths(name, project)


def voice(project: Project, engine_name: str | None = None) -> EngineSpec:
    """The project's voice, made and kept warm in this process for the sentence operations.

    Args:
        project: from `open_project`.
        engine_name: overrides narrate.toml's engine.

    Raises:
        ConfigError, EngineError: the voice is unknown or cannot be loaded.
    """
    return engine_spec(project, engine_name)


def update_scripts(project: Project, force: bool = False) -> list[str]:
    """Split the essay again when it changed since its scripts were written, as a build would.

    Returns:
        The script files written or removed (none when the essay did not change, or there is none).

    Raises:
        ConflictError: hand-edited scripts would be overwritten (unless `force`).
    """
    if project.essay is None or not essay_changed(project.script_dir, essay_sha(project)):
        return []
    return split_essay(project, force=force)


@dataclass(frozen=True)
class Pronunciation:
    """What `set_pronunciation` did: the project with its new lexicon, and the sentences that contain the word."""

    project: Project
    sentences: tuple[Sentence, ...]


def set_pronunciation(project: Project, spec: EngineSpec, word: str, spoken: str | None) -> Pronunciation:
    """Write a lexicon entry into narrate.toml (comments and layout kept) and list the sentences it applies to.

    Args:
        project: from `open_project`.
        spec: the voice (for the sentences' keys).
        word: the word or phrase as the scripts write it.
        spoken: how to say it (a respelling, or phonemes between slashes); None removes the entry.

    Returns:
        The project with the new lexicon, and every sentence of the book containing the word
        (by the lexicon's rule), with its new key: `cached` is False for those to synthesize.

    Raises:
        ConfigError: the entry is empty, or narrate.toml cannot be read or parsed (nothing is written).
    """
    config = config_edit.set_entry(project.root, word, spoken)
    project = replace(project, config=replace(project.config, lexicon=config.lexicon))
    return Pronunciation(project, tuple(s for s in sentences(project, spec) if config_edit.contains(s.text, word)))


def installed_voices() -> list[Voice]:
    """Every voice an installed engine offers (`narrate voices`), engine by engine."""
    from narrate.speech import voices

    return voices.available()


def choose_voice(project: Project, name: str, write: bool = True) -> Project:
    """The project narrated by the voice `name`; with `write`, narrate.toml says so from now on (layout kept).

    Args:
        project: from `open_project`.
        name: a voice from `installed_voices`.
        write: write `[voice] voice = name` (and engine "auto": the voice's own) into narrate.toml;
            False only tries it (a sample).

    Raises:
        ConfigError: no installed engine offers the voice, or narrate.toml cannot be parsed (nothing is written).
    """
    from narrate.speech import voices

    voices.find(name)
    if write:
        config_edit.set_voice(project.root, name)
    return replace(project, config=replace(project.config, voice=name, engine=AUTO))


def undo_history(project: Project) -> list[UndoStep]:
    """The sentence edits and take choices that `undo_edit` can take back, oldest first.

    Raises:
        InputError: the journal (.narrate/undo.json) is damaged.
    """
    return undo.history(project.root)


def undo_edit(project: Project) -> UndoStep:
    """Take back the newest sentence edit (`replace_sentence`) or take choice (`choose_take`).

    The script gets back the characters it had (every other byte as it is) and the sentence the
    take chosen before; each file is written atomically. Steps persist in .narrate/undo.json, so
    a restarted process can still undo them, newest first.

    Returns:
        The step undone.

    Raises:
        InputError: there is nothing to undo.
        ConflictError: the script or its takes changed since that step; nothing is written and the
            step is dropped (the older steps can still be undone).
    """
    return undo.undo(project.root, project.script_dir)
