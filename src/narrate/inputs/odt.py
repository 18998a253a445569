"""OpenDocument (ODT) essays, read from content.xml with the standard library.

Headings (text:h) by outline level give the sections; the Title paragraph style or the
title property gives the title. Notes and annotations are not read; tracked changes are read
as accepted (the deleted text lives apart, in text:tracked-changes, and is skipped).
"""

from __future__ import annotations

from pathlib import Path
from xml.etree.ElementTree import Element

from narrate.errors import InputError
from narrate.inputs.base import Block, Document, Reader, open_zip, zip_member
from narrate.inputs.docx import parse_xml

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_META = "{urn:oasis:names:tc:opendocument:xmlns:meta:1.0}"
_SKIP = {f"{TEXT}note", f"{_OFFICE}annotation", f"{TEXT}tracked-changes", f"{TEXT}deletion"}


def _text(el: Element) -> str:
    """Text of a paragraph, without notes and annotations; text:s, tab and line-break as spaces."""
    parts = [el.text or ""]
    for child in el:
        if child.tag not in _SKIP:
            if child.tag in (f"{TEXT}s", f"{TEXT}tab", f"{TEXT}line-break"):
                parts.append(" ")
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


class OdtReader(Reader):
    """OpenDocument text (LibreOffice and others)."""

    name = "odt"

    def sniff(self, path: Path, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and b"application/vnd.oasis.opendocument.text" in head[:200]

    def read(self, path: Path) -> Document:
        with open_zip(path, "ODT") as archive:
            content = parse_xml(zip_member(archive, "content.xml", path, "ODT"), path, "content.xml", "ODT")
            meta = (parse_xml(zip_member(archive, "meta.xml", path, "ODT"), path, "meta.xml", "ODT")
                    if "meta.xml" in archive.namelist() else None)
        body = content.find(f"{_OFFICE}body/{_OFFICE}text")
        if body is None:
            raise InputError(f"{path} is an OpenDocument file but not a text document; save it as .odt")
        # Automatic styles ("P1") name the style they derive from ("Title").
        parents = {s.get(f"{_STYLE}name"): s.get(f"{_STYLE}parent-style-name")
                   for s in content.iter(f"{_STYLE}style")}
        title, blocks = "", []
        for el in _paragraphs(body):
            if el.tag == f"{TEXT}h":
                level = int(el.get(f"{TEXT}outline-level") or 1)
                blocks.append(Block(level if level <= 3 else 0, _text(el)))
            else:
                style = el.get(f"{TEXT}style-name") or ""
                if "Title" in (style, parents.get(style)) and not title:
                    title = _text(el).strip()
                else:
                    blocks.append(Block(0, _text(el)))

        def prop(tag: str) -> str:
            el = meta.find(f"{_OFFICE}meta/{tag}") if meta is not None else None
            return (el.text or "").strip() if el is not None else ""

        author = prop(f"{_DC}creator") or prop(f"{_META}initial-creator")
        return Document(title or prop(f"{_DC}title"), tuple(blocks), author)


def _paragraphs(el: Element):
    """Headings and paragraphs in document order, outside notes, annotations and deleted text."""
    for child in el:
        if child.tag in (f"{TEXT}h", f"{TEXT}p"):
            yield child
        elif child.tag not in _SKIP:
            yield from _paragraphs(child)
