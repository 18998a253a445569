"""plugins.py: registries filled from real entry points, as a third-party package fills them."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest

from conftest import assert_clear_error, run_cli
from narrate import build as pipeline
from narrate import plan as planning
from narrate import plugins
from narrate.audio import pcm
from narrate.audio.tags import read_chapters
from narrate.errors import PluginError

PLUGIN = '''
"""A third party's narrate plug-ins: a voice that speaks at {rate} Hz."""
import numpy as np
from pydub import AudioSegment
from narrate.engines.base import Engine

WORD_SECONDS = 0.25


class ToneVoice(Engine):
    name = "tonevoice"
    sample_rate = {rate}

    def __init__(self, settings):
        self.settings = settings

    def identity(self):
        return {{"voice": "tone", "rate": self.sample_rate}}

    def synthesize(self, text):
        n = int(round(WORD_SECONDS * len(text.split()) * self.sample_rate))
        x = (6000 * np.sin(2 * np.pi * 220 * np.arange(n) / self.sample_rate)).astype(np.int16)
        return AudioSegment(data=x.tobytes(), sample_width=2, frame_rate=self.sample_rate, channels=1)
'''


def install_plugin(
    root: Path, monkeypatch, entry_points: str, module: str = "", name: str = "narrate-demo", module_name: str = "narrate_demo"
) -> None:
    """A distribution on sys.path (a .dist-info beside its module), found by importlib.metadata."""
    root.mkdir(parents=True, exist_ok=True)
    dist = root / f"{name.replace('-', '_')}-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(textwrap.dedent(entry_points))
    if module:
        (root / f"{module_name}.py").write_text(module)
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.delitem(sys.modules, module_name, raising=False)
    plugins.refresh()


@pytest.fixture(autouse=True)
def _fresh_registries():
    yield
    plugins.refresh()


def _project(root: Path, engine: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "essay.txt").write_text(
        "Tones\n\n1. First\n\nOne two three four. Five six seven.\n\n2. Second\n\nEight nine ten eleven twelve.\n",
        encoding="utf-8",
    )
    (root / "narrate.toml").write_text(f'[book]\nessay = "essay.txt"\n[voice]\nengine = "{engine}"\n', encoding="utf-8")
    return root


@pytest.mark.parametrize("rate", [22050, 24000])
def test_an_engine_from_an_installed_package_at_its_own_rate_gives_exact_durations(tmp_path, monkeypatch, rate):
    install_plugin(tmp_path / "site", monkeypatch, "[narrate.engines]\ntonevoice = narrate_demo:ToneVoice\n",
                   PLUGIN.format(rate=rate))
    root = _project(tmp_path / "book", "tonevoice")
    report = pipeline.build(pipeline.open_project(root))
    assert report.engine.startswith("tonevoice")
    project = pipeline.open_project(root)
    plan = planning.readonly(project, None)[1]
    for section, made in zip(plan.sections, report.sections):
        words = [len(u.text.split()) for u in section.units]
        # each take is its words' length at 44.1 kHz, to within a sample of the resampler's rounding
        speech = sum(round(0.25 * w * rate) * pcm.RATE / rate for w in words)
        pauses = sum(int(round(u.pause_ms * pcm.RATE / 1000)) for u in section.units)
        assert made.duration_ms == pytest.approx(pcm.ms(int(speech) + pauses), abs=len(words) * 1000 / pcm.RATE)
    # the files hold exactly that: each track is head + section + tail, within its LAME runs' padding,
    # and the book's chapters tile the decoded book
    for made in report.sections[1:]:
        expected = made.duration_ms + 600 + 2000
        assert expected <= pcm.ms(pcm.decode(made.track)) <= expected + 6 * 1152 * 1000 / pcm.RATE
    chapters = read_chapters(report.book)
    assert abs(chapters[-1].end_ms - pcm.ms(pcm.decode(report.book))) <= 1  # chapters come from frame counts: exact to whole ms


OUTPUT = '''

from narrate.outputs import Output


class Transcript(Output):
    """A plain-text transcript: each chapter's start and its sentences."""

    name = "transcript"
    after = ("vtt",)

    def write(self, context):
        lines = []
        for chapter, section in zip(context.chapters, context.plan.sections):
            lines.append(f"[{chapter.start_ms} ms] {chapter.title}")
            lines += [unit.text for unit in section.units]
        return context.update(context.path(context.plan.book.stem + ".txt"), "\\n".join(lines) + "\\n")
'''


def test_a_package_adding_an_engine_and_an_output_is_used_by_a_build(tmp_path, monkeypatch):
    install_plugin(
        tmp_path / "site", monkeypatch,
        "[narrate.engines]\ntonevoice = narrate_demo:ToneVoice\n[narrate.outputs]\ntranscript = narrate_demo:Transcript\n",
        PLUGIN.format(rate=24000) + OUTPUT,
    )
    root = _project(tmp_path / "book", "tonevoice")
    monkeypatch.chdir(root)
    result = run_cli("-q", "build", "--format", "mp3", "--format", "transcript")
    assert result.exit_code == 0, result.stderr
    chapters = read_chapters(root / "audio" / "essay.mp3")
    text = (root / "audio" / "essay.txt").read_text(encoding="utf-8").splitlines()
    assert text[0] == f"[0 ms] {chapters[0].title}"
    assert f"[{chapters[2].start_ms} ms] Second" in text and "Eight nine ten eleven twelve." in text
    again = run_cli("-q", "build", "--format", "mp3", "--format", "transcript")
    assert again.exit_code == 0 and again.stdout == ""


def test_narrate_plugins_lists_each_group_and_the_package(tmp_path, monkeypatch):
    install_plugin(tmp_path / "site", monkeypatch, "[narrate.engines]\ntonevoice = narrate_demo:ToneVoice\n",
                   PLUGIN.format(rate=24000))
    result = run_cli("plugins")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(l.split()[:2] == ["engines", "tonevoice"] and "narrate-demo 0.1" in l for l in lines), lines
    assert any(l.split()[:2] == ["engines", "piper"] and "narrate " in l for l in lines), lines


def test_a_broken_plugin_is_one_line_naming_its_package(tmp_path, monkeypatch):
    install_plugin(tmp_path / "site", monkeypatch, "[narrate.engines]\nbroken = narrate_demo:Nothing\n",
                   "raise ImportError('needs libfoo')\n", name="narrate-broken")
    root = _project(tmp_path / "book", "broken")
    monkeypatch.chdir(root)
    line = assert_clear_error(run_cli("-q", "build"), r"plug-in 'broken' from package narrate-broken 0\.1 cannot be loaded")
    assert "needs libfoo" in line
    with pytest.raises(PluginError):
        plugins.registry("engines")["broken"]


def test_the_readmes_plugin_example_works_as_written(tmp_path, monkeypatch):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Writing a plug-in", 1)[1]
    module = section.split("```python\n", 1)[1].split("```", 1)[0]
    toml = section.split("```toml\n", 1)[1].split("```", 1)[0]
    # pyproject's [project.entry-points."narrate.x"] tables are entry_points.txt's [narrate.x] sections
    points = "\n".join(
        "[" + line.split('"')[1] + "]" if line.startswith("[project.entry-points.") else line.replace('"', "")
        for line in toml.splitlines() if not line.startswith("#")
    )
    install_plugin(tmp_path / "site", monkeypatch, points, module, name="narrate-tone", module_name="narrate_tone")
    root = _project(tmp_path / "book", "tone")
    monkeypatch.chdir(root)
    result = run_cli("-q", "build", "--format", "mp3", "--format", "transcript")
    assert result.exit_code == 0, result.stderr
    chapters = read_chapters(root / "audio" / "essay.mp3")
    lines = (root / "audio" / "essay.txt").read_text(encoding="utf-8").splitlines()
    assert lines == [f"[{c.start_ms} ms] {c.title}" for c in chapters] and len(lines) == 3
