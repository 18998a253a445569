"""Checks the EPUB, DOCX and ODT readers' tests share: what `narrate split` says it left out, words in order."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_cli


def split(folder: Path, essay: str, *args: str) -> tuple[str, dict[str, str]]:
    """`narrate split ESSAY` in folder: (its "left out: ..." line, scripts by file name)."""
    result = run_cli("split", essay, *args)
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    line = next((x for x in result.stdout.splitlines() if x.startswith("left out: ")), "")
    scripts = {p.name: p.read_text(encoding="utf-8") for p in sorted((folder / "script").glob("*.txt"))}
    return line.split(" (narrate.toml")[0], scripts


def words(text: str) -> list[str]:
    """Lower-case words, punctuation and line breaks aside."""
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower().replace("’", "'"))


def assert_in_order(text: str, passages: list[str]) -> None:
    """Every word of every passage is in `text`, passage after passage, in the order written."""
    said = words(text)
    at = 0
    for passage in passages:
        wanted = words(passage)
        for start in range(at, len(said) - len(wanted) + 1):
            if said[start : start + len(wanted)] == wanted:
                at = start + len(wanted)
                break
        else:
            raise AssertionError(f"not found in order after word {at}: {passage!r}")


def assert_absent(text: str, phrases: list[str]) -> None:
    """None of the phrases is said (compared word by word, case aside)."""
    said = " " + " ".join(words(text)) + " "
    for phrase in phrases:
        assert " " + " ".join(words(phrase)) + " " not in said, phrase
