"""Plain-text and Markdown essays, with optional YAML front matter (title, author, date, cover)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from narrate.errors import InputError
from narrate.inputs.base import Reader
from narrate.split import Essay, read_essay, split_essay

_FRONT = re.compile(r"\A---\n(.*?\n)---[ \t]*\n", re.DOTALL)


def front_matter(text: str, path: Path) -> tuple[dict[str, str], str]:
    """(title/author/date/cover from a leading `---` YAML block, the text after it)."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    import yaml  # a core dependency; imported only for essays with front matter

    try:
        data = yaml.safe_load(m.group(1))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" on line {mark.line + 2}" if mark else ""
        raise InputError(f"{path}: the front matter (between the --- lines) is not valid YAML{where}; fix it") from exc
    if not isinstance(data, dict):
        return {}, text  # a "---" rule that happens to open the essay
    fields = {k: str(data[k]).strip() for k in ("title", "author", "date", "cover") if data.get(k) is not None}
    return fields, text[m.end():]


class TextReader(Reader):
    """UTF-8 text or Markdown; headings as `split_essay` recognizes them."""

    name = "text"

    def sniff(self, path: Path, head: bytes) -> bool:
        return b"\x00" not in head  # tried last: anything textual no other reader claims

    def fingerprint(self, path: Path) -> str:
        """The decoded text, as scripts made before the readers existed were fingerprinted."""
        return read_essay(path)

    def read(self, path: Path) -> Essay:
        text = read_essay(path)
        fields, body = front_matter(text, path)
        essay = split_essay(body, fallback_title=path.stem.replace("-", " ").title())
        return replace(essay, **fields) if fields else essay
