"""`narrate check`: files built to break one rule each fail exactly that rule (check.py, measurement.py, cli/info.py).

The files: RMS too loud and too quiet, a clipping peak, a noisy floor, digital silence in the
body and at the head, head and tail room tone too short or too long, 48 and 22.05 kHz, stereo,
128 kbps, variable bitrate; and chapters overlapping, short of the end, not from zero, out of
order, without a CTOC or untitled.

The synthetic "narration" is harmonic tone bursts (a voice's pitch and overtones, syllable
length) over a constant low-passed noise bed, encoded with the same ffmpeg as the product.
Levels are cross-checked against Debian's ffmpeg (astats, ebur128) when it is installed.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from mutagen.id3 import CHAP, CTOC, ID3, TIT2, CTOCFlags
from mutagen.mp3 import MP3

from fakes import speech_like
from narrate.audio import pcm as audio
from narrate.audio.tags import Chapter, book_tags
from narrate.cli import cli
from narrate.errors import AudioError, ConfigError
from narrate.verify import acx as check
from narrate.verify import measurement

RATE = audio.RATE
DEBIAN_FFMPEG = Path("/usr/bin/ffmpeg")
needs_debian_ffmpeg = pytest.mark.skipif(not DEBIAN_FFMPEG.is_file(), reason="Debian's ffmpeg is not installed")


# --- synthetic audio ---


def _bed(n: int, dbfs: float) -> np.ndarray:
    """Room tone: low-passed noise at `dbfs` RMS."""
    rng = np.random.default_rng(1)
    x = np.convolve(rng.standard_normal(n + 7), np.ones(8) / 8, mode="valid")[:n]
    return x / np.sqrt(np.mean(x**2)) * 32768 * 10 ** (dbfs / 20)


def narration(rms=-20.0, head=0.7, tail=2.0, body=3.0, floor=-70.0, click_db=None, zeros=None,
              silent_head=False) -> np.ndarray:
    """int16 mono at 44.1 kHz: `head` s of room tone, `body` s of speech, `tail` s of room tone.

    The whole file measures `rms` dBFS; `click_db` adds a 5 ms tone burst at that peak level
    mid-speech; `zeros=(start, length)` blanks that stretch of the body to digital silence;
    `silent_head` makes the head digital silence instead of room tone.
    """
    n_head, n_tail = int(head * RATE), int(tail * RATE)
    speech = np.concatenate([np.zeros(n_head), speech_like(body), np.zeros(n_tail)])
    bed = _bed(speech.size, floor)
    target = (32768 * 10 ** (rms / 20)) ** 2 * speech.size
    x = speech * np.sqrt((target - np.sum(bed**2)) / np.sum(speech**2)) + bed
    if zeros:
        start = n_head + int(zeros[0] * RATE)
        x[start : start + int(zeros[1] * RATE)] = 0
    if silent_head:
        x[:n_head] = 0
    if click_db is not None:
        start, n = n_head + int(body * RATE / 2), int(0.005 * RATE)
        x[start : start + n] = np.sin(2 * np.pi * 1000 * np.arange(n) / RATE) * 32768 * 10 ** (click_db / 20)
    return np.clip(np.round(x), -32768, 32767).astype(np.int16)


def write_mp3(path: Path, pcm: np.ndarray) -> Path:
    """The product's encoder: 44.1 kHz mono CBR 192k with a LAME/Info header."""
    with audio.mp3_writer(path, "192k") as out:
        out.write(audio.segment(pcm.tobytes()))
    return path


def encode(path: Path, pcm: np.ndarray, *, rate=RATE, channels=1, bitrate="192k") -> Path:
    """Encode with imageio-ffmpeg's ffmpeg at another rate or bitrate, or as stereo (the same in both channels)."""
    frames = np.repeat(pcm, channels)  # interleaved: each channel carries the narration at full level
    subprocess.run(
        [audio.ffmpeg(), "-hide_banner", "-loglevel", "error", "-y",
         "-f", "s16le", "-ar", str(RATE), "-ac", str(channels), "-i", "pipe:0",
         "-ar", str(rate), "-c:a", "libmp3lame", "-b:a", bitrate, str(path)],
        input=frames.tobytes(), check=True,
    )
    return path


def joined_vbr(path: Path, pcm: np.ndarray) -> Path:
    """Frames of a 192k and a 256k encoding joined, as the book joins pieces: two bitrate indexes."""
    cut = pcm.size - RATE  # one second into the tail's room tone
    first = audio.encode_mp3(audio.segment(pcm[:cut].tobytes()), "192k")
    second = audio.encode_mp3(audio.segment(pcm[cut:].tobytes()), "256k")
    path.write_bytes(first + second)
    return path


CASES = {
    # name: (how to make it, the rules it must fail)
    "compliant": (lambda p: write_mp3(p, narration()), set()),
    "too loud": (lambda p: write_mp3(p, narration(rms=-17.0)), {"RMS"}),
    "too quiet": (lambda p: write_mp3(p, narration(rms=-25.0)), {"RMS"}),
    "clipping peak": (lambda p: write_mp3(p, narration(click_db=-1.0)), {"peak"}),
    "noisy floor": (lambda p: write_mp3(p, narration(floor=-55.0)), {"noise floor"}),
    "digital silence": (lambda p: write_mp3(p, narration(zeros=(1.0, 0.8))), {"noise floor"}),
    "digital silence head": (lambda p: write_mp3(p, narration(silent_head=True)), {"noise floor"}),
    "no head room tone": (lambda p: write_mp3(p, narration(head=0.1)), {"head room tone"}),
    "head too long": (lambda p: write_mp3(p, narration(head=1.5)), {"head room tone"}),
    "tail too short": (lambda p: write_mp3(p, narration(tail=0.4)), {"tail room tone"}),
    "tail too long": (lambda p: write_mp3(p, narration(tail=6.0)), {"tail room tone"}),
    "48 kHz": (lambda p: encode(p, narration(), rate=48000), {"sample rate"}),
    # MPEG-2 (22.05 kHz) cannot carry 192 kbps: its highest bitrate is 160.
    "22.05 kHz": (lambda p: encode(p, narration(), rate=22050, bitrate="160k"), {"sample rate", "bitrate"}),
    "stereo": (lambda p: encode(p, narration(), channels=2), {"channels"}),
    "128 kbps": (lambda p: encode(p, narration(), bitrate="128k"), {"bitrate"}),
    "VBR": (lambda p: joined_vbr(p, narration()), {"bitrate mode"}),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("check")
    return {name: make(folder / f"{name.replace(' ', '-')}.mp3") for name, (make, _) in CASES.items()}


@pytest.fixture(scope="module")
def measured(files) -> dict[str, measurement.Measurement]:
    return {name: measurement.measure(path) for name, path in files.items()}


def _failures(m: measurement.Measurement, target: str = "acx") -> set[str]:
    return {r.name for r in check.evaluate(m, target) if r.passed is False}


@pytest.mark.parametrize("name", list(CASES))
def test_each_file_fails_exactly_the_rule_it_breaks(measured, name):
    assert _failures(measured[name]) == CASES[name][1], check.evaluate(measured[name])


def test_the_compliant_file_measures_what_it_was_built_with(measured):
    m = measured["compliant"]
    assert abs(m.rms_db - -20) < 0.7 and m.peak_db <= -4
    assert abs(m.noise_floor_db - -70) < 1.5 and m.digital_silence_s < 0.01
    assert abs(m.head_s - 0.7) <= 0.03 and abs(m.tail_s - 2.0) <= 0.03
    assert abs(m.duration_s - 5.7) < 0.001
    assert (m.sample_rate, m.channels, m.bitrate_min_kbps, m.constant_bitrate) == (44100, 1, 192, True)
    assert m.chapters == () and not m.has_ctoc
    shown = {r.name: r for r in check.evaluate(m)}
    assert [shown[n].status for n in ("chapters", "chapter tiling", "table of contents")] == ["-", "-", "-"]


def test_digital_silence_is_a_floor_of_minus_infinity_not_a_good_one(measured):
    m = measured["digital silence"]
    assert m.noise_floor_db == -math.inf and m.digital_silence_s > 0.5
    floor = next(r for r in check.evaluate(m) if r.name == "noise floor")
    assert "digital silence" in floor.value and floor.status == "FAIL"


def test_the_head_measured_is_the_room_tone_before_speech(measured):
    assert measured["no head room tone"].head_s < 0.15
    assert abs(measured["head too long"].head_s - 1.5) <= 0.03
    assert abs(measured["tail too short"].tail_s - 0.4) <= 0.03


def test_frame_headers_agree_with_mutagen(files, measured):
    for name in ("compliant", "48 kHz", "22.05 kHz", "stereo", "128 kbps"):
        info = MP3(files[name]).info
        m = measured[name]
        kbps = round(info.bitrate / 1000)
        assert (m.sample_rate, m.channels, m.bitrate_min_kbps) == (info.sample_rate, info.channels, kbps)
        assert m.constant_bitrate
    vbr = measured["VBR"]
    assert (vbr.bitrate_min_kbps, vbr.bitrate_max_kbps) == (192, 256) and 192 < vbr.bitrate_kbps < 256


# --- chapters ---


def _tag(path: Path, chapters: list[Chapter], toc: bool = True, titled: bool = True, order=None) -> None:
    tags = ID3()
    ids = [f"ch{i}" for i in range(len(chapters))]
    if toc:
        tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                      child_element_ids=[ids[i] for i in (order or range(len(ids)))], sub_frames=[]))
    for element_id, c in zip(ids, chapters):
        sub = [TIT2(encoding=3, text=c.title)] if titled else []
        tags.add(CHAP(element_id=element_id, start_time=c.start_ms, end_time=c.end_ms,
                      start_offset=0xFFFFFFFF, end_offset=0xFFFFFFFF, sub_frames=sub))
    tags.save(str(path), v2_version=3)


END_MS = 5700  # the compliant file's length
GOOD = [Chapter("One", 0, 2000), Chapter("Two", 2000, 4000), Chapter("Three", 4000, END_MS)]


@pytest.mark.parametrize(
    "chapters, options, failing",
    [
        (GOOD, {}, set()),
        ([Chapter("One", 0, 2500), Chapter("Two", 2000, 4000), Chapter("Three", 4000, END_MS)], {}, {"chapter tiling"}),
        ([Chapter("One", 0, 2000), Chapter("Two", 2000, 4000), Chapter("Three", 4000, 4500)], {}, {"chapter tiling"}),
        ([Chapter("One", 300, 2000), *GOOD[1:]], {}, {"chapter tiling"}),
        (GOOD, {"order": [1, 0, 2]}, {"chapter order", "chapter tiling"}),
        (GOOD, {"toc": False}, {"table of contents"}),
        (GOOD, {"titled": False}, {"chapter titles"}),
    ],
    ids=["tiled", "overlapping", "short of the end", "not from zero", "out of order", "no CTOC", "untitled"],
)
def test_chapter_rules(files, tmp_path, chapters, options, failing):
    path = tmp_path / "book.mp3"
    shutil.copy(files["compliant"], path)
    _tag(path, chapters, **options)
    m = measurement.measure(path)
    assert len(m.chapters) == 3
    assert _failures(m) == failing


def test_a_book_tagged_by_narrate_passes_the_chapter_rules(files, tmp_path):
    path = tmp_path / "book.mp3"
    shutil.copy(files["compliant"], path)
    book_tags("Book", "Author", GOOD, key="k").save(str(path), v2_version=3)
    report = check.check_files([path])[0]
    assert report.passed and report.measurement.has_ctoc
    assert [c.title for c in report.measurement.chapters] == ["One", "Two", "Three"]
    assert "    0:00:02.000  0:00:04.000  Two" in check.format_reports([report])


# --- podcast target ---


def test_podcast_target_swaps_levels_for_loudness_and_true_peak(measured):
    m = measured["compliant"]
    with pytest.raises(ConfigError):
        check.evaluate(m, "broadcast")
    ok = replace(m, loudness_lufs=-16.4, true_peak_db=-1.5)
    shown = {r.name: r for r in check.evaluate(ok, "podcast")}
    assert shown["loudness"].passed and shown["true peak"].passed
    assert shown["RMS"].passed is None and shown["head room tone"].passed is None
    assert _failures(replace(ok, loudness_lufs=-19.0), "podcast") == {"loudness"}
    assert _failures(replace(ok, true_peak_db=-0.5), "podcast") == {"true peak"}
    assert _failures(replace(ok, channels=2), "podcast") == {"channels"}


def test_a_file_at_podcast_loudness_passes_the_podcast_target(tmp_path, files):
    lufs, _ = measurement.loudness(files["compliant"])
    assert -26 < lufs < -18
    pcm = narration(rms=-20.0 + (-16.0 - lufs))
    report = check.check_files([write_mp3(tmp_path / "podcast.mp3", pcm)], "podcast")[0]
    assert report.passed, report.results
    assert abs(report.measurement.loudness_lufs - -16) <= 0.5 and report.measurement.true_peak_db <= -1


# --- cross-checks with Debian's ffmpeg ---


def _debian(path: Path, filters: str) -> str:
    return subprocess.run(
        [str(DEBIAN_FFMPEG), "-hide_banner", "-nostats", "-i", str(path), "-af", filters, "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr


def _astats(path: Path) -> tuple[float, float]:
    text = _debian(path, "astats=measure_perchannel=none:measure_overall=RMS_level+Peak_level")
    rms = float(re.findall(r"RMS level dB: (-?[\d.]+|-inf)", text)[-1])
    peak = float(re.findall(r"Peak level dB: (-?[\d.]+|-inf)", text)[-1])
    return rms, peak


def _ebur128(path: Path) -> tuple[float, float]:
    text = _debian(path, "ebur128=peak=true")
    summary = text[text.rfind("Summary:") :]
    return (float(re.search(r"I:\s*(-?[\d.]+) LUFS", summary).group(1)),
            float(re.search(r"Peak:\s*(-?[\d.]+) dBFS", summary).group(1)))


@needs_debian_ffmpeg
@pytest.mark.parametrize(
    "name", ["compliant", "too loud", "too quiet", "clipping peak", "noisy floor", "48 kHz", "stereo", "VBR"]
)
def test_rms_and_peak_agree_with_ffmpeg_astats(files, measured, name):
    rms, peak = _astats(files[name])
    assert abs(measured[name].rms_db - rms) <= 0.5
    assert abs(measured[name].peak_db - peak) <= 0.5


@needs_debian_ffmpeg
@pytest.mark.parametrize("name", ["compliant", "too loud"])
def test_loudness_agrees_with_ffmpeg_ebur128(files, name):
    ours = measurement.measure(files[name], loudness_too=True)
    lufs, true_peak = _ebur128(files[name])
    assert abs(ours.loudness_lufs - lufs) <= 0.5 and abs(ours.true_peak_db - true_peak) <= 0.5


# --- the command ---


def run(*args):
    return CliRunner().invoke(cli, ["check", *map(str, args)])


def test_the_command_passes_a_compliant_file_and_fails_a_broken_one(files):
    ok = run(files["compliant"])
    assert ok.exit_code == 0, ok.output
    assert re.search(r"RMS\s+-2\d\.\d dB\s+-23 to -18 dB\s+PASS", ok.output)
    assert ok.output.rstrip().endswith("PASS")
    bad = run(files["compliant"], files["stereo"])
    assert bad.exit_code == 1
    assert re.search(r"channels\s+2 \(stereo\)\s+1 \(mono\)\s+FAIL", bad.output)
    assert "FAIL: channels" in bad.output


def test_json_lists_every_file(files):
    result = run("--json", files["compliant"], files["digital silence"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert [d["passed"] for d in data] == [True, False]
    assert data[1]["failures"] == ["noise floor"] and data[1]["measurement"]["noise_floor_db"] is None
    assert data[0]["measurement"]["sample_rate"] == 44100 and data[0]["target"] == "acx"
    assert {"check", "value", "limit", "passed"} <= set(data[0]["results"][0])


def test_podcast_target_from_the_command(files):
    result = run("--target", "podcast", "--json", files["compliant"])
    assert result.exit_code == 1
    assert json.loads(result.output)[0]["failures"] == ["loudness"]


def test_the_target_defaults_to_the_one_narrate_toml_builds_for(files, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert json.loads(run("--json", files["compliant"]).output)[0]["target"] == "acx"  # no narrate.toml
    (tmp_path / "narrate.toml").write_text('[sound]\ntarget = "podcast"\n', encoding="utf-8")
    assert json.loads(run("--json", files["compliant"]).output)[0]["target"] == "podcast"
    assert json.loads(run("--json", "--target", "acx", files["compliant"]).output)[0]["target"] == "acx"


def test_a_file_that_is_not_an_mp3_is_one_clear_line(tmp_path):
    text = tmp_path / "notes.mp3"
    text.write_text("not audio\n" * 100)
    result = run(text)
    assert result.exit_code == 1 and "is not an MP3" in result.output and "Traceback" not in result.output
    with pytest.raises(AudioError):
        measurement.measure(tmp_path / "missing.mp3")
