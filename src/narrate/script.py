"""Narration scripts: the text exactly as it will be spoken, one file per section.

`script/book.json` records each script's title and the hash of the text narrate
wrote, so a build can tell a hand-edited script from one it may regenerate.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from narrate.config import Pauses
from narrate.errors import ConflictError, InputError
from narrate.fsutil import sha256_text, write_text
from narrate.normalize import is_english, normalize
from narrate.split import Essay, LeftOut, slugify

log = logging.getLogger(__name__)

MANIFEST = "book.json"
_FORMAT = 1


@dataclass(frozen=True)
class Script:
    """One narration script.

    Attributes:
        file: the script's file name inside script/.
        title: the chapter title, as written in the essay.
        kind: "opening" (the book's title announcement) or "section".
        text: the text to speak; paragraphs separated by blank lines, the first
            paragraph being the announced heading.
    """

    file: str
    title: str
    kind: str
    text: str


@dataclass(frozen=True)
class Unit:
    """A piece of text synthesized in one call, then the pause that follows it."""

    text: str
    pause_ms: int


# --- making text speakable -------------------------------------------------

def speakable(text: str, heading: bool = False, language: str = "en") -> str:
    """The text as a narrator reads it (see `normalize`).

    Readers hand over plain words: Markdown is parsed by its reader, and a plain-text essay's
    stray marks are taken off by `split.unmark`, so a `*` or `_` another format holds stays.
    """
    return normalize(text, heading=heading, language=language)


def _spoken_heading(title: str, language: str) -> str:
    heading = speakable(title, heading=True, language=language)
    return heading if re.search(r"[.!?]$", heading) else heading + "."


def plan_scripts(essay: Essay, author: str = "", language: str = "en") -> list[Script]:
    """The scripts an essay splits into: an opening announcement, then one per section.

    The scripts are normalized for `language` (see `normalize`); the opening names the author
    ("By ...") in English only: in another language, write it into the opening script.
    """
    width = max(2, len(str(len(essay.sections))))
    scripts: list[Script] = []
    if essay.title:
        opening = _spoken_heading(essay.title, language)
        if author and is_english(language):
            opening += f"\n\nBy {speakable(author)}."
        scripts.append(Script(f"{0:0{width}d}-opening.txt", essay.title, "opening", opening + "\n"))
    used: set[str] = set()
    for section in essay.sections:
        slug = slugify(section.title)
        unique, n = slug, 2
        while unique in used:  # two sections with one title stay two files
            unique, n = f"{slug}-{n}", n + 1
        used.add(unique)
        # Verse keeps its lines: each is spoken, then a short pause (see `paragraph_units`).
        body = ["\n".join(filter(None, (speakable(line, language=language) for line in p.split("\n")))) for p in section.paragraphs]
        text = "\n\n".join([_spoken_heading(section.title, language), *[p for p in body if p]]) + "\n"
        scripts.append(Script(f"{section.number:0{width}d}-{unique}.txt", section.title, "section", text))
    return scripts


# --- script files on disk --------------------------------------------------


def _read_manifest(script_dir: Path) -> dict | None:
    path = script_dir / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != _FORMAT or not isinstance(data.get("sections"), list):
            raise ValueError("unknown format")
        return data
    except (ValueError, OSError, AttributeError) as exc:
        raise InputError(
            f"{path} is damaged ({exc}); restore it from version control, "
            "or delete it and run `narrate split --force` to rewrite the scripts from the essay"
        ) from exc


def _read_script_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except FileNotFoundError as exc:
        raise InputError(
            f"script {path} is missing; restore it, or run `narrate split --force` to rewrite it from the essay"
        ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read script {path}: {exc}. Save it as UTF-8 text") from exc


def essay_changed(script_dir: Path, essay_sha: str) -> bool:
    """True when the scripts were not written from this exact essay text (or do not exist)."""
    manifest = _read_manifest(script_dir)
    return manifest is None or manifest.get("essay_sha256") != essay_sha


def _hand_edits(script_dir: Path, old: dict, wanted: dict[str, Script], force: bool) -> tuple[list[str], set[str]]:
    """(hand-edited scripts the essay's text would overwrite, hand-edited scripts kept as they are)."""
    edited: list[str] = []
    kept: set[str] = set()
    for entry in old["sections"]:
        path = script_dir / entry["script"]
        if not path.is_file():
            continue
        current = _read_script_text(path)
        new = wanted.get(entry["script"])
        if sha256_text(current) == entry.get("sha256") or (new is not None and new.text == current):
            continue
        if new is not None and sha256_text(new.text) == entry.get("sha256") and not force:
            kept.add(entry["script"])  # the essay did not change this section: keep the hand edit
        else:
            edited.append(entry["script"])
    return edited, kept


def preview_scripts(script_dir: Path, scripts: list[Script]) -> tuple[list[Script], list[str]]:
    """What `write_scripts` would leave in script/, writing nothing.

    Returns:
        The scripts as a split would leave them (hand edits it keeps instead of the essay's
        text), and the hand-edited scripts it would stop on (empty when it would go ahead).
    """
    script_dir = Path(script_dir)
    wanted = {s.file: s for s in scripts}
    edited, kept = _hand_edits(script_dir, _read_manifest(script_dir) or {"sections": []}, wanted, False)
    return [Script(s.file, s.title, s.kind, _read_script_text(script_dir / s.file)) if s.file in kept else s for s in scripts], edited


def write_scripts(
    script_dir: Path, scripts: list[Script], essay_sha: str, force: bool = False, left_out: tuple[LeftOut, ...] = ()
) -> list[str]:
    """Write scripts and the manifest, never overwriting a hand-edited script unless forced.

    Args:
        script_dir: the script/ folder.
        scripts: what `plan_scripts` returned.
        essay_sha: SHA-256 of the essay text the scripts come from.
        force: take the essay's text even over hand edits.
        left_out: what the essay's reader did not narrate, recorded for every later build to report.

    Returns:
        The file names written or removed.

    Raises:
        ConflictError: hand-edited scripts would change or disappear; names them.
    """
    script_dir = Path(script_dir)
    old = _read_manifest(script_dir) or {"sections": []}
    wanted = {s.file: s for s in scripts}
    edited, kept = _hand_edits(script_dir, old, wanted, force)
    if edited and not force:
        raise ConflictError(
            f"hand-edited script(s) would be overwritten: {', '.join(edited)}. "
            "Keep your edits by building from the scripts as they are (remove `essay` from narrate.toml), "
            "or run `narrate split --force` to take the essay's text"
        )
    changed: list[str] = []
    for entry in old["sections"]:
        path = script_dir / entry["script"]
        if entry["script"] not in wanted and path.is_file():
            path.unlink()
            changed.append(entry["script"])
    for script in scripts:
        path = script_dir / script.file
        if script.file in kept:
            continue
        if not path.is_file() or _read_script_text(path) != script.text:
            write_text(path, script.text)
            changed.append(script.file)
    manifest = {
        "format": _FORMAT,
        "essay_sha256": essay_sha,
        "sections": [
            {"script": s.file, "title": s.title, "kind": s.kind, "sha256": sha256_text(s.text)}
            for s in scripts
        ],
        "left_out": [{"kind": p.kind, "count": p.count, "words": p.words} for p in left_out],
    }
    write_text(script_dir / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    log.debug("wrote %d script(s) to %s", len(changed), script_dir)  # the CLI says it, once
    return changed


def load_left_out(script_dir: Path) -> tuple[LeftOut, ...]:
    """What the essay's reader left out when the scripts were written (nothing for scripts without an essay)."""
    manifest = _read_manifest(Path(script_dir)) or {}
    try:
        return tuple(LeftOut(str(p["kind"]), int(p["count"]), int(p.get("words", 0))) for p in manifest.get("left_out", []))
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(
            f"{Path(script_dir) / MANIFEST} is damaged (left_out: {exc}); run `narrate split --force` to rewrite it"
        ) from exc


def load_scripts(script_dir: Path) -> list[Script]:
    """Read the scripts as they are on disk, in the manifest's order.

    Raises:
        InputError: no scripts, or a script is missing or unreadable.
    """
    script_dir = Path(script_dir)
    manifest = _read_manifest(script_dir)
    if manifest is None:
        raise InputError(f"no scripts in {script_dir}; run `narrate split ESSAY` first")
    scripts = [
        Script(e["script"], e["title"], e.get("kind", "section"), _read_script_text(script_dir / e["script"]))
        for e in manifest["sections"]
    ]
    if not scripts:
        raise InputError(f"{script_dir / MANIFEST} lists no scripts; run `narrate split --force ESSAY`")
    return scripts


# --- scripts into synthesis units -----------------------------------------

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "no", "fig", "mt", "ft",
}
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*\s+")
# An ellipsis is a pause wherever it is, even before a lower-case word: the next words start a new unit.
_ELLIPSIS = re.compile(r"(?<=\.\.\.)\s+(?=\S)")
_MAX_UNIT = 280  # long enough for a sentence, short enough to cache and retry cheaply


def _sentences(paragraph: str) -> list[str]:
    sentences, start = [], 0
    for m in _SENTENCE_END.finditer(paragraph):
        before = paragraph[start : m.start()].rsplit(" ", 1)[-1].lower().strip("\"'(")
        after = paragraph[m.end() : m.end() + 1]
        # A sentence starts with a capital, a digit, a quote, or a letter of a script without case (Hebrew, Arabic).
        starts = (after.isalpha() and not after.islower()) or after.isdigit() or after in "\"'“‘(["
        if before in _ABBREVIATIONS or re.fullmatch(r"[a-z]", before) or not starts:
            continue
        sentences.append(paragraph[start : m.end()].strip())
        start = m.end()
    sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


def _chunks(sentence: str) -> list[str]:
    """Break an over-long sentence at clause marks, then at spaces, so no word is lost."""
    if len(sentence) <= _MAX_UNIT:
        return [sentence]
    pieces: list[str] = []
    current = ""
    for part in re.split(r"(?<=[,;:])\s+|\s+", sentence):
        if current and len(current) + 1 + len(part) > _MAX_UNIT:
            pieces.append(current)
            current = part
        else:
            current = f"{current} {part}" if current else part
        while len(current) > _MAX_UNIT:  # a "word" longer than a unit
            pieces.append(current[:_MAX_UNIT])
            current = current[_MAX_UNIT:]
    if current:
        pieces.append(current)
    return pieces


def _lines(paragraph: str) -> list[str]:
    """A paragraph's lines of verse: a line starting with a capital starts one; other lines are wrapping, and join."""
    lines: list[str] = []
    for raw in paragraph.split("\n"):
        line = " ".join(raw.split())
        first = next((c for c in line if c.isalpha()), "")
        if lines and line and not first.isupper():
            lines[-1] += " " + line
        elif line:
            lines.append(line)
    return lines


def paragraph_units(text: str, pauses: Pauses, language: str = "en") -> list[list[Unit]]:
    """A script's synthesis units paragraph by paragraph, the heading first (see `units`).

    A line break before a capital letter ends a line of verse: what follows is a new unit. Other
    line breaks are hard wrapping, and join.
    """
    paragraphs = [lines for lines in (_lines(b) for b in text.split("\n\n")) if lines]
    # Scripts from `split` are normalized already (no change); hand-typed digits are read right.
    paragraphs = [p for p in ([n for n in (normalize(x, i == 0, language) for x in lines) if n] for i, lines in enumerate(paragraphs)) if p]
    result: list[list[Unit]] = []
    for index, lines in enumerate(paragraphs):
        pieces = [c for line in lines for s in _sentences(line) for e in _ELLIPSIS.split(s) for c in _chunks(e)]
        end_pause = pauses.heading if index == 0 else pauses.paragraph
        result.append([Unit(piece, end_pause if i == len(pieces) - 1 else pauses.sentence) for i, piece in enumerate(pieces)])
    if result:
        result[-1][-1] = Unit(result[-1][-1].text, 0)
    return result


def units(text: str, pauses: Pauses, language: str = "en") -> list[Unit]:
    """Split a script into synthesis units with the pause after each.

    The first paragraph is the heading: a longer pause follows it. Paragraphs end
    with a paragraph pause, sentences with a sentence pause; the last unit has none.
    """
    return [unit for paragraph in paragraph_units(text, pauses, language) for unit in paragraph]
