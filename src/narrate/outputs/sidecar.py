"""Text outputs beside the book: captions, chapter lists for players and podcast apps, a cue sheet."""

from __future__ import annotations

from pathlib import Path

from narrate.outputs import BookContext, Output, captions, chapterlists
from narrate.project import Project


class Captions(Output):
    """WebVTT captions, one cue per sentence, and the chapters as a WebVTT chapters track."""

    name = "vtt"

    def paths(self, project: Project) -> tuple[Path, ...]:
        stem = project.book_path.stem
        return project.audio_dir / f"{stem}.vtt", project.audio_dir / f"{stem}.chapters.vtt"

    def write(self, context: BookContext) -> list[Path]:
        sentences, chapters = self.paths(context.project)
        written = context.update(sentences, captions.webvtt(context.shown_captions))
        written += context.update(chapters, captions.chapters_vtt(context.chapters))
        return written


class ChaptersJSON(Output):
    """The chapters as JSON (the Podcasting 2.0 chapters format)."""

    name = "json"

    def paths(self, project: Project) -> tuple[Path, ...]:
        return (project.audio_dir / f"{project.book_path.stem}.chapters.json",)

    def write(self, context: BookContext) -> list[Path]:
        plan = context.plan
        text = chapterlists.chapters_json(plan.title, plan.author, context.chapters, context.audio_name)
        return context.update(self.paths(context.project)[0], text)


class CueSheet(Output):
    """A cue sheet naming the book's audio file, for players that read them."""

    name = "cue"

    def paths(self, project: Project) -> tuple[Path, ...]:
        return (project.audio_dir / f"{project.book_path.stem}.cue",)

    def write(self, context: BookContext) -> list[Path]:
        plan = context.plan
        text = chapterlists.cue_sheet(plan.title, plan.author, context.chapters, context.audio_name)
        return context.update(self.paths(context.project)[0], text)
