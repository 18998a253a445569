"""The M4B: AAC with the MP3's chapters as a QuickTime chapter track and as Nero chpl, tags and cover."""

from __future__ import annotations

import datetime
import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest
from mutagen.mp4 import MP4

import smallbook
from fakes import FakeEngine
from narrate import engines
from narrate.audio import pcm
from narrate.audio.cover import cover_for
from narrate.audio.m4b import KEY_ATOM, atoms, ffmetadata, read_key
from narrate.audio.tags import Chapter, read_chapters


def _build(root):
    root = smallbook.make_project(root, formats=["mp3", "m4b"])
    report = smallbook.build(root)
    return root, report, root / "audio" / "essay.m4b"


@pytest.fixture(scope="module")
def m4b_book(tmp_path_factory):
    """The small book built once as MP3 and M4B, not to be changed: (root, report, m4b path)."""
    saved = engines.ENGINES.get("fake")
    engines.ENGINES["fake"] = FakeEngine
    try:
        yield _build(tmp_path_factory.mktemp("m4b"))
    finally:
        if saved is None:
            del engines.ENGINES["fake"]
        else:
            engines.ENGINES["fake"] = saved


def read_nero_chapters(path: Path) -> list[tuple[int, str]]:
    """The Nero `chpl` chapters of an MP4 as (start in ms, title), read from the atom by hand; [] without one."""
    data = Path(path).read_bytes()
    span = atoms(data).get("moov/udta/chpl")
    if span is None:
        return []
    body = data[span[0] : span[1]]
    count, pos = body[8], 9  # version+flags (4), reserved (4), then the count
    chapters = []
    for _ in range(count):
        start = struct.unpack(">Q", body[pos : pos + 8])[0]
        length = body[pos + 8]
        title = body[pos + 9 : pos + 9 + length].decode("utf-8", "replace")
        chapters.append((int(round(start / 10_000)), title))
        pos += 9 + length
    return chapters


def test_ffmetadata_escapes_its_special_characters():
    text = ffmetadata("A=B; #1\\", "", [Chapter("x\ny", 0, 10)])
    assert "title=A\\=B\\; \\#1\\\\\n" in text and "title=x\\\ny\n" in text and "artist" not in text
    assert "[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=10\n" in text


def test_the_m4b_has_nero_chapters_equal_to_the_mp3s(m4b_book):
    _, report, path = m4b_book
    mp3 = read_chapters(report.book)
    assert read_nero_chapters(path) == [(c.start_ms, c.title) for c in mp3]
    assert len(mp3) == 4


def test_the_m4b_has_a_quicktime_chapter_track(m4b_book):
    _, _, path = m4b_book
    data = path.read_bytes()
    tree = atoms(data)
    assert "moov/trak/tref/chap" in tree  # the audio track points at its chapter track
    moov_start, moov_end = tree["moov"]
    handlers = []
    position = moov_start  # atoms() keeps the first of each path: walk the traks one by one
    while position < moov_end:
        size, kind = int.from_bytes(data[position : position + 4], "big"), data[position + 4 : position + 8]
        if kind == b"trak":
            hdlr = atoms(data, position + 8, position + size)["mdia/hdlr"]
            handlers.append(data[hdlr[0] + 8 : hdlr[0] + 12])
        position += size
    assert handlers == [b"soun", b"text"]


def test_the_m4b_has_title_author_cover_and_its_key(m4b_book):
    root, report, path = m4b_book
    tags = MP4(str(path)).tags
    title = report.chapters[0].title
    assert tags["\xa9nam"] == [title] and tags["\xa9alb"] == [title]
    assert tags["\xa9ART"] == tags["aART"] == ["A. Writer"] and tags["stik"] == [2] and tags["\xa9gen"] == ["Audiobook"]
    assert tags["\xa9day"] == [str(datetime.date.today().year)]  # no [book] date: the year of the build
    assert tags["\xa9wrt"] == ["fake (fake-voice)"]  # the narrator (composer), as Apple Books and Audiobookshelf read it
    assert bytes(tags["covr"][0]) == cover_for("", root, title, "A. Writer").jpeg()
    assert read_key(path) and KEY_ATOM in tags


def test_the_m4b_is_branded_as_an_audiobook(m4b_book):
    _, _, path = m4b_book
    head = path.read_bytes()[:32]
    assert head[4:8] == b"ftyp" and head[8:12] == b"M4B "  # the major brand, not the ipod muxer's "M4A "
    assert b"M4B " in head[16:int.from_bytes(head[:4], "big")]  # and among the compatible brands


@pytest.mark.skipif(shutil.which("mediainfo") is None, reason="mediainfo is not installed (apt-get install mediainfo)")
def test_mediainfo_sees_an_audiobook(m4b_book):
    _, _, path = m4b_book
    out = subprocess.run(["mediainfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Codec ID\s+: M4B ", out, re.M) and re.search(r"^ContentType\s+: Audiobook$", out, re.M)
    assert re.search(r"^Album/Performer\s+: A\. Writer$", out, re.M) and re.search(r"^Composer\s+: fake", out, re.M)


def test_the_m4b_audio_lines_up_with_the_mp3(m4b_book):
    _, report, path = m4b_book
    mp3 = pcm.samples(pcm.decode(report.book)).astype(np.float64)
    aac = pcm.samples(pcm.decode(path)).astype(np.float64)
    assert abs(aac.size - mp3.size) <= 2048  # AAC frames of 1024 samples
    start = int(report.chapters[2].start_ms * pcm.RATE / 1000)
    piece = mp3[start : start + pcm.RATE]
    window = aac[start - 2000 : start + pcm.RATE + 2000]
    lags = [float(np.dot(window[k : k + piece.size], piece)) for k in range(0, 4001, 4)]
    assert abs(int(np.argmax(lags)) * 4 - 2000) <= 44  # within 1 ms


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="Debian's ffprobe is not installed (CI installs it)")
def test_ffprobe_reads_the_m4b_chapters_and_streams(m4b_book):
    _, report, path = m4b_book
    probe = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-show_streams", "-of", "json", str(path)],
        capture_output=True, check=True, text=True,
    ).stdout)
    mp3 = read_chapters(report.book)
    assert [c["tags"]["title"] for c in probe["chapters"]] == [c.title for c in mp3]
    assert [round(float(c["start_time"]) * 1000) for c in probe["chapters"]] == [c.start_ms for c in mp3]
    assert [round(float(c["end_time"]) * 1000) for c in probe["chapters"]] == [c.end_ms for c in mp3]
    kinds = {(s["codec_type"], s.get("codec_name"), s["disposition"]["attached_pic"]) for s in probe["streams"]}
    tags = json.loads(subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format_tags", "-of", "json", str(path)],
        capture_output=True, check=True, text=True,
    ).stdout)["format"]["tags"]
    assert tags["major_brand"] == "M4B " and tags["album_artist"] == "A. Writer" and tags["media_type"] == "2"
    assert tags["date"] == str(datetime.date.today().year) and tags["composer"] == "fake (fake-voice)"
    assert ("audio", "aac", 0) in kinds and ("video", "mjpeg", 1) in kinds


def test_an_up_to_date_m4b_is_not_encoded_again(tmp_path, fake_engine):
    root, _, path = _build(tmp_path / "book")
    before = path.stat()
    report = smallbook.build(root)
    assert report.outputs == () and path.stat().st_mtime_ns == before.st_mtime_ns
    config = root / "narrate.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("A. Writer", "B. Writer"), encoding="utf-8")
    report = smallbook.build(root)
    assert path in report.outputs and MP4(str(path)).tags["\xa9ART"] == ["B. Writer"]


def test_narrate_chapters_reads_the_m4b_as_it_reads_the_mp3(m4b_book, monkeypatch):
    """Issue 26, item 9: `narrate chapters` said the M4B had no chapters."""
    from mutagen.mp4 import MP4

    from conftest import run_cli

    root, report, path = m4b_book
    monkeypatch.chdir(root)
    on_mp4, on_mp3 = run_cli("chapters", str(path)), run_cli("chapters", str(report.book))
    assert on_mp4.exit_code == 0, on_mp4.stderr
    lines, expected = on_mp4.stdout.splitlines(), on_mp3.stdout.splitlines()
    assert len(lines) == len(expected) == 4
    assert lines[:-1] == expected[:-1]  # starts, ends and titles to the millisecond, as both files carry them
    # the last chapter ends with each file's audio: the AAC's length as mutagen reads it, not the MP3's
    start, end, title = lines[-1].split("  ", 2)
    assert [start, title] == expected[-1].split("  ", 2)[0::2]
    from narrate.timefmt import chapter_time

    assert end == chapter_time(round(MP4(str(path)).info.length * 1000))
