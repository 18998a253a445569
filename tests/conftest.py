"""Shared fixtures: a recording fake engine, the example project, one real Piper build."""

from __future__ import annotations

import functools
import shutil
import sys
from pathlib import Path

import pytest

from narrate import engines

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fakes import FakeEngine  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
ESSAY = REPO / "essay" / "la-la-land.txt"


@functools.cache
def example_sentences() -> int:
    """The example book's sentences, as its scripts split them: what a first build of it speaks, once each."""
    from narrate.project import essay_scripts, open_project
    from narrate.text.script import units

    config = open_project(REPO).config
    return sum(len(units(s.text, config.pauses, config.language)) for s in essay_scripts(open_project(REPO)))


def pytest_collection_modifyitems(items):
    """A test in a browser is slow (Chromium starts, pages load): marked so, wherever it is."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


# Chromium's switches for the tests; a test module sets ARGS to launch it with others.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="module")
def browser(request):
    """One headless Chromium (Debian's) for the test module, launched with the module's ARGS if it has them."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install '.[test]')")
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; CI installs it)")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=path, args=getattr(request.module, "ARGS", ARGS))
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def _no_google(monkeypatch):
    """No test may reach Google: the auto probe goes to a closed local port unless a test says otherwise."""
    from gtts_standin import use_proxy

    use_proxy(monkeypatch, "http://127.0.0.1:9")  # gTTS sends through this proxy: a closed port


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


def run_cli(*args: str):
    """Run the narrate command in-process; the result has exit_code, stdout, stderr and exception."""
    from click.testing import CliRunner

    from narrate.cli import cli

    try:
        runner = CliRunner(mix_stderr=False)  # click 8.1; 8.2 always keeps stderr apart
    except TypeError:  # pragma: no cover - click >= 8.2
        runner = CliRunner()
    return runner.invoke(cli, list(args))


def assert_clear_error(result, pattern: str, only_line: bool = True) -> str:
    """The command failed with status 1 and one `Error:` line matching `pattern`, without a traceback.

    With `only_line`, that line is all of stderr (run with -q: no progress lines). Returns it.
    """
    import re

    assert result.exit_code == 1, (result.exit_code, result.stdout, result.stderr)
    assert isinstance(result.exception, SystemExit), f"unhandled {result.exception!r}"  # no traceback
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("Error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], result.stderr
    if only_line:
        assert lines == errors, result.stderr
    assert re.search(pattern, errors[0]), errors[0]
    return errors[0]
