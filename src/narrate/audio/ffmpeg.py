"""One way to run ffmpeg (the binary imageio-ffmpeg ships): a whole run, or a stream.

Either way its log goes to a temporary file, not a pipe (ffmpeg logs as it reads, and a full
pipe would stall it while we write), and a failure becomes one AudioError quoting ffmpeg's
last line.
"""

from __future__ import annotations

import contextlib
import functools
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO

from narrate.errors import AudioError


@functools.cache
def exe() -> str:
    """Path of the ffmpeg binary that imageio-ffmpeg ships.

    Raises:
        AudioError: imageio-ffmpeg or its binary is missing.
    """
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as exc:  # imageio-ffmpeg raises RuntimeError when its binary is missing
        raise AudioError(f"ffmpeg is not available ({exc}); run `pip install imageio-ffmpeg`") from exc


def pcm_input(rate: int, channels: int = 1, source: str = "pipe:0") -> list[str]:
    """Input options: raw signed 16-bit little-endian PCM at `rate` from `source` (stdin unless named)."""
    return ["-f", "s16le", "-ar", str(rate), "-ac", str(channels), "-i", source]


def pcm_output(rate: int, channels: int = 1) -> list[str]:
    """Output options: the audio as raw signed 16-bit little-endian PCM at `rate` on stdout."""
    return ["-vn", "-f", "s16le", "-acodec", "pcm_s16le", "-ac", str(channels), "-ar", str(rate), "pipe:1"]


def tempo_filter(tempo: float) -> list[str]:
    """Options that play the audio `tempo` times as fast (0.5 to 2), pitch kept; none at 1."""
    return ["-af", f"atempo={tempo:g}"] if tempo != 1.0 else []


def _command(args: list[str], quiet: bool) -> list[str]:
    # -y: every output narrate names is its own (a temporary file or a pipe); without it ffmpeg
    # would ask on stdin whether to overwrite the temporary file, and read the answer from the audio.
    return [exe(), "-hide_banner", "-y", *(["-loglevel", "error"] if quiet else ["-nostats"]), *args]


def _last_line(log: str) -> str:
    lines = log.strip().splitlines()
    return lines[-1] if lines else "nothing"


def run(args: list[str], what: str, data: bytes | None = None) -> bytes:
    """Run ffmpeg to the end with `data` on its stdin (or none); return its stdout.

    Raises:
        AudioError: ffmpeg failed; the message is `what`, then ffmpeg's last line.
    """
    proc = subprocess.run(
        _command(["-nostdin", *args] if data is None else args, quiet=True),
        input=data,
        stdin=subprocess.DEVNULL if data is None else None,
        capture_output=True,
    )
    if proc.returncode != 0:
        raise AudioError(f"{what}: ffmpeg said: {_last_line(proc.stderr.decode('utf-8', 'replace'))}")
    return proc.stdout


@dataclass
class Stream:
    """A running ffmpeg: write to `stdin` or read `stdout` (whichever was asked for); `log` once it ended."""

    stdin: IO[bytes] | None
    stdout: IO[bytes] | None
    log: str = field(default="")
    returncode: int | None = None


@contextlib.contextmanager
def stream(
    args: list[str], what: str, stdin: bool = False, stdout: bool = False, check: bool = True, quiet: bool = True
) -> Iterator[Stream]:
    """Run ffmpeg while the block feeds its stdin or reads its stdout.

    On leaving the block its stdin is closed and it is waited for; when the block raised,
    it is killed instead, so no ffmpeg is left behind. With `check`, a failure raises;
    either way its log is in `log` (with `quiet` false, all of it: a filter's report).

    Raises:
        AudioError: with `check`, ffmpeg failed: `what`, then ffmpeg's last line.
    """
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            _command(args if stdin else ["-nostdin", *args], quiet),
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE if stdout else subprocess.DEVNULL,
            stderr=log,
        )
        running = Stream(proc.stdin, proc.stdout)
        finished = stopped_reading = False
        try:
            yield running
            finished = True
        except BrokenPipeError:
            finished = stopped_reading = True  # ffmpeg stopped reading early: its log says why
        finally:
            for pipe in (proc.stdin, proc.stdout):
                if pipe is not None:
                    with contextlib.suppress(BrokenPipeError):
                        pipe.close()
            if not finished and proc.poll() is None:
                proc.kill()
            proc.wait()
        log.seek(0)
        running.log = log.read().decode("utf-8", "replace")
        running.returncode = proc.returncode
    if stopped_reading or (check and finished and proc.returncode != 0):
        raise AudioError(f"{what}: ffmpeg said: {_last_line(running.log)}")
