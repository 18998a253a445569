"""EPUB books: chapters in spine order, what each is known by its semantics, titles as a narrator says them.

What a spine item is comes first from its own structural semantics (EPUB 3 `epub:type` on its
body and outer section), then the navigation document's landmarks, then the EPUB 2 package's
guide, then its file name. Introductions, forewords, prefaces, prologues, dedications and
epigraphs are narrated; cover, title and copyright pages, the table of contents, colophon,
licence, notes, bibliography and index are left out and named (see `xhtml.ROLES`).
Non-linear spine items are outside the reading order and not read.
"""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote
from xml.etree.ElementTree import Element

from narrate.errors import InputError
from narrate.inputs.base import Block, Document, Reader, open_zip, zip_member
from narrate.inputs.docx import parse_xml
from narrate.inputs.xhtml import _NUMBERED, ROLES, Chapter, find_notes, parse, role, types

_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
# A file named so, in a book that says nothing else about it.
_BY_NAME = (
    (re.compile(r"(?:cover|title-?page|copyright(?:-?page)?|imprint|half-?title(?:-?page)?)\d*", re.I), "front-matter"),
    (re.compile(r"(?:toc|contents)\d*", re.I), "toc"),
    (re.compile(r"(?:colophon|uncopyright|licen[cs]e)\d*", re.I), "back-matter"),
)
_XHTML = {"application/xhtml+xml", "text/html", "application/x-dtbook+xml"}
_SECTIONS = {"section", "article", "div", "nav", "main"}
_WHOLE = {"front-matter", "back-matter", "toc", "navigation", "index"}  # one part each, whatever they hold


class EpubReader(Reader):
    """EPUB 2 and 3 books."""

    name = "epub"

    def sniff(self, path: Path, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and b"application/epub+zip" in head[:200]

    def read(self, path: Path) -> Document:
        with open_zip(path, "EPUB") as archive:
            book = _Package(archive, path)
            docs = [(name, parse(zip_member(archive, name, path, "EPUB"))) for name in book.spine]
        notes = find_notes(docs, book.resolve)
        english = book.language.lower().startswith("en") or not book.language
        blocks: list[Block] = []
        marks: Counter[str] = Counter()
        for name, root in docs:
            kind = book.kind(name, root)
            chapter = Chapter(root, kind, notes.get(name, {}), english)
            if not kind:
                marks.update(chapter.marks)
                section = _numbered(root)
                label = book.labels.get(name)
                fallback = chapter.heading_text(label, section) if label is not None else ""
                title = fallback or _named(root) or f"Chapter {sum(1 for b in blocks if b.level and not b.kind) + 1}"
                blocks += _arrange(chapter.blocks, title)
            elif chapter.blocks:
                blocks += _whole(chapter.blocks, kind) if kind in _WHOLE else chapter.blocks
        return Document(book.title, tuple(blocks), book.author, book.date, marks=tuple(sorted(marks.items())))


def _numbered(root: Element) -> str:
    """The numbered type (chapter, part) the document's body or outer section has, if any."""
    for el in _outer(root):
        found = next((t for t in types(el) if t in _NUMBERED), "")
        if found:
            return found
    return ""


def _named(root: Element) -> str:
    """'Dedication', 'Epigraph': the name of a narrated type the document has, for a title it lacks."""
    for el in _outer(root):
        found = next((t for t in sorted(types(el)) if ROLES.get(t) == "" and t not in ("bodymatter", "text", *_NUMBERED)), "")
        if found:
            return found.capitalize()
    return ""


def _outer(root: Element) -> list[Element]:
    """Where a document says what it is: its first outer section when sections are all its body holds, and its body."""
    body = next(root.iter("body"), root)
    outer = body
    for _ in range(3):  # through a wrapper or two without semantics
        children = [c for c in outer if c.tag not in ("script", "style")]
        sections = [c for c in children if c.tag in _SECTIONS]
        if not sections or len(sections) != len(children) or (outer.text or "").strip():
            break  # text of its own beside the sections: the body is the document
        if types(sections[0]):
            return [sections[0], body]
        if len(sections) != 1:
            break
        outer = sections[0]
    return [body]


def _arrange(blocks: list[Block], title: str) -> list[Block]:
    """A narrated document's blocks under one heading: its own, or its title from the navigation."""
    main = [i for i, b in enumerate(blocks) if not b.kind]
    if not main:
        return blocks
    heads = [i for i in main if blocks[i].level]
    if len(heads) == 1 and heads[0] != main[0]:  # an epigraph above the heading: the heading comes first
        return [blocks[heads[0]], *blocks[: heads[0]], *blocks[heads[0] + 1 :]]
    if not heads or heads[0] != main[0]:
        return [Block(2, title), *blocks]
    return blocks


def _whole(blocks: list[Block], kind: str) -> list[Block]:
    """A left-out document as one part: all its lines in one block."""
    return [Block(0, "\n".join(b.text for b in blocks if b.text), kind)]


class _Package:
    """The package document: metadata, spine, navigation labels and what the book says each item is."""

    def __init__(self, archive, path: Path):
        self._archive, self._path = archive, path
        rootfile = self._xml("META-INF/container.xml").find(f".//{_CONTAINER}rootfile")
        if rootfile is None or not rootfile.get("full-path"):
            raise InputError(f"{path} is a broken EPUB: META-INF/container.xml names no package file")
        opf_name = rootfile.get("full-path")
        opf = self._xml(opf_name)
        self._base = posixpath.dirname(opf_name)
        manifest = {i.get("id"): i for i in opf.iter(f"{_OPF}item")}
        self.spine: list[str] = []
        self.nav = ""
        self._ids: dict[str, str] = {}
        for ref in opf.iter(f"{_OPF}itemref"):
            item = manifest.get(ref.get("idref"))
            if item is None:
                raise InputError(f"{path} is a broken EPUB: its spine names {ref.get('idref')!r}, which the manifest lacks")
            if ref.get("linear") == "no" or (item.get("media-type") or "application/xhtml+xml") not in _XHTML:
                continue
            self.spine.append(self._href(item.get("href")))
            self._ids[self.spine[-1]] = item.get("id") or ""
        nav = next((i for i in manifest.values() if "nav" in (i.get("properties") or "").split()), None)
        self.labels: dict[str, Element] = {}
        self.landmarks: dict[str, str | None] = {}
        if nav is not None:
            self.nav = self._href(nav.get("href"))
            self._read_nav(self.nav)
        spine = opf.find(f"{_OPF}spine")
        ncx = manifest.get(spine.get("toc")) if spine is not None else None
        if ncx is not None and not self.labels:
            self._read_ncx(self._href(ncx.get("href")))
        self.guide = {self._href(r.get("href")).split("#")[0]: ROLES.get((r.get("type") or "").lower())
                      for r in opf.iter(f"{_OPF}reference")}
        meta = opf.find(f"{_OPF}metadata")

        def prop(tag: str) -> str:
            el = meta.find(tag) if meta is not None else None
            return " ".join((el.text or "").split()) if el is not None else ""

        self.title, self.author, self.date = prop(f"{_DC}title"), prop(f"{_DC}creator"), prop(f"{_DC}date")
        self.language = prop(f"{_DC}language")

    def _xml(self, name: str) -> Element:
        return parse_xml(zip_member(self._archive, name, self._path, "EPUB"), self._path, name, "EPUB")

    def _href(self, href: str | None, base: str | None = None) -> str:
        return posixpath.normpath(posixpath.join(self._base if base is None else base, unquote(href or "")))

    def resolve(self, name: str, href: str) -> tuple[str, str]:
        """The (document, fragment) a link in document `name` points to."""
        target, _, fragment = href.partition("#")
        return (self._href(target, posixpath.dirname(name)) if target else name), unquote(fragment)

    def _read_nav(self, name: str) -> None:
        """Chapter titles from the table of contents; what each document is from the landmarks."""
        root = parse(zip_member(self._archive, name, self._path, "EPUB"))
        folder = posixpath.dirname(name)
        for nav in root.iter("nav"):
            kinds = types(nav)
            for a in nav.iter("a"):
                target = self._href((a.get("href") or "").split("#")[0], folder)
                if "landmarks" in kinds:
                    self.landmarks.setdefault(target, role(a))
                elif "toc" in kinds or not kinds:
                    self.labels.setdefault(target, a)

    def _read_ncx(self, name: str) -> None:
        """Chapter titles from an EPUB 2 book's NCX."""
        folder = posixpath.dirname(name)
        for point in self._xml(name).iter(f"{_NCX}navPoint"):
            text, content = point.find(f"{_NCX}navLabel/{_NCX}text"), point.find(f"{_NCX}content")
            if text is not None and content is not None:
                label = Element("a")
                label.text = " ".join((text.text or "").split())
                self.labels.setdefault(self._href((content.get("src") or "").split("#")[0], folder), label)

    def kind(self, name: str, root: Element) -> str:
        """What a spine document is for a narrator: "" to narrate, else the kind of part it is left out as."""
        body_types = types(next(root.iter("body"), root))
        for el in _outer(root):
            found = role(el)
            if found is not None:
                return "back-matter" if found == "front-matter" and "backmatter" in body_types else found
        for said in (self.landmarks.get(name), self.guide.get(name)):
            if said is not None:
                return said
        if name == self.nav:
            return "toc"
        stem = posixpath.basename(name).rsplit(".", 1)[0]
        for pattern, kind in _BY_NAME:
            if pattern.fullmatch(stem) or pattern.fullmatch(self._ids.get(name, "").rsplit(".", 1)[0]):
                return kind
        return ""
