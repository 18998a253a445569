"""tags.py: the chapter frames narrate assembles itself, read back by mutagen and ffprobe."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from mutagen.id3 import ID3, CTOCFlags

from narrate import audio
from narrate.tags import Chapter, book_tags, read_chapters, render

CHAPTERS = [
    Chapter("Opening", 0, 4000),
    Chapter("A very long title that mutagen would sort after the short ones — «Élan» ♪", 4000, 9000),
    Chapter("Two", 9000, 12000),
]


def _book(tmp_path):
    path = tmp_path / "book.mp3"
    path.write_bytes(render(book_tags("Tïtle", "Àuthor", CHAPTERS, "k" * 64)) + audio.encode_mp3(audio.silence(12000), "192k"))
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
