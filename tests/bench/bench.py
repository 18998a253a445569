"""Benchmarks, measured side by side in one run: `python tests/bench/bench.py`.

Prints one line per figure. Not part of the test run.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _example(root: Path) -> Path:
    shutil.copy(REPO / "narrate.toml", root / "narrate.toml")
    (root / "essay").mkdir()
    shutil.copy(REPO / "essay" / "la-la-land.txt", root / "essay")
    return root


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def regeneration(engine: str) -> None:
    """Issue: regenerate after edits. Cold build, no-op rebuild, one sentence edited."""
    from narrate import build as pipeline

    with tempfile.TemporaryDirectory() as tmp:
        root = _example(Path(tmp))
        build = lambda: pipeline.build(pipeline.open_project(root), engine_name=engine)  # noqa: E731
        cold, report = _timed(build)
        noop, again = _timed(build)
        script = root / "script" / "03-the-sex-appeal-of-dreams.txt"
        script.write_text(script.read_text(encoding="utf-8").replace("It's bitter.", "It is bitter."), encoding="utf-8")
        edit, edited = _timed(build)
        print(f"example essay, {engine}: book {report.chapters[-1].end_ms / 1000:.1f} s of audio, "
              f"{report.synthesized} sentences")
        print(f"cold build               {cold:7.2f} s")
        print(f"no-op rebuild            {noop:7.2f} s   ratio {noop / cold:.3f} (target <= 0.1)   synthesized {again.synthesized}")
        print(f"one sentence edited      {edit:7.2f} s   ratio {edit / cold:.3f} (target <= 0.4)   synthesized {edited.synthesized}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engine", default="piper", help="engine for the example-essay figures")
    args = parser.parse_args()
    regeneration(args.engine)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process {peak:7.1f} MB", file=sys.stdout)


if __name__ == "__main__":
    main()
