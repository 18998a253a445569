"""audio.py: resampling in process gives what the ffmpeg command gives, sample for sample."""

from __future__ import annotations

import numpy as np
import pytest

from narrate.audio import ffmpeg, pcm


@pytest.mark.parametrize("rate", [24000, 16000, 48000, 8000])
def test_in_process_resampling_is_the_ffmpeg_commands_to_the_sample(rate):
    pytest.importorskip("av")
    rng = np.random.default_rng(rate)
    for n in (1, 79, 4097, 24000 * 3 + 17):
        x = (np.sin(np.arange(n) * rng.uniform(0.01, 1)) * rng.uniform(100, 32767)).astype(np.int16)
        x[rng.integers(0, n, max(1, n // 100))] = rng.integers(-32768, 32767, max(1, n // 100))
        command = ffmpeg.run([*ffmpeg.pcm_input(rate), *pcm._TO_PCM], "resample", x.tobytes())
        assert pcm.resample(x, rate).raw_data == command, (rate, n)
    assert pcm.resample(np.zeros(0, np.int16), rate).raw_data == b""


def test_without_pyav_the_ffmpeg_command_resamples(monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_av(name, *args, **kwargs):
        if name == "av":
            raise ImportError("No module named 'av'")
        return real_import(name, *args, **kwargs)

    x = (np.sin(np.arange(24000) / 5) * 9000).astype(np.int16)
    with_av = pcm.resample(x, 24000).raw_data
    monkeypatch.setattr(builtins, "__import__", no_av)
    assert pcm._swresample(x, 24000) is None
    assert pcm.resample(x, 24000).raw_data == with_av
