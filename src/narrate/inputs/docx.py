"""Word (DOCX) essays, read from the document's XML: styles give the title and the sections.

Tracked changes are read as accepted (insertions kept, deletions dropped). Left out and named:
tables of contents (TOC fields, a Table of Contents content control, TOC styles), page-number
fields, title pages, code (monospace paragraphs or a code style), data tables, pictures and text
boxes, bibliography entries; footnotes, endnotes and comments are kept where their mark falls,
so `[input] read = ["footnotes"]` reads each after its paragraph. A short line typed bold or
large, alone, is a heading (see `office`).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from narrate.errors import InputError
from narrate.inputs.base import Block, Document, Reader, open_zip, zip_member
from narrate.inputs.office import Para, blocks

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_HEADING = re.compile(r"heading ([1-9])")
_TOC_STYLE = re.compile(r"toc ?\d|toc heading|table of figures|index ?\d|index heading")
_CODE_STYLE = re.compile(r"code|html preformatted|html code|macro|preformatted|plain text")
_MONO = re.compile(r"courier|consolas|menlo|monaco|mono|lucida console|fixedsys|inconsolata", re.I)
_PAGE_FIELDS = {"PAGE", "NUMPAGES", "SECTIONPAGES", "PAGEREF"}
_SKIPPED = {f"{W}del", f"{W}moveFrom", f"{W}pPr", f"{W}rPr", f"{_MC}Fallback", f"{W}txbxContent"}
_NOTES = (("footnotes", "footnote"), ("endnotes", "endnote"), ("comments", "comment"))
_OFF = ("0", "false", "off", "none")


def parse_xml(data: bytes, path: Path, member: str, fmt: str) -> Element:
    """Parse one XML member of a document, with no entity expansion and no network.

    Raises:
        InputError: the XML is malformed or uses entities.
    """
    try:
        return SafeET.fromstring(data)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise InputError(f"{path} is a broken {fmt} file ({member}: {exc}); save it again from its editor") from exc


def _val(el: Element | None, default: str = "") -> str:
    return el.get(f"{W}val", default) if el is not None else default


class _Styles:
    """styles.xml: each style's name, heading level and run formatting, followed through basedOn."""

    def __init__(self, root: Element | None):
        self._styles = {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")} if root is not None else {}
        default = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr") if root is not None else None
        self._default = default
        normal = next((sid for sid, s in self._styles.items() if s.get(f"{W}default") in ("1", "true")
                       and s.get(f"{W}type") == "paragraph"), "Normal")
        self.normal = normal
        self.body_size = self.run(normal, None, None)[1] or 20

    def name(self, sid: str | None) -> str:
        style = self._styles.get(sid or "")
        return _val(style.find(f"{W}name") if style is not None else None).lower()

    def chain(self, sid: str | None) -> list[Element]:
        found, seen = [], set()
        while sid and sid in self._styles and sid not in seen:
            seen.add(sid)
            found.append(self._styles[sid])
            sid = _val(self._styles[sid].find(f"{W}basedOn")) or None
        return found

    def level(self, sid: str | None, ppr: Element | None) -> int | None:
        """1-9 for a heading (by name or outline level), 0 for the Title style, None for body text."""
        names = [self.name(s.get(f"{W}styleId")) for s in self.chain(sid)]
        if names and names[0] == "title":
            return 0
        for name in names:
            if _HEADING.fullmatch(name):
                return int(name[-1])
        for el in ([ppr] if ppr is not None else []) + [s.find(f"{W}pPr") for s in self.chain(sid)]:
            outline = el.find(f"{W}outlineLvl") if el is not None else None
            if outline is not None:
                return int(_val(outline, "9")) + 1 if _val(outline, "9").isdigit() and int(_val(outline, "9")) < 9 else None
        return None

    def page_break_before(self, sid: str | None) -> bool:
        return any(_val(s.find(f"{W}pPr/{W}pageBreakBefore"), "1") not in _OFF
                   for s in self.chain(sid) if s.find(f"{W}pPr/{W}pageBreakBefore") is not None)

    def run(self, psid: str | None, rsid: str | None, rpr: Element | None) -> tuple[bool, int, str]:
        """(bold, size in half-points, font) of a run: its own formatting, its style, its paragraph's style, the defaults."""
        layers = ([rpr] if rpr is not None else []) + [s.find(f"{W}rPr") for s in self.chain(rsid)]
        layers += [s.find(f"{W}rPr") for s in self.chain(psid)] + [self._default]
        layers = [x for x in layers if x is not None]
        bold = next((_val(x.find(f"{W}b"), "1") not in _OFF for x in layers if x.find(f"{W}b") is not None), False)
        size = next((int(_val(x.find(f"{W}sz"))) for x in layers if _val(x.find(f"{W}sz")).isdigit()), 0)
        fonts = next((x.find(f"{W}rFonts") for x in layers if x.find(f"{W}rFonts") is not None
                      and (x.find(f"{W}rFonts").get(f"{W}ascii") or x.find(f"{W}rFonts").get(f"{W}hAnsi"))), None)
        font = (fonts.get(f"{W}ascii") or fonts.get(f"{W}hAnsi") or "") if fonts is not None else ""
        return bold, size, font


class _Segment:
    """The text of a paragraph up to a page break, and how its runs look."""

    def __init__(self):
        self.pieces: list[str] = []
        self.bold = self.mono = True
        self.sizes: list[int] = []
        self.toc = False

    def add(self, text: str, look: tuple[bool, int, str]) -> None:
        self.pieces.append(text)
        if text.strip():
            self.bold &= look[0]
            self.mono &= bool(_MONO.search(look[2]))
            self.sizes.append(look[1])

    @property
    def text(self) -> str:
        return "\n".join(" ".join(line.split()) for line in "".join(self.pieces).split("\n")).strip("\n")


class _Walker:
    """The body in reading order, as `Para`s for `office.blocks`."""

    def __init__(self, styles: _Styles, notes: dict[str, dict[str, str]]):
        self.styles, self.notes = styles, notes
        self.paras: list[Para] = []
        self.marks: Counter[str] = Counter()
        self.title = ""
        self.page = 0
        self._fields: list[list] = []  # [instruction, past its separator] of each open field

    def body(self, el: Element, force: str = "") -> None:
        for child in el:
            if child.tag == f"{W}p":
                self.paragraph(child, force)
            elif child.tag == f"{W}tbl":
                self.table(child, force)
            elif child.tag == f"{W}sdt":
                gallery = _val(child.find(f"{W}sdtPr/{W}docPartObj/{W}docPartGallery")).lower()
                kind = "toc" if "table of contents" in gallery else "references" if "bibliograph" in gallery else force
                self.body(child.find(f"{W}sdtContent") if child.find(f"{W}sdtContent") is not None else child, kind)
            elif child.tag in (f"{W}customXml", f"{W}sdtContent", f"{W}ins", f"{W}moveTo"):
                self.body(child, force)

    def paragraph(self, p: Element, force: str) -> None:
        ppr = p.find(f"{W}pPr")
        sid = _val(ppr.find(f"{W}pStyle") if ppr is not None else None) or self.styles.normal
        if (ppr is not None and _val(ppr.find(f"{W}pageBreakBefore"), "-") not in ("-", *_OFF)) or self.styles.page_break_before(sid):
            self.page += 1
        level = self.styles.level(sid, ppr)
        name = self.styles.name(sid)
        listed = level is None and any(x is not None and x.find(f"{W}numPr/{W}numId") is not None
                                       for x in [ppr, *(st.find(f"{W}pPr") for st in self.styles.chain(sid))])
        segments, extras = [_Segment()], []
        segments[0].toc = self._in({"TOC"})
        self._runs(p, sid, segments, extras)
        for n, seg in enumerate(segments):
            text = seg.text
            kind = force or ("toc" if seg.toc or _TOC_STYLE.fullmatch(name) else "")
            if not kind and level == 0 and not self.title and text:
                self.title, kind = " ".join(text.split()), "title"
            elif not kind and (_CODE_STYLE.search(name) or (seg.mono and seg.sizes and not listed)):
                kind = "code"
            elif not kind and "bibliograph" in name:
                kind = "references"
            elif not kind and "caption" in name:
                kind = "figures"
            heading = level if level and level <= 3 and not kind and n == 0 else 0
            strong = bool(seg.sizes) and (seg.bold or min(seg.sizes) >= self.styles.body_size * 1.25)
            self.paras.append(Para(Block(heading, text, kind), self.page + n, titled=level == 0 or name == "subtitle",
                                   strong=strong, listed=listed))
        self.page += len(segments) - 1
        self.paras += [Para(b, self.page) for b in extras]
        sect = ppr.find(f"{W}sectPr") if ppr is not None else None
        if sect is not None and _val(sect.find(f"{W}type"), "nextPage") != "continuous":
            self.page += 1

    def _runs(self, el: Element, sid: str, segments: list[_Segment], extras: list[Block]) -> None:
        """Walk a paragraph's content in order: text into segments, notes and pictures into extras."""
        for child in el:
            tag = child.tag
            if tag in _SKIPPED:
                continue
            if tag == f"{W}fldSimple":
                self._fields.append([child.get(f"{W}instr") or "", True])
                self._field_started(segments)
                self._runs(child, sid, segments, extras)
                self._fields.pop()
            elif tag == f"{W}r":
                self._run(child, sid, segments, extras)
            else:
                self._runs(child, sid, segments, extras)

    def _in(self, names: set[str], shown: bool = False) -> bool:
        """Whether the text at this point is inside an open field of one of these types (past its separator)."""
        return any(_code(f[0]) in names and (f[1] or not shown) for f in self._fields)

    def _field_started(self, segments: list[_Segment]) -> None:
        code = _code(self._fields[-1][0])
        if code == "TOC":
            segments[-1].toc = True
        elif code in _PAGE_FIELDS and not self._in({"TOC"}):
            self.marks["page-numbers"] += 1  # a page number in the text; those of a table of contents go with it

    def _run(self, r: Element, sid: str, segments: list[_Segment], extras: list[Block]) -> None:
        rpr = r.find(f"{W}rPr")
        look = self.styles.run(sid, _val(rpr.find(f"{W}rStyle") if rpr is not None else None) or None, rpr)
        hidden = self._in(_PAGE_FIELDS, shown=True)
        for el in r:
            tag = el.tag
            if tag == f"{W}fldChar":
                kind = el.get(f"{W}fldCharType")
                if kind == "begin":
                    self._fields.append(["", False])
                elif kind == "separate" and self._fields:
                    self._fields[-1][1] = True
                    self._field_started(segments)
                elif kind == "end" and self._fields:
                    self._fields.pop()
                hidden = self._in(_PAGE_FIELDS, shown=True)
            elif tag == f"{W}instrText" and self._fields and not self._fields[-1][1]:
                self._fields[-1][0] += el.text or ""
            elif hidden:
                continue
            elif tag == f"{W}t":
                segments[-1].add(el.text or "", look)
                segments[-1].toc |= self._in({"TOC"})
            elif tag in (f"{W}tab", f"{W}noBreakHyphen"):
                segments[-1].add(" " if tag == f"{W}tab" else "-", look)
            elif tag in (f"{W}br", f"{W}cr"):
                if el.get(f"{W}type") == "page":
                    segments.append(_Segment())
                    segments[-1].toc = self._in({"TOC"})
                else:
                    segments[-1].add("\n", look)
            elif tag in (f"{W}footnoteReference", f"{W}endnoteReference", f"{W}commentReference"):
                kind = {"footnoteReference": "footnotes", "endnoteReference": "endnotes"}.get(tag[len(W):], "comments")
                extras.append(Block(0, self.notes[kind].get(el.get(f"{W}id") or "", ""), kind))
                self.marks["note-marks"] += kind != "comments"
            elif tag in (f"{W}drawing", f"{W}pict", f"{_MC}AlternateContent"):
                shown = el.find(f"{_MC}Choice") if tag == f"{_MC}AlternateContent" else el  # the fallback repeats it
                boxes = [p for box in (shown if shown is not None else el).iter(f"{W}txbxContent") for p in box.iter(f"{W}p")]
                extras.append(Block(0, "\n".join(t for t in (_plain(p) for p in boxes) if t), "figures"))

    def table(self, tbl: Element, force: str) -> None:
        """A data table as one left-out part; a layout table (one column, or cells of prose) read as the text it holds."""
        rows = [[c for c in tr.iter(f"{W}tc")] for tr in tbl.iter(f"{W}tr")]
        cells = [" ".join(_plain(p) for p in c.iter(f"{W}p")).strip() for row in rows for c in row]
        filled = [c for c in cells if c]
        if max((len(r) for r in rows), default=0) <= 1 or (filled and sum(len(c.split()) for c in filled) / len(filled) >= 25):
            for row in rows:
                for cell in row:
                    self.body(cell, force)
            return
        lines = [", ".join(t for t in (" ".join(_plain(p) for p in c.iter(f"{W}p")).strip() for c in row) if t) for row in rows]
        self.paras.append(Para(Block(0, "\n".join(f"{x}." for x in lines if x), force or "tables"), self.page))


def _code(instruction: str) -> str:
    """A field's type: 'TOC' of ' TOC \\o "1-3" \\h '."""
    return (instruction.split() or [""])[0].upper()


def _plain(p: Element) -> str:
    """A paragraph's text, insertions kept and deletions dropped (w:delText is not w:t)."""
    return " ".join("".join(el.text or "" if el.tag == f"{W}t" else " " for el in p.iter() if el.tag in (f"{W}t", f"{W}tab")).split())


def _notes(root: Element | None, tag: str) -> dict[str, str]:
    """id -> text of the footnotes, endnotes or comments part (the separators Word keeps there skipped)."""
    if root is None:
        return {}
    return {n.get(f"{W}id"): "\n".join(t for t in (_plain(p) for p in n.iter(f"{W}p")) if t)
            for n in root.iter(f"{W}{tag}") if n.get(f"{W}type") not in ("separator", "continuationSeparator", "continuationNotice")}


class DocxReader(Reader):
    """Word documents: the Title style or the title property, Heading 1-3 as sections."""

    name = "docx"

    def sniff(self, path: Path, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and b"word/" in head

    def read(self, path: Path) -> Document:
        with open_zip(path, "DOCX") as archive:
            names = set(archive.namelist())
            if "word/document.xml" not in names:
                raise InputError(f"{path} is a ZIP but not a Word document (no word/document.xml); save it as .docx")

            def part(name: str) -> Element | None:
                return parse_xml(zip_member(archive, name, path, "DOCX"), path, name.split("/")[-1], "DOCX") if name in names else None

            document = part("word/document.xml")
            styles, core = _Styles(part("word/styles.xml")), part("docProps/core.xml")
            notes = {kind: _notes(part(f"word/{kind}.xml"), tag) for kind, tag in _NOTES}
        walker = _Walker(styles, notes)
        body = document.find(f"{W}body")
        walker.body(body if body is not None else document)

        def prop(tag: str) -> str:
            el = core.find(tag) if core is not None else None
            return (el.text or "").strip() if el is not None else ""

        title = walker.title or prop(f"{_DC}title")
        found = blocks(walker.paras, title, walker.marks)
        return Document(title, tuple(found), prop(f"{_DC}creator"), marks=tuple(sorted(walker.marks.items())))
