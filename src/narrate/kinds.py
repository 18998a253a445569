"""What a reader leaves out, by kind: a light module, so a build's report needs nothing heavier."""

from __future__ import annotations

from dataclasses import dataclass

# What a narrator leaves out, by kind: id -> (one, many), as the "left out" line names them.
# A reader labels every block it does not count as the main text with one of these ids;
# narrate.toml's `[input] read = [...]` asks for the block kinds among them to be read where they fall.
KINDS: dict[str, tuple[str, str]] = {
    "toc": ("table of contents", "tables of contents"),
    "navigation": ("navigation block", "navigation blocks"),
    "front-matter": ("title or copyright page", "title and copyright pages"),
    "back-matter": ("colophon or licence page", "colophon and licence pages"),
    "index": ("index", "indexes"),
    "code": ("code block", "code blocks"),
    "footnotes": ("footnote", "footnotes"),
    "endnotes": ("endnote", "endnotes"),
    "references": ("reference", "references"),
    "figures": ("figure", "figures"),
    "tables": ("table", "tables"),
    "chrome": ("piece of site furniture", "pieces of site furniture"),
    "html": ("inline HTML element", "inline HTML elements"),
    "comments": ("comment", "comments"),  # a reviewer's, kept apart from the text (DOCX, ODT)
    "page-numbers": ("page number", "page numbers"),
    # Marks inside sentences: counted, never read (a sentence would stop for them).
    "citations": ("citation mark", "citation marks"),
    "edit-links": ("edit link", "edit links"),
    "link-targets": ("link address", "link addresses"),
    "note-marks": ("note mark", "note marks"),
    "shortcodes": ("shortcode", "shortcodes"),  # a site generator's template tags: {{< youtube … >}}, {% include … %}
}
# The kinds that are whole blocks, which `[input] read` may ask for.
READABLE = frozenset(KINDS) - {"citations", "edit-links", "link-targets", "note-marks", "page-numbers", "html", "shortcodes"}
_WORDS_PER_MINUTE = 150  # a narrator's pace with pauses, to say how long a left-out part would have taken


@dataclass(frozen=True)
class LeftOut:
    """What a reading left out of one kind: how many parts, and how many words they hold."""

    kind: str
    count: int
    words: int = 0

    def describe(self) -> str:
        """'12 code blocks', 'endnotes (7 min)': the count, and the time it would have taken when a minute or more."""
        one, many = KINDS.get(self.kind, (self.kind, self.kind))
        text = f"{self.count} {one if self.count == 1 else many}"
        minutes = round(self.words / _WORDS_PER_MINUTE)
        return f"{text} ({minutes} min)" if minutes >= 1 else text


def describe_left_out(left_out: tuple[LeftOut, ...]) -> str:
    """The parts left out, named in one line ("1 table of contents, 12 code blocks, 83 endnotes (7 min)")."""
    return ", ".join(part.describe() for part in left_out)
