"""A long section's MP3 body encoded in parts on every core, joined where no timing can tell.

LAME runs on one core, so re-encoding one long chapter after an edit took as long as the
encoder needed for the whole of it (Mill's 92-minute chapter: 31 of the edit's 44 s). A
section long enough is cut into parts at pauses, each encoded by its own ffmpeg at once.

Each part is a LAME stream of its own: decoded, it starts with the encoder's priming (`delay`
samples) and ends padded to a whole frame. A cut is placed where the part's input plus
the priming ends half a frame past a frame boundary, so the part decodes to exactly
`delay + its samples + HALF_FRAME`; the next part then starts that many samples after the
cut, the pause losing `delay + HALF_FRAME` samples (38 ms at 44.1 kHz) of room tone to the
priming and padding. Every sample after the cut decodes where it would have in one run, so
the body's frame count, chapter times and caption timings are exactly those of one run. Each
part's length is checked once it is encoded; an encoder that pads otherwise gets the section
encoded again in one run.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from narrate.audio import ffmpeg as ffmpeg_run
from narrate.audio import mp3frames, pcm
from narrate.audio.limiter import BLOCK, Levels
from narrate.errors import AudioError
from narrate.fsutil import atomic_path

log = logging.getLogger(__name__)

HALF_FRAME = pcm.FRAME_SAMPLES // 2
MIN_PART = 3 * 60 * pcm.RATE  # shorter parts save too little to be worth another encoder
_SEARCH = 5 * 60 * pcm.RATE  # how far from an even cut a pause is looked for


class Misaligned(AudioError):
    """An encoded part did not come out the length the cut assumed (another LAME's padding)."""


def parts_for(samples: int) -> int:
    """How many parts a body of `samples` is encoded in: one per core, none shorter than MIN_PART."""
    return max(1, min(os.cpu_count() or 1, samples // MIN_PART))


def cuts(levels: Levels, parts: int, delay: int) -> list[int]:
    """Where to cut a section into `parts`: a sample in a pause near each even division, or fewer cuts.

    Pauses are digital silence before mastering (blocks whose peak is 0 in the measurement);
    a cut needs `delay + HALF_FRAME` samples of one, and lands where `cut + delay` is
    HALF_FRAME past a frame boundary.
    """
    found: list[int] = []
    room = delay + HALF_FRAME + 2 * BLOCK
    for part in range(1, parts):
        target = levels.size * part // parts
        cut = _pause_after(levels, target, min(levels.size, target + _SEARCH), room, delay)
        if cut is not None and (not found or cut - found[-1] >= MIN_PART // 2):
            found.append(cut)
    return found


def _pause_after(levels: Levels, start: int, stop: int, room: int, delay: int) -> int | None:
    """The first aligned cut with `room` samples of pause after it, in a pause between samples `start` and `stop`."""
    first, last = start // BLOCK, min(levels.blocks, -(-stop // BLOCK))
    # The window's block peaks at once: at most _SEARCH samples' worth (3 MB), whatever the section's length.
    silent = np.concatenate([[False], levels.read(first, last)[:, 0] == 0, [False]])
    edges = np.flatnonzero(silent[1:] != silent[:-1]) + first  # each pause's first block, then the block after it
    for begin, end in zip(edges[::2].tolist(), edges[1::2].tolist()):
        # One block of the pause kept either side of what the encoders' priming and padding replace.
        cut = (begin + 1) * BLOCK
        cut += (HALF_FRAME - cut - delay) % pcm.FRAME_SAMPLES
        if cut + room <= (end - 1) * BLOCK:
            return cut
    return None


class _PartsWriter:
    """Routes a section's samples: each part but the last to a file, encoded once whole, the last to its encoder.

    Part i takes samples starts[i]..ends[i]-1; the samples between two parts are dropped (the
    priming and padding take their place).
    """

    def __init__(self, raws: list[Path], runs: list[Path], bitrate: str, cuts: list[int], delay: int, last_stdin):
        self._raws, self.runs, self._bitrate = raws, runs, bitrate
        self.starts = [0, *(c + delay + HALF_FRAME for c in cuts)]
        self.ends = [*cuts, None]
        self._pos = 0
        self._part = 0
        self._file = open(self._raws[0], "wb") if cuts else None  # noqa: SIM115 - closed as its part ends, or by close()
        self._last = last_stdin
        self.threads: list[threading.Thread] = []
        self.errors: list[BaseException] = []

    def write(self, chunk: np.ndarray) -> None:
        """Append int16 samples of the section."""
        data = chunk.astype(np.int16, copy=False)
        while data.size:
            part = self._part
            if self._pos < self.starts[part]:  # between two parts: dropped
                skip = min(data.size, self.starts[part] - self._pos)
                data, self._pos = data[skip:], self._pos + skip
                continue
            end = self.ends[part]
            if end is None:  # the last part: straight into its encoder
                self._last.write(data.tobytes())
                self._pos += data.size
                return
            assert self._file is not None
            take = min(data.size, end - self._pos)
            self._file.write(data[:take].tobytes())
            data, self._pos = data[take:], self._pos + take
            if self._pos == end:
                self._close_part()

    def _close_part(self) -> None:
        """The current part is whole: encode it on a thread, and open the next one's file."""
        assert self._file is not None
        self._file.close()
        thread = threading.Thread(target=self._encode, args=(self._part,), name=f"mp3-part{self._part}")
        thread.start()
        self.threads.append(thread)
        self._part += 1
        self._file = open(self._raws[self._part], "wb") if self.ends[self._part] is not None else None  # noqa: SIM115

    def _encode(self, part: int) -> None:
        try:
            raw = self._raws[part]
            args = [*ffmpeg_run.pcm_input(pcm.RATE, pcm.CHANNELS, str(raw)), *pcm.mp3_output(self._bitrate, False, str(self.runs[part]))]
            ffmpeg_run.run(args, f"cannot encode part {part + 1} of a section")
            raw.unlink()  # as soon as it is encoded: a part of a long chapter is hundreds of MB
        except BaseException as exc:  # raised again by parts_writer, in its caller's thread
            self.errors.append(exc)

    def close(self) -> None:
        """Stop writing files (after a failure) and wait for the parts being encoded."""
        if self._file is not None:
            self._file.close()
        for thread in self.threads:
            thread.join()


@contextlib.contextmanager
def parts_writer(path: Path, bitrate: str, cuts: list[int], delay: int) -> Iterator[_PartsWriter]:
    """Encode streamed PCM to bare MP3 frames at `path` (kept if there), in parts cut at `cuts`.

    The parts' input and frames are hidden temporaries beside `path` (`.NAME.*.part`, which
    the next build removes if this one is killed).

    Raises:
        Misaligned: a part's frames are not the length its cut assumed (the caller encodes in one run instead).
        AudioError: an encoder failed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temps: list[Path] = []

    def temp(kind: str) -> Path:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.{kind}.", suffix=".part", dir=path.parent)
        os.close(handle)
        temps.append(Path(name))
        return temps[-1]

    try:
        raws = [temp(f"pcm{part}") for part in range(len(cuts))]
        runs = [temp(f"mp3{part}") for part in range(len(cuts) + 1)]
        with ffmpeg_run.stream([*pcm.PCM_INPUT, *pcm.mp3_output(bitrate, False, str(runs[-1]))],
                               f"cannot encode {path}", stdin=True) as run:
            writer = _PartsWriter(raws, runs, bitrate, cuts, delay, run.stdin)
            try:
                yield writer
            finally:
                writer.close()
        if writer.errors:
            raise writer.errors[0]
        for part, cut in enumerate(cuts):
            frames = mp3frames.file_frame_count(runs[part])
            if frames * pcm.FRAME_SAMPLES != cut - writer.starts[part] + delay + HALF_FRAME:
                raise Misaligned(f"part {part + 1} of {path.name} has {frames} frames, not the length its cut assumed")
        with atomic_path(path, keep_existing=True) as tmp, open(tmp, "wb") as out:
            for run_path in runs:
                with open(run_path, "rb") as frames_in:
                    while block := frames_in.read(1 << 20):
                        out.write(block)
    finally:
        for leftover in temps:
            leftover.unlink(missing_ok=True)
    log.debug("%s encoded in %d parts", path.name, len(cuts) + 1)
