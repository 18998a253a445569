"""Shared checks for the input readers' tests: build with the fake engine, read back what was made."""

from __future__ import annotations

import json
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


# Markdown syntax a script never holds
MARKDOWN_SYNTAX = ("](", "[^", "`", "+++", "---", "{{", "{%")


def split_scripts(folder: Path, name: str, text: str) -> tuple[str, str, list[dict]]:
    """`narrate split NAME` in folder: (the scripts joined in order, the "left out" line, book.json's left_out)."""
    (folder / name).write_text(text, encoding="utf-8")
    result = run_cli("split", name)
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    scripts = "\n".join(p.read_text(encoding="utf-8") for p in sorted((folder / "script").glob("*.txt")))
    said = [line for line in result.stdout.splitlines() if line.startswith("left out: ")]
    manifest = json.loads((folder / "script" / "book.json").read_text(encoding="utf-8"))
    return scripts, said[0] if said else "", manifest["left_out"]


def words(text: str) -> list[str]:
    """Lowercase runs of letters: how a script's words are compared with the text they come from."""
    return re.findall(r"[a-z]+", text.lower())


def assert_narrated(scripts: str, main: str, left_out: list[str]) -> None:
    """Every word of the main text reaches the scripts in order; no word of a left-out part, and no Markdown syntax."""
    spoken = words(scripts)
    at = 0
    for n, word in enumerate(words(main)):
        try:
            at = spoken.index(word, at) + 1
        except ValueError:
            raise AssertionError(f"main text word {n} {word!r} not spoken after {' '.join(spoken[max(0, at - 8):at])!r}")
    leaked = [w for w in left_out if w.lower() in spoken]
    assert not leaked, leaked
    assert not [s for s in MARKDOWN_SYNTAX if s in scripts], [s for s in MARKDOWN_SYNTAX if s in scripts]
    assert_clean({"all": scripts}, [])
