"""The read-along page: audio/index.html plays the book, with its chapters, its whole text and its tracks."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from narrate.audio import pcm
from narrate.outputs import BookContext, Output, page
from narrate.outputs.captions import Caption
from narrate.project import Project


def page_sections(context: BookContext, cues: Sequence[Caption]) -> list[page.PageSection]:
    """Each section's cues (as `BookContext.shown_captions` gives them) paragraph by paragraph, as the plan has them."""
    found = []
    for section in context.plan.sections:
        paragraphs: dict[int, list[Caption]] = {}
        for sentence in section.sentences:
            paragraphs.setdefault(sentence.paragraph, []).append(cues[sentence.position])
        found.append(page.PageSection(tuple(tuple(p) for p in paragraphs.values())))
    return found


class ListeningPage(Output):
    """A self-contained page that plays the book (MP3, else M4B) from file:// with no network."""

    name = "html"
    after = ("m4b",)

    def check(self, formats: Sequence[str]) -> str | None:
        if not {"mp3", "m4b"} & set(formats):
            return 'the "html" page plays the book: add "mp3" or "m4b" to the formats'
        return None

    def paths(self, project: Project) -> tuple[Path, ...]:
        return (project.audio_dir / "index.html",)

    def write(self, context: BookContext) -> list[Path]:
        plan, cues = context.plan, context.sentence_captions
        tracks = []
        for section in plan.sections:
            if section.sentences and section.track is not None:
                first = cues[section.sentences[0].position].start_ms
                lead_ms = pcm.ms(context.lead_samples)
                tracks.append(page.PageTrack(section.script.title, f"sections/{section.track.name}", lead_ms, first))
        sections = page_sections(context, context.shown_captions)
        html = page.page_html(
            plan.title, plan.author, context.audio_name, context.chapters, sections, tracks, plan.cover.jpeg(),
            context.project.config.language,
        )
        return context.update(self.paths(context.project)[0], html)
