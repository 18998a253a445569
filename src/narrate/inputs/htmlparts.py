"""What a narrator leaves out of a web page, labelled in its HTML before trafilatura picks the article.

trafilatura's output keeps no classes, so a code block or a reference list would be one more
paragraph by then. Each such part of the article is found here, in the page as written, and
replaced by a placeholder paragraph ("⟦b12⟧"): trafilatura keeps it where the part stood when the
part is inside the article, and drops it with the page's furniture otherwise. The furniture itself
(menus, share bars, licence lines) is found here but left in place, and labelled once trafilatura
has kept what it keeps (see `label`). A mark inside a sentence (a citation "[1]", an "[edit]"
link, a heading's "#" permalink) becomes a token ("⟦m0⟧"), counted and removed afterwards.
"""

from __future__ import annotations

import copy
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from narrate.inputs.base import Block
from narrate.split import clean_line

TOKEN = re.compile(r"⟦([bm])(\d+)⟧")
MARK_KINDS = ("citations", "edit-links", "note-marks", "link-targets")
_FURNITURE = {"navigation", "chrome"}
_CITATION = re.compile(r"^\[[^\[\]]{1,40}\]$")  # "[1]", "[a]", "[citation needed]", "[note 3]"
_PERMALINK_TEXT = {"", "#", "¶", "§", "🔗", "link", "permalink", "anchor"}
_PERMALINK_CLASS = {"anchor", "bookmark", "permalink", "headerlink", "header-anchor", "heading-anchor",
                    "anchor-link", "hash-link", "anchorjs-link", "heading-link", "deep-link"}
_NOTEREF_CLASS = {"footnote-ref", "footnote-anchor", "footnote-reference", "footnote-link", "fnref", "noteref"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_CODE_TAGS = {"code", "kbd", "samp", "tt"}
_INLINE = {"a", "span", "em", "strong", "b", "i", "small", "code", "label", "abbr", "bdi", "bdo", "cite", "dfn",
           "font", "kbd", "mark", "q", "s", "samp", "sub", "sup", "time", "u", "var", "wbr", "tt"}
_PHRASING = {"p", "span", "a", "em", "strong", "b", "i", "small", "label", "code", *_HEADINGS}
# Class or id words of site furniture a page may carry inside its article; compared whole word
# ("share-buttons" has "share"; "shared-memory" does not).
_CHROME_WORDS = {
    "subscribe", "subscription", "newsletter", "signup", "paywall", "share", "sharing", "sharedaddy", "social",
    "comments", "comment", "respond", "related", "footer", "printfooter", "disclaimer", "license", "licence",
    "cookie", "cookies", "promo", "advert", "ads", "sponsor", "sponsored", "byline-share", "author-bio",
    "post-tags", "tags", "tagcloud", "prevlink", "nextlink", "pagination", "post-navigation",
}
_NAVIGATION_WORDS = {"navbox", "vertical-navbox", "hatnote", "sistersitebox", "portal", "catlinks", "breadcrumb",
                     "breadcrumbs", "navbar", "mw-jump-link", "sidebar", "toolbar", "menu", "nav-links", "dablink"}
_TOC_WORDS = {"toc", "table-of-contents", "tableofcontents", "toc-container", "ez-toc-container"}
_REFERENCE_WORDS = {"references", "reflist", "refbegin", "citation-list", "bibliography", "works-cited"}
_FOOTNOTE_WORDS = {"footnote", "footnotes", "footnote-list", "footnotes-list", "footnote-definitions", "notes-list"}
_FIGURE_WORDS = {"thumb", "thumbinner", "gallery", "wp-caption", "figure", "image-caption", "captioned-image-container"}
_INFOBOX_WORDS = {"infobox", "sidebar-box", "metadata-box"}


def _names(el) -> set[str]:
    """The class names and id of an element, lower-cased."""
    return set(f"{el.get('class') or ''} {el.get('id') or ''}".lower().split())


def _words(el) -> set[str]:
    """The class names and id of an element and the words they are made of ("share-buttons": "share")."""
    names = _names(el)
    return names | {part for name in names for part in re.split(r"[-_]", name) if part}


def _spaced(el) -> str:
    """An element's text, its block elements' apart ("Cup Saucer", not "CupSaucer")."""
    pieces = [el.text or ""]
    for child in el:
        if isinstance(child.tag, str):
            gap = "" if child.tag in _INLINE else " "
            pieces += [gap, _spaced(child), gap]
        pieces.append(child.tail or "")
    return "".join(pieces)


def _text(el) -> str:
    """An element's words on one line, without placeholders or marks."""
    return clean_line(TOKEN.sub("", _spaced(el)))


def _lines(el, blank: bool = False) -> str:
    """An element's text keeping its line breaks (for code and tables of contents); blank lines only if asked."""
    for br in el.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = (TOKEN.sub("", line).rstrip() for line in "".join(el.itertext()).split("\n"))
    return textwrap.dedent("\n".join(line for line in lines if blank or line.strip()))


def _items(el, kind: str) -> tuple[Block, ...]:
    """A list's items as one block each (a reference list of 72 is 72 parts); else the whole as one."""
    from narrate.inputs.html import sentence

    backlinks = ".//*[contains(@class, 'cite-backlink') or contains(@class, 'backref') or contains(@class, 'footnote-return')"
    backlinks += " or contains(@class, 'footnote-number')]"
    for backlink in el.xpath(backlinks + " | .//*[@role='doc-backlink']"):
        backlink.drop_tree()  # the "^ a b" or "↩" jumps back to the text
    items = [sentence(_text(li)) for li in el.iter("li", "dd") if not any(a.tag in ("li", "dd") for a in li.iterancestors() if a is not el)]
    items = [item for item in items if item]
    if items:
        return tuple(Block(0, item, kind) for item in items)
    text = _text(el)
    return (Block(0, text, kind),) if text else ()


def _one(kind: str) -> Callable[[object], tuple[Block, ...]]:
    def part(el) -> tuple[Block, ...]:
        text = _lines(el) if kind in ("code", "toc") else _text(el)
        return (Block(0, text, kind),) if text.strip() else ()

    return part


def _toc(el) -> tuple[Block, ...]:
    """A table of contents as one block, one entry a line."""
    entries = [clean_line(_text(a)) for a in el.iter("a")] or _lines(el).split("\n")
    text = "\n".join(e for e in entries if e)
    return (Block(0, text, "toc"),) if text else ()


def _infobox(el) -> tuple[Block, ...]:
    """A box of facts as one table, a row a line ("Founded: 1998.")."""
    from narrate.inputs.html import sentence

    rows = []
    for row in el.iter("tr"):
        cells = [_text(c) for c in row if c.tag in ("th", "td")]
        cells = [c for c in cells if c]
        if cells:
            rows.append(sentence(f"{cells[0]}: {', '.join(cells[1:])}" if len(cells) > 1 else cells[0]))
    text = "\n".join(rows) or _text(el)
    return (Block(0, text, "tables"),) if text else ()


def _figure(el) -> tuple[Block, ...]:
    """A figure's caption, else its images' descriptions."""
    captions = el.xpath(".//figcaption | .//*[contains(@class, 'caption')]")
    text = " ".join(_text(c) for c in captions) or " ".join(i.get("alt") or "" for i in el.iter("img"))
    return (Block(0, clean_line(text) or "figure", "figures"),)


def _all_code(el) -> bool:
    """Whether every word of a paragraph is inside code elements (a code block written as <p><code>)."""
    if el.tag not in ("p", "div") or (el.text or "").strip():
        return False
    found = False
    for child in el:
        if (child.tail or "").strip() or (child.tag not in _CODE_TAGS and child.tag != "br"):
            return False
        found = found or bool("".join(child.itertext()).strip())
    return found


def _licence(el) -> bool:
    """A paragraph carrying the site's licence link (rel="license")."""
    return el.tag in ("p", "div", "small", "span") and bool(el.xpath("./a[contains(concat(' ', @rel, ' '), ' license ')] | ./small/a[contains(concat(' ', @rel, ' '), ' license ')]"))


@dataclass
class _Size:
    """What an element holds, counted once for the whole page (checking each element's subtree would be quadratic)."""

    chars: int = 0  # letters and digits
    link_chars: int = 0  # of them, inside links
    links: int = 0
    prose: int = 0  # paragraphs of 15 words or more
    prose_words: int = 0
    h1: bool = False


def _sizes(root) -> dict:
    """Every element's `_Size`, children first."""
    sizes: dict = {}
    for el in reversed([e for e in root.iter() if isinstance(e.tag, str)]):
        size = _Size(chars=_alnum(el.text))
        for child in el:
            size.chars += _alnum(child.tail)
            inner = sizes.get(child)
            if inner is not None:
                size.chars += inner.chars
                size.link_chars += inner.link_chars
                size.links += inner.links
                size.prose += inner.prose
                size.prose_words += inner.prose_words
                size.h1 = size.h1 or inner.h1
        if el.tag == "a" and size.chars:
            size.link_chars, size.links = size.chars, size.links + 1
        elif el.tag == "p" and (n := len(_text(el).split())) >= 15:
            size.prose, size.prose_words = size.prose + 1, size.prose_words + n
        size.h1 = size.h1 or el.tag == "h1"
        sizes[el] = size
    return sizes


def _alnum(text: str | None) -> int:
    return sum(c.isalnum() for c in text) if text else 0


def _kind(el, sizes: dict, big: int) -> tuple[str, Callable] | None:
    """The left-out kind of a block element and how to read its parts, or None for the main text."""
    tag = el.tag
    size = sizes.get(el) or _Size()
    # Prose (two paragraphs of 15 words or more, 50 in all) is an article's, never a figure's or furniture's.
    prose = size.prose >= 2 and size.prose_words >= 50
    if tag == "pre" or _all_code(el) or (tag == "figure" and el.find(".//pre") is not None):
        return "code", _one("code")
    names = _names(el)  # whole names only: "has-footnote" or "toc-link" is no part of its own
    if names & _TOC_WORDS or el.get("role") == "doc-toc":
        return "toc", _toc
    if names & _REFERENCE_WORDS and tag in ("ol", "ul", "div", "section", "dl"):
        return "references", lambda e: _items(e, "references")
    if names & _FOOTNOTE_WORDS or el.get("role") in ("doc-endnotes", "doc-footnote"):
        return "footnotes", lambda e: _items(e, "footnotes")
    if tag == "table" and names & _INFOBOX_WORDS:
        return "tables", _infobox
    if (tag == "figure" or (tag == "div" and names & _FIGURE_WORDS)) and not prose:
        return "figures", _figure
    if tag == "address" or _licence(el):
        return "chrome", _one("chrome")
    # Guessed from class words: only for what is small beside the page and no prose (never the article itself).
    words = _words(el)
    small = size.chars * 3 < big and not size.h1 and not prose
    links_only = size.links >= 2 and size.chars <= size.link_chars  # a menu, a list of other pages
    if small and (tag == "nav" or el.get("role") == "navigation" or words & _NAVIGATION_WORDS
                  or (tag in ("ul", "ol", "td", "div") and links_only)):
        return "navigation", _one("navigation")
    if small and tag in ("div", "section", "aside", "p", "ul", "form", "footer") and words & _CHROME_WORDS:
        return "chrome", _one("chrome")
    return None


def _mark(el) -> int | None:
    """The MARK_KINDS index of an inline mark a narrator drops, or None."""
    tag, words = el.tag, _words(el)
    if "mw-editsection" in words or "editsection" in words or "edit-link" in words:
        return 1
    if tag == "sup":
        text = "".join(el.itertext()).strip()
        if "reference" in words or "noprint" in words or _CITATION.match(text):
            return 0
        if el.xpath(".//a[starts-with(@href, '#')]"):
            return 2
    if tag == "a":
        if words & _NOTEREF_CLASS or el.get("role") == "doc-noteref":
            return 2
        if (el.get("href") or "").startswith("#") and any(a.tag in _HEADINGS for a in el.iterancestors()):
            if words & _PERMALINK_CLASS or "".join(el.itertext()).strip().lower() in _PERMALINK_TEXT:
                return 3
    return None


def _replace(el, token: str) -> None:
    """Put a token where an element stood, keeping the text after it."""
    el.tail = token + (el.tail or "")
    el.drop_tree()


def _unformat(pre) -> None:
    """Preformatted text that is the document, not code: its paragraphs (apart by blank lines) become paragraphs."""
    from lxml import etree

    div = etree.Element("div")
    for chunk in re.split(r"\n\s*\n", _lines(pre, blank=True)):
        if chunk.strip():
            etree.SubElement(div, "p").text = " ".join(chunk.split())
    div.tail = pre.tail
    pre.getparent().replace(pre, div)


def _footer(el) -> bool:
    """Whether an element starts or is a site footer: a footer element or id, a contact address, a licence line."""
    return el.tag in ("footer", "address") or "footer" in _words(el) or _licence(el)


def label(root) -> tuple[list[tuple[Block, ...]], dict, list]:
    """Replace the article's left-out parts by placeholders and its marks by tokens, in place.

    The page's furniture (menus, share bars, related links, licence lines) stays in place: taking it
    out would change what trafilatura weighs when it looks for the article (a page lighter by its
    menus lets it drop text it otherwise keeps). What it keeps of the furniture is labelled after.

    Returns:
        The parts' blocks, by placeholder number; the furniture's elements and their blocks; and the
        page's footer elements (or their placeholders).
    """
    from lxml import etree

    etree.strip_elements(root, "script", "style", "noscript", "template", etree.Comment, with_tail=False)
    for el in list(root.iter("sup", "a", "span", "div")):
        if el.getparent() is not None and (kind := _mark(el)) is not None:
            _replace(el, f"⟦m{kind}⟧")
    body = root.find("body")
    big = _alnum(_text(body if body is not None else root))
    plain = [pre for pre in root.iter("pre") if pre.find(".//code") is None and "language" not in (pre.get("class") or "")]
    if sum(_alnum(_text(pre)) for pre in plain) * 2 > big:  # a plain-text document served as HTML (an RFC)
        for pre in plain:
            _unformat(pre)
    sizes = _sizes(root)
    parts: list[tuple[Block, ...]] = []
    furniture: dict = {}
    footers = []
    stack = [root]
    while stack:  # outermost first: a part's inner parts are part of it
        el = stack.pop()
        found = _kind(el, sizes, big) if isinstance(el.tag, str) and el is not root else None
        if isinstance(el.tag, str) and el is not root and _footer(el):
            footers.append(el)
        if found is None:
            stack.extend(reversed([c for c in el if isinstance(c.tag, str)]))
        elif found[0] in _FURNITURE:
            furniture[el] = found[1](copy.deepcopy(el))
        else:
            blocks = found[1](el)
            placeholder = etree.Element("span" if el.getparent().tag in _PHRASING else "p")
            placeholder.text = f"⟦b{len(parts)}⟧"
            placeholder.tail = el.tail
            el.getparent().replace(el, placeholder)
            parts.append(blocks)
            if el in footers:
                footers[footers.index(el)] = placeholder
    return parts, furniture, footers
