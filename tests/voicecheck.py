"""Shared by the voice tests: a tiny book to build with a real voice, and what a recognizer hears of audio."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np

from narrate import audio

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


def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower())


def heard(seg: audio.AudioSegment) -> set[str]:
    """The words pocketsphinx recognizes in narrate-format audio (44.1 kHz mono 16-bit)."""
    from pocketsphinx import Decoder

    down = subprocess.run(
        [audio.ffmpeg(), "-loglevel", "error", "-f", "s16le", "-ar", str(audio.RATE), "-ac", "1", "-i", "pipe:0",
         "-f", "s16le", "-ar", "16000", "-ac", "1", "pipe:1"],
        input=np.asarray(audio.samples(seg)).tobytes(), capture_output=True, check=True,
    ).stdout
    decoder = Decoder(samprate=16000, loglevel="FATAL")
    decoder.start_utt()
    decoder.process_raw(down, full_utt=True)
    decoder.end_utt()
    return set(words(decoder.hyp().hypstr)) if decoder.hyp() else set()
