"""A content-addressed store of lossless audio: synthesized sentences and rendered sections.

A key is the SHA-256 of everything that changes the sound, so a changed voice or
text misses the cache and nothing stale is ever reused. Entries are WAV files
written atomically: a killed build leaves whole entries or none. An entry, once written,
is final: a second writer of the same key keeps the first, so a reader making several
passes over an entry sees the same bytes on each.
"""

from __future__ import annotations

import contextlib
import wave
from pathlib import Path
from typing import Iterator

import numpy as np

from narrate import audio
from narrate.audio import AudioSegment
from narrate.errors import AudioError
from narrate.fsutil import atomic_path

class Cache:
    """Audio entries under `root/<kind>/<key[:2]>/<key>.wav`."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, kind: str, key: str, ext: str = ".wav") -> Path:
        """Where the entry for `key` lives."""
        return self.root / kind / key[:2] / f"{key}{ext}"

    def get(self, kind: str, key: str) -> AudioSegment | None:
        """The stored audio, or None when absent or unreadable (then it is made again)."""
        path = self.path(kind, key)
        try:
            with wave.open(str(path), "rb") as w:
                if (w.getframerate(), w.getsampwidth(), w.getnchannels()) != (audio.RATE, audio.WIDTH, audio.CHANNELS):
                    return None
                return audio.segment(w.readframes(w.getnframes()))
        except (FileNotFoundError, EOFError, wave.Error):
            return None

    def samples(self, kind: str, key: str) -> int | None:
        """How many samples the stored audio holds (from its header), or None when absent."""
        try:
            with wave.open(str(self.path(kind, key)), "rb") as w:
                return w.getnframes()
        except (FileNotFoundError, EOFError, wave.Error):
            return None

    def put(self, kind: str, key: str, seg: AudioSegment) -> None:
        """Store audio in the one PCM format under `key` atomically (an existing entry is kept).

        Raises:
            AudioError: the audio is in another format: stored, it would play at the wrong speed.
        """
        if (seg.frame_rate, seg.sample_width, seg.channels) != (audio.RATE, audio.WIDTH, audio.CHANNELS):
            raise AudioError(
                f"refusing to cache {seg.frame_rate} Hz, {seg.sample_width * 8}-bit, {seg.channels}-channel audio "
                f"as {audio.RATE} Hz mono 16-bit; convert it with narrate.audio.conform"
            )
        with self.writer(kind, key) as w:
            w.writeframes(seg.raw_data)

    def chunks(self, kind: str, key: str, frames: int = 1 << 18) -> Iterator[np.ndarray]:
        """The stored audio as int16 arrays of `frames` samples (the last may be shorter)."""
        with wave.open(str(self.path(kind, key)), "rb") as w:
            while data := w.readframes(frames):
                yield np.frombuffer(data, dtype=np.int16)

    @contextlib.contextmanager
    def writer(self, kind: str, key: str) -> Iterator[wave.Wave_write]:
        """Store audio under `key` as it is written to the yielded WAV writer; the entry appears, whole, after the block."""
        with atomic_path(self.path(kind, key), keep_existing=True) as tmp:
            with wave.open(str(tmp), "wb") as w:
                w.setnchannels(audio.CHANNELS)
                w.setsampwidth(audio.WIDTH)
                w.setframerate(audio.RATE)
                yield w

    def put_bytes(self, kind: str, key: str, data: bytes, ext: str) -> None:
        """Store an encoded entry (such as an MP3 piece) atomically (an existing entry is kept)."""
        with atomic_path(self.path(kind, key, ext), keep_existing=True) as tmp:
            tmp.write_bytes(data)

    def entries(self) -> list[tuple[str, str, int]]:
        """Every entry as (kind, file name, size in bytes); the file name is the key and an extension."""
        found = []
        for path in self.root.glob("*/*/*.*") if self.root.is_dir() else ():
            try:
                found.append((path.parent.parent.name, path.name, path.stat().st_size))
            except FileNotFoundError:  # pruned meanwhile
                continue
        return found

    def prune(self, keep: set[str]) -> tuple[int, int]:
        """Delete entries whose key is not in `keep`; returns (entries, bytes) removed."""
        count = size = 0
        for kind, name, nbytes in self.entries():
            if name.split(".")[0] not in keep:
                (self.root / kind / name[:2] / name).unlink(missing_ok=True)
                count, size = count + 1, size + nbytes
        return count, size
