"""HTML essays (a saved page, or a fetched URL): the article, not the page, via trafilatura.

The page is decoded as a browser decodes it, its left-out parts are labelled (`htmlparts`), then
trafilatura finds the article; what it keeps becomes the document's blocks, the labelled parts
among them where they stood.
"""

from __future__ import annotations

import copy
import re
from collections import Counter
from pathlib import Path

from narrate.errors import InputError
from narrate.inputs import htmlframe
from narrate.inputs.base import Block, Document, Reader, missing_extra
from narrate.inputs.htmlparts import MARK_KINDS, TOKEN, label
from narrate.split import clean_line

MAX_HTML = 10 * 1024 * 1024  # a long essay's page is well under 1 MB; past this it is not an essay
_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article)\b", re.I | re.S)
_END = re.compile(r"[.!?…:;][\"'”’)\]]*$")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Back matter by its heading, as wikis and blogs name it: the section is left out whole.
_SECTIONS = {
    "references": "references", "citations": "references", "sources": "references", "bibliography": "references",
    "works cited": "references", "further reading": "references", "external links": "references",
    "literature": "references", "notes": "footnotes", "footnotes": "footnotes", "notes and references": "references",
    "endnotes": "endnotes", "see also": "navigation", "related articles": "navigation", "related posts": "chrome",
}
_LAYOUT_TAGS = {"head", "list", "quote", "table", "code"}
_OWN = {"toc", "navigation", "code", "figures", "tables", "chrome"}
_EDIT = re.compile(r"\s*\[\s*edit(?: source)?\s*\]\s*$", re.I)  # "[edit]" a saved page kept as text
_PERMALINK = re.compile(r"\s*[#¶§🔗]\s*$")
_NEEDED = re.compile(r"\[(?:citation|clarification|page|verification|better source|year) needed\]", re.I)
_ADDRESS = re.compile(r"\(?\s*(?:https?:|mailto:|www\.)\S*\s*\)?|<?\S+@\S+>?")


def sentence(text: str) -> str:
    """A list item or table row ends as a sentence, so the narrator pauses after it."""
    text = clean_line(text)
    return text if not text or _END.search(text) else text + "."


def decode(data: bytes) -> str:
    """A page's text, its encoding found as browsers find it.

    The WHATWG order: a byte order mark (a fetched page's HTTP charset is kept as one, see `fetch`);
    a meta charset or http-equiv in the page's head, labels mapped as browsers map them (ISO-8859-1
    is windows-1252); else UTF-8 when the bytes are valid UTF-8, as browsers' detectors find, else
    windows-1252, the web's default for Latin-script pages.
    """
    from w3lib.encoding import html_body_declared_encoding, read_bom, to_unicode

    encoding, bom = read_bom(data)
    if encoding:
        return to_unicode(data[len(bom):], encoding)
    encoding = html_body_declared_encoding(data)
    if encoding and encoding.startswith(("utf-16", "utf-32")):
        encoding = "utf-8"  # a page whose ASCII markup says UTF-16 is not UTF-16 (WHATWG: read it as UTF-8)
    if encoding is None:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1252"
    return to_unicode(data, encoding)


def _marks(text: str, counts: Counter | None) -> str:
    """The text without its mark tokens, counted in `counts` (when given)."""
    def drop(match: re.Match) -> str:
        if counts is not None and match.group(1) == "m":
            counts[MARK_KINDS[int(match.group(2))]] += 1
        return ""

    text = TOKEN.sub(drop, text)
    found = len(_NEEDED.findall(text))
    if found and counts is not None:
        counts["citations"] += found
    return _NEEDED.sub("", text)


def _plain(text: str) -> str:
    """The text without its tokens, nothing counted."""
    return _marks(text, None)


def _split(text: str, parts: list, item: bool = False) -> list[Block]:
    """A paragraph's text as blocks: its own words, and the left-out parts whose placeholders it holds."""
    blocks: list[Block] = []
    start = 0
    for match in TOKEN.finditer(text):
        if match.group(1) == "b":
            blocks += _words(text[start:match.start()], item)
            blocks += parts[int(match.group(2))] if int(match.group(2)) < len(parts) else []
            start = match.end()
    return blocks + _words(text[start:], item)


def _words(text: str, item: bool) -> list[Block]:
    """Main text, if the piece holds any words (marks aside)."""
    if not clean_line(TOKEN.sub("", text)):
        return []
    return [Block(0, sentence(text) if item else clean_line(text))]


def _own_text(el) -> str:
    """An element's text without that of the lists nested in it."""
    pieces = [el.text or ""]
    for child in el:
        if child.tag != "list":
            pieces.append("".join(child.itertext()))
        pieces.append(child.tail or "")
    return " ".join("".join(pieces).split())


def _layout(cell) -> bool:
    """Whether a table cell holds a page's text rather than a datum: headings, lists, paragraphs, or a long text."""
    tags = [child.tag for child in cell]
    return bool(_LAYOUT_TAGS.intersection(tags)) or tags.count("p") >= 2 or len("".join(cell.itertext()).split()) >= 50


def _blocks(main, parts: list) -> list[tuple[Block, object]]:
    """trafilatura's XML (head, p, list/item, quote, table/row/cell, code) as blocks, each with its XML element."""
    blocks: list[tuple[Block, object]] = []
    for el in main:
        text = " ".join("".join(el.itertext()).split())
        if el.tag == "head":
            level = int((el.get("rend") or "h2")[1:] or 2)
            blocks += [(b if b.kind else Block(level if level <= 3 else 0, b.text), el) for b in _split(text, parts)]
        elif el.tag == "list":
            blocks += [(b, el) for item in el.iter("item") for b in _split(_own_text(item), parts, item=True)]
        elif el.tag == "table" and any(_layout(cell) for cell in el.iter("cell")):
            # A table laying out the page (headings, lists or long paragraphs in its cells) holds the article.
            for cell in el.iter("cell"):
                if any(a.tag == "cell" for a in cell.iterancestors() if a is not el):
                    continue  # a nested table's cells are read with their own table
                content = " ".join("".join(cell.itertext()).split())
                blocks += _blocks(cell, parts) if len(cell) else [(b, cell) for b in _split(content, parts)]
        elif el.tag == "table":
            # Read row by row when asked for ("Tea: Green, Minutes: Two."); a part inside a cell (code) stays its own.
            rows = [[clean_line(_plain("".join(c.itertext()))) for c in row.iter("cell")] for row in el.iter("row")]
            head = rows[0] if rows and all(c.get("role") == "head" for c in el.find("row").iter("cell")) else None
            lines = []
            for row in rows[1:] if head else rows:
                cells = [f"{h}: {c}" if head and h else c for h, c in zip(head or [""] * len(row), row) if c]
                lines.append(sentence(", ".join(cells)))
            if any(lines):
                blocks.append((Block(0, "\n".join(x for x in lines if x), "tables"), el))
            inner = (parts[int(n)] for kind, n in TOKEN.findall("".join(el.itertext())) if kind == "b" and int(n) < len(parts))
            blocks += [(b, el) for part in inner for b in part]
        elif el.tag == "quote":
            blocks += _blocks(el, parts) if len(el) else [(b, el) for b in _split(text, parts)]
        elif el.tag == "code":
            code = "\n".join(line.rstrip() for line in "".join(el.itertext()).split("\n") if line.strip())
            blocks.append((Block(0, code, "code"), el))
        elif text:
            blocks += [(b, el) for b in _split(text, parts)]
    return blocks


def _sections(blocks: list[Block]) -> list[Block]:
    """Back matter named by its heading ("References", "See also") is left out with its heading; so is a
    heading whose section holds nothing but left-out parts."""
    out = list(blocks)
    for i, block in enumerate(out):
        if not block.level or block.kind:
            continue
        end = next((j for j in range(i + 1, len(out)) if out[j].level and out[j].level <= block.level), len(out))
        body = out[i + 1:end]
        named = _SECTIONS.get(_marks(block.text, None).strip(" :").lower())
        if named:  # its notes and links take its name; a navigation box or a table below it keeps its own
            out[i:end] = [Block(b.level, b.text, b.kind if b.kind in _OWN else named) for b in out[i:end]]
        elif body and all(b.kind for b in body):
            out[i] = Block(block.level, block.text, Counter(b.kind for b in body).most_common(1)[0][0])
    return out


def _list_article(blocks: list[Block]) -> list[Block]:
    """A table holding more words than all the rest of the main text is the article (a list article): it is read."""
    main = sum(len(b.text.split()) for b in blocks if not b.kind)
    return [Block(b.level, b.text) if b.kind == "tables" and len(b.text.split()) > main else b for b in blocks]


class HtmlReader(Reader):
    """A web page; the article is found by trafilatura (boilerplate, comments, forms dropped)."""

    name = "html"
    extra = "html"

    def sniff(self, path: Path, head: bytes) -> bool:
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            head = head[2:].decode("utf-16-le" if head[0] == 0xFF else "utf-16-be", "ignore").encode()
        return bool(_HTML.match(head.lstrip(b"\xef\xbb\xbf")))

    def read(self, path: Path) -> Document:
        if path.stat().st_size > MAX_HTML:
            raise InputError(
                f"{path} is {path.stat().st_size // (1024 * 1024)} MB, larger than any essay's page "
                f"({MAX_HTML // (1024 * 1024)} MB at most); save only the article"
            )
        try:
            import lxml.html
            import trafilatura
            from lxml import etree
            from w3lib import encoding  # noqa: F401  (the html extra's; checked before any work)
        except ImportError as exc:
            raise missing_extra(path, "HTML", self.extra) from exc

        text = _XML_DECLARATION.sub("", decode(path.read_bytes()))
        try:
            root = lxml.html.document_fromstring(text)
        except (etree.ParserError, ValueError) as exc:
            raise InputError(f"{path}: no web page could be read from it ({exc}); save the page again from the browser") from exc
        parts, furniture, footers = label(root)
        xml = trafilatura.extract(
            copy.deepcopy(root), output_format="xml", with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, include_links=False, include_formatting=False, favor_precision=True,
        )
        if not xml:
            raise InputError(f"{path}: no article found in the page; save the article's own page, or paste its text into a .txt")
        doc = etree.fromstring(xml.encode(), etree.XMLParser(resolve_entities=False, no_network=True))
        main = doc.find("main")
        title = clean_line(_marks(doc.get("title") or "", None))
        pairs = _blocks(main if main is not None else doc, parts)
        found, container = htmlframe.locate(root, pairs, title, _plain)
        htmlframe.lost_headings(pairs, found, container, root, title, _plain)
        site = htmlframe.footer(pairs, found, container, root, footers)
        blocks = [Block(b.level, b.text, "chrome") if i in site else b for i, (b, _) in enumerate(pairs)]
        blocks = _sections(htmlframe.furniture(blocks, found, furniture))
        blocks = _list_article(blocks)
        counts: Counter = Counter()
        blocks = [_clean(b, counts) for b in blocks]
        marks = tuple((kind, n) for kind, n in counts.items() if n)
        author = _author(root, clean_line(_marks(doc.get("author") or "", None)))
        return Document(title, tuple(b for b in blocks if b.text), author, marks=marks)


def _author(root, found: str) -> str:
    """The author trafilatura found, else the page's meta author, without addresses ("Ann (http://...)")."""
    if found and not re.search(r"\bhttps?\b|www\.|@", found):  # trafilatura splits "Ann (http://a.b/)" into words
        return found
    meta = root.xpath("//meta[@name='author']/@content")
    return clean_line(_ADDRESS.sub("", meta[0] if meta else "")).strip(" ,;|·()-")


def _clean(block: Block, counts: Counter) -> Block:
    """A block without mark tokens (counted for the main text), its heading without "[edit]" or "#"."""
    text = _marks(block.text, None if block.kind else counts)
    if block.level:
        for pattern, kind in ((_EDIT, "edit-links"), (_PERMALINK, "link-targets")):
            text, n = pattern.subn("", text)
            if n and not block.kind:
                counts[kind] += n
    return Block(block.level, text if "\n" in text else clean_line(text), block.kind)
