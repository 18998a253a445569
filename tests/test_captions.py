"""Captions: sentence cues timed from the synthesis, checked against where the speech really is in the book."""

from __future__ import annotations

import numpy as np
import pytest

import smallbook
from conftest import example_sentences
from fakes import FastVoiceEngine
from narrate import build as pipeline
from narrate import engines
from narrate import plan as planning
from narrate.audio import pcm
from narrate.audio.tags import Chapter
from narrate.outputs.captions import Caption, chapters_vtt, section_captions, webvtt
from vtt import read_cues
from narrate.text.script import Unit

# Caption times are whole milliseconds (WebVTT) from exact sample counts: within 1 ms of the
# audio, plus a sample or two of cross-correlation; a 5 ms shift fails.
TOLERANCE_MS = 1.5


def test_section_cues_are_the_running_sum_of_speech_and_pauses():
    units = [Unit("One.", 350), Unit("Two.", 800), Unit("Three.", 0)]
    cues = section_captions(units, [44100, 22050, 4410], start_samples=441)
    assert [(c.start_ms, c.end_ms) for c in cues] == [(10, 1010), (1360, 1860), (2660, 2760)]
    assert [c.text for c in cues] == ["One.", "Two.", "Three."]


def test_section_cues_need_one_length_per_unit():
    with pytest.raises(ValueError):
        section_captions([Unit("One.", 0)], [1, 2])


def test_webvtt_escapes_markup_and_reads_back():
    cues = [Caption(0, 1234.4, "Tom & Jerry <live> --> now"), Caption(3_725_001, 3_726_000, "Late\nline.")]
    text = webvtt(cues)
    assert text.startswith("WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.234\nTom &amp; Jerry &lt;live&gt; --&gt; now\n")
    assert "\n01:02:05.001 --> 01:02:06.000\nLate line.\n" in text
    assert [(c.start_ms, c.end_ms, c.text) for c in read_cues(text)] == [
        (0, 1234, "Tom & Jerry <live> --> now"), (3_725_001, 3_726_000, "Late line.")
    ]


def test_chapters_vtt_has_one_cue_per_chapter():
    text = chapters_vtt([Chapter("Opening", 0, 5000), Chapter("Part 1", 5000, 9000)])
    assert [(c.text, c.start_ms, c.end_ms) for c in read_cues(text)] == [("Opening", 0, 5000), ("Part 1", 5000, 9000)]


def _locate(book: np.ndarray, speech: np.ndarray, near: int, radius: int) -> int:
    """Where `speech` starts in `book`, searched within `radius` samples of `near` (cross-correlation by FFT)."""
    lo = max(0, near - radius)
    window = book[lo : near + radius + speech.size].astype(np.float64)
    size = 1 << int(np.ceil(np.log2(window.size + speech.size)))
    corr = np.fft.irfft(np.fft.rfft(window, size) * np.conj(np.fft.rfft(speech.astype(np.float64), size)), size)
    return lo + int(np.argmax(corr[: window.size - speech.size + 1]))


def _offsets_ms(project, engine: str) -> list[float]:
    """For every caption: how far its start is from where its sentence's audio starts in the decoded book."""
    _, plan = planning.readonly(project, engine)
    cues = read_cues((project.audio_dir / f"{plan.book.stem}.vtt").read_text(encoding="utf-8"))
    book = pcm.samples(pcm.decode(plan.book))
    keys = [k for s in plan.sections for k in s.speech_keys]
    assert len(cues) == len(keys) == sum(len(s.units) for s in plan.sections)
    offsets = []
    for cue, key in zip(cues, keys):
        speech = pcm.samples(project.cache.get("speech", key))
        near = int(round(cue.start_ms * pcm.RATE / 1000))
        found = _locate(book, speech, near, radius=pcm.RATE // 2)
        offsets.append((found - near) * 1000 / pcm.RATE)
        assert cue.end_ms - cue.start_ms == pytest.approx(pcm.ms(speech.size), abs=1)
    return offsets


def test_caption_starts_match_the_book_audio_with_a_speech_like_voice(tmp_path, monkeypatch):
    # noise in syllable-like bursts: unlike a tone, it correlates with itself at one place only
    monkeypatch.setitem(engines.ENGINES, "fastvoice", FastVoiceEngine)
    root = smallbook.make_project(tmp_path / "book")
    pipeline.build(pipeline.open_project(root), engine_name="fastvoice")
    offsets = _offsets_ms(pipeline.open_project(root), "fastvoice")
    assert max(abs(o) for o in offsets) <= TOLERANCE_MS, offsets


@pytest.mark.slow
def test_caption_starts_match_the_book_audio_with_the_real_voice(built_book):
    project, _ = built_book
    offsets = _offsets_ms(project, "piper")
    assert len(offsets) == example_sentences()
    assert max(abs(o) for o in offsets) <= TOLERANCE_MS, offsets
