"""narrate verify on the real default voice: a take that is silent, cut short or another sentence is named, and only it."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli
from narrate import engines
from narrate.audio import pcm
from narrate.engines.hibari import HibariEngine
from narrate.watch import watch
from smallbook import make_project

# Sentences of the small book (12 with its title and headings), and what the misbehaving voice does instead of saying them.
CUES = {
    "The door opens onto a hall.": "silence",
    "Light comes through the window.": "half",
    "Here the floor creaks.": "other",
}


class MisbehavingVoice(HibariEngine):
    """The default voice, except on cue: silence, the first half of the take, or another sentence's speech."""

    name = "misbehaving"

    def synthesize(self, text: str):
        what = CUES.get(text)
        if what == "silence":
            return pcm.silence(1500)
        take = pcm.conform(super().synthesize("A chair waits by the wall." if what == "other" else text))
        if what == "half":
            x = pcm.samples(take)
            return pcm.from_int16(x[: len(x) // 2])
        return take


@pytest.fixture
def misbehaving(tmp_path, monkeypatch):
    monkeypatch.setitem(engines.ENGINES, "misbehaving", MisbehavingVoice)
    make_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.slow
def test_verify_names_silent_halved_and_replaced_sentences(misbehaving):
    assert run_cli("-q", "build", "--engine", "misbehaving").exit_code == 0
    result = run_cli("verify", "--engine", "misbehaving", "--json")
    assert result.exit_code == 1, result.stderr
    sentences = json.loads(result.stdout)["sentences"]
    doubtful = {s["text"] for s in sentences if not s["heard"]}
    assert doubtful == set(CUES), [(s["text"], s["transcript"], s["score"]) for s in sentences]
    assert len(sentences) == 12 and all(s["end_ms"] > s["start_ms"] for s in sentences)
    track = next((misbehaving / "audio" / "sections").glob("01-*.mp3"))
    table = run_cli("verify", str(track), "--engine", "misbehaving")
    assert table.exit_code == 1
    assert "2 of 4 sentences heard" in table.stdout and table.stdout.count("doubtful: ") == 2, table.stdout
    assert "'The door opens onto a hall.' heard as" in table.stdout


def test_verify_before_a_build_or_of_a_foreign_file_is_one_clear_line(misbehaving, fake_engine):
    from conftest import assert_clear_error

    assert_clear_error(run_cli("-q", "verify", "--engine", "fake"), r"does not exist; run `narrate build` first")
    assert run_cli("-q", "build", "--engine", "fake").exit_code == 0
    (misbehaving / "other.mp3").write_bytes(b"")
    assert_clear_error(run_cli("-q", "verify", "other.mp3", "--engine", "fake"), r"neither this project's book nor one of its section tracks")
    (misbehaving / "script" / "01-the-first-room.txt").write_text("Changed.\n", encoding="utf-8")
    assert_clear_error(run_cli("-q", "verify", "--engine", "fake"), r"is not what the scripts and voice make now; run `narrate build` \(with the same --voice\), then verify")


class StubbornVoice(MisbehavingVoice):
    """Misbehaves on cue in its first take; in later takes too for the "other" cue."""

    name = "stubborn"

    def retake(self, text: str, take: int):
        return self.synthesize(text) if CUES.get(text) == "other" and take else super().retake(text, take)


@pytest.mark.slow
def test_build_verify_retakes_doubtful_takes_and_strict_names_the_one_left(misbehaving, monkeypatch):
    from conftest import assert_clear_error

    monkeypatch.setitem(engines.ENGINES, "stubborn", StubbornVoice)
    error = assert_clear_error(run_cli("-q", "build", "--engine", "stubborn", "--verify", "--strict"), "still doubtful")
    assert error == (
        "Error: 1 sentence(s) still doubtful after 2 retakes: 02-the-second-room.txt: 'Here the floor creaks.'. "
        "Listen to them in the book, reword their scripts, and build again"
    )
    result = run_cli("verify", "--engine", "stubborn", "--json")  # the silent and halved takes were retaken
    doubtful = [s["text"] for s in json.loads(result.stdout)["sentences"] if not s["heard"]]
    assert result.exit_code == 1 and doubtful == ["Here the floor creaks."], result.stdout
    again = run_cli("build", "--engine", "stubborn", "--verify", "--json")  # the best takes were kept: nothing new to hear
    assert again.exit_code == 0 and json.loads(again.stdout)["verified"] == {"checked": 0, "retaken": 0, "doubtful": [], "seconds": 0.0}


def test_build_verify_is_a_setting_too():
    from narrate.config import parse_config
    from narrate.errors import ConfigError

    assert parse_config("[build]\nverify = true\n").verify and not parse_config("").verify
    with pytest.raises(ConfigError, match=r"build.verify must be true or false"):
        parse_config('[build]\nverify = "yes"\n')


@pytest.mark.slow
def test_watch_verifies_every_build_it_makes(misbehaving, monkeypatch):

    monkeypatch.setitem(engines.ENGINES, "stubborn", StubbornVoice)
    reports = []
    watch(misbehaving, None, reports.append, engine_name="stubborn", verify=True, should_stop=lambda: bool(reports))
    (report,) = reports
    assert report.check.retaken >= 3  # the silent, the halved and the replaced take, each at least once
    assert report.check.doubtful == ("02-the-second-room.txt: 'Here the floor creaks.'",)


def test_verify_with_another_voice_than_the_build_says_so(misbehaving, fake_engine):
    from conftest import assert_clear_error

    assert run_cli("-q", "build", "--engine", "fake").exit_code == 0
    assert_clear_error(run_cli("-q", "verify", "--voice", "en_US-joe-medium"), r"is not what the scripts and voice make now")
