"""Shared fixtures: a recording fake engine, the example project, one real Piper build."""

from __future__ import annotations

import shutil
import zlib
from pathlib import Path

import numpy as np
import pytest

from narrate import audio, engines
from narrate.audio import AudioSegment
from narrate.engines.base import Engine, EngineSettings

REPO = Path(__file__).resolve().parent.parent
ESSAY = REPO / "essay" / "la-la-land.txt"


@pytest.fixture(autouse=True)
def _no_google(monkeypatch):
    """No test may reach Google: the auto probe goes to a closed local port unless a test says otherwise."""
    monkeypatch.setenv("NARRATE_GTTS_URL", "http://127.0.0.1:9/closed")


class FakeEngine(Engine):
    """Speaks each text as a tone whose length follows its word count; records every call."""

    name = "fake"
    calls: list[str] = []

    def __init__(self, settings: EngineSettings):
        self.settings = settings

    def identity(self):
        return {"voice": self.settings.voice or "fake-voice"}

    def synthesize(self, text: str) -> AudioSegment:
        FakeEngine.calls.append(text)
        words = max(1, len(text.split()))
        t = np.arange(int(0.06 * words * audio.RATE)) / audio.RATE
        pitch = 180 + zlib.crc32(text.encode()) % 200
        return audio.from_samples(0.3 * np.sin(2 * np.pi * pitch * t))


@pytest.fixture
def fake_engine(monkeypatch):
    """Register the fake engine as "fake"; returns the list of texts it synthesized."""
    FakeEngine.calls = []
    monkeypatch.setitem(engines.ENGINES, "fake", FakeEngine)
    return FakeEngine.calls


@pytest.fixture
def example_project(tmp_path, monkeypatch):
    """A copy of the repository's example book (narrate.toml and essay) as the working folder."""
    shutil.copy(REPO / "narrate.toml", tmp_path / "narrate.toml")
    (tmp_path / "essay").mkdir()
    shutil.copy(ESSAY, tmp_path / "essay" / ESSAY.name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def built_book(tmp_path_factory):
    """The example essay built once with the real offline voice: (project, report)."""
    from narrate import build as pipeline

    root = tmp_path_factory.mktemp("book")
    shutil.copy(REPO / "narrate.toml", root / "narrate.toml")
    (root / "essay").mkdir()
    shutil.copy(ESSAY, root / "essay" / ESSAY.name)
    project = pipeline.open_project(root)
    report = pipeline.build(project, engine_name="piper")
    return project, report
