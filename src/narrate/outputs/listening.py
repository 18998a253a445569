"""The listening page: audio/index.html plays the book, with its chapters, captions and tracks."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from narrate import audio, page
from narrate.outputs import BookContext, Output


class ListeningPage(Output):
    """A self-contained page that plays the book (MP3, else M4B) from file:// with no network."""

    name = "html"
    after = ("m4b",)

    def check(self, formats: Sequence[str]) -> str | None:
        if not {"mp3", "m4b"} & set(formats):
            return 'the "html" page plays the book: add "mp3" or "m4b" to the formats'
        return None

    def write(self, context: BookContext) -> list[Path]:
        plan, cues = context.plan, context.cues or []
        tracks, position = [], 0
        for section in plan.sections:
            if position < len(cues) and section.track is not None:
                lead_ms = audio.ms(context.lead_samples)
                tracks.append(page.PageTrack(section.script.title, f"sections/{section.track.name}", lead_ms, cues[position].start_ms))
            position += len(section.units)
        html = page.render(plan.title, plan.author, context.audio_name, context.chapters, cues, tracks, plan.cover.jpeg())
        return context.update(context.path("index.html"), html)
