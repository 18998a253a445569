"""narrate voices: every installed voice listed, samples, and a voice change against the cache."""

from __future__ import annotations

import pytest
from conftest import assert_clear_error, run_cli
from mutagen.mp3 import MP3
from voicecheck import heard, make_book

from narrate import audio, voices
from narrate import build as pipeline
from narrate.engines import kokoro


def test_lists_every_installed_voice_with_its_facts(monkeypatch):
    result = run_cli("voices", "--no-measure")
    assert result.exit_code == 0, result.stderr
    rows = {line.split()[0]: line.split() for line in result.stdout.splitlines()[1:]}
    assert rows["heart"][:7] == ["heart", "hibari", "en-US", "female", "24000", "Apache-2.0", "no"]
    assert rows["en_US-joe-medium"][:7] == ["en_US-joe-medium", "piper", "en-US", "male", "22050", "CC0", "no"]
    # Google's accents: the same columns, and they need the network
    assert rows["google-en-gb"] == ["google-en-gb", "gtts", "en-GB", "female", "24000", "Google's", "terms", "yes", "network"]
    if kokoro.installed():
        assert {"af_heart", "am_michael", "bf_emma", "bm_george"} <= set(rows)
        assert rows["bm_george"][1:4] == ["kokoro", "en-GB", "male"]


def test_speed_class_follows_the_measure():
    voice = voices.find("heart")
    assert voices.VoiceReport(voice, 32.4).speed == "fast: about 32× real time"
    assert voices.VoiceReport(voice, 1.84).speed == "slow: about 1.8× real time on this machine"


@pytest.mark.slow
def test_sample_is_an_mp3_of_the_sentence(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("voices", "--sample", "heart")
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "audio" / "voice-heart.mp3"
    assert result.stdout.strip() == f"wrote {path.relative_to(tmp_path)}"
    assert 4 < MP3(path).info.length < 10
    assert len({"city", "stars", "dreamers", "music", "evening", "night"} & heard(audio.decode(path))) >= 3


def test_unknown_sample_voice_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_clear_error(run_cli("-q", "voices", "--sample", "nobody"), r"no voice named 'nobody' is installed; choose one of: google-en-us, .*heart")
    assert not (tmp_path / "audio").exists()


def test_the_voice_option_picks_the_voice_and_its_engine_over_narrate_toml(tmp_path, monkeypatch):
    monkeypatch.chdir(make_book(tmp_path, "heart", engine="hibari"))
    result = run_cli("status", "--voice", "en_US-joe-medium")
    assert result.exit_code == 0, result.stderr
    assert "with piper (en_US-joe-medium)" in result.stdout.splitlines()[-1]
    assert "with hibari (heart)" in run_cli("status").stdout.splitlines()[-1]  # narrate.toml's own, untouched


def test_an_unknown_voice_is_one_line_and_never_another_voice(tmp_path, monkeypatch):
    monkeypatch.chdir(make_book(tmp_path, "heart"))
    assert_clear_error(run_cli("-q", "build", "--voice", "bm_gorge"), r"unknown voice 'bm_gorge'; `narrate voices` lists")
    assert not (tmp_path / "audio").exists()
    (tmp_path / "narrate.toml").write_text((tmp_path / "narrate.toml").read_text().replace('"heart"', '"hart"'))
    assert_clear_error(run_cli("-q", "status"), r"narrate.toml \(line 5\): unknown voice 'hart'")


@pytest.mark.slow
def test_changing_the_voice_resynthesizes_and_changing_back_costs_nothing(tmp_path):
    root = make_book(tmp_path, "heart")
    first = pipeline.build(pipeline.open_project(root))
    assert first.engine.startswith("hibari") and first.synthesized > 0
    toml = root / "narrate.toml"
    toml.write_text(toml.read_text().replace('voice = "heart"', 'voice = "en_US-joe-medium"'))
    other = pipeline.build(pipeline.open_project(root))
    assert other.engine.startswith("piper") and other.synthesized == first.synthesized
    toml.write_text(toml.read_text().replace('voice = "en_US-joe-medium"', 'voice = "heart"'))
    back = pipeline.build(pipeline.open_project(root))
    assert back.synthesized == 0 and back.book.read_bytes() == first.book.read_bytes()


def _one_voice_per_engine() -> list[str]:
    """Voices of one engine share its code and model size: one each (tests/bench/voices.py builds them all)."""
    first: dict[str, str] = {}
    for v in voices.available():
        if not v.network:
            first.setdefault(v.engine, "bm_george" if v.engine == "kokoro" else v.name)  # British: its own G2P
    return list(first.values())


@pytest.mark.slow
@pytest.mark.parametrize("voice", _one_voice_per_engine())
def test_each_engine_builds_a_book_a_recognizer_hears(tmp_path, voice):
    report = pipeline.build(pipeline.open_project(make_book(tmp_path, voice)))
    (track,) = [s.track for s in report.sections if s.kind == "section"]
    assert report.engine.split()[0] == voices.find(voice).engine
    assert len({"drove", "angeles", "ocean", "morning", "light"} & heard(audio.decode(track))) >= 2, heard(audio.decode(track))
