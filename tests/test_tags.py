"""tags.py: the chapter frames narrate assembles itself, read back by mutagen and ffprobe."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from mutagen.id3 import ID3, CTOCFlags

from narrate.audio import pcm
from narrate.audio.tags import Chapter, book_tags, read_chapters, tag_bytes

CHAPTERS = [
    Chapter("Opening", 0, 4000),
    Chapter("A very long title that mutagen would sort after the short ones — «Élan» ♪", 4000, 9000),
    Chapter("Two", 9000, 12000),
]


def _book(tmp_path):
    path = tmp_path / "book.mp3"
    path.write_bytes(tag_bytes(book_tags("Tïtle", "Àuthor", CHAPTERS, "k" * 64)) + pcm.encode_mp3(pcm.silence(12000), "192k"))
    return path


def test_chapters_read_back_in_time_order_with_their_titles(tmp_path):
    path = _book(tmp_path)
    assert read_chapters(path) == CHAPTERS
    tags = ID3(str(path))
    assert tags.version[:2] == (2, 3) and str(tags["TIT2"]) == "Tïtle" and str(tags["TPE1"]) == "Àuthor"
    (toc,) = tags.getall("CTOC")
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    head = path.read_bytes()[:4000]
    starts = [int.from_bytes(head[m.start() + 17 : m.start() + 21], "big") for m in re.finditer(b"CHAP", head)]
    assert starts == [0, 4000, 9000]  # in the file, in time order, whatever their sizes


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="Debian's ffprobe is not installed (CI installs it)")
def test_ffprobe_reads_the_same_chapters(tmp_path):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "compact", str(_book(tmp_path))],
        capture_output=True, text=True, check=True,
    ).stdout.splitlines()
    found = [(int(re.search(r"start=(\d+)", l).group(1)), l.rsplit("tag:title=", 1)[1]) for l in out]
    assert found == [(c.start_ms, c.title) for c in CHAPTERS]


@pytest.fixture(scope="module")
def dated_book(tmp_path_factory):
    """The small book with `[book] date = 2024-05-01`, built once as the book MP3 and its tracks: the report."""
    import smallbook

    root = smallbook.make_project(tmp_path_factory.mktemp("dated") / "book", formats=["mp3", "tracks"])
    toml = root / "narrate.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[book]\n", "[book]\ndate = 2024-05-01\n"), encoding="utf-8")
    with smallbook.fake_registered():
        yield smallbook.build(root)


def _files(report):
    return [report.book, *sorted((report.book.parent / "sections").glob("*.mp3"))]


def test_book_and_tracks_carry_album_artist_year_and_narrator_as_id3v23_frames(dated_book):
    files = _files(dated_book)
    assert len(files) == 4
    for number, path in enumerate(files):
        assert str(ID3(str(path))["TDRC"]) == "2024-05-01"  # mutagen joins TYER and TDAT back
        tags = ID3(str(path), translate=False)  # the frames as written
        assert tags.version[:2] == (2, 3)
        assert str(tags["TPE1"]) == str(tags["TPE2"]) == "A. Writer" and str(tags["TCON"]) == "Audiobook"
        assert str(tags["TYER"]) == "2024" and str(tags["TDAT"]) == "0105"  # v2.3's year and DDMM
        assert str(tags["TCOM"]) == "fake (fake-voice)"  # the voice, where audiobook apps look for the narrator
        assert str(tags["TALB"]) == 'Small Things & Quiet "Rooms"' and "APIC:Cover" in tags
        assert (str(tags["TRCK"]) if number else None) == (f"{number}/3" if number else None)
        assert b"TDRC" not in path.read_bytes()[:200_000]  # no v2.4 frame that v2.3 readers would skip


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="Debian's ffprobe is not installed (CI installs it)")
def test_ffprobe_reads_the_tags_audiobookshelf_uses(dated_book):
    # Audiobookshelf reads ffprobe's format tags: album_artist/artist (author), composer (narrator), date (year).
    for number, path in enumerate(_files(dated_book)):
        probe = json.loads(subprocess.run(
            ["ffprobe", "-v", "error", "-show_entries", "format_tags", "-of", "json", str(path)],
            capture_output=True, text=True, check=True,
        ).stdout)["format"]["tags"]
        assert probe["album_artist"] == probe["artist"] == "A. Writer" and probe["genre"] == "Audiobook"
        assert probe["composer"] == "fake (fake-voice)" and probe["date"].startswith("2024")
        assert probe.get("track") == (f"{number}/3" if number else None)


@pytest.mark.skipif(shutil.which("eyeD3") is None, reason="eyeD3 is not installed (apt-get install eyed3)")
def test_eyed3_shows_the_album_artist_year_and_narrator(dated_book):
    out = subprocess.run(["eyeD3", "--no-color", str(dated_book.book)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^album artist: A\. Writer$", out, re.M) and re.search(r"^composer: fake \(fake-voice\)$", out, re.M)
    assert re.search(r"^recording date: 2024$", out, re.M)  # eyeD3 shows v2.3's TYER


@pytest.mark.skipif(shutil.which("mediainfo") is None, reason="mediainfo is not installed (apt-get install mediainfo)")
def test_mediainfo_shows_the_full_date(dated_book):
    out = subprocess.run(["mediainfo", str(dated_book.book)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Recorded date\s+: 2024-05-01$", out, re.M) and re.search(r"^Album/Performer\s+: A\. Writer$", out, re.M)


def test_a_new_date_retags_the_book_and_tracks_without_synthesizing(tmp_path, fake_engine):
    import smallbook

    root = smallbook.make_project(tmp_path / "book", formats=["mp3", "tracks"])
    first = smallbook.build(root)
    track = root / "audio" / "sections" / "02-the-second-room.mp3"
    toml = root / "narrate.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("[book]\n", '[book]\ndate = "1999"\n'), encoding="utf-8")
    second = smallbook.build(root)
    assert first.synthesized > 0 and second.synthesized == 0 and second.book_written
    assert str(ID3(str(second.book), translate=False)["TYER"]) == str(ID3(str(track), translate=False)["TYER"]) == "1999"
