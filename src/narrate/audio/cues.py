"""The music cue between sections: generated in code, or the user's own file.

Built-in cues are short phrases synthesized from seeded numbers, so a cue is the same,
byte for byte, on every build: "vibraphone" (the default), "piano" and "harp". Each has
a natural attack and a decay, lasts 1.5 to 3 s, and is levelled a few dB under the voice
for the sound target, as a user's cue file is.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from narrate.audio import master, pcm
from narrate.audio.pcm import AudioSegment
from narrate.errors import AudioError, ConfigError

RATE = pcm.RATE
USER_CUE_MAX_S = 4.0  # a longer cue file is cut here, with a fade-out
_FADE_OUT_S = 0.4
_FADE_IN_S = 0.005  # a user file may start mid-waveform: no click


def _t(length: int) -> np.ndarray:
    """Sample times in seconds."""
    return np.arange(length) / RATE


def _vibraphone_note(freq: float, length: int, rng: np.random.Generator) -> np.ndarray:
    t = _t(length)
    # A strong fundamental, a bright 4th partial that dies fast, a 10th for the mallet, a slow tremolo.
    tone = (
        np.sin(2 * np.pi * freq * t)
        + 0.35 * np.sin(2 * np.pi * 4.0 * freq * t + rng.uniform(0, np.pi)) * np.exp(-t * 6.0)
        + 0.12 * np.sin(2 * np.pi * 10.0 * freq * t) * np.exp(-t * 14.0)
    )
    tremolo = 1.0 - 0.18 * (1 - np.cos(2 * np.pi * 5.2 * t)) / 2
    attack = np.minimum(1.0, t / 0.006)
    return tone * tremolo * attack * np.exp(-t * 1.6)


def _piano_note(freq: float, length: int, rng: np.random.Generator) -> np.ndarray:
    t = _t(length)
    tone = np.zeros(length)
    # Stiff strings: partials run sharp (inharmonicity); each dies in two stages, the upper ones faster.
    for n in range(1, 13):
        f = n * freq * np.sqrt(1 + 0.0004 * n * n)
        if f > 9000:
            break
        decay = 0.55 * np.exp(-t * (2.5 + 1.2 * n)) + 0.45 * np.exp(-t * (0.7 + 0.3 * n))
        tone += np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)) * decay / n**1.4
    # The felt hammer: a soft thump of low-passed noise in the first few milliseconds.
    thump = np.convolve(rng.standard_normal(length), np.ones(12) / 12, mode="same") * np.exp(-t * 250)
    attack = np.minimum(1.0, t / 0.003)
    return (tone + 0.25 * thump) * attack


def _harp_note(freq: float, length: int, rng: np.random.Generator) -> np.ndarray:
    t = _t(length)
    tone = np.zeros(length)
    # A plucked string: partials weighted by where it is plucked, higher ones brighter at first but dying fast.
    pluck = 0.27
    for n in range(1, 10):
        f = n * freq
        if f > 9000:
            break
        weight = abs(np.sin(np.pi * n * pluck)) / n**1.6
        tone += weight * np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)) * np.exp(-t * (1.1 + 0.9 * n))
    attack = np.minimum(1.0, t / 0.002)
    return tone * attack


# (note function, length in s, [(start s, frequency Hz, velocity)])
_Phrase = tuple[Callable[[float, int, np.random.Generator], np.ndarray], float, list[tuple[float, float, float]]]

_PHRASES: dict[str, _Phrase] = {
    # An Fmaj9 arpeggio rolled upward, then held (F3 A3 C4 E4 G4): a vibraphone for a jazz musical.
    "vibraphone": (_vibraphone_note, 2.6, [(i * 0.14, f, 0.9 - 0.08 * i)
                                          for i, f in enumerate((174.61, 220.00, 261.63, 329.63, 392.00))]),
    # Soft piano: an Fmaj7 shell (F3 + E4), then a three-note answer climbing to C5.
    "piano": (_piano_note, 2.8, [(0.0, 174.61, 0.8), (0.02, 329.63, 0.6), (0.42, 392.00, 0.55),
                                 (0.70, 440.00, 0.6), (0.98, 523.25, 0.7)]),
    # Harp: a quick glissando up an F6/9 chord over two octaves.
    "harp": (_harp_note, 2.4, [(i * 0.075, f, 0.8) for i, f in enumerate(
        (174.61, 220.00, 261.63, 293.66, 349.23, 392.00, 440.00, 523.25, 587.33, 698.46))]),
}
VARIANTS = tuple(_PHRASES)
ALIASES = {"default": "vibraphone"}


def generate(name: str) -> AudioSegment:
    """A built-in cue, before levelling: deterministic (seeded), with natural attack and decay.

    Raises:
        ConfigError: no such built-in cue.
    """
    name = ALIASES.get(name, name)
    if name not in _PHRASES:
        raise ConfigError(f"no built-in cue '{name}'; built-in cues: {', '.join(VARIANTS)}", "sound.cue")
    note, length_s, notes = _PHRASES[name]
    rng = np.random.default_rng(7)  # fixed seed: the same cue, byte for byte, every build
    total = int(length_s * RATE)
    mix = np.zeros(total)
    for start_s, freq, velocity in notes:
        start = int(start_s * RATE)
        mix[start:] += note(freq, total - start, rng) * velocity
    fade = int(_FADE_OUT_S * RATE)
    mix[-fade:] *= np.linspace(1.0, 0.0, fade) ** 2
    return pcm.from_samples(mix / np.max(np.abs(mix)) * 0.5)


def _level(seg: AudioSegment, target: str) -> AudioSegment:
    if not np.any(pcm.samples(seg)):
        raise AudioError("the cue is silent; choose a cue file with sound, or set sound.cue = \"none\"")
    return master.level(seg, target, under_db=master.CUE_UNDER_DB)


def _fit(seg: AudioSegment) -> AudioSegment:
    """A user's cue trimmed of silence at its ends, cut to USER_CUE_MAX_S with a fade-out, faded in."""
    x = pcm.samples(pcm.trim(seg)).astype(np.float64)
    longest = int(USER_CUE_MAX_S * RATE)
    if x.size > longest:
        x = x[:longest]
        fade = int(_FADE_OUT_S * RATE)
        x[-fade:] *= np.linspace(1.0, 0.0, fade) ** 2
    fade_in = min(x.size, int(_FADE_IN_S * RATE))
    x[:fade_in] *= np.linspace(0.0, 1.0, fade_in)
    return pcm.from_samples(x / 32768)


def load_cue(setting: str, root: Path, target: str = master.DEFAULT_TARGET) -> AudioSegment | None:
    """The cue narrate.toml asks for, levelled for the target.

    Args:
        setting: sound.cue: a built-in name ("vibraphone", "default", "piano", "harp"),
            "none", or a path (relative to `root`) to an audio file ffmpeg reads.
        root: the project folder.
        target: the sound target ("acx" or "podcast").

    Returns:
        The cue at 44.1 kHz mono, or None for "none".

    Raises:
        ConfigError: the cue file does not exist.
        AudioError: it is not audio ffmpeg can read, or it is silent.
    """
    if setting in ("", "none"):
        return None
    if setting in _PHRASES or setting in ALIASES:
        return _level(generate(setting), target)
    path = (Path(root) / setting).resolve()
    if not path.is_file():
        raise ConfigError(
            f"cue file not found: {path}; set sound.cue in narrate.toml to an audio file, "
            f"a built-in cue ({', '.join(VARIANTS)}) or \"none\"",
            "sound.cue",
        )
    try:
        seg = pcm.decode(path)  # any format and rate ffmpeg reads, as 44.1 kHz mono
    except AudioError as exc:
        raise AudioError(
            f"the cue {path} is not audio narrate can read ({exc}); point sound.cue in narrate.toml "
            f"at an audio file (WAV, FLAC, MP3, OGG...), a built-in cue ({', '.join(VARIANTS)}) or \"none\""
        ) from exc
    return _level(_fit(seg), target)
