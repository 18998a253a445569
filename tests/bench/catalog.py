"""The catalog benchmark, side by side in one run: `python tests/bench/catalog.py`.

Builds the same catalog (three essays, cold cache each time) with the real Piper voice on
local threads, then on a LocalCluster of 1 and of 2 Dask worker processes (one thread each),
and prints wall time, speed-up against threads, the per-sentence synthesis cost, and the
scheduler's own overhead per task (no-op tasks through the same executor). Needs narrate[dask].
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from distributed import LocalCluster

from narrate.publish import catalog
from narrate.speech import executors

# Every sentence names its essay and section, so none is shared (the shared cache would skip it).
PARAGRAPH = (
    "The {w} was quiet in the morning. People came to the {w} and went without a word. "
    "Somebody had left a light on in the {w}. By noon the {w} was full again. "
    "Nobody at the {w} remembered the quiet hour. It came back to the {w} every day all the same."
)
ESSAYS = {
    f"{w}.md": f"# The {w.title()}\n\n## One\n\n{PARAGRAPH.format(w=w)}\n\n## Two\n\n{PARAGRAPH.format(w='old ' + w)}\n"
    for w in ("harbour", "orchard", "library")
}


def _catalog(root: Path, essays: dict[str, str]) -> Path:
    root.mkdir(parents=True)
    for name, text in essays.items():
        (root / name).write_text(text, encoding="utf-8")
    catalog.init(root, base_url="https://example.org/pod/", title="Bench")
    return root


def _run(root: Path, pool=None, essays: dict[str, str] = ESSAYS) -> tuple[float, int]:
    started = time.perf_counter()
    report = catalog.build(_catalog(root, essays), engine_name="piper", executor=pool)
    return time.perf_counter() - started, sum(b.report.synthesized for b in report.books)


def _overhead(pool, n: int = 200) -> float:
    """Seconds per no-op task, submitted all at once, through the executor."""
    started = time.perf_counter()
    for future in [pool.submit(str, i) for i in range(n)]:
        future.result()
    return (time.perf_counter() - started) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help="where to build (default: a temporary folder)")
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(dir=args.dir))
    try:
        threads, sentences = _run(base / "threads")
        print(f"threads: {threads:.1f} s for {sentences} sentences ({threads / sentences * 1000:.0f} ms each)")
        for workers in (1, 2):
            with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                              dashboard_address=None) as cluster:
                pool = executors.create("dask", 1, cluster.scheduler_address)
                try:
                    # Not timed: the version check makes the voice on every worker (imports, model load).
                    _run(base / f"warm-{workers}", pool, {"warm.md": "Warm up."})
                    wall, _ = _run(base / f"dask-{workers}", pool)
                    per_task = _overhead(pool)
                finally:
                    pool.shutdown()
            print(
                f"dask, {workers} worker(s): {wall:.1f} s, speed-up {threads / wall:.2f}x against threads; "
                f"{wall / sentences * 1000:.0f} ms per sentence; scheduler overhead {per_task * 1000:.1f} ms per task"
            )
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
