"""The README's promises that a test can hold it to."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _quick_start() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## Quick start", 1)[1].split("```", 2)[1]
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_lines_and_ci_runs_the_second_verbatim():
    lines = _quick_start()
    assert len(lines) == 2
    assert "narrate build" in lines[0] and "pytest" in lines[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert lines[1] in ci
