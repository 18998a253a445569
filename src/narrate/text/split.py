"""Split an essay into its title and sections by the heading forms essays use."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from narrate.errors import InputError
from narrate.text.kinds import KINDS, READABLE, LeftOut, describe_left_out  # noqa: F401  (the readers' names for them)
from narrate.text.normalize import ZERO_WIDTH


@dataclass(frozen=True)
class Section:
    """One section of the essay as written.

    Attributes:
        number: 1-based order in the essay.
        title: the chapter title (numbering such as "1." or "IV." removed).
        paragraphs: the body, one string per paragraph, as written.
    """

    number: int
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Essay:
    """An essay's title (may be empty) and its sections, in order.

    Attributes:
        author, date: as the file states them (front matter, document properties), else "".
        cover: the cover image the file names (a path relative to the essay's folder), else "".
        left_out: what the reader did not narrate, by kind (see `narrate.inputs.base.KINDS`).
    """

    title: str
    sections: tuple[Section, ...]
    author: str = ""
    date: str = ""
    cover: str = ""
    left_out: tuple[LeftOut, ...] = ()


_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty"
)
_MARKDOWN = re.compile(r"^(#{1,6})\s+(\S.*)$")
_CLOSING_HASHES = re.compile(r"\s+#+$")  # "## Title ##"; linear, unlike a lazy title before optional hashes
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+(\S.*)$")
_ROMAN = re.compile(r"^(M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))[.)]\s+(\S.*)$")
# "Chapter 3", and the same in the languages gTTS reads most (with digits or Roman numerals).
_CHAPTER_WORDS = (
    "chapter|part|section|book|chapitre|partie|livre|kapitel|teil|buch|abschnitt|"
    "cap[ií]tulo|capitolo|parte|libro|secci[oó]n|sezione|hoofdstuk|deel|rozdzia[lł]|cz[eę]ść"
)
_NAMED = re.compile(
    rf"^({_CHAPTER_WORDS})\s+(\d{{1,3}}|[IVXLC]+|{_NUMBER_WORDS})\b\s*(?:[:.\-–—]\s*(.*))?$",
    re.IGNORECASE,
)
_MAX_HEADING = 200
# Inline Markdown: keep the words, drop the marks. Each span stops at the next mark of its own
# kind (no `.+?` across them), so a line full of unmatched marks is scanned in linear time.
MARKDOWN_INLINE = (
    (re.compile(r"\[([^\[\]]+)\]\([^()]*\)"), r"\1"),  # links keep their text
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"\*\*((?:[^*]|\*(?!\*))+)\*\*"), r"\1"),  # bold may hold *italics*
    (re.compile(r"__((?:[^_]|_(?!_))+)__"), r"\1"),
    (re.compile(r"(?<![\w*])\*(?!\s)([^*]+)(?<!\s)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?!\s)([^_]+)(?<!\s)_(?![\w_])"), r"\1"),
)


# A plain-text essay may carry light Markdown all the same: an image, a quoted or listed line. A file
# with Markdown's structure is read by its parser instead (narrate.inputs.markdown), not by these.
_UNMARK = (
    (re.compile(r"!\[([^\[\]]*)\]\([^()]*\)"), ""),  # images
    *MARKDOWN_INLINE,
    (re.compile(r"^\s*(?:>\s*)+"), ""),  # block quotes
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?=\S)"), ""),  # list markers
)


def _plain(title: str) -> str:
    for pattern, repl in MARKDOWN_INLINE:
        title = pattern.sub(repl, title)
    return title.strip("*_ ")


def unmark(text: str) -> str:
    """A plain-text paragraph's words without the Markdown marks it may hold (emphasis, links, list markers)."""
    for pattern, repl in _UNMARK:
        text = pattern.sub(repl, text)
    return text


def read_essay_text(path: Path) -> str:
    """Read an essay as text.

    Args:
        path: a UTF-8 (optionally with BOM) text or Markdown file.

    Returns:
        The text with line endings normalized to LF.

    Raises:
        InputError: the path is missing, a folder, binary, not UTF-8, or empty.
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"essay not found: {path}. Check the path")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give the essay's text or Markdown file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    if b"\x00" in data[:65536]:
        raise InputError(f"{path} is a binary file, not text; give a UTF-8 text or Markdown essay")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n").count(b"\n") + 1
        raise InputError(
            f"{path} is not UTF-8 (byte {exc.start}, on line {line}, cannot be decoded); "
            "save it as UTF-8 and run again"
        ) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not clean_line(text):
        raise InputError(f"{path} is empty; there is nothing to narrate")
    return text


def clean_line(line: str) -> str:
    """Collapse Unicode spaces, drop zero-width characters, strip."""
    line = unicodedata.normalize("NFC", line)
    line = ZERO_WIDTH.sub("", line)
    return re.sub(r"\s+", " ", line).strip()


def _heading(line: str) -> tuple[int, str] | None:
    """(markdown level or 0, title) when the line is a heading."""
    m = _MARKDOWN.match(line)
    if m:  # "## ..." is a heading at any length; only the unmarked forms could be prose
        text = _CLOSING_HASHES.sub("", m.group(2))
        inner = _heading(text)
        return len(m.group(1)), (inner[1] if inner else _plain(text))
    if len(line) > _MAX_HEADING:
        return None
    m = _NAMED.match(line)
    if m:
        return 0, line.rstrip(" .:")
    for pattern in (_NUMBERED, _ROMAN):
        m = pattern.match(line)
        # A numbered list item reads like a sentence; a heading does not end in one.
        if m and m.group(1) and len(line) <= 120 and not re.search(r"[.,;:]$", line):
            return 0, _plain(m.group(2))
    return None


def heading_title(line: str) -> str | None:
    """The title of a line written as a heading ("1. Method", "Chapter 2: ..."), else None."""
    found = _heading(clean_line(line))
    return found[1] if found else None


def _looks_like_title(line: str) -> bool:
    return len(line) <= 150 and not re.search(r"[.,;:]$", line)


def _paragraphs(lines: list[str]) -> tuple[str, ...]:
    """Blank lines end paragraphs; so does a line break after a sentence's end."""
    paragraphs: list[str] = []
    current: list[str] = []
    for raw in lines:
        line = clean_line(raw)
        if not line:
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        current.append(line)
        if re.search(r"[.!?…][\"'”’)\]]*$", line):
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return tuple(paragraphs)


def split_essay(text: str, fallback_title: str = "") -> Essay:
    """Split essay text into its title and sections.

    Args:
        text: the essay (LF line endings).
        fallback_title: the title to use when the essay has none (say, the file name).

    Returns:
        The Essay. An essay with no headings is one section titled as the essay.

    Raises:
        InputError: nothing to narrate.
    """
    lines = text.split("\n")
    first = next((i for i, raw in enumerate(lines) if clean_line(raw)), None)
    if first is None:
        raise InputError("the essay is empty; there is nothing to narrate")
    title = ""
    start = first
    head = clean_line(lines[first])
    found = _heading(head)
    markdown_levels = [h[0] for h in (_heading(clean_line(x)) for x in lines) if h and h[0]]
    if found and found[0] == 1 and markdown_levels.count(1) == 1 and len(markdown_levels) > 1:
        title, start = found[1], first + 1  # "# Title" above "## Sections"
    elif not found and _looks_like_title(head):
        title, start = head, first + 1
    elif found and found[0] == 1 and len(markdown_levels) == 1:
        title, start = found[1], first + 1

    raw_sections: list[tuple[str, list[str]]] = []
    preface: list[str] = []
    for raw in lines[start:]:
        found = _heading(clean_line(raw))
        if found:
            raw_sections.append((found[1], []))
        elif raw_sections:
            raw_sections[-1][1].append(raw)
        else:
            preface.append(raw)

    title = title or fallback_title
    sections: list[tuple[str, tuple[str, ...]]] = []
    preface_paragraphs = _paragraphs(preface)
    if preface_paragraphs:
        sections.append(("Introduction" if raw_sections else (title or "Essay"), preface_paragraphs))
    sections.extend((t, _paragraphs(body)) for t, body in raw_sections)
    if not sections:
        if not title:
            raise InputError("the essay has no text to narrate")
        # A lone title line: narrate it as the only section.
        sections.append((title, ()))
    return Essay(
        title=title,
        sections=tuple(Section(n, t, p) for n, (t, p) in enumerate(sections, 1)),
    )


_RESERVED = re.compile(r"con|prn|aux|nul|com[0-9]|lpt[0-9]")


def slugify(title: str, limit: int = 48) -> str:
    """ASCII file-name slug: lowercase words joined by '-', never a path separator."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] or slug[:limit]
    if _RESERVED.fullmatch(slug):  # Windows device names cannot be file names, whatever the extension
        slug += "-section"
    return slug or "section"
