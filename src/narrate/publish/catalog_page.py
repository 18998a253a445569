"""The catalog's listening page, DIR/index.html: every book with its cover, length, player, chapters and tracks.

It wears the shared head and stylesheet (narrate.pages: assets/head.html and page.css, its colours
measured for contrast: see README) so the catalog and its books look like one site, and it works from `file://` too.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from narrate import pages
from narrate.audio.tags import Chapter
from narrate.timefmt import hours_minutes_seconds

# What the catalog page adds to the book page's style: links in the accent colour, one card per book.
_STYLE = """
a { color: var(--accent); }
a:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.intro { color: var(--soft); }
.book { display: flex; gap: 1.25rem; padding: 1.5rem 0; border-top: 1px solid var(--line); }
.book .cover { width: 6rem; height: 6rem; }
.book > div { flex: 1; min-width: 0; }
.book h2 { text-transform: none; letter-spacing: 0; color: var(--ink); font-size: 1.25rem; border: 0; margin: 0 0 .2rem; padding: 0; }
.book audio { width: 100%; margin: .5rem 0; }
.book .meta { margin: 0; color: var(--soft); font-size: .95rem; }
.book h3 { font-size: .8rem; letter-spacing: .08em; text-transform: uppercase; color: var(--soft); margin: .8rem 0 .2rem; }
.book ol li { display: flex; gap: 1rem; padding: .15rem 0; }
"""


@dataclass(frozen=True)
class PageBook:
    """One book as the catalog page shows it; paths are relative to the catalog folder."""

    title: str
    duration_ms: float
    audio: str
    page: str
    cover: str
    chapters: Sequence[Chapter]
    tracks: Sequence[str]


def page_html(title: str, description: str, language: str, cover: str, books: Sequence[PageBook]) -> str:
    """The page's HTML.

    Args:
        title: the catalog's title.
        description: its description ("" to leave it out).
        language: the page's language (BCP 47).
        cover: the catalog's cover image, relative to the page.
        books: the books in feed order.

    Returns:
        A complete HTML document.
    """
    e = html.escape
    links = f'<link rel="alternate" type="application/rss+xml" title="{e(title)}" href="feed.xml">\n{pages.inline_style(_STYLE)}'
    parts = [
        pages.head(language or "en", title, links).rstrip("\n"), "<body>", "<main>",
        f'<header><img class="cover" alt="Cover of {e(title)}" src="{e(cover)}"><div><h1>{e(title)}</h1>',
    ]
    if description:
        parts.append(f'<p class="intro">{e(description)}</p>')
    parts.append('<p><a href="feed.xml">Podcast feed (RSS)</a></p></div></header>')
    for book in books:
        # preload="metadata": the player shows the book's length before it is played, not 0:00.
        parts += [
            f'<article class="book"><img class="cover" alt="" src="{e(book.cover)}"><div>',
            f"<h2>{e(book.title)}</h2>",
            f'<p class="meta"><span class="time">{hours_minutes_seconds(book.duration_ms)}</span> · '
            f'<a href="{e(book.page)}">Listen with the text</a> · <a href="{e(book.audio)}">MP3</a></p>',
            f'<audio controls preload="metadata" src="{e(book.audio)}"></audio>',
            "<h3>Chapters</h3>", "<ol>",
        ]
        parts += [f'<li><span class="time">{hours_minutes_seconds(c.start_ms)}</span> <span>{e(c.title)}</span></li>' for c in book.chapters]
        parts.append("</ol>")
        if book.tracks:
            parts += ["<h3>Tracks</h3>", "<ol>"]
            parts += [f'<li><a href="{e(t)}">{e(Path(t).name)}</a></li>' for t in book.tracks]
            parts.append("</ol>")
        parts.append("</div></article>")
    parts += ["</main>", "</body>", "</html>", ""]
    return "\n".join(parts)
