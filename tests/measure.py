"""Independent measurements of built audio, shared by the tests and the benchmark."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np

from narrate import audio
from narrate import build as pipeline
from narrate import plan as planning
from narrate.tags import read_chapters


def find_offset(needle: np.ndarray, haystack: np.ndarray) -> int:
    """Offset of `needle` in `haystack` by normalized cross-correlation (FFT)."""
    size = 1 << (haystack.size + needle.size - 1).bit_length()
    corr = np.fft.irfft(np.fft.rfft(haystack, size) * np.conj(np.fft.rfft(needle, size)), size)
    corr = corr[: haystack.size - needle.size + 1]
    # Each window's energy from a running sum: np.convolve with a 1-second box did it in
    # O(n * m), 4e9 multiplications per chapter (275 s of a loaded test run for five chapters).
    power = np.concatenate([[0.0], np.cumsum(haystack**2)])
    energy = np.maximum(power[needle.size :] - power[: -needle.size], 0.0)
    return int(np.argmax(corr / np.sqrt(energy + 1e-9)))


def _windows(book: Path, spans: list[tuple[int, int]]) -> list[np.ndarray]:
    """The decoded book's samples in each (start, length) span, decoding once, streaming."""
    proc = subprocess.Popen(
        [audio.ffmpeg(), "-v", "error", "-i", str(book), "-f", "s16le", "-ac", "1", "-ar", str(audio.RATE), "pipe:1"],
        stdout=subprocess.PIPE,
    )
    found: list[np.ndarray] = []
    position, pending = 0, sorted(spans)
    buffer = np.zeros(0, dtype=np.int16)
    try:
        while pending:
            chunk = proc.stdout.read(1 << 20)
            if not chunk:
                break
            buffer = np.concatenate([buffer, np.frombuffer(chunk, dtype=np.int16)])
            while pending and position + buffer.size >= pending[0][0] + pending[0][1]:
                start, length = pending.pop(0)
                found.append(buffer[start - position : start - position + length].astype(np.float64))
            keep_from = max(0, min((pending[0][0] - position) if pending else buffer.size, buffer.size))
            buffer, position = buffer[keep_from:], position + keep_from
    finally:
        proc.kill()
        proc.wait()
    return found


def chapter_errors_ms(project: pipeline.Project, book: Path, engine: str) -> list[float]:
    """For each chapter after the first: |chapter start - where its section's audio really is|, in ms.

    The section's audio is taken from the build's cache exactly as it went to the
    encoder, and found in the decoded book by cross-correlation near the chapter mark.
    """
    _, plan = planning.readonly(project, engine)
    chapters = read_chapters(book)
    rate = audio.RATE
    spans = [(max(0, int((c.start_ms - 1000) * rate / 1000)), 3 * rate) for c in chapters[1:]]
    errors = []
    for chapter, section, window, (start, _) in zip(chapters[1:], plan.sections[1:], _windows(book, spans), spans):
        needle = audio.samples(project.cache.get("sections", section.key))[:rate].astype(np.float64)
        errors.append(abs((start + find_offset(needle, window)) * 1000 / rate - chapter.start_ms))
    return errors
