"""--watch: build, then build again whenever a script, narrate.toml or the essay is saved."""

from __future__ import annotations

import time
from concurrent.futures import Executor
from pathlib import Path
from typing import Callable

from narrate import build as pipeline, origin
from narrate.config import load_config
from narrate.errors import NarrateError
from narrate.project import open_project


def _essay(root: Path, essay: Path | None) -> Path | None:
    """The essay a build reads: the one given, else the one narrate.toml names (read afresh: it may change)."""
    if essay is not None:
        return Path(essay)
    try:
        config = load_config(root)
    except NarrateError:
        return None  # a broken narrate.toml: the build reports it, and its next save is seen
    return root / config.essay if config is not None and config.essay else None


def _fingerprint(root: Path, essay: Path | None) -> tuple:
    """What --watch looks at: narrate.toml, the essay, the scripts (names, sizes, times)."""
    scripts = sorted(p for p in (root / "script").glob("*") if p.name != origin.NAME) if (root / "script").is_dir() else []
    paths = [root / "narrate.toml", *scripts]  # not script/origin.json: the builds' own record, not an edit
    essay = _essay(root, essay)
    if essay is not None:
        paths.append(essay)
    stamp = []
    for path in paths:
        try:
            st = path.stat()
            stamp.append((str(path), st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            stamp.append((str(path), None, None))
    return tuple(stamp)


def watch(
    root: Path,
    essay: Path | None,
    on_build: Callable[[pipeline.BuildReport | NarrateError], None],
    engine_name: str | None = None,
    interval: float = 1.0,
    should_stop: Callable[[], bool] = lambda: False,
    formats: tuple[str, ...] = (),
    voice: str | None = None,
    executor: Executor | None = None,
    verify: bool | None = None,
    strict: bool = False,
) -> None:
    """Build now, then again whenever a script, narrate.toml or the essay is saved.

    The build's options (`engine_name`, `formats`, `executor`, `verify`, `strict`) apply to
    every build. A failed build is reported through `on_build` and watching goes on.
    """
    last = None
    while not should_stop():
        current = _fingerprint(root, essay)
        if current != last:
            last = current  # taken before building, so a save during the build triggers another
            try:
                report = pipeline.build(
                    open_project(root, essay, voice), engine_name=engine_name, formats=formats, executor=executor,
                    verify=verify, strict=strict,
                )
                if report.scripts_written:
                    last = _fingerprint(root, essay)  # the build's own script writes are not edits
                on_build(report)
            except NarrateError as exc:
                on_build(exc)
        time.sleep(interval)
