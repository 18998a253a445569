"""master.py: levels by target (RMS or BS.1770 loudness), the 4x oversampled true-peak limiter, room tone."""

from __future__ import annotations

import numpy as np
import pytest

from fakes import speech_like
from narrate.audio import limiter, master, pcm
from narrate.errors import ConfigError


def _section(level_db: float, seconds: float = 6.0, seed: int = 3) -> pcm.AudioSegment:
    """Speech-like bursts with digital-silence gaps, scaled so its RMS is `level_db`."""
    x = np.concatenate([speech_like(seconds, seed), np.zeros(pcm.RATE // 2)])
    x *= 10 ** (level_db / 20) / np.sqrt(np.mean(x**2))
    return pcm.from_samples(np.clip(x, -1, 1))


def _rms_db(seg) -> float:
    return master._db(pcm.samples(seg).astype(np.float64))


def _peak_db(seg) -> float:
    return 20 * np.log10(np.abs(pcm.samples(seg).astype(np.float64)).max() / 32768)


@pytest.mark.parametrize("level_db", [-38.0, -20.5, -9.0])
def test_acx_sets_the_rms_and_keeps_sample_peaks_under_the_ceiling(level_db):
    out = master.level(_section(level_db), "acx")
    assert abs(_rms_db(out) - master.TARGET_RMS_DBFS) <= 0.06
    assert _peak_db(out) <= master.PEAK_CEILING_DBFS + 0.01
    assert len(out.raw_data) == len(_section(level_db).raw_data)


@pytest.mark.parametrize("level_db", [-38.0, -12.0])
def test_podcast_sets_the_loudness_and_keeps_true_peaks_under_the_ceiling(level_db):
    out = master.level(_section(level_db), "podcast")
    goal = master.TARGETS["podcast"]
    lufs, true_peak = master.loudness(out)  # ffmpeg's ebur128 (peak=true), BS.1770
    assert abs(lufs - goal.voice) <= 0.1
    assert true_peak <= goal.ceiling + 0.1
    assert master.true_peak_db(out) <= goal.ceiling + 0.05
    # The PCM is set louder by what 192 kbps MP3 takes off, so the file lands on -16 LUFS.
    assert goal.voice == pytest.approx(-16.0 + master.MP3_LOSS_DB)


@pytest.mark.parametrize("target", ["acx", "podcast"])
def test_sections_recorded_at_different_levels_come_out_matched(target):
    quiet = master.level(_section(-35.0, seed=4), target)
    loud = master.level(_section(-10.0, seed=5), target)
    if target == "acx":
        assert abs(_rms_db(quiet) - _rms_db(loud)) <= 0.1
    else:
        assert abs(master.loudness(quiet, true_peak=False)[0] - master.loudness(loud, true_peak=False)[0]) <= 0.15


def test_the_cue_is_set_under_the_voice_by_the_targets_measure():
    cue = master.level(_section(-30.0), "acx", under_db=master.CUE_UNDER_DB)
    assert abs(_rms_db(cue) - master.CUE_RMS_DBFS) <= 0.06
    assert 3.0 <= master.CUE_UNDER_DB <= 6.0


def test_the_true_peak_estimate_finds_peaks_between_samples():
    # A sine at a quarter of the rate, sampled 45 degrees off its crests: samples sit 3 dB under the wave's peak.
    n = np.arange(pcm.RATE)
    seg = pcm.from_samples(0.5 * np.sin(2 * np.pi * pcm.RATE / 4 * n / pcm.RATE + np.pi / 4))
    assert abs(_peak_db(seg) - (20 * np.log10(0.5) - 3.01)) < 0.05
    assert abs(master.true_peak_db(seg) - 20 * np.log10(0.5)) < 0.3


def _limit(x: np.ndarray, ceiling: float, oversampled: bool) -> np.ndarray:
    """The limiter over a whole float signal, as the mastering pass runs it a range of blocks at a time."""
    read = master.chunks_of(x)
    return np.concatenate([np.zeros(0), *limiter.limited(read, limiter.scan(read, oversampled), 1.0, 32768 * 10 ** (ceiling / 20))])


def test_the_true_peak_limiter_holds_peaks_the_sample_limiter_misses():
    n = np.arange(pcm.RATE)
    x = 32768 * 0.9 * np.sin(2 * np.pi * 11025 * n / pcm.RATE + np.pi / 4)  # sample peaks 0.64, true 0.9
    sample_only = pcm.from_samples(_limit(x, -6.0, oversampled=False) / 32768)
    oversampled = pcm.from_samples(_limit(x, -6.0, oversampled=True) / 32768)
    assert master.true_peak_db(sample_only) > -4.0  # the wave between the samples still reaches -3 dB
    assert master.true_peak_db(oversampled) <= -5.95


def test_digital_silence_is_left_alone_and_unknown_targets_are_refused():
    silent = pcm.silence(500)
    assert master.level(silent, "podcast") is silent
    with pytest.raises(ConfigError, match="unknown sound target 'loud'; known targets: acx, podcast"):
        master.level(_section(-20.0), "loud")


def test_pauses_are_room_tone_at_its_level_never_digital_silence():
    pause = master.pause(1500)
    x = pcm.samples(pause)
    assert len(x) == int(1.5 * pcm.RATE)
    assert abs(_rms_db(pause) - master.ROOM_TONE_DBFS) <= 0.5
    # a low rumble crosses zero slowly: brief runs of zeros, none near ACX's 0.1 s of digital silence
    assert np.count_nonzero(x == 0) < 0.1 * x.size and np.all(np.diff(np.flatnonzero(x)) < 200)
    assert master.pause(1500).raw_data == pause.raw_data  # the same bed for the same length


def test_every_target_narrate_toml_accepts_has_a_master():
    from narrate.config import SOUND_TARGETS

    assert tuple(master.TARGETS) == SOUND_TARGETS and master.DEFAULT_TARGET == "acx"


def test_a_long_section_streamed_from_its_sentences_is_levelled_like_one_in_memory():
    sentences = [pcm.samples(_section(-30.0 + 3 * (i % 5), seconds=2.0, seed=i)) for i in range(12)]
    whole = np.concatenate(sentences)
    read = lambda: master.rechunk(iter(sentences))  # noqa: E731  sentences of any length, regrouped
    streamed = np.concatenate(list(master.level_chunks(read, "acx")))
    in_memory = pcm.samples(master.level(pcm.from_int16(whole), "acx"))
    np.testing.assert_array_equal(streamed, in_memory)
    # The gain was found from block statistics; the samples written measure on target.
    assert abs(master._db(streamed.astype(np.float64)) - master.TARGET_RMS_DBFS) <= 0.06
