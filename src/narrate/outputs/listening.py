"""The read-along page: audio/index.html plays the book, with its chapters, its whole text and its tracks."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from narrate import audio, page
from narrate.captions import Cue
from narrate.outputs import BookContext, Output
from narrate.script import paragraph_units


def page_sections(context: BookContext, cues: Sequence[Cue]) -> list[page.PageSection]:
    """Each section's cues (as `BookContext.shown_cues` gives them) paragraph by paragraph."""
    config, position, found = context.project.config, 0, []
    for section in context.plan.sections:
        paragraphs = []
        for units in paragraph_units(section.script.text, config.pauses, config.language):
            paragraphs.append(tuple(cues[position : position + len(units)]))
            position += len(units)
        found.append(page.PageSection(tuple(paragraphs)))
    return found


class ListeningPage(Output):
    """A self-contained page that plays the book (MP3, else M4B) from file:// with no network."""

    name = "html"
    after = ("m4b",)

    def check(self, formats: Sequence[str]) -> str | None:
        if not {"mp3", "m4b"} & set(formats):
            return 'the "html" page plays the book: add "mp3" or "m4b" to the formats'
        return None

    def write(self, context: BookContext) -> list[Path]:
        plan, cues = context.plan, context.cues
        tracks, position = [], 0
        for section in plan.sections:
            if position < len(cues) and section.track is not None:
                lead_ms = audio.ms(context.lead_samples)
                tracks.append(page.PageTrack(section.script.title, f"sections/{section.track.name}", lead_ms, cues[position].start_ms))
            position += len(section.units)
        sections = page_sections(context, context.shown_cues)
        html = page.render(
            plan.title, plan.author, context.audio_name, context.chapters, sections, tracks, plan.cover.jpeg(),
            context.project.config.language,
        )
        return context.update(context.path("index.html"), html)
