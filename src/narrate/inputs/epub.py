"""EPUB books: chapters in spine order, titled from the navigation document or their heading.

Front matter (cover, title page, copyright, table of contents) is not narrated: spine items
marked non-linear, named as such by the guide or landmarks, or typed so by `epub:type`.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from narrate.errors import InputError
from narrate.inputs.base import Block, Document, Reader, open_zip, zip_member
from narrate.inputs.docx import parse_xml
from narrate.inputs.html import sentence

_OPF = "{http://www.idpf.org/2007/opf}"
_DC = "{http://purl.org/dc/elements/1.1/}"
_CONTAINER = "{urn:oasis:names:tc:opendocument:xmlns:container}"
_NCX = "{http://www.daisy.org/z3986/2005/ncx/}"
_FRONT = re.compile(r"cover|copyright|toc|title-?page|contents|colophon|dedication|imprint", re.I)
_BLOCKS = {"p", "li", "blockquote", "dd", "dt", "pre", "td", "th", "caption"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source"}
_IGNORED = {"script", "style", "nav", "aside", "sup", "head", "title", "svg", "math"}


class _Chapter(HTMLParser):
    """A chapter's headings and paragraphs; notes (aside, noteref marks), scripts and styles dropped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, str]] = []
        self.types: set[str] = set()  # epub:type values seen on body and sections
        self._skip = 0
        self._tag = ""
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        kind = dict(attrs).get("epub:type") or ""
        if tag in ("body", "section", "div") and kind:
            self.types.update(kind.split())
        if self._skip or tag in _IGNORED or "noteref" in kind or "footnote" in kind:
            self._skip += tag not in _VOID
            return
        if tag in _HEADINGS or tag in _BLOCKS:
            self._flush()
            self._tag = tag

    def close(self):
        super().close()
        self._flush()

    def handle_startendtag(self, tag, attrs):
        """A self-closed element (<br/>, <meta/>) holds no text and opens nothing."""

    def handle_endtag(self, tag):
        if self._skip:
            self._skip -= tag not in _VOID
            return
        if tag in _HEADINGS or tag in _BLOCKS:
            self._flush()

    def handle_data(self, data):
        if not self._skip:
            self._text.append(data)

    def _flush(self):
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append((self._tag if self._tag in _HEADINGS or self._tag in ("li", "td", "th") else "p", text))
        self._text, self._tag = [], ""


class EpubReader(Reader):
    """EPUB 2 and 3 books."""

    name = "epub"

    def sniff(self, path: Path, head: bytes) -> bool:
        return head.startswith(b"PK\x03\x04") and b"application/epub+zip" in head[:200]

    def read(self, path: Path) -> Document:
        with open_zip(path, "EPUB") as archive:
            def xml(name):
                return parse_xml(zip_member(archive, name, path, "EPUB"), path, name, "EPUB")

            rootfile = xml("META-INF/container.xml").find(f".//{_CONTAINER}rootfile")
            if rootfile is None or not rootfile.get("full-path"):
                raise InputError(f"{path} is a broken EPUB: META-INF/container.xml names no package file")
            opf_name = rootfile.get("full-path")
            opf = xml(opf_name)
            base = posixpath.dirname(opf_name)

            def href(item):
                return posixpath.normpath(posixpath.join(base, unquote(item.get("href") or "")))

            manifest = {i.get("id"): i for i in opf.iter(f"{_OPF}item")}
            front = {href(r).split("#")[0] for r in opf.iter(f"{_OPF}reference") if _FRONT.search(r.get("type") or "")}
            labels = self._labels(archive, path, manifest, href, opf)
            blocks: list[Block] = []
            for ref in opf.iter(f"{_OPF}itemref"):
                item = manifest.get(ref.get("idref"))
                if item is None:
                    raise InputError(f"{path} is a broken EPUB: its spine names {ref.get('idref')!r}, which the manifest lacks")
                name = href(item)
                if (ref.get("linear") == "no" or name in front or "nav" in (item.get("properties") or "").split()
                        or _FRONT.search(posixpath.basename(name)) or _FRONT.fullmatch(item.get("id") or "")):
                    continue
                chapter = _Chapter()
                chapter.feed(zip_member(archive, name, path, "EPUB").decode("utf-8", "replace"))
                chapter.close()
                if chapter.types & {"cover", "copyright-page", "toc", "titlepage", "frontmatter", "colophon"}:
                    continue
                heads = [i for i, (tag, _) in enumerate(chapter.blocks) if tag in _HEADINGS]
                title = labels.get(name) or (chapter.blocks[heads[0]][1] if heads else "")
                body = [b for i, b in enumerate(chapter.blocks) if not (heads and i == heads[0])]
                if not body:
                    continue
                blocks.append(Block(2, title or f"Chapter {len([b for b in blocks if b.level]) + 1}"))
                blocks += [Block(0, text if tag == "p" else sentence(text)) for tag, text in body]
        meta = opf.find(f"{_OPF}metadata")

        def prop(tag):
            el = meta.find(tag) if meta is not None else None
            return (el.text or "").strip() if el is not None else ""

        return Document(prop(f"{_DC}title"), tuple(blocks), prop(f"{_DC}creator"), prop(f"{_DC}date"))

    @staticmethod
    def _labels(archive, path, manifest, href, opf) -> dict[str, str]:
        """Chapter file -> its title in the navigation document (EPUB 3) or the NCX (EPUB 2)."""
        labels: dict[str, str] = {}
        nav = next((i for i in manifest.values() if "nav" in (i.get("properties") or "").split()), None)
        if nav is not None:
            parser = _Links()
            parser.feed(zip_member(archive, href(nav), path, "EPUB").decode("utf-8", "replace"))
            folder = posixpath.dirname(href(nav))
            for target, label in parser.links:
                labels.setdefault(posixpath.normpath(posixpath.join(folder, unquote(target))).split("#")[0], label)
            return labels
        spine = opf.find(f"{_OPF}spine")
        ncx = manifest.get(spine.get("toc")) if spine is not None else None
        if ncx is not None:
            root = parse_xml(zip_member(archive, href(ncx), path, "EPUB"), path, href(ncx), "EPUB")
            folder = posixpath.dirname(href(ncx))
            for point in root.iter(f"{_NCX}navPoint"):
                text, content = point.find(f"{_NCX}navLabel/{_NCX}text"), point.find(f"{_NCX}content")
                if text is not None and content is not None:
                    target = posixpath.normpath(posixpath.join(folder, unquote(content.get("src") or "")))
                    labels.setdefault(target.split("#")[0], " ".join((text.text or "").split()))
        return labels


class _Links(HTMLParser):
    """(href, text) of the links in the navigation document's table of contents."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []
        self._toc = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav":
            self._toc = "toc" in (attrs.get("epub:type") or "toc")
        elif tag == "a" and self._toc:
            self._href, self._text = attrs.get("href") or "", []

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None
        elif tag == "nav":
            self._toc = False

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)
