"""The one small interface every speech engine implements."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass

from narrate.audio.pcm import AudioSegment
from narrate.errors import SynthesisError


@dataclass(frozen=True)
class EngineSettings:
    """What the project asks of an engine; each engine takes what applies to it."""

    voice: str = ""
    language: str = "en"
    tld: str = "com"
    speed: float = 1.0  # narration speed: 1.25 reads a quarter faster


@dataclass(frozen=True)
class Voice:
    """One voice an engine offers, as `narrate voices` lists it."""

    name: str  # the value of [voice] voice
    engine: str
    language: str  # BCP 47, like "en-US"
    gender: str
    sample_rate: int  # the engine's native rate
    licence: str
    network: bool = False  # True when every sentence is sent to a server


# A lexicon phoneme override as narrate.text.lexicon writes it: [word](/phonemes/), misaki's inline markup.
PHONEMES = re.compile(r"\[([^\]]+)\]\(/([^)/]*)/\)")


def plain_text(text: str) -> str:
    """The text with every phoneme override replaced by its word, for engines that read only text."""
    return PHONEMES.sub(r"\1", text)


def synthesis_failed(engine: str, exc: Exception) -> SynthesisError:
    """A local voice's failure on one sentence, with the next step (the build names the sentence)."""
    return SynthesisError(
        f"{engine} failed ({exc}); reword the sentence in its script and run again (finished sentences are kept)"
    )


def speed_identity(settings: EngineSettings) -> dict[str, float]:
    """The speed as part of an engine's identity: nothing at the normal speed, so those cache keys never change."""
    return {} if settings.speed == 1.0 else {"speed": settings.speed}


class Engine(ABC):
    """A text-to-speech engine.

    Subclasses set `name` and implement `identity` and `synthesize`. An engine whose
    `synthesize` may run in several threads at once says how many in `workers`; its
    native rate is `sample_rate` (what it returns says so too: narrate converts it).
    """

    name: str = ""
    workers: int = 1
    sample_rate: int = 44100

    @abstractmethod
    def identity(self) -> dict[str, str | float | int]:
        """Everything that changes the sound (voice, language, settings): part of every cache key."""

    @abstractmethod
    def synthesize(self, text: str) -> AudioSegment:
        """Speak `text` as mono audio at any sample rate and width: the segment's own
        `frame_rate`, `sample_width` and `channels` say what it is, and narrate converts it
        to its one PCM format (see `narrate.audio.pcm.conform`).

        Raises:
            SynthesisError: the engine failed; the message says why.
        """

    def retake(self, text: str, take: int) -> AudioSegment:
        """Another take of `text` (take 1, 2, ...), for one the recognizer doubted (`build --verify`).

        An engine that can vary its takes (a noise seed, a slight change of speed) overrides
        this; by default it is `synthesize` again, which helps engines whose takes vary anyway.
        """
        return self.synthesize(text)

    @classmethod
    def voices(cls) -> tuple[Voice, ...]:
        """The voices this engine can speak with on this machine (installed, nothing to download)."""
        return ()

    def describe(self) -> str:
        """A short human description, such as "Piper (en_US-joe-medium)"."""
        identity = self.identity()
        details = [f"{v}" for k, v in identity.items() if k != "speed" and v not in ("", None)]
        if "speed" in identity:
            details.append(f"speed {identity['speed']:g}")
        return f"{self.name} ({', '.join(details)})"

    def close(self) -> None:
        """Release resources (threads, sessions)."""
