"""The audio outputs: the book MP3, one track per section, the M4B."""

from __future__ import annotations

import contextlib
import datetime
import logging
import re
from pathlib import Path

from narrate import keys
from narrate.audio import m4b, stitch
from narrate.audio.tags import Details, book_tags, tag_bytes, track_tags
from narrate.outputs import BookContext, Output
from narrate.project import Project

log = logging.getLogger(__name__)


def details(context: BookContext) -> Details:
    """The date ([book] date, else the year of this build) and the narrator (the voice) every audio output tags."""
    date = context.project.config.date or str(datetime.date.today().year)
    return Details(date=date, narrator=context.plan.engine.describe())


class BookMP3(Output):
    """The chaptered book: head, each section's body with the gap between, tail (joined, never re-encoded)."""

    name = "mp3"

    def paths(self, project: Project) -> tuple[Path, ...]:
        return (project.book_path,)

    def write(self, context: BookContext) -> list[Path]:
        plan = context.plan
        if not plan.book_stale:
            return []
        tags = book_tags(plan.title, plan.author, list(context.chapters), plan.book_key, plan.cover.jpeg(), details(context))
        stitch.write_book(plan.book, [s.body for s in plan.sections], context.joints, tag_bytes(tags))
        return [plan.book]


def stale_track_files(folder: Path, keep: set[Path]) -> list[Path]:
    """Section tracks whose scripts are gone."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.mp3") if p not in keep and re.match(r"\d+-", p.name))


class SectionTracks(Output):
    """One tagged track per section in audio/sections/ (head, the section, tail); tracks of removed scripts go."""

    name = "tracks"

    def write(self, context: BookContext) -> list[Path]:
        plan = context.plan
        tracks = [s for s in plan.sections if s.track is not None]
        written: list[Path] = []
        for section in tracks:
            if section.track_stale:
                # a section with a track has its number and key too (plan.py sets the three together)
                assert section.track is not None and section.number is not None and section.track_key is not None
                tag = track_tags(
                    section.script.title, plan.title, plan.author, section.number, len(tracks), section.track_key,
                    plan.cover.jpeg(), details(context),
                )
                stitch.write_track(section.track, section.body, context.joints, tag_bytes(tag))
                written.append(section.track)
        for path in stale_track_files(context.project.audio_dir / "sections", {s.track for s in tracks if s.track is not None}):
            path.unlink()
            log.info("removed %s: its script is gone", path)
        return written

    def retire(self, context: BookContext) -> None:
        # A track left from before would look current while the book moves on: tracks go with their format.
        folder = context.project.audio_dir / "sections"
        for path in stale_track_files(folder, set()):
            path.unlink()
            log.info("removed %s: tracks are no longer among the formats", path)
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when nothing else is in it


class AudiobookM4B(Output):
    """An AAC audiobook with the MP3's chapters, rebuilt only when the book it is made from changed."""

    name = "m4b"
    after = ("mp3",)

    def paths(self, project: Project) -> tuple[Path, ...]:
        return (project.audio_dir / f"{project.book_path.stem}.m4b",)

    def write(self, context: BookContext) -> list[Path]:
        plan = context.plan
        path = self.paths(context.project)[0]
        key = keys.m4b_key(plan.book_key, m4b.AAC_BITRATE)
        if m4b.read_key(path) == key:
            return []
        m4b.write_m4b(path, plan.book, plan.title, plan.author, context.chapters, plan.cover.jpeg(), key, details(context))
        return [path]
