"""A content-addressed store of lossless audio: synthesized sentences and rendered sections.

A key is the SHA-256 of everything that changes the sound, so a changed voice or
text misses the cache and nothing stale is ever reused. Entries are WAV files
written atomically: a killed build leaves whole entries or none. An entry, once written,
is final: a second writer of the same key keeps the first, so a reader making several
passes over an entry sees the same bytes on each.

Every entry carries what checks it: a WAV entry ends with a small RIFF chunk (`nsum`: the
length and SHA-256 of the bytes before it), which WAV readers skip; an encoded entry (MP3
frames, joined into books as they are) has the same seal beside it, in `<name>.sum`. An
entry cut short, emptied, overwritten or replaced by another file fails its check on read:
it is removed, with one warning naming what it held, and made again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import struct
import wave
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from narrate.audio import pcm
from narrate.audio.pcm import AudioSegment
from narrate.errors import AudioError
from narrate.fsutil import atomic_path

log = logging.getLogger(__name__)

_SUM_ID = b"nsum"
_SUM_SIZE = 8 + 32  # little-endian u64 length of what the seal covers, then its SHA-256
_TRAILER = 8 + _SUM_SIZE  # the chunk's id and size, then the seal
_SIDECAR = ".sum"


def _seal(data: bytes) -> bytes:
    """The length and SHA-256 of `data`."""
    return struct.pack("<Q", len(data)) + hashlib.sha256(data).digest()


def _file_seal(path: Path, start: int = 0, end: int | None = None) -> bytes:
    """`_seal` of the bytes start..end of a file, read a block at a time (an entry may be a long chapter)."""
    digest, length = hashlib.sha256(), 0
    with open(path, "rb") as f:
        f.seek(start)
        left = (f.seek(0, 2) if end is None else end) - start
        f.seek(start)
        while left > 0 and (block := f.read(min(left, 1 << 20))):
            digest.update(block)
            length += len(block)
            left -= len(block)
    return struct.pack("<Q", length) + digest.digest()


def _seal_wav(path: Path) -> None:
    """Append the check chunk to a closed WAV file and count it in the RIFF size."""
    # The hash covers what follows the RIFF size, which changes once the chunk is counted.
    seal = _file_seal(path, 8)
    with open(path, "r+b") as f:
        size = f.seek(0, 2)
        f.write(_SUM_ID + struct.pack("<I", _SUM_SIZE) + seal)
        f.seek(4)
        f.write(struct.pack("<I", size + _TRAILER - 8))


def _wav_shape(head: bytes, trailer: bytes, size: int) -> bool:
    """Whether a WAV file's RIFF header and final chunk say it is a sealed entry of `size` bytes."""
    return (
        size >= 44 + _TRAILER and head[:4] == b"RIFF" and struct.unpack("<I", head[4:8])[0] == size - 8
        and trailer[:8] == _SUM_ID + struct.pack("<I", _SUM_SIZE) and struct.unpack("<Q", trailer[8:16])[0] == size - 8 - _TRAILER
    )


def _sealed_wav(data: bytes) -> bool:
    """Whether WAV bytes end with a check chunk that matches them."""
    return _wav_shape(data[:8], data[-_TRAILER:], len(data)) and _seal(data[8:-_TRAILER]) == data[-_SUM_SIZE:]


class Cache:
    """Audio entries under `root/<kind>/<key[:2]>/<key>.wav`."""

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, kind: str, key: str, ext: str = ".wav") -> Path:
        """Where the entry for `key` lives."""
        return self.root / kind / key[:2] / f"{key}{ext}"

    def valid(self, kind: str, key: str, label: str | None = None, ext: str = ".wav") -> bool:
        """Whether the entry exists and passes its check; a damaged one is removed with a warning.

        Args:
            kind: the entry's kind ("speech", "sections", "mp3").
            key: its key.
            label: what the entry holds, for the warning (a sentence and its script); the key by default.
            ext: its extension: ".wav" entries carry their seal, others have it beside them.

        Returns:
            True when the entry is there and whole; False when absent or damaged (then made again).
        """
        path = self.path(kind, key, ext)
        try:
            if ext == ".wav":
                size = path.stat().st_size
                with open(path, "rb") as f:
                    head = f.read(8)
                    f.seek(max(0, size - _TRAILER))
                    trailer = f.read()
                whole = _wav_shape(head, trailer, size) and _file_seal(path, 8, size - _TRAILER) == trailer[-_SUM_SIZE:]
            else:
                whole = _file_seal(path) == Path(f"{path}{_SIDECAR}").read_bytes()
        except FileNotFoundError:
            if not path.exists():
                return False
            whole = False  # an encoded entry without its seal: cut off before it was sealed
        if not whole:
            self._damaged(path, label or f"{kind} entry {key[:12]}")
        return whole

    def _read(self, kind: str, key: str, label: str | None, ext: str = ".wav") -> bytes | None:
        """The entry's bytes if it is whole; None when absent, or damaged (then removed, with one warning)."""
        path = self.path(kind, key, ext)
        try:
            data = path.read_bytes()
            whole = _sealed_wav(data) if ext == ".wav" else _seal(data) == Path(f"{path}{_SIDECAR}").read_bytes()
        except FileNotFoundError:
            if not path.exists():
                return None
            whole = False  # an encoded entry without its seal: cut off before it was sealed
        if whole:
            return data
        self._damaged(path, label or f"{kind} entry {key[:12]}")
        return None

    def _damaged(self, path: Path, label: str) -> None:
        log.warning("the cached audio of %s was damaged; removed, it will be made again", label)
        self._remove(path)

    def read(self, kind: str, key: str, label: str | None = None, ext: str = ".wav") -> bytes | None:
        """The entry's bytes, checked; None when absent or damaged (then removed, with one warning)."""
        return self._read(kind, key, label, ext)

    def discard(self, kind: str, key: str, ext: str = ".wav") -> None:
        """Remove an entry and its seal: it is about to be made again from other inputs."""
        self._remove(self.path(kind, key, ext))

    @staticmethod
    def digest(path: Path) -> str | None:
        """The SHA-256 (hex) the seal beside an encoded entry records; None when it has none."""
        try:
            seal = Path(f"{path}{_SIDECAR}").read_bytes()
        except FileNotFoundError:
            return None
        return seal[8:].hex() if len(seal) == _SUM_SIZE else None

    @staticmethod
    def _remove(path: Path) -> None:
        path.unlink(missing_ok=True)
        Path(f"{path}{_SIDECAR}").unlink(missing_ok=True)

    def get(self, kind: str, key: str, label: str | None = None) -> AudioSegment | None:
        """The stored audio, checked; None when absent or damaged (then it is made again)."""
        data = self._read(kind, key, label)
        if data is None:
            return None
        with wave.open(io.BytesIO(data), "rb") as w:
            if (w.getframerate(), w.getsampwidth(), w.getnchannels()) != (pcm.RATE, pcm.WIDTH, pcm.CHANNELS):
                return None
            return pcm.segment(w.readframes(w.getnframes()))

    def sealed_hash(self, kind: str, key: str) -> bytes | None:
        """The SHA-256 a WAV entry's seal records, read from its end (what it holds, without reading it); None when absent."""
        try:
            with open(self.path(kind, key), "rb") as f:
                f.seek(-32, 2)
                return f.read(32)
        except OSError:
            return None

    def samples(self, kind: str, key: str) -> int | None:
        """How many samples the stored audio holds, or None when absent or damaged.

        A cheap check: its header and seal must describe a file of its size (the hash is checked where the audio is read).
        """
        path = self.path(kind, key)
        try:
            with open(path, "rb") as f:
                head, size = f.read(8), path.stat().st_size
                f.seek(max(0, size - _TRAILER))
                trailer = f.read()
            if _wav_shape(head, trailer, size):
                with wave.open(str(path), "rb") as w:
                    return w.getnframes()
        except FileNotFoundError:
            return None
        except (EOFError, wave.Error):
            pass
        self._read(kind, key, None)  # it fails the full check too: removed, with its warning
        return None

    def put(self, kind: str, key: str, seg: AudioSegment) -> None:
        """Store audio in the one PCM format under `key` atomically (an existing entry is kept).

        Raises:
            AudioError: the audio is in another format: stored, it would play at the wrong speed.
        """
        if (seg.frame_rate, seg.sample_width, seg.channels) != (pcm.RATE, pcm.WIDTH, pcm.CHANNELS):
            raise AudioError(
                f"refusing to cache {seg.frame_rate} Hz, {seg.sample_width * 8}-bit, {seg.channels}-channel audio "
                f"as {pcm.RATE} Hz mono 16-bit; convert it with narrate.audio.pcm.conform"
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
                w.setnchannels(pcm.CHANNELS)
                w.setsampwidth(pcm.WIDTH)
                w.setframerate(pcm.RATE)
                yield w
            _seal_wav(tmp)

    def put_bytes(self, kind: str, key: str, data: bytes, ext: str) -> None:
        """Store an encoded entry (such as an MP3 piece) atomically, sealed (an existing entry is kept)."""
        with atomic_path(self.path(kind, key, ext), keep_existing=True) as tmp:
            tmp.write_bytes(data)
        self.seal(self.path(kind, key, ext))

    def seal(self, path: Path) -> None:
        """Write the seal of the encoded entry at `path` beside it, unless it is there already.

        Called once the entry is in place: an entry whose writer is stopped before this is
        found unsealed, counted as damaged and made again.
        """
        with atomic_path(Path(f"{path}{_SIDECAR}"), keep_existing=True) as tmp:
            tmp.write_bytes(_file_seal(path))

    def entries(self) -> list[tuple[str, str, int]]:
        """Every entry as (kind, file name, size in bytes); the file name is the key and an extension."""
        found = []
        for path in self.root.glob("*/*/*.*") if self.root.is_dir() else ():
            if path.name.endswith(_SIDECAR):  # part of its entry
                continue
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
                self._remove(self.root / kind / name[:2] / name)
                count, size = count + 1, size + nbytes
        return count, size

    def damaged_entries(self) -> list[str]:
        """Check every entry, removing the damaged ones; returns theirs as "kind/file name"."""
        damaged = []
        for kind, name, _ in self.entries():
            key, ext = name.split(".", 1)
            if not self.valid(kind, key, f"{kind}/{name}", f".{ext}"):
                damaged.append(f"{kind}/{name}")
        return damaged
