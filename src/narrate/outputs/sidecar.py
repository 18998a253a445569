"""Text outputs beside the book: captions, chapter lists for players and podcast apps, a cue sheet."""

from __future__ import annotations

from pathlib import Path

from narrate import captions, sidecars
from narrate.outputs import BookContext, Output


class Captions(Output):
    """WebVTT captions, one cue per sentence, and the chapters as a WebVTT chapters track."""

    name = "vtt"

    def write(self, context: BookContext) -> list[Path]:
        stem = context.plan.book.stem
        written = context.update(context.path(f"{stem}.vtt"), captions.webvtt(context.shown_cues))
        written += context.update(context.path(f"{stem}.chapters.vtt"), captions.chapters_vtt(context.chapters))
        return written


class ChaptersJSON(Output):
    """The chapters as JSON (the Podcasting 2.0 chapters format)."""

    name = "json"

    def write(self, context: BookContext) -> list[Path]:
        plan = context.plan
        text = sidecars.chapters_json(plan.title, plan.author, context.chapters, context.audio_name)
        return context.update(context.path(f"{plan.book.stem}.chapters.json"), text)


class CueSheet(Output):
    """A cue sheet naming the book's audio file, for players that read them."""

    name = "cue"

    def write(self, context: BookContext) -> list[Path]:
        plan = context.plan
        text = sidecars.cue_sheet(plan.title, plan.author, context.chapters, context.audio_name)
        return context.update(context.path(f"{plan.book.stem}.cue"), text)
