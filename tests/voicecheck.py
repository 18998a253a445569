"""Shared by the voice tests: a tiny book to build with a real voice, and what the recognizer hears of audio."""

from __future__ import annotations

from pathlib import Path

from narrate.audio import pcm

ESSAY = """A Short Drive

1. West
We drove from Los Angeles to the ocean before the morning light.
"""


def make_book(root: Path, voice: str, engine: str = "auto") -> Path:
    """A one-section book narrated by `voice` (MP3 and tracks only, no cue); returns `root`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "essay.txt").write_text(ESSAY, encoding="utf-8")
    (root / "narrate.toml").write_text(
        f'[book]\nessay = "essay.txt"\n[voice]\nengine = "{engine}"\nvoice = "{voice}"\n'
        '[sound]\ncue = "none"\n[output]\nformats = ["mp3", "tracks"]\n',
        encoding="utf-8",
    )
    return root


def heard(seg: pcm.AudioSegment) -> set[str]:
    """The words Whisper tiny.en (narrate's recognizer) hears in narrate-format audio (44.1 kHz mono 16-bit)."""
    from narrate.verify import hearing

    # decoded greedily, as the test's own reading rather than narrate's verdict
    segments, _ = hearing.model().transcribe(
        hearing.to_16k(pcm.samples(seg)), language="en", beam_size=1, condition_on_previous_text=False
    )
    return set(hearing.words(" ".join(s.text.strip() for s in segments)))
