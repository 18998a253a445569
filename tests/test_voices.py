"""narrate voices: every installed voice listed, samples, and a voice change against the cache."""

from __future__ import annotations

import re

import pytest
from mutagen.mp3 import MP3

from conftest import assert_clear_error, run_cli
from fakes import FakeEngine
from narrate import build as pipeline
from narrate import engines
from narrate.audio import pcm
from narrate.engines import kokoro
from narrate.engines.base import Voice
from narrate.speech import voices
from voicecheck import heard, make_book


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


def test_the_speed_says_what_it_costs_not_fast_or_slow():
    """Issue 26, item 12: 5.6× real time was called "slow"."""
    voice = voices.find("heart")
    assert voices.VoiceReport(voice, 32.4).speed == "32× real time: an hour of book in 2 min"
    assert voices.VoiceReport(voice, 5.6).speed == "5.6× real time: an hour of book in 11 min"
    assert voices.VoiceReport(voice, 0.5).speed == "0.5× real time (slower than speech): an hour of book in 2.0 h"


class _Timed(FakeEngine):
    """A voice whose model takes a while to load, as Kokoro's does."""

    name = "timed"

    @classmethod
    def voices(cls):
        return (Voice("tick", cls.name, "en-US", "female", 44100, "MIT"),)

    def synthesize(self, text):
        _Timed.spoken.append(text)
        return super().synthesize(text)


def test_voices_says_what_it_is_timing_before_it_times_it(monkeypatch, fake_engine):
    """Issue 26, item 12: `narrate voices` was silent for half a minute while it timed every engine."""
    import sys

    from click.testing import CliRunner

    from narrate.cli import cli

    monkeypatch.setattr(voices, "available", lambda: list(_Timed.voices()))
    monkeypatch.setitem(engines.ENGINES, "timed", _Timed)
    _Timed.spoken, told = [], []
    real_speak = voices.speak_sample

    def speak(voice, *args, **kwargs):  # what stderr has shown when the timing starts
        sys.stderr.flush()
        told.append(sys.stderr.buffer.getvalue().decode())
        return real_speak(voice, *args, **kwargs)

    monkeypatch.setattr(voices, "speak_sample", speak)
    result = CliRunner(mix_stderr=False).invoke(cli, ["voices"])
    assert result.exit_code == 0, result.stderr
    assert told == [
        "timing each offline engine here on one sentence (--no-measure skips this)\n"
        "timing timed on one sentence (its model loads first)\n"
    ]
    assert _Timed.spoken and re.search(r"^tick .* \d+× real time: an hour of book in", result.stdout, re.M)


@pytest.mark.slow
def test_sample_is_an_mp3_of_the_sentence(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("voices", "--sample", "heart")
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "audio" / "voice-heart.mp3"
    assert result.stdout.strip() == f"wrote {path.relative_to(tmp_path)}"
    assert 4 < MP3(path).info.length < 10
    assert len({"city", "stars", "dreamers", "music", "evening", "night"} & heard(pcm.decode(path))) >= 3


def test_unknown_sample_voice_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_clear_error(run_cli("-q", "voices", "--sample", "nobody"), r"no voice named 'nobody' is installed; choose one of: google-en-us, .*heart")
    assert not (tmp_path / "audio").exists()


class _TwoVoices(FakeEngine):
    """An offline engine with a voice whose name needs escaping, beside a plain one."""

    @classmethod
    def voices(cls):
        return (Voice('a<b>&"c"', "fake", "en-GB", "", 44100, "Mine & yours"), Voice("plain", "fake", "en-US", "male", 44100, "CC0"))


class _Server(FakeEngine):
    """A network voice: the page lists it and never asks it to speak."""

    @classmethod
    def voices(cls):
        return (Voice("far<away>", "server", "en-US", "female", 24000, "Terms", network=True),)

    def synthesize(self, text):
        raise AssertionError("the page sent a sentence to a network voice")


def test_the_voices_page_has_a_row_per_voice_escaped_and_no_player_for_a_network_voice(tmp_path, monkeypatch):
    monkeypatch.setattr(engines, "ENGINES", {"fake": _TwoVoices, "server": _Server})
    monkeypatch.setattr(FakeEngine, "calls", [])
    page, samples = voices.write_page(tmp_path / "out", measure=False)
    assert page == tmp_path / "out" / "voices.html" and [p.name for p in samples] == ['voice-a<b>&"c".mp3', "voice-plain.mp3"]
    html = page.read_text(encoding="utf-8")
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", html, re.S)
    assert [name for name, _ in rows] == ["a&lt;b&gt;&amp;&quot;c&quot;", "plain", "far&lt;away&gt;"]
    odd, plain, far = (cells for _, cells in rows)
    assert "<td>en-GB</td><td>?</td><td>Mine &amp; yours</td><td>not measured</td>" in odd
    assert "<code>[voice]\nvoice = &quot;a&lt;b&gt;&amp;\\&quot;c\\&quot;&quot;</code>" in odd  # TOML's own escape, then HTML's
    assert '<audio controls preload="metadata" src="voice-a%3Cb%3E%26%22c%22.mp3"' in odd
    assert '<audio controls preload="metadata" src="voice-plain.mp3"' in plain
    assert "<audio" not in far and "needs the network" in far and "<td>network</td>" in far
    assert html.count("<audio") == 2 and html.count(voices.SAMPLE_TEXT) == 1
    assert "<script" not in html and not re.search(r"(src|href)=\"(https?:)?//", html)
    assert re.findall(r"<link[^>]*>", html) == ['<link rel="icon" href="data:,">']  # the shared head's: it fetches nothing
    assert '<html lang="en">' in html and "<title>" in html and "<caption>" in html
    assert len(FakeEngine.calls) == 4  # each offline voice: the warm-up and the sentence


def test_sample_and_page_together_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert_clear_error(run_cli("-q", "voices", "--page", "--sample", "heart"), r"choose one")
    assert not (tmp_path / "audio").exists()


def test_a_page_folder_under_a_file_is_one_line(tmp_path, monkeypatch):
    monkeypatch.setattr(engines, "ENGINES", {"fake": _TwoVoices, "server": _Server})
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").write_text("a file, not a folder")
    assert_clear_error(run_cli("-q", "voices", "--page", "--out", "notes/voices"), r"cannot write notes/voices/voice-.*notes is a file")


@pytest.fixture(scope="module")
def voices_page(tmp_path_factory):
    """`narrate voices --page` run once with the real offline voices: (its folder, its output)."""
    out = tmp_path_factory.mktemp("voices") / "page"
    result = run_cli("voices", "--page", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return out, result.stdout


@pytest.mark.slow
def test_the_voices_page_samples_every_offline_voice(voices_page):
    out, stdout = voices_page
    offline = [v.name for v in voices.available() if not v.network]
    assert stdout.strip() == f"wrote {out / 'voices.html'} ({len(offline)} voices)"
    assert sorted(p.name for p in out.glob("*.mp3")) == sorted(f"voice-{name}.mp3" for name in offline)
    for name in offline:
        info = MP3(out / f"voice-{name}.mp3").info
        assert info.length > 1 and info.sample_rate == pcm.RATE == 44100, (name, info.length, info.sample_rate)
    rows = dict(re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", (out / "voices.html").read_text(encoding="utf-8"), re.S))
    assert list(rows) == [v.name for v in voices.available()]
    # The speed column: each engine timed on its first voice's sample, worded as `narrate voices` words it.
    speeds = {v.engine: re.search(r"<td>((?:[\d.]+× real time|network)[^<]*)</td>", rows[v.name]).group(1) for v in voices.available()}
    assert re.match(r"\d+× real time: an hour of book in \d+ min", speeds["hibari"]) and speeds["gtts"] == "network"
    for v in voices.available():
        assert f"<td>{speeds[v.engine]}</td>" in rows[v.name]


@pytest.mark.slow
def test_the_voices_page_plays_each_sample_in_chromium_and_axe_finds_nothing(voices_page, browser):
    axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="pip install '.[test]' (axe-playwright-python)")
    out, _ = voices_page
    offline = [v.name for v in voices.available() if not v.network]
    tab = browser.new_page()
    try:
        fetched: list[str] = []
        tab.on("request", lambda r: None if r.url.startswith("file:") else fetched.append(r.url))
        tab.goto((out / "voices.html").as_uri())
        assert tab.locator("audio").count() == len(offline)
        tab.wait_for_function("Array.from(document.querySelectorAll('audio')).every(a => a.readyState >= 1)", timeout=15000)
        durations = tab.evaluate("Array.from(document.querySelectorAll('audio'), a => [a.currentSrc, a.duration])")
        for name, (src, seconds) in zip(offline, durations):
            assert src.endswith(f"/voice-{name}.mp3")
            assert seconds == pytest.approx(MP3(out / f"voice-{name}.mp3").info.length, abs=0.1), name
        results = axe.Axe().run(tab)
        assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]] == []
        assert {"color-contrast", "th-has-data-cells", "html-has-lang", "document-title"} <= {r["id"] for r in results.response["passes"]}
        assert fetched == []
    finally:
        tab.close()


def test_the_voice_option_picks_the_voice_and_its_engine_over_narrate_toml(tmp_path, monkeypatch):
    monkeypatch.chdir(make_book(tmp_path, "heart", engine="hibari"))
    result = run_cli("status", "--voice", "en_US-joe-medium")
    assert result.exit_code == 0, result.stderr
    assert "with piper (en_US-joe-medium)" in result.stdout.splitlines()[-1]
    assert "with hibari (heart)" in run_cli("status").stdout.splitlines()[-1]  # narrate.toml's own, untouched


def test_an_unknown_voice_is_one_line_and_never_another_voice(tmp_path, monkeypatch):
    monkeypatch.chdir(make_book(tmp_path, "heart"))
    assert_clear_error(run_cli("-q", "build", "--voice", "bm_gorge"), r"unknown voice 'bm_gorge' \(did you mean 'bm_george'\?\); the voices here: .*`narrate voices` describes them")
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
    assert len({"drove", "angeles", "ocean", "morning", "light"} & heard(pcm.decode(track))) >= 2, heard(pcm.decode(track))
