"""Word (DOCX) essays, read from the document's XML: styles give the title and the sections.

Tracked changes are read as accepted (insertions kept, deletions dropped); footnotes and
comments are not read at all (their marks are not text), so no sentence is interrupted.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from narrate.errors import InputError
from narrate.inputs.base import Block, Document, Reader, open_zip, zip_member

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_HEADING = re.compile(r"heading ([1-9])")


def parse_xml(data: bytes, path: Path, member: str, fmt: str) -> Element:
    """Parse one XML member of a document, with no entity expansion and no network.

    Raises:
        InputError: the XML is malformed or uses entities.
    """
    try:
        return SafeET.fromstring(data)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise InputError(f"{path} is a broken {fmt} file ({member}: {exc}); save it again from its editor") from exc


def _style_levels(styles: Element | None) -> dict[str, int]:
    """styleId -> heading level (0 for the Title style), from styles.xml's names."""
    levels: dict[str, int] = {}
    for style in styles.iter(f"{W}style") if styles is not None else ():
        name = style.find(f"{W}name")
        label = (name.get(f"{W}val") if name is not None else "").lower()
        m = _HEADING.fullmatch(label)
        if label == "title":
            levels[style.get(f"{W}styleId")] = 0
        elif m:
            levels[style.get(f"{W}styleId")] = int(m.group(1))
    return levels


def _text(paragraph: Element) -> str:
    """The paragraph's text with insertions accepted and deletions dropped (w:delText is not w:t)."""
    parts = []
    for el in paragraph.iter():
        if el.tag == f"{W}t":
            parts.append(el.text or "")
        elif el.tag in (f"{W}tab", f"{W}br"):
            parts.append(" ")
    return "".join(parts)


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
            body = parse_xml(zip_member(archive, "word/document.xml", path, "DOCX"), path, "document.xml", "DOCX")
            styles = (parse_xml(zip_member(archive, "word/styles.xml", path, "DOCX"), path, "styles.xml", "DOCX")
                      if "word/styles.xml" in names else None)
            core = (parse_xml(zip_member(archive, "docProps/core.xml", path, "DOCX"), path, "core.xml", "DOCX")
                    if "docProps/core.xml" in names else None)
        levels = _style_levels(styles)
        title, blocks = "", []
        for paragraph in body.iter(f"{W}p"):
            style = paragraph.find(f"{W}pPr/{W}pStyle")
            level = levels.get(style.get(f"{W}val")) if style is not None else None
            text = _text(paragraph)
            if level == 0 and not title:
                title = text.strip()
            else:
                blocks.append(Block(level if level and level <= 3 else 0, text))

        def prop(tag: str) -> str:
            el = core.find(tag) if core is not None else None
            return (el.text or "").strip() if el is not None else ""

        return Document(title or prop(f"{_DC}title"), tuple(blocks), prop(f"{_DC}creator"))
