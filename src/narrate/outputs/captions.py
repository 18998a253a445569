"""Captions from the synthesis itself: one WebVTT cue per sentence, and a chapters WebVTT.

No forced alignment is needed: a section is its sentences' speech joined with known
pauses (mastering keeps the length), and when a section is mastered the sample count of
each take it was made from is stored beside it (its timings), so each sentence starts at
the running sum of what comes before it. The timings, not the takes, are read: a take
removed from the cache, or made again differently for another section or book sharing it,
does not change what a section already encoded holds.
"""

from __future__ import annotations

import json
import wave
from collections.abc import Sequence
from dataclasses import dataclass

from narrate.audio import pcm
from narrate.audio.tags import Chapter
from narrate.speech.cache import Cache
from narrate.text.script import Unit
from narrate.timefmt import webvtt_time


@dataclass(frozen=True)
class Caption:
    """A caption: the text spoken from `start_ms` to `end_ms`."""

    start_ms: float
    end_ms: float
    text: str


def speech_lengths(cache: Cache, keys: Sequence[str]) -> list[int] | None:
    """Sample counts of the cached sentences, from the WAV headers alone; None if any entry is gone."""
    lengths = []
    for key in keys:
        try:
            with wave.open(str(cache.path("speech", key)), "rb") as w:
                lengths.append(w.getnframes())
        except (FileNotFoundError, EOFError, wave.Error):
            return None
    return lengths


# A section's timings live beside its mastered audio: ("sections", section key, ".json").
TIMINGS = ("sections", ".json")


def store_timings(cache: Cache, section_key: str, lengths: Sequence[int]) -> None:
    """Record the length of each take a section was just mastered from (sealed, like every entry)."""
    kind, ext = TIMINGS
    cache.put_bytes(kind, section_key, json.dumps({"lengths": [int(n) for n in lengths]}).encode(), ext)


def timings(cache: Cache, section_key: str, count: int, label: str | None = None) -> list[int] | None:
    """The sample count of each take the section was mastered from; None when not recorded, or damaged (then removed)."""
    kind, ext = TIMINGS
    data = cache.read(kind, section_key, label, ext)
    if data is None:
        return None
    try:
        lengths = json.loads(data)["lengths"]
    except (ValueError, KeyError, TypeError):
        lengths = None
    if isinstance(lengths, list) and len(lengths) == count and all(type(n) is int and n >= 0 for n in lengths):
        return lengths
    cache.discard(kind, section_key, ext)  # sealed yet not what narrate writes: made again with the section
    return None


def pause_samples(ms: int) -> int:
    """A pause's length in samples."""
    # The same rounding as pcm.silence, which stitch.assemble puts after each sentence.
    return int(round(ms * pcm.RATE / 1000))


def section_captions(units: Sequence[Unit], lengths: Sequence[int], start_samples: int = 0) -> list[Caption]:
    """One cue per unit of a section whose first sample is at `start_samples`.

    Args:
        units: the section's units, in order.
        lengths: each unit's speech length in samples.
        start_samples: where the section's first sample is in the audio being captioned.

    Returns:
        Cues from each unit's first to its last speech sample (the pause after it is not included).
    """
    cues, position = [], start_samples
    for unit, length in zip(units, lengths, strict=True):
        cues.append(Caption(pcm.ms(position), pcm.ms(position + length), unit.text))
        position += length + pause_samples(unit.pause_ms)
    return cues


def _escape(text: str) -> str:
    # WebVTT cue text: & and < start markup, and a cue may not contain "-->" or a blank line.
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.split())


def webvtt(cues: Sequence[Caption]) -> str:
    """A WebVTT file with one numbered cue per caption."""
    blocks = ["WEBVTT\n"]
    for number, cue in enumerate(cues, 1):
        blocks.append(f"{number}\n{webvtt_time(cue.start_ms)} --> {webvtt_time(cue.end_ms)}\n{_escape(cue.text)}\n")
    return "\n".join(blocks)


def chapters_vtt(chapters: Sequence[Chapter]) -> str:
    """A WebVTT file for `<track kind="chapters">`: one cue per chapter, titled as the chapter."""
    return webvtt([Caption(c.start_ms, c.end_ms, c.title) for c in chapters])
