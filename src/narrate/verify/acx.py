"""Check MP3s against ACX's audio submission requirements (or a podcast loudness target).

What a file measures comes from narrate.verify.measurement; this module holds the rules and how
their results are shown:

- ACX: RMS, peak, noise floor (a run of exact-zero samples of 0.1 s or more is dead digital
  silence and fails it), head and tail room tone, 44.1 kHz mono, at least 192 kbps CBR.
- Podcast: integrated loudness and true peak replace ACX's level and room-tone rules.
- Both: a file with chapters must have them tile the file, in time order, listed by a
  top-level CTOC, each titled. A file without chapters (a section track) skips these.

The library never prints: `check_files` returns reports, `format_reports` and `to_json`
render them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from narrate.config import SOUND_TARGETS as TARGETS
from narrate.errors import ConfigError
from narrate.timefmt import chapter_time

if TYPE_CHECKING:  # measuring needs numpy: imported where a file is measured, not where a time is shown
    from narrate.verify.measurement import Measurement

# ACX
RMS_RANGE_DB = (-23.0, -18.0)
PEAK_MAX_DB = -3.0
NOISE_FLOOR_MAX_DB = -60.0
HEAD_RANGE_S = (0.5, 1.0)
TAIL_RANGE_S = (1.0, 5.0)
SAMPLE_RATE = 44100
CHANNELS = 1
MIN_BITRATE_KBPS = 192
# Podcast
LOUDNESS_LUFS = -16.0
LOUDNESS_TOLERANCE_LU = 1.0
TRUE_PEAK_MAX_DB = -1.0
# Both
DIGITAL_SILENCE_MAX_S = 0.1  # a run of exact zeros this long is dead digital silence


@dataclass(frozen=True)
class Result:
    """One rule applied to one file; `passed` is None where the rule does not apply (shown "-")."""

    name: str
    value: str
    limit: str
    passed: bool | None

    @property
    def status(self) -> str:
        return "-" if self.passed is None else "PASS" if self.passed else "FAIL"


@dataclass(frozen=True)
class FileReport:
    """A file, what it measures, and the rules of the target applied to it."""

    path: Path
    target: str
    measurement: Measurement
    results: tuple[Result, ...]

    @property
    def passed(self) -> bool:
        return all(r.passed is not False for r in self.results)

    @property
    def failures(self) -> list[str]:
        return [r.name for r in self.results if r.passed is False]


def _dbs(value: float | None, unit: str = "dB") -> str:
    if value is None:
        return "-"
    return f"{value:.1f} {unit}" if math.isfinite(value) else f"{value} {unit}"


_CHAPTER_RULES = ("chapter tiling", "chapter order", "table of contents", "chapter titles")


def _within(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def evaluate(m: Measurement, target: str = "acx") -> list[Result]:
    """The target's rules applied to a measurement, one Result per line of the table.

    With the podcast target, loudness and true peak replace ACX's level and room-tone
    rules (those lines are then shown without a verdict); the format and chapter rules
    are the same.

    Raises:
        ConfigError: unknown target.
    """
    if target not in TARGETS:
        raise ConfigError(f"unknown target '{target}'; known targets: {', '.join(TARGETS)}")
    acx = target == "acx"

    def level(name: str, value: str, limit: str, passed: bool) -> Result:
        return Result(name, value, limit, passed) if acx else Result(name, value, "-", None)

    floor = _dbs(m.noise_floor_db)
    if m.digital_silence_s >= DIGITAL_SILENCE_MAX_S:
        floor += f", {m.digital_silence_s:.2f} s of digital silence"
    quiet = m.noise_floor_db <= NOISE_FLOOR_MAX_DB and m.digital_silence_s < DIGITAL_SILENCE_MAX_S
    speech = "" if m.speech_found else " (no speech found)"
    (rms_lo, rms_hi), (head_lo, head_hi), (tail_lo, tail_hi) = RMS_RANGE_DB, HEAD_RANGE_S, TAIL_RANGE_S
    results = [
        Result("duration", f"{m.duration_s:.3f} s", "-", None),
        level("RMS", _dbs(m.rms_db), f"{rms_lo:.0f} to {rms_hi:.0f} dB", _within(m.rms_db, RMS_RANGE_DB)),
        level("peak", _dbs(m.peak_db), f"<= {PEAK_MAX_DB:.0f} dB", m.peak_db <= PEAK_MAX_DB),
        level("noise floor", floor, f"<= {NOISE_FLOOR_MAX_DB:.0f} dB, no digital silence", quiet),
        level("head room tone", f"{m.head_s:.2f} s{speech}", f"{head_lo} to {head_hi} s",
              m.speech_found and _within(m.head_s, HEAD_RANGE_S)),
        level("tail room tone", f"{m.tail_s:.2f} s{speech}", f"{tail_lo} to {tail_hi} s",
              m.speech_found and _within(m.tail_s, TAIL_RANGE_S)),
    ]
    if not acx:
        lufs = (LOUDNESS_LUFS - LOUDNESS_TOLERANCE_LU, LOUDNESS_LUFS + LOUDNESS_TOLERANCE_LU)
        results += [
            Result("loudness", _dbs(m.loudness_lufs, "LUFS"), f"{lufs[0]:.0f} to {lufs[1]:.0f} LUFS",
                   m.loudness_lufs is not None and _within(m.loudness_lufs, lufs)),
            Result("true peak", _dbs(m.true_peak_db, "dBTP"), f"<= {TRUE_PEAK_MAX_DB:.0f} dBTP",
                   m.true_peak_db is not None and m.true_peak_db <= TRUE_PEAK_MAX_DB),
        ]

    kbps: float
    if m.constant_bitrate:
        bitrate, kbps, mode = f"{m.bitrate_min_kbps} kbps", m.bitrate_min_kbps, "CBR"
    else:
        bitrate, kbps = f"{m.bitrate_kbps:.0f} kbps average", m.bitrate_kbps
        mode = f"variable, {m.bitrate_min_kbps}-{m.bitrate_max_kbps} kbps"
    channels = "1 (mono)" if m.channels == 1 else f"{m.channels} (stereo)"
    results += [
        Result("sample rate", f"{m.sample_rate} Hz", f"{SAMPLE_RATE} Hz", m.sample_rate == SAMPLE_RATE),
        Result("channels", channels, "1 (mono)", m.channels == CHANNELS),
        Result("bitrate", bitrate, f">= {MIN_BITRATE_KBPS} kbps", kbps >= MIN_BITRATE_KBPS),
        Result("bitrate mode", mode, "CBR", m.constant_bitrate),
        Result("chapters", str(len(m.chapters)), "-", None),
    ]

    if not m.chapters:  # a section track: the chapter rules do not apply
        return results + [Result(name, "-", "-", None) for name in _CHAPTER_RULES]
    from narrate.verify.measurement import order_problem, tiling_problem

    tiling = tiling_problem(m.chapters, m.duration_s) or "tiled"
    order = order_problem(m.chapters) or "in time order"
    toc = "top-level CTOC" if m.has_ctoc else "no top-level CTOC listing every chapter"
    titles = f"{len(m.chapters)} titled" if m.chapters_titled else "a chapter has no title"
    return [
        *results,
        Result("chapter tiling", tiling, "tile the file", m.chapters_tiled),
        Result("chapter order", order, "in time order", m.chapters_ordered),
        Result("table of contents", toc, "top-level CTOC", m.has_ctoc),
        Result("chapter titles", titles, "every chapter titled", m.chapters_titled),
    ]


def check_files(paths: Sequence[Path], target: str = "acx") -> list[FileReport]:
    """Measure each file and apply the target's rules.

    Raises:
        ConfigError: unknown target.
        AudioError: a file is not an MP3 or cannot be decoded.
    """
    if target not in TARGETS:
        raise ConfigError(f"unknown target '{target}'; known targets: {', '.join(TARGETS)}")
    from narrate.verify.measurement import measure

    reports = []
    for path in paths:
        m = measure(Path(path), loudness_too=target == "podcast")
        reports.append(FileReport(Path(path), target, m, tuple(evaluate(m, target))))
    return reports


# --- rendering ---


def format_reports(reports: Sequence[FileReport]) -> str:
    """One table per file: a line per rule with its value, limit and PASS, FAIL or -."""
    out = []
    for report in reports:
        rows = [("check", "value", "limit", "result")]
        rows += [(r.name, r.value, r.limit, r.status) for r in report.results]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        out.append(f"{report.path} ({report.target.upper()})")
        out += [f"  {a:<{widths[0]}}  {b:<{widths[1]}}  {c:<{widths[2]}}  {d}" for a, b, c, d in rows]
        for chapter in report.measurement.chapters:
            out.append(f"    {chapter_time(chapter.start_ms)}  {chapter_time(chapter.end_ms)}  {chapter.title}")
        failures = report.failures
        out.append(f"  {'FAIL: ' + ', '.join(failures) if failures else 'PASS'}")
        out.append("")
    return "\n".join(out).rstrip("\n")


def _plain(value):
    """JSON-safe: -inf and nan become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def to_json(reports: Sequence[FileReport]) -> str:
    """A JSON list, one object per file: file, target, passed, failures, measurement, results."""
    return json.dumps(
        [
            _plain({
                "file": str(r.path),
                "target": r.target,
                "passed": r.passed,
                "failures": r.failures,
                "measurement": asdict(r.measurement),
                "results": [
                    {"check": x.name, "value": x.value, "limit": x.limit, "passed": x.passed} for x in r.results
                ],
            })
            for r in reports
        ],
        indent=2,
        ensure_ascii=False,
    )
