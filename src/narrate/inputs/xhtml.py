"""An EPUB content document as blocks: main text, and the parts a narrator leaves out by their semantics.

The XHTML is parsed with the standard library's tolerant HTML parser into an ElementTree (an
EPUB 2 file may use HTML entities that an XML parser refuses). Structure comes from
`epub:type` (EPUB 3 structural semantics, with the DAISY z3998 vocabulary Standard Ebooks uses),
`role="doc-..."`, and for EPUB 2 from the links themselves: an element a note mark points to is a note.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from xml.etree.ElementTree import Element, TreeBuilder

from narrate.inputs.base import Block
from narrate.inputs.html import sentence
from narrate.text.normalize import roman_value
from narrate.text.normalize.words import cardinal

_VOID = {"br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source", "embed", "param", "track"}
_SKIP = {"head", "script", "style", "template", "svg", "math", "object", "iframe", "audio", "video", "rt", "rp"}
_HEADINGS = {f"h{n}" for n in range(1, 7)}
_BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "main", "body", "blockquote", "ol", "ul", "li", "dl",
    "dt", "dd", "hgroup", "figure", "figcaption", "table", "pre", "aside", "nav", "hr", "address", "details",
    "summary", "center", "caption", "tr", "td", "th", "thead", "tbody", "tfoot", *_HEADINGS,
}
# Structural semantics -> the kind a narrator leaves out ("" = narrated). Unknown values say nothing.
ROLES = {
    **dict.fromkeys(("introduction", "foreword", "preface", "prologue", "dedication", "epigraph", "epilogue",
                     "afterword", "conclusion", "chapter", "part", "volume", "division", "bodymatter", "text",
                     "acknowledgments", "acknowledgements", "appendix", "preamble"), ""),
    **dict.fromkeys(("cover", "titlepage", "title-page", "halftitlepage", "halftitle", "imprint", "copyright-page",
                     "copyright", "frontispiece", "seriespage", "other-credits", "contributors", "errata"), "front-matter"),
    **dict.fromkeys(("toc", "landmarks", "loi", "lot", "lof", "page-list"), "toc"),
    **dict.fromkeys(("colophon", "license", "licence", "uncopyright"), "back-matter"),
    **dict.fromkeys(("endnotes", "endnote", "rearnotes", "rearnote", "notes"), "endnotes"),
    **dict.fromkeys(("footnotes", "footnote", "note"), "footnotes"),
    **dict.fromkeys(("bibliography", "biblioentry", "glossary"), "references"),
    "index": "index",
}
_BOILERPLATE = {"pg-header": "front-matter", "pg-footer": "back-matter"}
_WHOLE = {"front-matter", "back-matter", "toc", "navigation", "index"}  # left out as one part, not item by item
_NUMBERED = {"chapter": "Chapter", "part": "Part", "volume": "Volume", "division": "Book", "book": "Book"}
_VERSE = {"verse", "poem", "song", "hymn", "lyrics"}
_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_NUMBERED_TITLE = re.compile(r"((?=[MDCLXVI])(?:M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))|\d{1,3})[.:]\s+([A-Z][a-z].*)")
_MARKER = re.compile(r"\[?[0-9*†‡§¶a-z]{1,4}\]?")  # the text of a note mark: "12", "[3]", "*", "†"
_NOTE_CLASS = re.compile(r"\b(?:(foot|end)notes?|fnanchor|noteref|footnote-ref|fn-?ref)\b", re.I)
MAX_NOTE_WORDS = 600  # a note pointed to but longer than this is a section, not a note


class _Builder(HTMLParser):
    """HTML parser events into an ElementTree, closing what the markup leaves open."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tree = TreeBuilder()
        self.stack = ["#root"]
        self.tree.start("#root", {})

    def handle_starttag(self, tag, attrs):
        self.tree.start(tag, {k: v or "" for k, v in attrs})
        if tag in _VOID:
            self.tree.end(tag)
        else:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tree.start(tag, {k: v or "" for k, v in attrs})
        self.tree.end(tag)

    def handle_endtag(self, tag):
        if tag in self.stack[1:]:
            while self.stack[-1] != tag:
                self.tree.end(self.stack.pop())
            self.tree.end(self.stack.pop())

    def handle_data(self, data):
        self.tree.data(data)

    def root(self) -> Element:
        self.close()
        while len(self.stack) > 1:
            self.tree.end(self.stack.pop())
        self.tree.end("#root")
        return self.tree.close()


def decode(data: bytes) -> str:
    """A content document's text: UTF-8 or UTF-16 as EPUB requires, else the encoding its XML declaration names."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    declared = re.match(rb"<\?xml[^>]*encoding=[\"']([\w.-]+)", data.lstrip(b"\xef\xbb\xbf"))
    try:
        return data.decode(declared.group(1).decode() if declared else "utf-8-sig")
    except (LookupError, UnicodeDecodeError):
        return data.decode("utf-8", "replace")


def parse(data: bytes) -> Element:
    """A content document as an element tree (tags and attribute names lower-case, entities decoded)."""
    builder = _Builder()
    builder.feed(decode(data))
    return builder.root()


def types(el: Element) -> set[str]:
    """The element's structural semantics: epub:type values and doc- roles, vocabulary prefixes dropped."""
    values = (el.get("epub:type") or "").split() + [r.removeprefix("doc-") for r in (el.get("role") or "").split()]
    return {v.rsplit(":", 1)[-1].lower() for v in values}


def role(el: Element) -> str | None:
    """The kind the element's semantics give ("" narrated), or None when they say nothing."""
    if el.get("id") in _BOILERPLATE or "pg-boilerplate" in (el.get("class") or "").split():
        return _BOILERPLATE.get(el.get("id") or "", "back-matter")  # Project Gutenberg's header and licence
    found = [ROLES[t] for t in types(el) if t in ROLES]
    return next((k for k in found if k), "" if found else None)


def text_of(el: Element) -> str:
    """All the text under an element, spaces collapsed."""
    return " ".join("".join(el.itertext()).split())


def is_note_mark(a: Element, inside_sup: bool = False) -> bool:
    """Whether a link is a note reference: typed so, classed so, or a short marker linking to a fragment."""
    kinds = types(a)
    if "noteref" in kinds or _NOTE_CLASS.search(a.get("class") or ""):
        return True
    href = a.get("href") or ""
    if "#" not in href or kinds & {"backlink", "referrer"}:
        return False
    marker = bool(_MARKER.fullmatch(text_of(a)))
    return marker and (inside_sup or any(c.tag == "sup" for c in a.iter()))


def find_notes(docs: list[tuple[str, Element]], resolve) -> dict[str, dict[int, str]]:
    """The notes of a book: per document, the elements its note marks point to (by `id()`) and their kind.

    A note lies after its mark in reading order (a footnote below, an endnote at the back), so a
    link pointing back (a note's own back-link) is not a mark. `resolve(name, href)` gives the
    (document, fragment) a link points to.
    """
    order = {name: n for n, (name, _) in enumerate(docs)}
    ids: dict[str, dict[str, tuple[int, Element]]] = {}
    for name, root in docs:
        parents = {c: p for p in root.iter() for c in p}
        found = ids.setdefault(name, {})
        for pos, el in enumerate(root.iter()):
            if ident := el.get("id"):
                block = el
                while block.tag not in _BLOCKS and block in parents:
                    block = parents[block]
                found.setdefault(ident, (pos, block))
    notes: dict[str, dict[int, str]] = {}
    for name, root in docs:
        in_sup = {a for sup in root.iter("sup") for a in sup.iter("a")}
        for pos, el in enumerate(root.iter()):
            if el.tag != "a" or not is_note_mark(el, el in in_sup):
                continue
            target, frag = resolve(name, el.get("href") or "")
            hit = ids.get(target, {}).get(frag)
            if hit is None or (order[target], hit[0]) <= (order[name], pos) or hit[1].tag == "body":
                continue
            notes.setdefault(target, {})[id(hit[1])] = "footnotes" if target == name else "endnotes"
    return notes


def number_words(ordinal: str) -> str:
    """'II' or '2' -> 'Two'; anything else as written."""
    if ordinal.isdigit():
        value = int(ordinal)
    elif ordinal and _ROMAN.fullmatch(ordinal):
        value = roman_value(ordinal)
    else:
        return ordinal
    return " ".join(w if w == "and" else "-".join(p.capitalize() for p in w.split("-")) for w in cardinal(str(value)).split())


class Chapter:
    """Blocks of one content document, its main headings at level 2 and notes apart.

    Attributes:
        blocks: in reading order; a left-out part is one block (a note, a table, a title page).
        marks: note marks and page-break markers dropped from sentences, by kind.
    """

    def __init__(self, root: Element, kind: str, notes: dict[int, str], english: bool = True):
        """Walk `root` (a parsed document) whose own kind is `kind`; `notes` maps note elements (by `id()`) to their kind."""
        self.blocks: list[Block] = []
        self.marks: Counter[str] = Counter()
        self._notes = notes
        self._english = english
        body = next(root.iter("body"), root)
        heads = [int(h.tag[1]) for h in body.iter() if h.tag in _HEADINGS]
        self._top = min(heads) if heads else 0
        self._block(body, kind, "", False)

    # --- blocks ---------------------------------------------------------------

    def _block(self, el: Element, kind: str, section: str, verse: bool) -> None:
        """Emit an element's blocks: a note, figure, table, code or navigation as one part, else its contents."""
        own = role(el)
        if own in _WHOLE and own != kind and el.tag != "body":  # a licence or title page inside a chapter's file
            return self._emit(Block(0, self._lines(el), own))
        kind = own if own else kind  # a narrated type inside a left-out part does not bring it back
        note = self._notes.get(id(el))
        section = next((t for t in types(el) if t in _NUMBERED), section) if el.tag in ("section", "article", "body", "div") else section
        verse = verse or bool(types(el) & _VERSE)
        tag = el.tag
        if note and self._is_note(el):
            return self._emit(Block(0, self._lines(el), note))
        if tag == "li" and kind in ("endnotes", "footnotes", "references"):
            return self._emit(Block(0, self._lines(el), kind))
        if tag in ("aside", "section", "div", "p") and kind in ("endnotes", "footnotes") and own in ("endnotes", "footnotes") \
                and types(el) & {"footnote", "endnote", "note", "rearnote"}:
            return self._emit(Block(0, self._lines(el), own))
        if tag == "nav":
            return self._emit(Block(0, self._lines(el), kind or ("toc" if "toc" in types(el) else "navigation")))
        if tag == "figure":
            return self._emit(Block(0, self._lines(el), kind or "figures"))
        if tag == "table":
            return self._emit(Block(0, self._table(el), kind or "tables"))
        if tag == "pre":
            return self._emit(Block(0, "\n".join(x.rstrip() for x in "".join(el.itertext()).split("\n")), kind or "code"))
        if tag in _HEADINGS or tag == "hgroup":
            return self._heading(el, kind, section)
        self._contents(el, kind, section, verse)

    def _contents(self, el: Element, kind: str, section: str, verse: bool) -> None:
        """The blocks inside an element; inline runs between its child blocks are paragraphs of their own."""
        tag = el.tag
        inline: list[str] = [el.text or ""]
        for child in el:
            if child.tag in _SKIP:
                pass
            elif child.tag in _BLOCKS or (child.tag == "cite" and tag == "blockquote"):
                self._paragraph(inline, el, kind)
                inline = []
                if child.tag == "cite":
                    self._emit(Block(0, sentence(self._inline_text(child, False)), kind))
                else:
                    self._block(child, kind, section, verse)
            else:
                self._inline(child, inline, verse and tag == "p")
            inline.append(child.tail or "")
        self._paragraph(inline, el, kind)

    def _is_note(self, el: Element) -> bool:
        """A pointed-to element is a note unless it holds headings or a chapter's worth of words."""
        return not any(x.tag in _HEADINGS for x in el.iter()) and len(text_of(el).split()) <= MAX_NOTE_WORDS

    def _paragraph(self, pieces: list[str], parent: Element, kind: str) -> None:
        text = "\n".join(" ".join(line.split()) for line in "".join(pieces).split("\n"))
        text = "\n".join(line for line in text.split("\n") if line)
        if text:
            self._emit(Block(0, sentence(text) if parent.tag in ("li", "dt", "dd", "td", "th") else text, kind))

    def _emit(self, block: Block) -> None:
        if block.text.strip() or block.kind:
            self.blocks.append(block)

    def _heading(self, el: Element, kind: str, section: str) -> None:
        level = int(el.tag[1]) if el.tag in _HEADINGS else min((int(h.tag[1]) for h in el.iter() if h.tag in _HEADINGS), default=self._top)
        text = self.heading_text(el, section)
        if not text:
            return
        if kind or level <= self._top:
            self._emit(Block(2, text, kind))
        else:  # a sub-heading inside a chapter is spoken where it stands, as a sentence of its own
            self._emit(Block(0, sentence(text)))

    def heading_text(self, el: Element, section: str = "") -> str:
        """A heading as a narrator announces it: 'Chapter Two: Of the Liberty of Thought and Discussion'.

        The label, ordinal and title are found by their semantics (or a heading that is only a
        numeral); the numeral is said in words in an English book, and the chapter's type names it.
        """
        parts: dict[str, str] = {}
        loose: list[str] = []

        def visit(node: Element, top: bool) -> None:
            kinds = types(node)
            text = self._inline_text(node, False)
            for name in ("label", "ordinal", "subtitle"):
                if name in kinds and text:
                    parts.setdefault(name, text)
                    return
            if kinds & {"title", "fulltitle"} and text:
                parts.setdefault("title", text)
                return
            if top or len(node):
                loose.append(node.text or "")
                for child in node:
                    if child.tag not in _SKIP and not (child.tag == "a" and is_note_mark(child)) and child.tag != "sup":
                        visit(child, False)
                    loose.append(child.tail or "")
            else:
                loose.append(text)

        visit(el, True)
        rest = " ".join(" ".join(loose).split()).strip(" :.—-–")
        numbered = _NUMBERED_TITLE.fullmatch(rest)
        if not parts and rest and (rest.isdigit() or _ROMAN.fullmatch(rest)):
            parts["ordinal"], rest = rest, ""
        elif not parts and numbered:  # "II: Of the Liberty", "3. The Kettle"
            parts["ordinal"], rest = numbered.group(1), numbered.group(2)
        title = parts.get("title") or rest
        ordinal = parts.get("ordinal", "")
        if ordinal:
            number = number_words(ordinal) if self._english else ordinal
            label = parts.get("label") or (_NUMBERED.get(section, "") if self._english else "")
            head = f"{label} {number}".strip()
            title = f"{head}: {title}" if title and title != ordinal else head
        elif parts.get("label"):
            title = f"{parts['label']}: {title}" if title else parts["label"]
        if parts.get("subtitle"):
            title = f"{title}: {parts['subtitle']}" if title else parts["subtitle"]
        return " ".join(title.split())

    # --- inline text ----------------------------------------------------------

    def _inline(self, el: Element, out: list[str], verse_line: bool) -> None:
        """Append an inline element's words to `out`; note marks and page-break markers are counted, not read."""
        kinds = types(el)
        if el.tag in _SKIP or el.tag == "img":
            return
        if el.tag == "br":
            out.append("\n")
            return
        if "pagebreak" in kinds:
            self.marks["page-numbers"] += 1
            return
        if (el.tag == "a" and is_note_mark(el)) or (el.tag == "sup" and self._sup_is_mark(el)):
            self.marks["note-marks"] += 1
            return
        if kinds & {"backlink", "referrer"}:
            return
        if verse_line and el.tag == "span" and "".join(out).strip() and not "".join(out).endswith("\n"):
            out.append("\n")  # a line of verse marked as a span, with no <br/> between
        out.append(el.text or "")
        for child in el:
            self._inline(child, out, False)
            out.append(child.tail or "")

    def _sup_is_mark(self, sup: Element) -> bool:
        """A superscript is a note mark when it links to a note, or is a bare marker with no link at all."""
        links = list(sup.iter("a"))
        if links:
            return any(is_note_mark(a, True) for a in links)
        return bool(re.fullmatch(r"[*†‡§¶]+|\[\d{1,3}\]", text_of(sup)))

    def _inline_text(self, el: Element, keep_lines: bool) -> str:
        out: list[str] = [el.text or ""]
        for child in el:
            self._inline(child, out, False)
            out.append(child.tail or "")
        text = "".join(out)
        return text if keep_lines else " ".join(text.split())

    def _lines(self, el: Element) -> str:
        """A left-out part's text, one line per block inside it, marks and back-links dropped."""
        sub = Chapter.__new__(Chapter)
        sub.blocks, sub.marks, sub._notes, sub._english, sub._top = [], Counter(), {}, self._english, 7
        sub._contents(el, "part", "", False)
        return "\n".join(b.text for b in sub.blocks if b.text)

    def _table(self, table: Element) -> str:
        rows = []
        for row in table.iter("tr"):
            cells = [self._inline_text(c, False) for c in row if c.tag in ("td", "th")]
            if any(cells):
                rows.append(sentence(", ".join(c for c in cells if c)))
        caption = next(table.iter("caption"), None)
        return "\n".join(([sentence(text_of(caption))] if caption is not None and text_of(caption) else []) + rows)
