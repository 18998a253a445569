"""audio/index.html: a self-contained listening page for the book.

It works from file:// with no server and no network: the cover is a data: URI, and the
chapters and captions are embedded as JSON (Chromium refuses to load a <track> file
from file://), rendered by a few lines of script as the audio plays. The audio files
are referenced relatively, so the page travels with the audio folder.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass
from typing import Sequence

from narrate.captions import Cue
from narrate.tags import Chapter


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


def _clock(ms: float) -> str:
    seconds = int(ms // 1000)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else f"{seconds // 60}:{seconds % 60:02d}"


def render(
    title: str,
    author: str,
    book_src: str,
    chapters: Sequence[Chapter],
    cues: Sequence[Cue],
    tracks: Sequence[PageTrack],
    cover: bytes | None,
) -> str:
    """The page's HTML.

    Args:
        title: the book's title.
        author: the book's author ("" to leave it out).
        book_src: the book's audio file, relative to the page.
        chapters: the book's chapters.
        cues: one caption per sentence, in book time.
        tracks: the section tracks to list (may be empty).
        cover: JPEG bytes of the cover, or None.

    Returns:
        A complete HTML document.
    """
    data = {
        "chapters": [{"title": c.title, "start": c.start_ms / 1000, "end": c.end_ms / 1000} for c in chapters],
        "cues": [{"start": round(c.start_ms / 1000, 3), "end": round(c.end_ms / 1000, 3), "text": c.text} for c in cues],
        "tracks": [
            {"title": t.title, "src": t.src, "offset": t.offset_ms / 1000, "book": t.book_ms / 1000} for t in tracks
        ],
    }
    # "</script" or "<!--" inside the JSON would end or confuse the script element: no "<" at all.
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    esc = lambda text: html.escape(text, quote=True)  # noqa: E731
    cover_img = (
        f'<img class="cover" alt="Cover of {esc(title)}" src="data:image/jpeg;base64,{base64.b64encode(cover).decode()}">'
        if cover
        else ""
    )
    chapter_items = "\n".join(
        f'      <li><button type="button" class="chapter" data-start="{c.start_ms / 1000}">'
        f'<span class="time">{_clock(c.start_ms)}</span> <span class="name">{esc(c.title)}</span></button></li>'
        for c in chapters
    )
    track_items = "\n".join(
        f'      <li><span class="name">{esc(t.title)}</span>'
        f'<audio class="track" controls preload="none" data-index="{i}" src="{esc(t.src)}"></audio></li>'
        for i, t in enumerate(tracks)
    )
    tracks_section = (
        f'  <section aria-labelledby="tracks-h">\n    <h2 id="tracks-h">Sections</h2>\n'
        f'    <ol class="tracks">\n{track_items}\n    </ol>\n  </section>\n'
        if tracks
        else ""
    )
    byline = f'<p class="author">{esc(author)}</p>' if author else ""
    return _TEMPLATE.format(
        title=esc(title), byline=byline, cover=cover_img, book_src=esc(book_src), chapters=chapter_items,
        tracks=tracks_section, data=payload, style=_STYLE, script=_SCRIPT,
    )


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="narrate">
<title>{title}</title>
<link rel="icon" href="data:,">
<style>{style}</style>
</head>
<body>
<main>
  <header>
    {cover}
    <div>
      <h1>{title}</h1>
      {byline}
    </div>
  </header>
  <audio id="book" controls preload="metadata" src="{book_src}"></audio>
  <p id="now-chapter" class="now-chapter" aria-live="polite"></p>
  <p id="caption" class="caption" aria-live="polite"></p>
  <section aria-labelledby="chapters-h">
    <h2 id="chapters-h">Chapters</h2>
    <ol class="chapters" id="chapters">
{chapters}
    </ol>
  </section>
{tracks}</main>
<script type="application/json" id="book-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""

_STYLE = """
:root { color-scheme: light; --ink: #1f2430; --soft: #5d6472; --line: #e3ddd2; --accent: #9a6b1f; }
* { box-sizing: border-box; }
body { margin: 0; background: #faf7f1; color: var(--ink);
  font: 17px/1.5 Georgia, "Times New Roman", serif; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
header { display: flex; gap: 1.5rem; align-items: center; margin-bottom: 1.5rem; }
.cover { width: 9rem; height: 9rem; object-fit: cover; border-radius: 4px;
  box-shadow: 0 2px 10px rgba(0,0,0,.18); flex: none; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 0 0 .3rem; }
h2 { font-size: 1rem; letter-spacing: .08em; text-transform: uppercase; color: var(--soft);
  border-bottom: 1px solid var(--line); padding-bottom: .3rem; margin-top: 2rem; }
.author { margin: 0; color: var(--soft); font-style: italic; }
#book { width: 100%; }
.now-chapter { margin: 1rem 0 .2rem; color: var(--accent); font-size: .9rem; min-height: 1.4em; }
.caption { margin: 0; min-height: 3em; font-size: 1.25rem; line-height: 1.45; }
ol { list-style: none; padding: 0; margin: 0; }
.chapter { all: unset; box-sizing: border-box; cursor: pointer; display: flex; gap: 1rem; width: 100%; padding: .45rem .5rem;
  border-radius: 4px; }
.chapter:hover, .chapter:focus-visible { background: #efe8db; }
.chapter[aria-current="true"] { background: #efe3cc; font-weight: bold; }
.time { font-variant-numeric: tabular-nums; color: var(--soft); min-width: 3.5em; }
.tracks li { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between;
  gap: .5rem; padding: .35rem 0; border-bottom: 1px solid var(--line); }
.tracks audio { height: 2.2rem; max-width: 100%; }
"""

_SCRIPT = """
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("book-data").textContent);
  const book = document.getElementById("book");
  const caption = document.getElementById("caption");
  const nowChapter = document.getElementById("now-chapter");
  const buttons = Array.from(document.querySelectorAll(".chapter"));
  const tracks = Array.from(document.querySelectorAll("audio.track"));

  // The last item starting at or before t (items sorted by start), or -1.
  function lastStarted(items, t) {
    let lo = 0, hi = items.length - 1, found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (items[mid].start <= t + 1e-3) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  }

  // Show what is said at book time t: the sentence stays up through the pause after it.
  function show(t) {
    const cue = lastStarted(data.cues, t);
    caption.textContent = cue >= 0 ? data.cues[cue].text : "";
    const chapter = lastStarted(data.chapters, t);
    nowChapter.textContent = chapter >= 0 ? data.chapters[chapter].title : "";
    buttons.forEach((b, i) => b.setAttribute("aria-current", i === chapter ? "true" : "false"));
  }

  function only(playing) {
    for (const other of [book, ...tracks]) { if (other !== playing && !other.paused) other.pause(); }
  }

  book.addEventListener("timeupdate", () => show(book.currentTime));
  book.addEventListener("seeked", () => show(book.currentTime));
  book.addEventListener("play", () => only(book));
  buttons.forEach((button) => button.addEventListener("click", () => {
    book.currentTime = Number(button.dataset.start);
    show(book.currentTime);
    book.play().catch(() => {});  // a browser may refuse to autoplay; the seek still stands
  }));
  tracks.forEach((audio) => {
    const track = data.tracks[Number(audio.dataset.index)];
    const follow = () => show(track.book + audio.currentTime - track.offset);
    audio.addEventListener("timeupdate", follow);
    audio.addEventListener("seeked", follow);
    audio.addEventListener("play", () => { only(audio); follow(); });
  });
  show(0);
})();
"""
