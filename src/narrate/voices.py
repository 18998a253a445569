"""The voices this machine can narrate with: listing, speed measured here, and samples to listen to."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from narrate import audio, engines
from narrate.engines import EngineSettings, EngineSpec
from narrate.engines.base import Voice
from narrate.errors import ConfigError, PluginError

log = logging.getLogger(__name__)

# A few seconds of ordinary prose, with a place name: what the speed is measured on and samples say.
SAMPLE_TEXT = (
    "The city of stars shines on two dreamers in Los Angeles, as the music rises and the evening fades into night."
)
FAST = 10.0  # times real time: a voice at least this fast is "fast" (a book's build takes seconds)


@dataclass(frozen=True)
class VoiceReport:
    """One voice as `narrate voices` shows it."""

    voice: Voice
    realtime: float | None  # seconds of speech per second of synthesis on this machine; None: not measured

    @property
    def speed(self) -> str:
        """"fast", or "slow: about N× real time on this machine", or "network" for a server's voice."""
        if self.voice.network:
            return "network"
        if self.realtime is None:
            return "not measured"
        if self.realtime >= FAST:
            return f"fast: about {self.realtime:.0f}× real time"
        return f"slow: about {self.realtime:.1f}× real time on this machine"


def available() -> list[Voice]:
    """Every voice an installed engine offers, engine by engine in registry order."""
    found: list[Voice] = []
    for name in engines.ENGINES:
        try:
            factory = engines.ENGINES[name]
        except PluginError as exc:
            log.warning("%s", exc)
            continue
        found.extend(getattr(factory, "voices", tuple)())
    return found


def find(name: str) -> Voice:
    """The installed voice called `name`.

    Raises:
        ConfigError: no installed engine offers it.
    """
    for voice in available():
        if voice.name == name:
            return voice
    known = ", ".join(v.name for v in available())
    raise ConfigError(f"no voice named '{name}' is installed; choose one of: {known} (`narrate voices` lists them)")


def speak(voice: Voice, text: str = SAMPLE_TEXT, speed: float = 1.0) -> tuple[audio.AudioSegment, float]:
    """`text` in `voice`, and the seconds its synthesis took (the model loaded and warmed up first)."""
    engine = engines.instance(EngineSpec(voice.engine, EngineSettings(voice=voice.name, language=voice.language, speed=speed)))
    engine.synthesize("Ready.")  # loads the model: the speed measured is the voice's, not its start-up's
    start = time.perf_counter()
    spoken = audio.conform(engine.synthesize(text))
    return spoken, time.perf_counter() - start


def report(measure: bool = True) -> list[VoiceReport]:
    """Every installed voice; with `measure`, its speed here (one sentence per engine: its voices share a model size).

    Raises:
        EngineError: an engine cannot load its model.
    """
    speeds: dict[str, float] = {}
    rows = []
    for voice in available():
        if measure and not voice.network and voice.engine not in speeds:
            spoken, seconds = speak(voice)
            speeds[voice.engine] = audio.ms(spoken) / 1000 / max(seconds, 1e-6)
            engines.release(EngineSpec(voice.engine, EngineSettings(voice=voice.name, language=voice.language)))
        rows.append(VoiceReport(voice, speeds.get(voice.engine)))
    return rows


def write_sample(name: str, folder: Path, bitrate: str = "192k") -> Path:
    """Write `folder/voice-NAME.mp3`: the sample sentence in that voice, to listen to before choosing.

    Raises:
        ConfigError: no such voice installed.
        EngineError, SynthesisError: the voice's engine failed.
        OutputError: the file cannot be written.
    """
    voice = find(name)
    spoken, _ = speak(voice)
    path = folder / f"voice-{name}.mp3"
    folder.mkdir(parents=True, exist_ok=True)
    with audio.mp3_writer(path, bitrate) as writer:
        writer.write(spoken)
    return path
