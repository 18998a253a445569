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


def test_pcm_input_and_output_resample_a_second_to_a_second():
    tone = (8000 * np.sin(np.arange(22050) / 9)).astype(np.int16)  # 1 s at 22.05 kHz
    out = np.frombuffer(ffmpeg.run([*ffmpeg.pcm_input(22050), *ffmpeg.pcm_output(44100)], "resampling", tone.tobytes()), np.int16)
    assert abs(out.size - 44100) <= 64  # the resampler's edge: a few samples either way
    assert np.abs(out).max() > 7000  # the tone, not silence


def test_tempo_filter_plays_twice_as_fast_and_is_nothing_at_one():
    assert ffmpeg.tempo_filter(1.0) == []
    tone = (8000 * np.sin(np.arange(44100) / 9)).astype(np.int16)
    args = [*ffmpeg.pcm_input(44100), *ffmpeg.tempo_filter(2.0), *ffmpeg.pcm_output(44100)]
    out = np.frombuffer(ffmpeg.run(args, "speeding up", tone.tobytes()), np.int16)
    assert abs(out.size - 22050) <= 441  # atempo keeps time to about 10 ms
