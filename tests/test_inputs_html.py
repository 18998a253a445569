"""HTML essays: the article of realistic pages (a wiki, a newsletter, blogs) with what a narrator leaves out
named, the page's encoding found as browsers find it, a .txt that is HTML, URLs served locally, hostile pages."""

from __future__ import annotations

import codecs
import http.server
import threading
import time

import pytest

import html_pages as pages
from conftest import assert_clear_error, run_cli
from inputs_util import assert_clean, assert_narrated, build

pytest.importorskip("trafilatura")

ARTICLE = """
<h1>Why Tea Matters</h1>
<p>Tea has been drunk for thousands of years across the whole world, and its story is long and winding.</p>
<h2>The Leaf</h2>
<p>Every tea comes from one plant, Camellia sinensis, grown on hillsides in warm and wet places.</p>
<ul><li>Green tea is steamed</li><li>Black tea is oxidized</li></ul>
<blockquote><p>Tea is a hug in a cup, as my grandmother used to say every single morning.</p></blockquote>
<h2>The Water</h2>
<p>Good water matters as much as the leaf does, and soft water brings out the sweetness.<sup><a href="#fn1">1</a></sup></p>
<table><tr><th>Tea</th><th>Minutes</th></tr><tr><td>Green</td><td>Two</td></tr><tr><td>Black</td><td>Four</td></tr></table>
<img src="teapot.jpg" alt="a steaming teapot photograph">
"""
# Words that only the page's boilerplate holds: none may reach a script.
BOILERPLATE = ["Subscribe", "About us", "cookies", "Share on", "Related posts", "Coffee is fine", "Great post",
               "newsletter", "All rights reserved", "Privacy", "tracking", "teapot photograph", "color:red", "Leave a reply"]

WORDPRESS = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Why Tea Matters &#8211; The Leaf Blog</title>
<meta name="author" content="Ann Brewer"><style>.x{{color:red}}</style><script>var tracking=1;</script></head>
<body class="post-template"><header class="site-header"><nav><a href="/">Home</a> <a href="/about">About us</a> <a href="/subscribe">Subscribe</a></nav></header>
<div id="cookie-notice">We use cookies to improve your experience. <button>Accept all cookies</button></div>
<main id="main"><article class="post"><header class="entry-header"><span class="byline">Ann Brewer</span></header>
<div class="entry-content">{ARTICLE}</div>
<div class="sharedaddy"><a href="#">Share on Twitter</a> <a href="#">Share on Facebook</a></div></article>
<section class="related-posts"><h3>Related posts</h3><ul><li><a href="/coffee">Coffee is fine too</a></li></ul></section>
<div id="comments" class="comments-area"><h3>3 Comments</h3><ol class="comment-list"><li class="comment"><p>Great post! Loved it.</p></li></ol>
<div id="respond"><h3>Leave a reply</h3><form><textarea></textarea><button>Post Comment</button></form></div></div>
<form class="newsletter"><input name="email"><button>Sign up for our newsletter</button></form></main>
<footer class="site-footer">Copyright 2026 The Leaf Blog. All rights reserved. <a href="/privacy">Privacy policy</a></footer></body></html>"""

SUBSTACK = f"""<html><head><title>Why Tea Matters - by Ann Brewer</title><meta property="og:title" content="Why Tea Matters">
<meta name="author" content="Ann Brewer"></head><body><div class="topbar"><a>Subscribe</a><a>Sign in</a></div>
<div class="single-post"><div class="post-header"><div class="post-meta">Ann Brewer · Jan 3</div>
<div class="share-buttons"><button>Share on Substack</button></div></div>
<div class="available-content"><div class="body markup">{ARTICLE}</div></div>
<div class="subscription-widget"><p>Subscribe to our newsletter for more posts like this.</p><form><input type="email"></form></div>
<div class="comments-section"><h3>Discussion about this post</h3><p>Great post! Loved it.</p></div></div>
<div class="footer">All rights reserved. Privacy · Terms · Collection notice</div></body></html>"""

EXPECTED_CHAPTERS = ["Why Tea Matters", "Introduction", "The Leaf", "The Water"]


@pytest.mark.parametrize("page", [WORDPRESS, SUBSTACK], ids=["wordpress", "substack"])
def test_a_blog_page_becomes_its_article(tmp_path, monkeypatch, fake_engine, page):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tea.html").write_text(page, encoding="utf-8")
    chapters, scripts, tags = build(tmp_path, "tea.html")

    assert chapters == EXPECTED_CHAPTERS
    assert str(tags["TALB"]) == "Why Tea Matters" and str(tags["TPE1"]) == "Ann Brewer"
    assert_clean(scripts, BOILERPLATE)
    leaf, water = scripts["02-the-leaf.txt"], scripts["03-the-water.txt"]
    assert "Green tea is steamed.\n\nBlack tea is oxidized." in leaf  # list items read one by one
    assert "hug in a cup" in leaf
    assert "brings out the sweetness.\n" in water  # the footnote mark is not read as "one"
    assert "Green" not in water and "Minutes" not in water  # a table is left out unless asked for


def test_a_txt_that_is_html_is_read_as_html(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "saved.txt").write_text(WORDPRESS, encoding="utf-8")
    chapters, scripts, _ = build(tmp_path, "saved.txt")
    assert chapters == EXPECTED_CHAPTERS
    assert_clean(scripts, BOILERPLATE)


def test_a_50_mb_page_is_refused_in_one_line(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    with open(tmp_path / "huge.html", "wb") as f:
        f.write(b"<!doctype html><html><body>")
        f.truncate(50 * 1024 * 1024)
    assert_clear_error(run_cli("-q", "build", "huge.html", "--engine", "fake"), r"huge\.html is 50 MB, larger than any essay")
    assert not (tmp_path / "script").exists() and fake_engine == []


def _left_out_line(page: str) -> str:
    """`narrate split PAGE`'s line naming what was left out."""
    result = run_cli("split", page)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return next(line for line in result.stdout.splitlines() if line.startswith("left out:"))


@pytest.mark.parametrize(
    ("page", "main", "left_out", "line", "chapters"),
    [
        (pages.WIKI, pages.WIKI_MAIN, pages.WIKI_LEFT_OUT, pages.WIKI_LEFT_OUT_LINE,
         ["Teapot", "Introduction", "History", "Design"]),
        (pages.NEWSLETTER, pages.NEWSLETTER_MAIN, pages.NEWSLETTER_LEFT_OUT, pages.NEWSLETTER_LEFT_OUT_LINE,
         EXPECTED_CHAPTERS),
        (pages.BLOG, pages.BLOG_MAIN, pages.BLOG_LEFT_OUT, pages.BLOG_LEFT_OUT_LINE,
         ["Fast Tea Timers", "Introduction", "The loop", "Measuring"]),
    ],
    ids=["wiki", "newsletter", "technical-blog"],
)
def test_the_main_text_is_narrated_in_order_and_what_is_left_out_is_named(
    tmp_path, monkeypatch, fake_engine, page, main, left_out, line, chapters
):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    assert _left_out_line("page.html").startswith(line + " (")
    found, scripts, _ = build(tmp_path, "page.html")
    assert found == chapters  # headings read "History", never "History[edit]" or "The loop #"
    assert_narrated(scripts, main, left_out)


@pytest.mark.parametrize("name", list(pages.UNUSUAL))
def test_an_article_where_the_labels_do_not_look_is_read_whole(tmp_path, monkeypatch, fake_engine, name):
    page, main, left_out, line, chapters = pages.UNUSUAL[name]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    said = run_cli("split", "page.html")
    assert said.exit_code == 0, said.stderr
    lines = [x for x in said.stdout.splitlines() if x.startswith("left out:")]
    assert (lines[0].startswith(line + " (") if line else not lines), lines
    found, scripts, _ = build(tmp_path, "page.html")
    assert chapters is None or found == chapters
    assert_narrated(scripts, main, left_out)


def test_tables_and_code_are_read_where_they_fall_when_asked_for(tmp_path, monkeypatch, fake_engine):
    for name, page in (("wiki", pages.WIKI), ("blog", pages.BLOG)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "narrate.toml").write_text('[input]\nread = ["tables", "code"]\n', encoding="utf-8")
        (tmp_path / name / f"{name}.html").write_text(page, encoding="utf-8")
    monkeypatch.chdir(tmp_path / "wiki")
    _, scripts, _ = build(tmp_path / "wiki", "wiki.html")
    history = scripts["02-history.txt"]
    assert "European potters soon copied their shape.\n\nStyle: Brown Betty, Capacity: Six cups.\n" in history  # row by row
    assert "Material: Porcelain, clay." in scripts["01-introduction.txt"]  # the infobox, a table of facts
    assert "left out: 1 table of contents" in _left_out_line("wiki.html")

    monkeypatch.chdir(tmp_path / "blog")
    _, scripts, _ = build(tmp_path / "blog", "blog.html")
    loop = scripts["02-the-loop.txt"]
    assert loop.index("have had their time.") < loop.index("brew_quickly(cup)") < loop.index("for the whole brew.")
    assert "Tea: Sencha, Seconds: Ninety." in scripts["03-measuring.txt"]
    assert "disclaimer" not in "\n".join(scripts.values()).lower()  # the site footer's code is the site's


def _page(body: str, head: str = "") -> str:
    return (f"<html><head>{head}<title>Tea Notes</title></head><body><article><h1>Tea Notes</h1>"
            f"<p>{body}</p><p>{' '.join(['Every cup deserves a little patience and a warm pot.'] * 8)}</p>"
            "</article></body></html>")


ACCENTED = "The café brews “green” tea at eighty\u00a0degrees Celsius, never hotter, déjà vu for the regulars."
SPOKEN = "The café brews \"green\" tea at eighty degrees Celsius, never hotter, déjà vu for the regulars."


@pytest.mark.parametrize(
    "data",
    [
        _page(ACCENTED).encode("utf-8"),  # no charset said anywhere: valid UTF-8 is UTF-8
        # ISO-8859-1 declared, and bytes 0x93/0x94 for the quotes: browsers read that label as windows-1252
        _page(ACCENTED, '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">').encode("cp1252"),
        _page(ACCENTED, '<meta charset="windows-1252">').encode("cp1252"),
        _page(ACCENTED).encode("cp1252"),  # nothing said, not UTF-8: windows-1252, the web's default
        codecs.BOM_UTF16_LE + _page(ACCENTED, '<meta charset="iso-8859-1">').encode("utf-16-le"),  # the BOM wins
    ],
    ids=["utf8-undeclared", "latin1-declared", "cp1252-declared", "cp1252-undeclared", "utf16-bom"],
)
def test_the_page_encoding_is_found_as_browsers_find_it(tmp_path, monkeypatch, fake_engine, data):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.html").write_bytes(data)
    _, scripts, _ = build(tmp_path, "notes.html")
    text = "\n".join(scripts.values())
    assert SPOKEN in text, text
    assert "Â" not in text and "Ã" not in text


class _QuietServer(http.server.ThreadingHTTPServer):
    """The test's server: narrate hanging up on a page too big is expected, so its broken pipe is not
    printed (from the server's thread it landed in the CLI's captured stderr, as if narrate had said it)."""

    def handle_error(self, request, client_address):
        pass


class _Server:
    """An HTTP server on 127.0.0.1 serving `routes` (path -> bytes, or (bytes, content type)); '/slow' never answers in time."""

    def __init__(self, routes: dict[str, bytes | tuple[bytes, str]]):
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/slow":
                    outer.release.wait(10)
                    return
                body, kind = routes.get(self.path), "text/html; charset=utf-8"
                if isinstance(body, tuple):
                    body, kind = body
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", kind)
                self.end_headers()
                self.wfile.write(body or b"not found")

            def log_message(self, *args):
                pass

        self.release = threading.Event()
        self.httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = _Server({
        "/posts/why-tea": WORDPRESS.encode(), "/big": b"<html><body>" + b"x" * (11 * 1024 * 1024),
        # The header's charset outranks the page's own (wrong) meta: the bytes are windows-1252.
        "/latin": (_page(ACCENTED, '<meta charset="utf-8">').encode("cp1252"), "text/html; charset=windows-1252"),
    })
    yield s
    s.close()


def test_a_url_is_fetched_kept_and_rebuilt_without_the_network(tmp_path, monkeypatch, fake_engine, server):
    monkeypatch.chdir(tmp_path)
    url = f"{server.url}/posts/why-tea"
    chapters, scripts, _ = build(tmp_path, url, stem="127-0-0-1-" + str(server.httpd.server_port) + "-posts-why-tea")
    assert chapters == EXPECTED_CHAPTERS
    kept = list((tmp_path / "essay").glob("*.html"))
    assert [p.read_text(encoding="utf-8-sig") for p in kept] == [WORDPRESS]
    assert_clean(scripts, BOILERPLATE)

    server.close()  # offline now: the kept page serves the same URL
    calls = len(fake_engine)
    result = run_cli("build", url, "--engine", "fake")
    assert result.exit_code == 0, result.stderr
    assert "using the copy fetched before" in result.stderr
    assert len(fake_engine) == calls  # nothing changed, nothing synthesized again


@pytest.mark.parametrize(
    ("path", "pattern"),
    [("/slow", r"did not answer within 0\.5 s"), ("/missing", r"answered 404 Not Found"),
     ("/big", r"sent more than 10 MB")],
    ids=["never-answers", "404", "too-big"],
)
def test_a_url_that_fails_is_one_line_and_nothing_is_written(tmp_path, monkeypatch, fake_engine, server, path, pattern):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("narrate.inputs.fetch.TIMEOUT", 0.5)
    started = time.monotonic()
    assert_clear_error(run_cli("-q", "build", server.url + path, "--engine", "fake"), pattern)
    assert time.monotonic() - started < 5
    assert not any((tmp_path / d).exists() for d in ("essay", "script", "audio"))


def test_a_fetched_page_is_read_in_the_charset_its_server_named(tmp_path, monkeypatch, fake_engine, server):
    monkeypatch.chdir(tmp_path)
    url = f"{server.url}/latin"
    _, scripts, _ = build(tmp_path, url, stem="127-0-0-1-" + str(server.httpd.server_port) + "-latin")
    assert SPOKEN in "\n".join(scripts.values())
    server.close()  # the kept copy, read again offline, still reads right
    result = run_cli("split", url, "--force")
    assert result.exit_code == 0, result.stderr
    assert SPOKEN in "\n".join(p.read_text(encoding="utf-8") for p in (tmp_path / "script").glob("*.txt"))
