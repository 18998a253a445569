"""The outputs made from the finished book: M4B, captions, chapter sidecars, the listening page.

All of them come from the one chapter list the MP3's tags carry, and each is rebuilt
only when what it is made from changed: the M4B carries its inputs key in a tag (as the
MP3 does); the text outputs are computed (cheaply, without decoding audio) and written
only when their content differs, so a build that changed nothing writes nothing.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from narrate import audio, captions, m4b, page, sidecars, stitch
from narrate.cache import make_key
from narrate.captions import Cue
from narrate.fsutil import write_text
from narrate.tags import Chapter

if TYPE_CHECKING:  # build imports this module
    from narrate.build import BuildPlan, Project

log = logging.getLogger(__name__)


def paths(project: Project) -> dict[str, Path]:
    """Where each format other than the MP3 and the tracks is written."""
    folder, stem = project.audio_dir, project.book_path.stem
    return {
        "m4b": folder / f"{stem}.m4b",
        "vtt": folder / f"{stem}.vtt",
        "chapters-vtt": folder / f"{stem}.chapters.vtt",
        "json": folder / f"{stem}.chapters.json",
        "cue": folder / f"{stem}.cue",
        "html": folder / "index.html",
    }


def m4b_key(plan: BuildPlan) -> str:
    """What the M4B is made from: the book (its key covers text, voice, settings and cover)."""
    return make_key(kind="m4b", version=m4b.M4B_VERSION, book=plan.book_key, bitrate=m4b.AAC_BITRATE)


def book_cues(project: Project, plan: BuildPlan, chapters: Sequence[Chapter]) -> list[Cue] | None:
    """One caption per sentence, in book time; None when a sentence's cache entry is gone."""
    if len(chapters) != len(plan.sections):
        log.warning("the book's chapters do not match its sections; captions skipped (run `narrate build` again)")
        return None
    config = project.config
    book_lead, _ = stitch.speech_offsets(project.cache, plan.cue, config.pauses, config.bitrate)
    cues: list[Cue] = []
    for index, (section, chapter) in enumerate(zip(plan.sections, chapters)):
        lengths = captions.speech_lengths(project.cache, section.speech_keys)
        if lengths is None:
            log.warning("sentences of %s are missing from the cache; captions skipped", section.script.file)
            return None
        # The first chapter starts at 0 and owns the lead-in; the others start on their first sample.
        start = book_lead if index == 0 else int(round(chapter.start_ms * audio.RATE / 1000))
        cues += captions.section_cues(section.units, lengths, start)
    return cues


def _update(path: Path, text: str, written: list[Path]) -> None:
    """Write `text` to `path` only when it differs from what is there."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    write_text(path, text)
    written.append(path)
    log.info("wrote %s", path)


def write_outputs(project: Project, plan: BuildPlan, chapters: Sequence[Chapter]) -> list[Path]:
    """Make the formats narrate.toml (or --format) asks for, beyond the MP3 and the tracks.

    Args:
        project: the project.
        plan: the build's plan; its book MP3 is written.
        chapters: the chapters read back from the book MP3.

    Returns:
        The files written (those already up to date are left alone).

    Raises:
        NarrateError: an output cannot be made or written.
    """
    formats, where, written = project.config.formats, paths(project), []
    audio_name = plan.book.name if "mp3" in formats else where["m4b"].name
    if "m4b" in formats and m4b.read_key(where["m4b"]) != m4b_key(plan):
        m4b.write_m4b(where["m4b"], plan.book, plan.title, plan.author, chapters, plan.cover.jpeg(), m4b_key(plan))
        written.append(where["m4b"])
    cues = book_cues(project, plan, chapters) if {"vtt", "html"} & set(formats) else None
    if "vtt" in formats:
        if cues is not None:
            _update(where["vtt"], captions.webvtt(cues), written)
        _update(where["chapters-vtt"], captions.chapters_vtt(chapters), written)
    if "json" in formats:
        _update(where["json"], sidecars.chapters_json(plan.title, plan.author, chapters, audio_name), written)
    if "cue" in formats:
        _update(where["cue"], sidecars.cue_sheet(plan.title, plan.author, chapters, audio_name), written)
    if "html" in formats:
        config = project.config
        _, track_lead = stitch.speech_offsets(project.cache, plan.cue, config.pauses, config.bitrate)
        tracks = [
            page.PageTrack(s.script.title, f"sections/{s.track.name}", audio.ms(track_lead), cue.start_ms)
            for s, cue in _first_cues(plan, cues or [])
            if s.track is not None
        ]
        html = page.render(
            plan.title, plan.author, audio_name, chapters, cues or [], tracks, plan.cover.jpeg()
        )
        _update(where["html"], html, written)
    return written


def _first_cues(plan: BuildPlan, cues: Sequence[Cue]):
    """Each section with its first cue (where its speech starts in the book)."""
    position = 0
    for section in plan.sections:
        if position < len(cues):
            yield section, cues[position]
        position += len(section.units)
