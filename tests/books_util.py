"""What the EPUB, DOCX and ODT readers' tests share: `narrate split` and the line naming what it left out (what is said: inputs_util)."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli


def split(folder: Path, essay: str, *args: str) -> tuple[str, dict[str, str]]:
    """`narrate split ESSAY` in folder: (its "left out: ..." line, scripts by file name)."""
    result = run_cli("split", essay, *args)
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    line = next((x for x in result.stdout.splitlines() if x.startswith("left out: ")), "")
    scripts = {p.name: p.read_text(encoding="utf-8") for p in sorted((folder / "script").glob("*.txt"))}
    return line.split(" (narrate.toml")[0], scripts
