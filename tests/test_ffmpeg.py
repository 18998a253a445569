"""ffmpeg.py: one way to run ffmpeg; a failure is one AudioError, never a silently short result."""

from __future__ import annotations

import numpy as np
import pytest

from narrate.audio import ffmpeg, pcm
from narrate.errors import AudioError


def test_a_failed_run_quotes_ffmpegs_last_line(tmp_path):
    with pytest.raises(AudioError, match=r"^cannot decode it: ffmpeg said: .*(Invalid data|could not find codec|Invalid argument)"):
        ffmpeg.run(["-i", "pipe:0", "-f", "s16le", "pipe:1"], "cannot decode it", b"not audio at all" * 100)


def test_a_stream_reads_what_ffmpeg_writes():
    tone = (8000 * np.sin(np.arange(44100) / 9)).astype(np.int16)
    with ffmpeg.stream([*pcm.PCM_INPUT, "-f", "s16le", "pipe:1"], "copying", stdin=True, stdout=False) as run:
        run.stdin.write(tone.tobytes())
    assert run.returncode == 0


def test_ffmpeg_stopping_early_while_fed_is_an_error_even_when_it_exits_cleanly(tmp_path):
    # `-t 0.01`: ffmpeg takes 10 ms and exits 0 without reading the rest; the writer must not take that as done.
    args = [*pcm.PCM_INPUT, "-t", "0.01", "-f", "null", "-"]
    with pytest.raises(AudioError, match="^feeding: ffmpeg said"):
        with ffmpeg.stream(args, "feeding", stdin=True) as run:
            for _ in range(400):  # 400 s of audio: far more than a pipe holds
                run.stdin.write(np.zeros(44100, dtype=np.int16).tobytes())
