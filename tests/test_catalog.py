"""catalog.py: essays built as books sharing one cache, feed.xml read back by feedparser, regeneration."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlparse

import feedparser
import pytest
from mutagen.mp3 import MP3

from narrate import catalog
from narrate.errors import ConfigError, InputError

from conftest import assert_clear_error, run_cli

BASE = "https://example.org/pod/"
ESSAYS = {
    "first.md": "# First Light\n\n## Dawn\n\nThe sun comes up. Birds start.\n\n## Noon\n\nThe heat settles.\n",
    "second.txt": "Second Wind\n\n1. Running\nShe runs. He follows.\n\n2. Resting\nThey stop.\n",
    # the title as text (front matter): in a Markdown heading, <script> is HTML, which is not read
    "hostile.md": '---\ntitle: "Cats </title><script>alert(1)</script> & Dogs 🐈"\n---\n\nA short & strange essay.\n',
}


def _make(root: Path, essays: dict[str, str] = ESSAYS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in essays.items():
        (root / name).write_text(text, encoding="utf-8")
    catalog.init(root, base_url=BASE)
    return root


def _local(root: Path, url: str) -> Path:
    """The file under the catalog folder that a published URL names."""
    assert url.startswith(BASE), url
    return root / urlparse(url).path.removeprefix(urlparse(BASE).path)


@pytest.fixture
def built(tmp_path, fake_engine):
    root = _make(tmp_path / "essays")
    return root, catalog.build(root, engine_name="fake")


def test_the_feed_parses_and_every_url_resolves_to_its_file(built):
    root, report = built
    parsed = feedparser.parse((root / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.version == "rss20"
    channel = parsed.feed
    assert channel.title == "essays" and channel.language == "en"
    assert channel.image.href == BASE + "cover.jpg" and (root / "cover.jpg").is_file()
    assert channel.tags[0].term == "Arts"
    assert channel.podcast_guid == catalog.feed.podcast_guid(BASE + "feed.xml")
    assert len(parsed.entries) == 3
    for entry, book in zip(sorted(parsed.entries, key=lambda e: e.link), sorted(report.books, key=lambda b: b.slug)):
        (enclosure,) = entry.enclosures
        mp3 = _local(root, enclosure.href)
        assert mp3 == book.report.book.resolve() or mp3.samefile(book.report.book)
        assert int(enclosure.length) == mp3.stat().st_size and enclosure.type == "audio/mpeg"
        h, m, s = map(int, entry.itunes_duration.split(":"))
        assert abs(h * 3600 + m * 60 + s - MP3(mp3).info.length) <= 1  # whole seconds
        chapters = json.loads(_local(root, entry.podcast_chapters["url"]).read_text())
        assert entry.podcast_chapters["type"] == "application/json+chapters"
        assert [c["title"] for c in chapters["chapters"]] == [c.title for c in book.report.chapters]
        transcript = _local(root, entry.podcast_transcript["url"]).read_text()
        assert transcript.startswith("WEBVTT") and entry.podcast_transcript["type"] == "text/vtt"
        assert _local(root, entry.image.href).is_file()
        assert entry.published_parsed is not None and entry.guidislink is False


def test_a_hostile_title_is_escaped_and_read_back_whole(built):
    root, _ = built
    text = (root / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in text and "</title><script>" not in text
    titles = [e.title for e in feedparser.parse(text.encode()).entries]
    assert "Cats </title><script>alert(1)</script> & Dogs 🐈" in titles
    page = (root / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "Cats &lt;/title&gt;&lt;script&gt;" in page


def test_guids_and_dates_are_stable_and_only_a_changed_book_is_redone(built, fake_engine):
    root, _ = built
    before = feedparser.parse((root / "feed.xml").read_bytes())
    fake_engine.clear()
    again = catalog.build(root, engine_name="fake")
    assert not fake_engine and not again.feed_written and not again.page_written
    assert not any(b.report.book_written for b in again.books)

    essay = root / "second.txt"
    essay.write_text(essay.read_text().replace("They stop.", "They stop. They breathe."), encoding="utf-8")
    changed = catalog.build(root, engine_name="fake")
    assert fake_engine == ["They breathe."]
    assert [b.slug for b in changed.books if b.report.book_written] == ["second"]
    after = feedparser.parse((root / "feed.xml").read_bytes())
    assert [(e.id, e.published) for e in after.entries] == [(e.id, e.published) for e in before.entries]
    differ = [e.title for e, f in zip(after.entries, before.entries) if e.enclosures != f.enclosures]
    assert differ == ["Second Wind"]


def test_a_date_in_catalog_toml_is_the_items_pubdate(tmp_path, fake_engine):
    root = _make(tmp_path / "c", {"first.md": ESSAYS["first.md"]})
    toml = root / "catalog.toml"
    toml.write_text(toml.read_text().replace('# "essay.md" = 2024-05-01', '"first.md" = 2024-05-01'))
    catalog.build(root, engine_name="fake")
    (entry,) = feedparser.parse((root / "feed.xml").read_bytes()).entries
    assert entry.published == "Wed, 01 May 2024 12:00:00 +0000"


def test_status_says_what_a_build_would_do(built, fake_engine):
    root, _ = built
    (root / "first.md").write_text(ESSAYS["first.md"] + "\nA new last line.\n", encoding="utf-8")
    result = run_cli("catalog", "status", str(root), "--engine", "fake")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.split()[:2] == ["changed", "first"] and "1 sentence(s) to synthesize" in line for line in lines)
    assert sum(line.split()[0] == "up" for line in lines) == 2


def test_init_and_build_on_the_command_line(tmp_path, fake_engine, monkeypatch):
    root = tmp_path / "c"
    root.mkdir()
    (root / "one.md").write_text(ESSAYS["first.md"], encoding="utf-8")
    assert run_cli("-q", "catalog", "init", str(root), "--base-url", BASE).exit_code == 0
    assert 'essays = [\n    "one.md",\n]' in (root / "catalog.toml").read_text()
    monkeypatch.chdir(root)
    result = run_cli("catalog", "build", "--engine", "fake")
    assert result.exit_code == 0, result.stderr
    assert "feed.xml written" in result.stdout and (root / "books" / "one" / "audio" / "one.mp3").is_file()


def test_bad_catalogs_are_one_line(tmp_path):
    assert_clear_error(run_cli("-q", "catalog", "build", str(tmp_path)), r"no catalog\.toml in .*run `narrate catalog init")
    (tmp_path / "catalog.toml").write_text('[catalog]\ntitle = "T"\nbase_url = "example.org"\nessays = ["a.md"]\n')
    with pytest.raises(ConfigError, match="base_url must be the http"):
        catalog.load(tmp_path)
    (tmp_path / "catalog.toml").write_text(f'[catalog]\ntitle = "T"\nbase_url = "{BASE}"\nessays = ["a.md"]\n')
    with pytest.raises(InputError, match="lists a.md, which is not in"):
        catalog.load(tmp_path)
    with pytest.raises(InputError, match="exists; edit it"):
        catalog.init(tmp_path)


def test_an_essay_added_after_init_is_named_by_build_and_status(built, fake_engine):
    """Issue 26, item 7: an essay added to the folder after `catalog init` was skipped silently."""
    root, _ = built
    (root / "third.md").write_text("# Third\n\nA late essay.\n", encoding="utf-8")
    status = run_cli("catalog", "status", str(root), "--engine", "fake")
    assert status.exit_code == 0, status.stderr
    assert "  unlisted    third.md: not in catalog.toml's essays, so a build skips it; add it to that list" in status.stdout
    result = run_cli("catalog", "build", str(root), "--engine", "fake")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines().count(
        "third.md is in the folder but not in catalog.toml's essays, so it is not built; add it to that list "
        "(or delete the list to build every essay in the folder)"
    ) == 1


def test_init_lists_every_format_narrate_reads_and_not_its_own_page(tmp_path):
    names = ["a.txt", "b.md", "c.html", "d.htm", "e.docx", "f.odt", "g.epub", "h.markdown"]
    for name in [*names, "index.html", "cover.jpg", "notes.pdf"]:
        (tmp_path / name).write_text("x", encoding="utf-8")
    catalog.init(tmp_path, base_url=BASE)
    assert catalog.load(tmp_path).essays == tuple(names)


def test_the_catalog_page_wears_the_books_style_and_shows_each_length(built):
    """The catalog's index.html was unstyled (blue links, players at 0:00/0:00) beside the book's page."""
    from html.parser import HTMLParser

    from narrate.catalog_page import clock

    root, report = built
    page = (root / "index.html").read_text(encoding="utf-8")
    book_page = (report.books[0].report.book.parent / "index.html").read_text(encoding="utf-8")
    style = book_page.split("<style>", 1)[1].split("</style>", 1)[0].strip()
    assert style and style in page and "a { color: var(--accent); }" in page  # the book page's colours, links included

    class Tags(HTMLParser):
        found: list = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, dict(attrs)))

    tags = Tags()
    tags.found = []
    tags.feed(page)
    players = [a for t, a in tags.found if t == "audio"]
    assert len(players) == 3 and all(a["preload"] == "metadata" and (root / a["src"]).is_file() for a in players)
    assert all((root / a["src"]).is_file() for t, a in tags.found if t == "img")
    for book in report.books:  # each book's length is written beside it, not left to the player
        assert f'<span class="time">{clock(book.report.chapters[-1].end_ms)}</span> · ' in page
