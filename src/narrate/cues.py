"""The music cue between sections: generated in code, or the user's own file."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from narrate import audio, master
from narrate.audio import AudioSegment
from narrate.errors import AudioError, ConfigError

# An Fmaj9 arpeggio rolled upward, then held: a soft vibraphone figure for a jazz musical.
_NOTES_HZ = (174.61, 220.00, 261.63, 329.63, 392.00)  # F3 A3 C4 E4 G4
_ROLL_S = 0.14
_LENGTH_S = 2.6


def _note(freq: float, length: int, rng: np.random.Generator) -> np.ndarray:
    t = np.arange(length) / audio.RATE
    # Vibraphone-like: a strong fundamental, a bright 4th partial that dies fast, a slow shimmer.
    tone = (
        np.sin(2 * np.pi * freq * t)
        + 0.35 * np.sin(2 * np.pi * 4.0 * freq * t + rng.uniform(0, np.pi)) * np.exp(-t * 6.0)
        + 0.12 * np.sin(2 * np.pi * 10.0 * freq * t) * np.exp(-t * 14.0)
    )
    tremolo = 1.0 - 0.18 * (1 - np.cos(2 * np.pi * 5.2 * t)) / 2
    attack = np.minimum(1.0, t / 0.006)
    decay = np.exp(-t * 1.6)
    return tone * tremolo * attack * decay


def default_cue() -> AudioSegment:
    """A 2.6 s rolled jazz chord with natural attack and decay, deterministic."""
    rng = np.random.default_rng(7)  # fixed seed: the same cue, byte for byte, every build
    total = int(_LENGTH_S * audio.RATE)
    mix = np.zeros(total)
    for i, freq in enumerate(_NOTES_HZ):
        start = int(i * _ROLL_S * audio.RATE)
        mix[start:] += _note(freq, total - start, rng) * (0.9 - 0.08 * i)
    fade = int(0.4 * audio.RATE)
    mix[-fade:] *= np.linspace(1.0, 0.0, fade) ** 2
    return _level(audio.from_samples(mix / np.max(np.abs(mix)) * 0.5))


def _level(seg: AudioSegment) -> AudioSegment:
    if not np.any(audio.samples(seg)):
        raise AudioError("the cue is silent; choose a cue file with sound, or set sound.cue = \"none\"")
    return master.level(seg, master.CUE_RMS_DBFS)


def load_cue(setting: str, root: Path) -> AudioSegment | None:
    """The cue narrate.toml asks for: "default", "none", or a path to an audio file.

    Raises:
        ConfigError: the cue file does not exist.
        AudioError: it is not audio ffmpeg can read.
    """
    if setting in ("", "none"):
        return None
    if setting == "default":
        return default_cue()
    path = (Path(root) / setting).resolve()
    if not path.is_file():
        raise ConfigError(f"cue file not found: {path}; set sound.cue to a file, \"default\" or \"none\"")
    try:
        seg = audio.decode(path)
    except AudioError as exc:
        raise AudioError(f"the cue {path} is not audio narrate can read: {exc}") from exc
    return _level(audio.trim(seg))
