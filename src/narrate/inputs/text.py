"""Plain-text and Markdown essays: front matter (YAML `---` or TOML `+++`), then the text.

A file is read as Markdown when its content shows Markdown's structure (front matter, `#` or
underlined headings, fenced code, links, images, footnotes, tables, inline code or HTML,
shortcodes); otherwise as plain text, split by the heading forms of `split_essay` exactly as
before. The extension decides only one thing: in a `.md` file an indented block is code, as
CommonMark says; in a text file read as Markdown it is an indented paragraph.
"""

from __future__ import annotations

import datetime
import re
import sys
from dataclasses import replace
from pathlib import Path

from narrate.errors import InputError
from narrate.inputs.base import Document, Reader
from narrate.text.split import Essay, Section, _plain, read_essay_text, split_essay, unmark

MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".mdwn", ".mdtxt", ".mdtext"})
_YAML = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", re.DOTALL)
_TOML = re.compile(r"\A\+\+\+[ \t]*\n(.*?\n)?\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)
# What plain text does not hold and Markdown does (emphasis, list markers and quotes are both's, so no sign).
_SIGNS = re.compile(
    r"^ {0,3}#{1,6}[ \t]+\S"  # ATX heading
    r"|^ {0,3}(?:`{3,}|~{3,})"  # fenced code
    r"|\S[ \t]*\n {0,3}=+[ \t]*$"  # setext heading underlined with =
    r"|!?\[[^\]\n]*\]\(|^ {0,3}\[[^\]\n]+\]:[ \t]*\S|\]\[[^\]\n]*\]|\[\^[^\]\s]+\]"  # links, definitions, footnotes
    r"|^ {0,3}\|?[ \t]*:?-{3,}:?[ \t]*\|"  # a table's delimiter row
    r"|`[^`\n]+`"  # inline code
    r"|<(?:https?://|!--|/?(?:a|img|br|div|p|span|sup|sub|em|strong|figure|iframe|video|table|details|summary)\b)"
    r"|\{\{[<%]|\{%",  # Hugo, Zola and Jekyll shortcodes
    re.MULTILINE | re.IGNORECASE,
)


def front_matter(text: str, path: Path) -> tuple[dict[str, str], str, bool]:
    """(title/author/date/cover from a leading YAML `---` or TOML `+++` block, the text after it, whether there was one)."""
    toml = _TOML.match(text)
    data: dict | None
    if toml:
        data, end = _toml(toml.group(1) or "", path), toml.end()
    else:
        yaml_block = _YAML.match(text)
        if not yaml_block:
            return {}, text, False
        data, end = _yaml(yaml_block.group(1) or "", path), yaml_block.end()
        if data is None:
            return {}, text, False  # a "---" rule that happens to open the essay
    extra = data.get("extra")  # Zola keeps its own keys in [extra]
    if not isinstance(extra, dict):
        extra = {}
    fields = {
        "title": _text(data.get("title")),
        "author": _names(data.get("author") or data.get("authors") or extra.get("author") or extra.get("authors")),
        "date": _date(data.get("date")),
        "cover": _cover(data.get("cover")),
    }
    return {k: v for k, v in fields.items() if v}, text[end:], True


def _yaml(block: str, path: Path) -> dict | None:
    import yaml  # a core dependency; imported only for essays with front matter

    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark else ""
        raise InputError(f"{path}: the front matter (between the --- lines) is not valid YAML{where}; fix it") from exc
    if data is None:
        return {}
    return data if isinstance(data, dict) else None


def _toml(block: str, path: Path) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(block)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path}: the front matter (between the +++ lines) is not valid TOML ({exc}); fix it") from exc


def _text(value: object) -> str:
    return " ".join(str(value).split()) if isinstance(value, (str, int, float)) else ""


def _names(value: object) -> str:
    """An author, or a list of them as a narrator names them: "Sam Lau and Philip Guo"."""
    names = [_text(v) for v in value] if isinstance(value, list) else [_text(value)]
    names = [n for n in names if n]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _date(value: object) -> str:
    """A date as YYYY-MM-DD (YAML and TOML dates and date-times, or a string that starts with one)."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.strftime("%Y-%m-%d")
    found = re.match(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", _text(value))
    return found.group(0) if found else ""


def _cover(value: object) -> str:
    """An image path relative to the essay; a site-root path or an address is the site's, not a file here."""
    if isinstance(value, dict):  # Hugo themes write cover: {image: …}
        value = value.get("image")
    text = _text(value)
    return "" if not text or "://" in text or text.startswith("/") else text


def is_markdown(text: str) -> bool:
    """Whether the text (after its front matter) shows Markdown's structure."""
    return bool(_SIGNS.search(text))


def _plain_essay(text: str, fallback_title: str) -> Essay:
    """A plain-text essay: headings by `split_essay`'s forms, stray Markdown marks taken off the words."""
    essay = split_essay(text, fallback_title=fallback_title)
    sections = tuple(
        Section(s.number, unmark(s.title), tuple(p for p in (unmark(x) for x in s.paragraphs) if p)) for s in essay.sections
    )
    return replace(essay, title=_plain(unmark(essay.title)), sections=sections)


class TextReader(Reader):
    """UTF-8 text or Markdown: Markdown by its parser, plain text by `split_essay`'s heading forms."""

    name = "text"

    def sniff(self, path: Path, head: bytes) -> bool:
        return b"\x00" not in head  # tried last: anything textual no other reader claims

    def fingerprint(self, path: Path) -> str:
        """The decoded text, as scripts made before the readers existed were fingerprinted."""
        return read_essay_text(path)

    def read(self, path: Path) -> Document | Essay:
        text = read_essay_text(path)
        fields, body, fenced = front_matter(text, path)
        if fenced or is_markdown(body):
            from narrate.inputs.markdown import read_markdown

            return read_markdown(body, fields, indented_code=path.suffix.lower() in MARKDOWN_SUFFIXES)
        return _plain_essay(body, path.stem.replace("-", " ").title())
