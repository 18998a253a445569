"""Shared checks for the input readers' tests: build with the fake engine, read back what was made."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import run_cli
from mutagen.id3 import ID3

from narrate.split import slugify
from narrate.tags import read_chapters

MARKUP = re.compile(r"<[a-zA-Z/!][^>]*>|&[a-z]+;|&#\d+;|^\s*[#>|*-]\s|\{|\}|\\", re.M)


def build(folder: Path, essay: str, stem: str = "") -> tuple[list[str], dict[str, str], ID3]:
    """`narrate -q build ESSAY --engine fake` in folder: (chapter titles, scripts by file name, book tags).

    `stem` is the essay file's name without extension, when ESSAY is not a file (a URL).
    """
    result = run_cli("-q", "build", essay, "--engine", "fake")
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    book = folder / "audio" / f"{slugify(stem or Path(essay).stem)}.mp3"
    scripts = {p.name: p.read_text(encoding="utf-8") for p in sorted((folder / "script").glob("*.txt"))}
    return [c.title for c in read_chapters(book)], scripts, ID3(book)


def assert_clean(scripts: dict[str, str], banned: list[str]) -> None:
    """No boilerplate word and no markup in any script."""
    text = "\n".join(scripts.values())
    for word in banned:
        assert word.lower() not in text.lower(), word
    assert not MARKUP.search(text), MARKUP.search(text).group(0)
