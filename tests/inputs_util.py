"""Shared checks for the input readers' tests: build with the fake engine, read back what was made, what is said."""

from __future__ import annotations

import json
import re
from pathlib import Path

from mutagen.id3 import ID3

from conftest import run_cli
from narrate.audio.tags import read_chapters
from narrate.text.split import slugify

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


def assert_narrated(
    scripts: str | dict[str, str], main: str | list[str], left_out: list[str] = (), *, together: bool = True,
    markup: bool = True,
) -> None:
    """What a reader narrates is said, in order, and what it leaves out is not: the readers' one check.

    Args:
        scripts: the scripts, joined or by file name (then read in name order).
        main: the passages to be said, in this order (one string: one passage).
        left_out: words and phrases never said (compared word by word, case aside).
        together: each passage's words one after another; False: in order, other words between them.
        markup: also assert that no markup and no Markdown syntax is left in the scripts.
    """
    text = scripts if isinstance(scripts, str) else "\n".join(scripts[name] for name in sorted(scripts))
    spoken = words(text)
    at = 0
    for passage in [main] if isinstance(main, str) else main:
        wanted = words(passage)
        if together:
            start = next((i for i in range(at, len(spoken) - len(wanted) + 1) if spoken[i : i + len(wanted)] == wanted), None)
            assert start is not None, f"not said (in order): {passage!r} after {' '.join(spoken[max(0, at - 8):at])!r}"
            at = start + len(wanted)
            continue
        for n, word in enumerate(wanted):
            try:
                at = spoken.index(word, at) + 1
            except ValueError:
                raise AssertionError(f"main text word {n} {word!r} not spoken after {' '.join(spoken[max(0, at - 8):at])!r}")
    said = " " + " ".join(spoken) + " "
    leaked = [phrase for phrase in left_out if " " + " ".join(words(phrase)) + " " in said]
    assert not leaked, leaked
    if markup:
        assert not [s for s in MARKDOWN_SYNTAX if s in text], [s for s in MARKDOWN_SYNTAX if s in text]
        assert_clean({"all": text}, [])
