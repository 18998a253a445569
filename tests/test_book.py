"""The example book built with the real offline voice, read back as a listener's tools would (tags.py, stitch.py)."""

from __future__ import annotations

import re
import shutil
import subprocess

import numpy as np
import pytest

from narrate import audio
from narrate.script import load_scripts, units
from narrate.tags import read_chapters

from measure import chapter_errors_ms

pytestmark = pytest.mark.slow

SECTION_TITLES = [
    "A Fantasy Draped in Flesh and Jazz",
    "Mia & Sebastian: Lust Beneath the Love",
    "The Sex Appeal of Dreams",
    "The Final Look: Desire Left Unspoken",
    "Why We Keep Watching",
]
STOPWORDS = set(
    "a an and are as at be but by can for from how in is it it's its just like many more must not of on one "
    "or she's so that the their them they this to us was we what when where who with you your he's her him "
    "his our out than then there these those too very".split()
)


@pytest.fixture(scope="module")
def book_pcm(built_book):
    project, report = built_book
    return audio.samples(audio.decode(report.book)).astype(np.float64)


def test_chapters_name_the_sections_in_order_and_tile_the_file(built_book, book_pcm):
    project, report = built_book
    chapters = read_chapters(report.book)
    assert [c.title for c in chapters[1:]] == SECTION_TITLES
    assert chapters[0].title == "La La Land – When Music Undresses the Soul"
    assert chapters[0].start_ms == 0
    for before, after in zip(chapters, chapters[1:]):
        assert before.end_ms == after.start_ms and after.start_ms > before.start_ms
    decoded_ms = book_pcm.size * 1000 / audio.RATE
    assert abs(chapters[-1].end_ms - decoded_ms) <= 50
    assert 90_000 < decoded_ms < 240_000  # "about two minutes"


def test_tags_are_id3v23_with_an_ordered_top_level_toc(built_book):
    from mutagen.id3 import ID3, CTOCFlags

    project, report = built_book
    tags = ID3(str(report.book))
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == "La La Land – When Music Undresses the Soul"
    assert str(tags["TPE1"]) == "Anonymous"
    assert str(tags["TALB"]) == "La La Land – When Music Undresses the Soul"
    assert str(tags["TCON"]) == "Audiobook"
    (toc,) = tags.getall("CTOC")
    assert toc.flags & CTOCFlags.TOP_LEVEL and toc.flags & CTOCFlags.ORDERED
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    assert list(toc.child_element_ids) == sorted(chaps, key=lambda i: chaps[i].start_time)


def test_chap_frames_are_stored_in_time_order(built_book):
    """Players that ignore CTOC list CHAP frames in file order; mutagen would sort them by size."""
    project, report = built_book
    head = report.book.read_bytes()[:200_000]
    # A CHAP frame: id (4), size (4), flags (2), element id "chNNNN\0" (7), then its start time (4).
    offsets = [m.start() for m in re.finditer(b"CHAP", head)]
    times = [int.from_bytes(head[o + 17 : o + 21], "big") for o in offsets]
    assert len(times) == 6 and times == sorted(times), times


def test_each_chapter_starts_within_50ms_of_its_sections_audio(built_book):
    project, report = built_book
    errors = chapter_errors_ms(project, report.book, "piper")
    assert len(errors) == 5 and max(errors) <= 50, errors


def test_section_tracks_are_tagged_and_hold_their_section(built_book):
    from mutagen.id3 import ID3

    project, report = built_book
    sections = [s for s in report.sections if s.kind == "section"]
    assert [s.track.name for s in sections] == sorted(p.name for p in (project.audio_dir / "sections").glob("*.mp3"))
    for number, section in enumerate(sections, 1):
        tags = ID3(str(section.track))
        assert str(tags["TIT2"]) == SECTION_TITLES[number - 1]
        assert str(tags["TRCK"]) == f"{number}/5"
        assert str(tags["TALB"]) == "La La Land – When Music Undresses the Soul"
        assert str(tags["TPE1"]) == "Anonymous"
        decoded_ms = audio.ms(audio.decode(section.track))
        expected = section.duration_ms + project.config.pauses.head + project.config.pauses.tail
        # head, section and tail are three joined LAME runs: each adds its priming and padding (< 2 frames)
        assert expected <= decoded_ms <= expected + 3 * 2 * audio.FRAME_SAMPLES * 1000 / audio.RATE


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower())


def _transcribe(pcm: np.ndarray) -> str:
    from pocketsphinx import Decoder

    # 44.1 kHz -> 16 kHz for the recognizer's model, with ffmpeg's resampler
    raw = np.clip(pcm, -32768, 32767).astype(np.int16).tobytes()
    down = subprocess.run(
        [audio.ffmpeg(), "-loglevel", "error", "-f", "s16le", "-ar", str(audio.RATE), "-ac", "1", "-i", "pipe:0",
         "-f", "s16le", "-ar", "16000", "-ac", "1", "pipe:1"],
        input=raw, capture_output=True, check=True,
    ).stdout
    decoder = Decoder(samprate=16000, loglevel="FATAL")
    decoder.start_utt()
    decoder.process_raw(down, full_utt=True)
    decoder.end_utt()
    return decoder.hyp().hypstr if decoder.hyp() else ""


def _content(text: str) -> list[str]:
    return [w for w in _words(text) if w not in STOPWORDS]


def _recall(words: list[str], heard: set[str]) -> float:
    return sum(w in heard for w in words) / len(words)


def test_every_section_is_really_spoken(built_book, book_pcm):
    """A recognizer hears each chapter's own text, and every sentence of it.

    Dropped text (a sentence, or the tail of a long one, never spoken) is what users of
    other narration tools report most. Each chapter must match its own script better than
    any other script, and each sentence of four or more content words must be partly heard.
    """
    project, report = built_book
    scripts = load_scripts(project.script_dir)
    chapters = read_chapters(report.book)
    assert len(chapters) == len(scripts)
    for chapter, script in zip(chapters, scripts):
        segment = book_pcm[int(chapter.start_ms * audio.RATE / 1000) : int(chapter.end_ms * audio.RATE / 1000)]
        heard = set(_words(_transcribe(segment)))
        own = _recall(_content(script.text), heard)
        others = [_recall(_content(s.text), heard) for s in scripts if s is not script]
        assert own >= 0.25 and own > max(others), (script.file, own, others, sorted(heard))
        unheard = [
            u.text for u in units(script.text, project.config.pauses)
            if len(_content(u.text)) >= 4 and _recall(_content(u.text), heard) == 0
        ]
        assert len(unheard) <= 1, (script.file, unheard, sorted(heard))


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="Debian's ffprobe is not installed (CI installs it)")
def test_ffprobe_lists_the_chapters_in_time_order(built_book):
    project, report = built_book
    import json

    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(report.book)],
        capture_output=True, text=True, check=True,
    ).stdout
    listed = json.loads(out)["chapters"]
    ours = read_chapters(report.book)
    assert [c["tags"]["title"] for c in listed] == [c.title for c in ours]
    assert [round(float(c["start_time"]) * 1000) for c in listed] == [c.start_ms for c in ours]
    assert [round(float(c["end_time"]) * 1000) for c in listed] == [c.end_ms for c in ours]
