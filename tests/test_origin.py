"""script/origin.json: a book keeps the voice `engine = "auto"` chose for it, whatever the network does (issue 26, item 11)."""

from __future__ import annotations

import json

import pytest

from conftest import assert_clear_error, run_cli
from fakes import FakeEngine
from narrate import build as pipeline
from narrate import engines
from narrate.engines import gtts as gtts_engine
from narrate.errors import SynthesisError


class _Online:
    """Whether "Google" answers, for the stand-in engines and auto's probe."""

    up = False


class _Google(FakeEngine):
    """A stand-in for gTTS: speaks like the fake engine, fails as gTTS does when Google is out of reach."""

    name = "gtts"

    def synthesize(self, text):
        if not _Online.up:
            raise SynthesisError("gTTS failed: could not connect (name resolution). Probable cause: no network")
        return super().synthesize(text)


class _Offline(FakeEngine):
    name = engines.OFFLINE


@pytest.fixture
def voices(example_project, monkeypatch, fake_engine):
    """The example book (engine "auto") with stand-ins for gTTS and the offline voice; returns the texts spoken."""
    monkeypatch.setitem(engines.ENGINES, "gtts", _Google)
    monkeypatch.setitem(engines.ENGINES, engines.OFFLINE, _Offline)
    monkeypatch.setattr(gtts_engine, "probe", lambda settings: None if _Online.up else "could not connect")
    _Online.up = False
    return fake_engine


def _build():
    return pipeline.build(pipeline.open_project("."))


def _recorded(root) -> str:
    return json.loads((root / "script" / "origin.json").read_text(encoding="utf-8"))["engine"]


def test_a_book_first_built_offline_keeps_the_offline_voice_when_google_answers(example_project, voices):
    first = _build()  # a fresh clone, offline (CI, the Quick start): the default offline voice, recorded
    assert first.engine.startswith(engines.OFFLINE) and first.synthesized == 37
    _Online.up = True
    voices.clear()
    again = _build()
    assert again.engine.startswith(engines.OFFLINE) and again.synthesized == 0 and voices == []  # not narrated again
    assert _recorded(example_project) == engines.OFFLINE
    assert pipeline.status(pipeline.open_project(".")).engine.startswith(engines.OFFLINE)


def test_a_book_first_built_online_keeps_googles_voice_offline_and_says_so_when_it_must_speak(example_project, voices):
    _Online.up = True
    assert _build().engine.startswith("gtts") and _recorded(example_project) == "gtts"
    _Online.up = False
    voices.clear()
    again = _build()  # all cached: nothing to ask Google, nothing narrated again by another voice
    assert again.engine.startswith("gtts") and again.synthesized == 0 and voices == []
    script = example_project / "script" / "05-why-we-keep-watching.txt"
    script.write_text(script.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    line = assert_clear_error(run_cli("-q", "build"), r"gTTS failed: could not connect")
    assert voices == [] and "hibari" not in line  # Google's voice was not replaced by another one
    # the voice stays a choice: --voice for one build (recorded voice untouched), narrate.toml for good
    assert run_cli("-q", "build", "--voice", "heart", "--engine", engines.OFFLINE).exit_code == 0
    assert _recorded(example_project) == "gtts"


def test_an_explicit_engine_or_voice_is_never_recorded(example_project, voices):
    assert pipeline.build(pipeline.open_project("."), engine_name=engines.OFFLINE).synthesized == 37
    assert run_cli("-q", "build", "--engine", "gtts").exit_code == 1  # offline: gTTS fails, and nothing is recorded
    made = example_project / "script" / "origin.json"
    assert not made.is_file() or json.loads(made.read_text(encoding="utf-8"))["engine"] == ""


def test_a_recorded_engine_that_is_gone_is_one_line_with_the_choice(example_project, voices, monkeypatch):
    _build()

    def uninstalled(settings):
        from narrate.errors import EngineError

        raise EngineError("the hibari engine needs hibari-tts: run `pip install hibari-tts`")

    monkeypatch.setitem(engines.ENGINES, engines.OFFLINE, uninstalled)
    line = assert_clear_error(run_cli("-q", "build"), r"this book was narrated with the hibari engine \(script/origin\.json\), which is not usable here")
    assert line.endswith("set [voice] voice in narrate.toml, or pass --voice NAME (`narrate voices` lists them; the book is then narrated again)")
