"""Shared fixtures: a recording fake engine, the example project, one real Piper build."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from narrate import engines

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fakes import FakeEngine  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
ESSAY = REPO / "essay" / "la-la-land.txt"


@pytest.fixture(autouse=True)
def _no_google(monkeypatch):
    """No test may reach Google: the auto probe goes to a closed local port unless a test says otherwise."""
    monkeypatch.setenv("NARRATE_GTTS_URL", "http://127.0.0.1:9/closed")


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
