"""OpenDocument (ODT) essays, read from content.xml and styles.xml with the standard library.

Headings (text:h, in lists too) by outline level give the sections; the Title paragraph style or
the title property gives the title. Tracked changes are read as accepted (the deleted text lives
apart, in text:tracked-changes). Left out and named: tables of contents and other indexes,
bibliographies, title pages, tables with their captions, frames (figures, text boxes), code
(preformatted or monospace paragraphs), page-number fields; notes and annotations are kept after
their paragraph, so `[input] read = ["footnotes"]` reads them there. A short line set bold or
large, alone, is a heading (see `office`).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from xml.etree.ElementTree import Element

from narrate.errors import InputError
from narrate.inputs.base import Block, Document, Reader, open_zip, zip_member
from narrate.inputs.docx import parse_xml
from narrate.inputs.office import Para, blocks

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_INDEXES = {f"{TEXT}table-of-content": "toc", f"{TEXT}illustration-index": "toc", f"{TEXT}table-index": "toc",
            f"{TEXT}object-index": "toc", f"{TEXT}user-index": "toc", f"{TEXT}alphabetical-index": "index",
            f"{TEXT}bibliography": "references"}
_SKIP = {f"{TEXT}tracked-changes", f"{TEXT}deletion", f"{_OFFICE}forms", f"{TEXT}sequence-decls",
         f"{TEXT}variable-decls", f"{TEXT}user-field-decls", f"{_OFFICE}annotation-end", f"{TEXT}note-citation"}
_PAGE_FIELDS = {f"{TEXT}page-number", f"{TEXT}page-count", f"{TEXT}page-continuation"}
_CAPTIONS = {"Caption", "Table", "Illustration", "Figure", "Drawing", "Text"}
_CODE = {"Preformatted_20_Text", "Source_20_Text", "Example", "Code"}
_MONO = re.compile(r"courier|mono|consolas|menlo|monaco|lucida console|inconsolata|fixedsys", re.I)


class _Styles:
    """Paragraph and text styles (automatic and common), their parents, and the looks a narrator's reader needs."""

    def __init__(self, *roots: Element | None):
        self._styles: dict[str, Element] = {}
        self._fixed: set[str] = set()
        self.body_size = 12.0
        for root in roots:
            if root is None:
                continue
            for face in root.iter(f"{_STYLE}font-face"):
                if face.get(f"{_STYLE}font-pitch") == "fixed" or _MONO.search(face.get(f"{_STYLE}name") or ""):
                    self._fixed.add(face.get(f"{_STYLE}name") or "")
            for style in root.iter(f"{_STYLE}style"):
                self._styles.setdefault(style.get(f"{_STYLE}name") or "", style)
            for default in root.iter(f"{_STYLE}default-style"):
                size = _pt(_prop(default, "text", f"{_FO}font-size"))
                if default.get(f"{_STYLE}family") == "paragraph" and size:
                    self.body_size = size
        self.body_size = self.size("Standard") or self.size("Text_20_body") or self.body_size

    def chain(self, name: str | None) -> list[Element]:
        found, seen = [], set()
        while name and name in self._styles and name not in seen:
            seen.add(name)
            found.append(self._styles[name])
            name = self._styles[name].get(f"{_STYLE}parent-style-name")
        return found

    def names(self, name: str | None) -> set[str]:
        """The style's name and its ancestors' (a parent not defined in the file still counts: "Title")."""
        chain = self.chain(name)
        return {s.get(f"{_STYLE}name") for s in chain} | {name, chain[-1].get(f"{_STYLE}parent-style-name") if chain else None} - {None}

    def first(self, name: str | None, kind: str, attr: str) -> str:
        return next((v for v in (_prop(s, kind, attr) for s in self.chain(name)) if v), "")

    def size(self, name: str | None) -> float:
        """The font size in points, following percentages up to an absolute size."""
        scale = 1.0
        for style in self.chain(name):
            value = _prop(style, "text", f"{_FO}font-size")
            if value.endswith("%"):
                scale *= float(value[:-1] or 100) / 100
            elif _pt(value):
                return _pt(value) * scale
        return 0.0

    def look(self, para: str | None, span: str | None) -> tuple[bool, float, bool]:
        """(bold, size, monospace) of text in a span style inside a paragraph style."""
        weight = self.first(span, "text", f"{_FO}font-weight") or self.first(para, "text", f"{_FO}font-weight")
        font = self.first(span, "text", f"{_STYLE}font-name") or self.first(para, "text", f"{_STYLE}font-name")
        size = self.size(span) or self.size(para) or self.body_size
        code = bool(self.names(span) & _CODE)
        return weight == "bold" or (weight.isdigit() and int(weight) >= 600), size, code or font in self._fixed

    def breaks(self, name: str | None) -> tuple[bool, bool]:
        """Whether a paragraph of this style starts a page, and whether one follows it."""
        before = self.first(name, "paragraph", f"{_FO}break-before") == "page" or any(
            s.get(f"{_STYLE}master-page-name") for s in self.chain(name)[:1])
        return before, self.first(name, "paragraph", f"{_FO}break-after") == "page"


def _prop(style: Element, kind: str, attr: str) -> str:
    props = style.find(f"{_STYLE}{kind}-properties")
    return (props.get(attr) or "") if props is not None else ""


def _pt(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(pt|px|in|cm|mm)?", value or "")
    factor = {"pt": 1, "px": 0.75, "in": 72, "cm": 28.35, "mm": 2.835, None: 1}
    return float(m.group(1)) * factor[m.group(2)] if m else 0.0


def _plain(el: Element) -> str:
    """The text of an element's paragraphs, one line each, without notes and annotations."""
    lines = [" ".join(_inline(p).split()) for p in el.iter() if p.tag in (f"{TEXT}p", f"{TEXT}h")]
    return "\n".join(x for x in lines if x)


def _inline(el: Element) -> str:
    parts = [el.text or ""]
    for child in el:
        if child.tag in (f"{TEXT}note", f"{_OFFICE}annotation", f"{_DRAW}frame") or child.tag in _SKIP:
            pass
        elif child.tag == f"{TEXT}s":
            parts.append(" " * int(child.get(f"{TEXT}c") or 1))
        elif child.tag in (f"{TEXT}tab", f"{TEXT}line-break"):
            parts.append(" ")
        else:
            parts.append(_inline(child))
        parts.append(child.tail or "")
    return "".join(parts)


class _Walker:
    """The body in reading order, as `Para`s for `office.blocks`."""

    def __init__(self, styles: _Styles):
        self.styles = styles
        self.paras: list[Para] = []
        self.marks: Counter[str] = Counter()
        self.title = ""
        self.page = 0

    def body(self, el: Element, listed: bool = False) -> None:
        for child in el:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag in (f"{TEXT}h", f"{TEXT}p"):
                self.paragraph(child, listed)
            elif tag in _INDEXES:
                body = child.find(f"{TEXT}index-body")
                self.paras.append(Para(Block(0, _plain(body if body is not None else child), _INDEXES[tag]), self.page))
            elif tag == f"{_TABLE}table":
                self.table(child, listed)
            else:  # lists, list items, sections, soft page breaks...
                self.body(child, listed or tag == f"{TEXT}list")

    def paragraph(self, p: Element, listed: bool) -> None:
        style = p.get(f"{TEXT}style-name")
        names = self.styles.names(style)
        before, after = self.styles.breaks(style)
        self.page += before
        pieces: list[str] = []
        looks: list[tuple[bool, float, bool]] = []
        extras: list[Block] = []
        self._inline(p, style, None, pieces, looks, extras)
        text = "\n".join(" ".join(x.split()) for x in "".join(pieces).split("\n")).strip("\n")
        if not text.strip():
            block = Block(0, "")
        elif p.tag == f"{TEXT}h":
            level = int(p.get(f"{TEXT}outline-level") or 1)
            block = Block(level if level <= 3 else 0, text)
        elif "Title" in names and not self.title and text:
            self.title, block = " ".join(text.split()), Block(0, text, "title")
        elif names & _CODE or (looks and all(x[2] for x in looks) and not listed):  # a list of values is not code
            block = Block(0, text, "code")
        elif any(n.startswith("Bibliography") for n in names if n):
            block = Block(0, text, "references")
        elif names & _CAPTIONS:
            block = Block(0, text, "figures")  # a caption; one beside a table goes with it (see `table`)
        else:
            block = Block(0, text)
        strong = bool(looks) and all(x[0] for x in looks) or (bool(looks) and min(x[1] for x in looks) >= self.styles.body_size * 1.25)
        self.paras.append(Para(block, self.page, titled=bool(names & {"Title", "Subtitle"}), strong=strong, listed=listed))
        self.paras += [Para(b, self.page) for b in extras]
        self.page += after

    def _inline(self, el: Element, para: str | None, span: str | None, out: list[str], looks: list, extras: list[Block]) -> None:
        if el.text:
            out.append(el.text)
            looks.append(self.styles.look(para, span)) if el.text.strip() else None
        for child in el:
            tag = child.tag
            if tag == f"{TEXT}note":
                kind = "endnotes" if child.get(f"{TEXT}note-class") == "endnote" else "footnotes"
                body = child.find(f"{TEXT}note-body")
                extras.append(Block(0, _plain(body if body is not None else child), kind))
                self.marks["note-marks"] += 1
            elif tag == f"{_OFFICE}annotation":
                extras.append(Block(0, _plain(child), "comments"))
            elif tag == f"{_DRAW}frame":
                extras.append(Block(0, _plain(child), "figures"))
            elif tag in _PAGE_FIELDS:
                self.marks["page-numbers"] += 1
            elif tag == f"{TEXT}s":
                out.append(" " * int(child.get(f"{TEXT}c") or 1))
            elif tag == f"{TEXT}tab":
                out.append(" ")
            elif tag == f"{TEXT}line-break":
                out.append("\n")
            elif tag not in _SKIP:
                self._inline(child, para, child.get(f"{TEXT}style-name") or span, out, looks, extras)
            if child.tail:
                out.append(child.tail)
                looks.append(self.styles.look(para, span)) if child.tail.strip() else None

    def table(self, table: Element, listed: bool) -> None:
        """A data table, with a caption beside it, as one left-out part; a layout table read as the text it holds."""
        rows = [[c for c in row if c.tag == f"{_TABLE}table-cell"] for row in table.iter(f"{_TABLE}table-row")]
        cells = [_plain(c) for row in rows for c in row]
        filled = [c for c in cells if c]
        if max((len(r) for r in rows), default=0) <= 1 or (filled and sum(len(c.split()) for c in filled) / len(filled) >= 25):
            for row in rows:
                for cell in row:
                    self.body(cell, listed)
            return
        lines = [", ".join(t for t in (" ".join(_plain(c).split()) for c in row) if t) for row in rows]
        text = "\n".join(f"{x}." for x in lines if x)
        if self.paras and self.paras[-1].block.kind == "figures" and self.paras[-1].block.text:  # its caption, above it
            text = f"{self.paras.pop().block.text}\n{text}"
        self.paras.append(Para(Block(0, text, "tables"), self.page))


class OdtReader(Reader):
    """OpenDocument text (LibreOffice and others)."""

    name = "odt"

    def sniff(self, path: Path, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and b"application/vnd.oasis.opendocument.text" in head[:200]

    def read(self, path: Path) -> Document:
        with open_zip(path, "ODT") as archive:
            names = set(archive.namelist())

            def part(name: str) -> Element | None:
                return parse_xml(zip_member(archive, name, path, "ODT"), path, name, "ODT") if name in names else None

            content, meta, styles = part("content.xml"), part("meta.xml"), part("styles.xml")
        if content is None:
            raise InputError(f"{path} is a broken ODT file: it names content.xml, which it does not contain")
        body = content.find(f"{_OFFICE}body/{_OFFICE}text")
        if body is None:
            raise InputError(f"{path} is an OpenDocument file but not a text document; save it as .odt")
        walker = _Walker(_Styles(content, styles))
        walker.body(body)
        _captions_below_tables(walker.paras)

        def prop(tag: str) -> str:
            el = meta.find(f"{_OFFICE}meta/{tag}") if meta is not None else None
            return (el.text or "").strip() if el is not None else ""

        title = walker.title or prop(f"{_DC}title")
        author = prop(f"{_DC}creator") or prop(f"{_META}initial-creator")
        found = blocks(walker.paras, title, walker.marks)
        return Document(title, tuple(found), author, marks=tuple(sorted(walker.marks.items())))


def _captions_below_tables(paras: list[Para]) -> None:
    """A caption right below a table joins it (one part, one table)."""
    for i in range(len(paras) - 1, 0, -1):
        below, table = paras[i].block, paras[i - 1].block
        if below.kind == "figures" and below.text and table.kind == "tables":
            paras[i - 1] = Para(Block(0, f"{table.text}\n{below.text}", "tables"), paras[i - 1].page)
            del paras[i]
