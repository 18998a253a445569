"""pages.py: every page narrate writes starts with the one head and wears the one stylesheet."""

from __future__ import annotations

from narrate import pages
from narrate.audio.tags import Chapter
from narrate.outputs import page
from narrate.publish import catalog_page
from narrate.speech import voices

CHAPTERS = [Chapter("One", 0, 61_000)]
STYLE = pages.asset(pages.STYLESHEET)


def _starts_with_the_head(html: str, lang: str, title: str, generator: str = "narrate") -> None:
    start = pages.head(lang, title, "", generator)[: -len("</head>\n")]
    assert html.startswith(start), html[:400]
    assert html.count("<head>") == 1 and html.count("</head>") == 1


def test_the_head_escapes_what_it_is_given():
    head = pages.head('en"x', "A & <B>", "<link>\n", generator="n")
    assert '<html lang="en&quot;x">' in head and "<title>A &amp; &lt;B&gt;</title>" in head
    assert head.endswith("<link>\n</head>\n")


def test_the_book_page_inlines_the_stylesheet_first():
    html = page.page_html("Book & co", "Me", "book.mp3", CHAPTERS, [], [], None, "en-GB")
    _starts_with_the_head(html, "en-GB", "Book & co")
    assert f"<style>{STYLE}</style>\n</head>" in html


def test_the_catalog_page_inlines_the_stylesheet_then_its_own_rules():
    book = catalog_page.PageBook("B", 1000, "b.mp3", "b/index.html", "c.jpg", CHAPTERS, [])
    html = catalog_page.page_html("Cat", "", "de", "cover.jpg", [book])
    _starts_with_the_head(html, "de", "Cat")
    assert f"<style>{STYLE}\na {{ color: var(--accent); }}" in html


def test_the_voices_page_inlines_the_stylesheet_then_its_own_rules():
    rows = [voices.VoiceReport(v, None) for v in voices.available()[:1]]
    html = voices.render_page(rows, {})
    _starts_with_the_head(html, "en", "The voices installed here")
    assert f"<style>{STYLE}\nbody {{ font-size: 16px; }}" in html
    assert "--paper:" not in html.split(STYLE, 1)[1]  # no palette of its own: the shared one


def test_the_studio_links_the_stylesheet_it_serves():
    from narrate.studio import app

    index = app._static("index.html").decode("utf-8")
    _starts_with_the_head(index, "en", "narrate studio", "narrate studio")
    assert '<link rel="stylesheet" href="/static/page.css">' in index and index.count("<body>") == 1
    assert app._static("page.css").decode("utf-8") == STYLE
