"""A short book for the output-format tests: three sections, a few sentences, built with the fake engine."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

ESSAY = """Small Things & Quiet "Rooms"

1. The First Room
The door opens onto a hall. Light comes through the window.

A chair waits by the wall.

2. The Second Room
Here the floor creaks. Nobody answers.

3. The Last Room
It is empty. That is all.
"""


def make_project(root: Path, formats: list[str] | None = None, cover: str = "") -> Path:
    """Write narrate.toml and the essay into `root`; returns `root`."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "essay.txt").write_text(ESSAY, encoding="utf-8")
    lines = ["[book]", 'author = "A. Writer"', 'essay = "essay.txt"']
    if cover:
        lines.append(f'cover = "{cover}"')
    lines += ["[voice]", 'engine = "fake"']
    if formats is not None:
        lines += ["[output]", "formats = [" + ", ".join(f'"{f}"' for f in formats) + "]"]
    (root / "narrate.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def build(root: Path, **kwargs):
    """Build the project in `root` with the fake engine (registered by the `fake_engine` fixture)."""
    from narrate import build as pipeline

    return pipeline.build(pipeline.open_project(root), engine_name="fake", **kwargs)


@contextmanager
def fake_registered():
    """The fake engine registered as "fake" for as long as the block runs (for module-scoped fixtures)."""
    from fakes import FakeEngine
    from narrate import engines

    saved = engines.ENGINES.get("fake")
    engines.ENGINES["fake"] = FakeEngine
    try:
        yield
    finally:
        engines.ENGINES.pop("fake")
        if saved is not None:
            engines.ENGINES["fake"] = saved
