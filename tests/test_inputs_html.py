"""HTML essays: the article of realistic blog pages, a .txt that is HTML, URLs served locally, hostile pages."""

from __future__ import annotations

import http.server
import threading
import time
from pathlib import Path

import pytest

from conftest import assert_clear_error, run_cli
from inputs_util import assert_clean, build

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
    assert "Tea: Green, Minutes: Two." in water  # a table is read row by row


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


class _Server:
    """An HTTP server on 127.0.0.1 serving `routes` (path -> bytes); '/slow' never answers in time."""

    def __init__(self, routes: dict[str, bytes]):
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/slow":
                    outer.release.wait(10)
                    return
                body = routes.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(body or b"not found")

            def log_message(self, *args):
                pass

        self.release = threading.Event()
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = _Server({"/posts/why-tea": WORDPRESS.encode(), "/big": b"<html><body>" + b"x" * (11 * 1024 * 1024)})
    yield s
    s.close()


def test_a_url_is_fetched_kept_and_rebuilt_without_the_network(tmp_path, monkeypatch, fake_engine, server):
    monkeypatch.chdir(tmp_path)
    url = f"{server.url}/posts/why-tea"
    chapters, scripts, _ = build(tmp_path, url, stem="127-0-0-1-" + str(server.httpd.server_port) + "-posts-why-tea")
    assert chapters == EXPECTED_CHAPTERS
    kept = list((tmp_path / "essay").glob("*.html"))
    assert [p.read_text(encoding="utf-8") for p in kept] == [WORDPRESS]
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
