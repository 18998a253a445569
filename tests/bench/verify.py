"""Verify benchmark: `python tests/bench/verify.py [VOICE ...]` builds the example essay with each
engine (default: hibari, the default voice, then piper; empty cache), runs `narrate verify` on the
book, then builds again from an empty cache with --verify, all in one process, and prints the
verification's cost as a share of the build's (wall clock and CPU time), and what was heard.
Each build and verify pair runs REPEAT times (3; the environment variable sets it): a 2-core
machine's timings vary by a third from run to run, so the median ratio is printed, with the range.

The recognizer's one-time load (and its weights' SHA-256 check) is timed apart: a build with
--verify pays it once per process.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _cpu() -> float:
    """CPU seconds of this process and its finished children (ffmpeg)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _timed(fn):
    wall, cpu = time.perf_counter(), _cpu()
    result = fn()
    return time.perf_counter() - wall, _cpu() - cpu, result


def _project(root: Path):
    from narrate import build as pipeline

    shutil.copy(REPO / "narrate.toml", root / "narrate.toml")
    shutil.copytree(REPO / "essay", root / "essay")
    return pipeline.open_project(root)


def main(voices: list[str]) -> None:
    from narrate import build as pipeline
    from narrate.verify import hearing
    from narrate.verify.book import verify

    load_wall, _, _ = _timed(hearing.model)
    print(f"recognizer load and weights check: {load_wall:.1f} s (once per process)")
    repeat = int(os.environ.get("REPEAT", "3"))
    for engine in voices:
        runs = []
        for _ in range(repeat):
            with tempfile.TemporaryDirectory() as one:
                project = _project(Path(one))
                build_wall, build_cpu, report = _timed(lambda: pipeline.build(project, engine_name=engine))
                verify_wall, verify_cpu, result = _timed(lambda: verify(project, engine_name=engine))
            runs.append((build_wall, build_cpu, verify_wall, verify_cpu))
        with tempfile.TemporaryDirectory() as two:
            checked_wall, _, checked = _timed(lambda: pipeline.build(_project(Path(two)), engine_name=engine, verify=True))
        build_wall, build_cpu, verify_wall, verify_cpu = (statistics.median(r[i] for r in runs) for i in range(4))
        walls = sorted(r[2] / r[0] for r in runs)
        cpus = sorted(r[3] / r[1] for r in runs)
        heard = len(result.sentences) - len(result.doubtful)
        speech = sum(s.end_ms - s.start_ms for s in result.sentences) / 1000
        print(f"example, {engine} (median of {repeat}): cold build {build_wall:.1f} s ({build_cpu:.1f} s CPU), {report.synthesized} sentences")
        print(f"  verify: {verify_wall:.1f} s ({verify_cpu:.1f} s CPU) for {speech:.0f} s of speech; {heard} of {len(result.sentences)} heard")
        print(
            f"  verify / build: {statistics.median(walls):.2f} wall ({walls[0]:.2f} to {walls[-1]:.2f}), "
            f"{statistics.median(cpus):.2f} CPU ({cpus[0]:.2f} to {cpus[-1]:.2f})"
        )
        print(
            f"  build --verify: {checked_wall:.1f} s ({checked_wall / build_wall:.2f}x the plain build), recognizer "
            f"{checked.check.seconds:.1f} s, {checked.check.retaken} retaken, {len(checked.check.doubtful)} doubtful"
        )
        for s in result.doubtful:
            print(f"  doubtful: {s.script}: {s.text!r} heard as {s.transcript!r} ({s.score:.2f})")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    main(sys.argv[1:] or ["hibari", "piper"])
