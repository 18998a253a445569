"""cues.py: the built-in cues (deterministic phrases with attack and decay) and a user's cue file."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from narrate.audio import cues, master, pcm
from narrate.cli import cli
from narrate.errors import AudioError, ConfigError

RATE = pcm.RATE


def _envelope(seg, block_s: float) -> np.ndarray:
    """RMS per block of `block_s` seconds, in dBFS."""
    x = pcm.samples(seg).astype(np.float64)
    n = int(block_s * RATE)
    blocks = x[: x.size // n * n].reshape(-1, n)
    return 10 * np.log10(np.mean(blocks**2, axis=1) / 32768**2 + 1e-20)


@pytest.mark.parametrize("name", cues.VARIANTS)
def test_each_variant_is_the_same_bytes_every_time(name):
    assert cues.generate(name).raw_data == cues.generate(name).raw_data
    assert cues.load_cue(name, Path("."), "acx").raw_data == cues.load_cue(name, Path("."), "acx").raw_data


def test_the_variants_differ_and_default_is_the_vibraphone():
    made = {name: cues.generate(name).raw_data for name in cues.VARIANTS}
    assert len(set(made.values())) == len(cues.VARIANTS) >= 3
    assert cues.generate("default").raw_data == made["vibraphone"]
    assert cues.load_cue("default", Path(".")).raw_data == cues.load_cue("vibraphone", Path(".")).raw_data
    with pytest.raises(ConfigError, match="no built-in cue 'organ'; built-in cues: vibraphone, piano, harp"):
        cues.generate("organ")


@pytest.mark.parametrize("name", cues.VARIANTS)
def test_each_variant_is_a_short_phrase_with_a_natural_attack_and_decay(name):
    cue = cues.load_cue(name, Path("."), "acx")
    assert 1.5 <= pcm.ms(cue) / 1000 <= 3.0
    attack = _envelope(cue, 0.002)[:25]  # the first 50 ms in 2 ms steps
    assert attack[0] < attack.max() - 6, attack  # it starts from nothing...
    assert np.argmax(attack) >= 1  # ...and rises
    body = _envelope(cue, 0.1)
    tail = body[-6:]  # the last 0.6 s
    assert np.all(np.diff(tail) < 0), tail  # dying away
    assert tail[-1] < body.max() - 20  # to near silence, not cut off
    assert np.argmax(body) < body.size / 2  # loudest early, as struck or plucked notes are


@pytest.mark.parametrize("name", cues.VARIANTS)
def test_each_variant_sits_a_few_db_under_the_voice_for_each_target(name):
    acx = cues.load_cue(name, Path("."), "acx")
    x = pcm.samples(acx).astype(np.float64)
    assert abs(master._db(x) - (master.TARGET_RMS_DBFS - master.CUE_UNDER_DB)) <= 0.1
    assert 20 * np.log10(np.abs(x).max() / 32768) <= master.PEAK_CEILING_DBFS + 0.01
    podcast = cues.load_cue(name, Path("."), "podcast")
    lufs, true_peak = master.loudness(podcast)
    goal = master.TARGETS["podcast"]
    assert abs(lufs - (goal.voice - master.CUE_UNDER_DB)) <= 0.15 and true_peak <= goal.ceiling + 0.1


def _wav(path: Path, samples: np.ndarray, rate: int, channels: int) -> Path:
    """Write int16 `samples` (frames x channels) as a WAV file."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(np.ascontiguousarray(samples, dtype="<i2").tobytes())
    return path


def _bell(seconds: float, rate: int, freq: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return 0.8 * np.sin(2 * np.pi * freq * t) * np.exp(-t * 0.4) * np.minimum(1, t / 0.01)


def test_a_user_file_at_22khz_stereo_is_resampled_to_mono_cut_to_four_seconds_and_levelled(tmp_path):
    left = _bell(6.0, 22050)
    stereo = np.stack([left, 0.5 * left], axis=1) * 32767  # different channels: both must reach the mono mix
    _wav(tmp_path / "cue.wav", stereo, 22050, 2)
    cue = cues.load_cue("cue.wav", tmp_path, "acx")
    x = pcm.samples(cue).astype(np.float64)
    assert abs(x.size / RATE - cues.USER_CUE_MAX_S) <= 0.05  # 44.1 kHz samples for 4 s, not 22.05 kHz ones
    spectrum = np.abs(np.fft.rfft(x[:RATE]))  # one second: 1 Hz per bin
    assert abs(np.argmax(spectrum) - 440) <= 2  # the pitch survives resampling
    assert abs(master._db(x) - master.CUE_RMS_DBFS) <= 0.1
    end = _envelope(cue, 0.05)
    assert end[-1] < end[-10] - 15  # faded out, not cut off mid-note
    assert cues.load_cue("cue.wav", tmp_path, "acx").raw_data == cue.raw_data
    podcast = cues.load_cue("cue.wav", tmp_path, "podcast")
    assert abs(master.loudness(podcast)[0] - (master.TARGETS["podcast"].voice - master.CUE_UNDER_DB)) <= 0.15


def test_a_short_user_file_keeps_its_length(tmp_path):
    _wav(tmp_path / "ding.wav", _bell(1.2, 48000, 660.0) * 32767, 48000, 1)
    cue = cues.load_cue("ding.wav", tmp_path)
    assert 1.1 <= pcm.ms(cue) / 1000 <= 1.25


def test_a_cue_file_that_is_not_audio_is_one_clear_error(tmp_path):
    (tmp_path / "cue.mp3").write_text("this is a shopping list, not a sound\n" * 50, encoding="utf-8")
    with pytest.raises(AudioError) as caught:
        cues.load_cue("cue.mp3", tmp_path)
    message = str(caught.value)
    assert str(tmp_path / "cue.mp3") in message and "is not audio" in message and "sound.cue" in message
    with pytest.raises(ConfigError, match=r"cue file not found: .*missing\.wav; set sound\.cue"):
        cues.load_cue("missing.wav", tmp_path)
    _wav(tmp_path / "silent.wav", np.zeros(22050), 22050, 1)
    with pytest.raises(AudioError, match="the cue is silent"):
        cues.load_cue("silent.wav", tmp_path)
    assert cues.load_cue("none", tmp_path) is None


def test_the_build_stops_on_a_non_audio_cue_with_one_line(example_project, fake_engine):
    (example_project / "notes.wav").write_text("not audio\n", encoding="utf-8")
    toml = example_project / "narrate.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('cue = "vibraphone"', 'cue = "notes.wav"'), encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--engine", "fake"])
    assert result.exit_code == 1
    assert "notes.wav is not audio narrate can read" in result.output and "Traceback" not in result.output
    assert fake_engine == []  # found before any speech is synthesized
