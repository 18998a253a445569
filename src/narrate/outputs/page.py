"""audio/index.html: a self-contained read-along page for the book.

The page holds the whole text, paragraph by paragraph under each section's heading, every
sentence an element that knows when it is spoken: the one being spoken is marked
(aria-current) and kept in view, and a click or Enter on any sentence plays from it.

It works from file:// with no server and no network: the cover is a data: URI, the style
and script (assets/page.css, page.js) are inline, and the chapters and sentence times are
embedded as JSON (Chromium refuses to load a <track> file from file://). The audio files
are referenced relatively, so the page travels with the audio folder.
"""

from __future__ import annotations

import base64
import html
import json
from collections.abc import Sequence
from dataclasses import dataclass

from narrate import pages
from narrate.audio.tags import Chapter
from narrate.outputs.captions import Caption
from narrate.timefmt import player_time


@dataclass(frozen=True)
class PageTrack:
    """A section track the page lists: its file (relative to the page) and where its speech is.

    Attributes:
        title: the section's title.
        src: the track's path relative to audio/.
        offset_ms: where the section's speech starts in the track (the head pause).
        book_ms: where the same speech starts in the book.
    """

    title: str
    src: str
    offset_ms: float
    book_ms: float


@dataclass(frozen=True)
class PageSection:
    """A section's text as the page shows it.

    Attributes:
        paragraphs: the heading's sentences first, then each paragraph's, each sentence
            with the book times it is spoken between.
    """

    paragraphs: tuple[tuple[Caption, ...], ...]


def page_html(
    title: str,
    author: str,
    book_src: str,
    chapters: Sequence[Chapter],
    sections: Sequence[PageSection],
    tracks: Sequence[PageTrack],
    cover: bytes | None,
    language: str = "en",
) -> str:
    """The page's HTML.

    Args:
        title: the book's title.
        author: the book's author ("" to leave it out).
        book_src: the book's audio file, relative to the page.
        chapters: the book's chapters.
        sections: the book's text with the times of its sentences (empty: no text shown).
        tracks: the section tracks to list (may be empty).
        cover: JPEG bytes of the cover, or None.
        language: the text's language (BCP 47), for the page's lang.

    Returns:
        A complete HTML document.
    """
    cues = [cue for section in sections for paragraph in section.paragraphs for cue in paragraph]
    data = {
        "chapters": [{"title": c.title, "start": c.start_ms / 1000, "end": c.end_ms / 1000} for c in chapters],
        "cues": [[round(c.start_ms / 1000, 3), round(c.end_ms / 1000, 3)] for c in cues],
        "tracks": [
            {"title": t.title, "src": t.src, "offset": t.offset_ms / 1000, "book": t.book_ms / 1000} for t in tracks
        ],
    }
    # "</script" or "<!--" inside the JSON would end or confuse the script element: no "<" at all.
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    cover_img = (
        f'<img class="cover" alt="Cover of {_esc(title)}" src="data:image/jpeg;base64,{base64.b64encode(cover).decode()}">'
        if cover
        else ""
    )
    chapter_items = "\n".join(
        f'      <li><button type="button" class="chapter" data-start="{c.start_ms / 1000}">'
        f'<span class="time">{player_time(c.start_ms)}</span> <span class="name">{_esc(c.title)}</span></button></li>'
        for c in chapters
    )
    track_items = "\n".join(
        f'      <li><span class="name">{_esc(t.title)}</span>'
        f'<audio class="track" controls preload="none" data-index="{i}" src="{_esc(t.src)}"></audio></li>'
        for i, t in enumerate(tracks)
    )
    tracks_section = (
        f'  <section aria-labelledby="tracks-h">\n    <h2 id="tracks-h">Sections</h2>\n'
        f'    <ol class="tracks">\n{track_items}\n    </ol>\n  </section>\n'
        if tracks
        else ""
    )
    byline = f'<p class="author">{_esc(author)}</p>' if author else ""
    return pages.head(language or "en", title, pages.inline_style()) + pages.asset("page.html").format(
        title=_esc(title), byline=byline, cover=cover_img, book_src=_esc(book_src),
        chapters=chapter_items, tracks=tracks_section, text=_text(sections), data=payload, script=pages.asset("page.js"),
    )


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _sentences(paragraph: Sequence[Caption]) -> str:
    # A span, not a <button>: buttons do not wrap across lines like the text around them.
    return " ".join(f'<span class="s" role="button" tabindex="0">{_esc(cue.text)}</span>' for cue in paragraph)


def _text(sections: Sequence[PageSection]) -> str:
    """The read-along text: an h3 per section (its spoken heading), a p per paragraph."""
    if not sections:
        return ""
    parts = ['  <section class="text" aria-labelledby="text-h">', '    <h2 id="text-h">Text</h2>']
    for section in sections:
        heading, *paragraphs = section.paragraphs
        parts.append(f"    <h3>{_sentences(heading)}</h3>")
        parts += [f"    <p>{_sentences(paragraph)}</p>" for paragraph in paragraphs]
    return "\n".join([*parts, "  </section>\n"])
