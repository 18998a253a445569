"""HTML essays (a saved page, or a fetched URL): the article, not the page, via trafilatura."""

from __future__ import annotations

import re
from pathlib import Path

from narrate.errors import InputError
from narrate.inputs.base import Block, Document, Reader, missing_extra
from narrate.split import clean_line

MAX_HTML = 10 * 1024 * 1024  # a long essay's page is well under 1 MB; past this it is not an essay
_HTML = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|article)\b", re.I | re.S)
_END = re.compile(r"[.!?…:;][\"'”’)\]]*$")


def sentence(text: str) -> str:
    """A list item or table row ends as a sentence, so the narrator pauses after it."""
    text = clean_line(text)
    return text if not text or _END.search(text) else text + "."


def _blocks(main) -> list[Block]:
    """trafilatura's XML (head, p, list/item, quote, table/row/cell) as blocks a narrator reads."""
    blocks: list[Block] = []
    for el in main:
        text = " ".join("".join(el.itertext()).split())
        if el.tag == "head":
            level = int((el.get("rend") or "h2")[1:] or 2)
            blocks.append(Block(level if level <= 3 else 0, text))
        elif el.tag == "list":
            blocks += [Block(0, sentence("".join(item.itertext()))) for item in el.iter("item")]
        elif el.tag == "table":
            rows = [[clean_line("".join(c.itertext())) for c in row.iter("cell")] for row in el.iter("row")]
            head = rows[0] if rows and all(c.get("role") == "head" for c in el.find("row").iter("cell")) else None
            for row in rows[1:] if head else rows:
                cells = [f"{h}: {c}" if head and h else c for h, c in zip(head or [""] * len(row), row) if c]
                blocks.append(Block(0, sentence(", ".join(cells))))
        elif el.tag == "quote":
            blocks += _blocks(el) if len(el) else [Block(0, text)]
        elif text:
            blocks.append(Block(0, text))
    return blocks


def _drop_footnote_marks(html: bytes):
    """The page as an lxml tree without footnote reference marks (a "1" read mid-sentence)."""
    import lxml.html

    tree = lxml.html.document_fromstring(html)
    for mark in tree.xpath("//sup[a] | //a[contains(@class, 'footnote-ref')]"):
        mark.drop_tree()
    return tree


class HtmlReader(Reader):
    """A web page; the article is found by trafilatura (boilerplate, comments, forms dropped)."""

    name = "html"
    extra = "html"

    def sniff(self, path: Path, head: bytes) -> bool:
        return bool(_HTML.match(head.lstrip(b"\xef\xbb\xbf")))

    def read(self, path: Path) -> Document:
        if path.stat().st_size > MAX_HTML:
            raise InputError(
                f"{path} is {path.stat().st_size // (1024 * 1024)} MB, larger than any essay's page "
                f"({MAX_HTML // (1024 * 1024)} MB at most); save only the article"
            )
        try:
            import trafilatura
        except ImportError as exc:
            raise missing_extra(path, "HTML", self.extra) from exc
        from lxml import etree

        tree = _drop_footnote_marks(path.read_bytes())
        xml = trafilatura.extract(
            tree, output_format="xml", with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, include_links=False, include_formatting=False, favor_precision=True,
        )
        if not xml:
            raise InputError(f"{path}: no article found in the page; save the article's own page, or paste its text into a .txt")
        doc = etree.fromstring(xml.encode(), etree.XMLParser(resolve_entities=False, no_network=True))
        main = doc.find("main")
        return Document(doc.get("title") or "", tuple(_blocks(main if main is not None else doc)), doc.get("author") or "")
