"""Markdown essays, read by a CommonMark parser: the prose as headings and paragraphs, the rest apart by kind.

Left out: fenced and indented code, tables, footnote definitions (blocks a user may ask to hear
where they fall), and, inside sentences, link addresses, footnote marks, images, HTML elements
and template shortcodes (counted). Kept: the words of emphasis, links, inline code and block
quotes; list items and table rows end as sentences; hard-wrapped lines join.
"""

from __future__ import annotations

import re
from collections import Counter

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.footnote import footnote_plugin

from narrate.inputs.base import Block, Document
from narrate.inputs.html import sentence
from narrate.inputs.mdsyntax import (
    code_words, html_blocks, skipped_kind, template_kind, templates_plugin, untemplate_addresses,
)
from narrate.split import clean_line, heading_title

# markdown-it-py, not mistune: it renders all 655 examples of the CommonMark 0.31.2 spec as the spec
# says (mistune 603), and its tokens keep their source lines, which the text heading forms need.
_DROPPED = "\x00"  # where a mark was taken out of a sentence; its space goes with it before punctuation
_TASK = re.compile(r"^\[[ xX]\]\s+")
_LITERAL_NOTE = re.compile(r"\[\^[^\]\s]+\]")  # a footnote mark with no definition, left as text by the parser
_LITERAL_LINK = re.compile(r"\[([^\[\]\n]*)\](?:\[[^\[\]\n]*\]|\([^()\n]*\))")  # a link whose reference is missing
_RULE = re.compile(r"(?<!\S)([-+*=#~_^|])\1{2,}(?!\S)")
_INLINE_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)([^>]*)>", re.S)
_FORMATTING = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins", "kbd",
               "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var"}


def parser(indented_code: bool = True) -> MarkdownIt:
    """CommonMark with GitHub's tables and strikethrough, footnotes, and site generators' template tags."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).use(footnote_plugin)
    md.use(templates_plugin)
    if not indented_code:
        md.disable("code")
    return md


def _tidy(text: str) -> str:
    """A sentence closed up where marks were dropped: no space before punctuation, no empty brackets."""
    if _DROPPED not in text:
        return text
    text = re.sub(r"[ \t]*[(\[][ \t\x00]*\x00[ \t\x00]*[)\]]", _DROPPED, text)
    text = re.sub(r"[ \t]*\x00[\x00 \t]*(?=[.,;:!?…)\]\n]|$)", "", text)
    return re.sub(r"[ \t]*\x00[\x00 \t]*", " ", text)


class _Walk:
    """One pass over the parsed tree: blocks in reading order; footnotes kept apart to be placed after their mark."""

    def __init__(self, md: MarkdownIt, lines: list[str]) -> None:
        self.md = md
        self.lines = lines
        self.marks: Counter = Counter()
        self.blocks: list[Block] = []
        self.one_line: set[int] = set()  # id() of the paragraphs written on one line of their own
        self.notes: list[tuple[int, Block]] = []  # (footnote id, its text)
        self._note_at: dict[int, int] = {}  # footnote id -> index of the block its first mark is in
        self._refs: list[int] = []

    def add(self, block: Block) -> None:
        self.blocks.append(block)
        for ref in self._refs:
            self._note_at.setdefault(ref, len(self.blocks) - 1)
        self._refs = []

    # --- inline --------------------------------------------------------------------

    def inline(self, nodes, count: bool = True) -> str:
        """The words of inline nodes; marks a narrator does not read dropped (and counted unless `count` is False)."""
        marks, refs = self.marks.copy(), list(self._refs)
        pieces: list[str] = []
        skip: list[str] = []  # an inline HTML element whose content is not read
        for node in nodes:
            if skip and node.type != "html_inline":
                continue
            kind = node.type
            if kind == "text":
                pieces.append(self._text(node.content))
            elif kind == "softbreak":
                pieces.append(" ")
            elif kind == "hardbreak":
                pieces.append("\n")
            elif kind == "code_inline":
                pieces.append(code_words(node.content) or _DROPPED)
            elif kind == "link":
                self.marks["link-targets"] += 1
                autolink = node.markup == "autolink" or node.info == "auto"
                pieces.append(_DROPPED if autolink else self.inline(node.children))
            elif kind == "image":
                self.marks["figures"] += 1
                pieces.append(_DROPPED)
            elif kind == "footnote_ref":
                self.marks["note-marks"] += 1
                self._refs.append(node.meta["id"])
                pieces.append(_DROPPED)
            elif kind == "template":
                counted = template_kind(node.content)
                if counted and counted != "toc":  # a table of contents counts as its block
                    self.marks[counted] += 1
                pieces.append(_DROPPED)
            elif kind == "html_inline":
                pieces.append(self._tag(node.content, skip))
            elif node.children:
                pieces.append(self.inline(node.children))  # emphasis, strong, strikethrough
        if not count:
            self.marks, self._refs = marks, refs
        return _tidy("".join(pieces))

    def _text(self, text: str) -> str:
        """Plain text, with what the parser could not resolve (a missing definition, a lone backtick) taken as Markdown."""
        text = text.replace("`", "")  # never read aloud: a backtick left alone is a code span's unclosed mark
        text = _RULE.sub("", text)  # "+++", "***" standing alone: a rule or a fence gone astray, never words
        if "[" not in text:
            return text.replace("](", " ")
        notes = len(_LITERAL_NOTE.findall(text))
        self.marks["note-marks"] += notes
        text = _LITERAL_NOTE.sub(_DROPPED, text)
        text, links = _LITERAL_LINK.subn(r"\1", text)
        self.marks["link-targets"] += links
        return text.replace("](", " ").replace("[^", "[")  # what is left of broken links and marks is not read

    def _tag(self, tag: str, skip: list[str]) -> str:
        """An inline HTML tag: formatting goes and its words stay; images and embeds go with their content."""
        found = _INLINE_TAG.match(tag)
        if not found:
            return ""  # a comment, a processing instruction
        closing, name, attrs = found.group(1), found.group(2).lower(), found.group(3)
        if skip:
            if name == skip[0]:
                skip.pop() if closing else skip.append(name)
            return ""
        if closing:
            return ""
        if name == "br":
            return "\n"
        if name == "a" and "href" in attrs:
            self.marks["link-targets"] += 1
        if name in _FORMATTING:
            return ""
        self.marks[skipped_kind(name)] += 1
        if not attrs.rstrip().endswith("/") and name not in ("img", "embed", "source", "input", "wbr", "hr"):
            skip.append(name)
        return _DROPPED

    # --- blocks ----------------------------------------------------------------------

    def walk(self, nodes, nested: bool = False) -> None:
        for node in nodes:
            kind = node.type
            if kind == "heading":
                text = self.inline(node.children[0].children)
                level = 0 if nested else int(node.tag[1])
                if text.strip():
                    self.add(Block(level, (heading_title(text) or text) if level else sentence(text)))
            elif kind == "paragraph":
                self._paragraph(node, nested)
            elif kind in ("bullet_list", "ordered_list"):
                self._list(node, nested)
            elif kind == "blockquote":
                self.walk(node.children, nested=True)
            elif kind in ("fence", "code_block"):
                self.add(Block(0, node.content.rstrip("\n"), "code"))
            elif kind == "html_block":  # CommonMark leaves the Markdown inside as it is; a narrator reads its words
                for block in html_blocks(node.content, self.marks):
                    text = block.text if block.kind else self.inline(SyntaxTreeNode(self.md.parseInline(block.text)).children[0].children)
                    self.add(Block(0 if nested else block.level, sentence(text) if nested and block.level else text, block.kind))
            elif kind == "table":
                self.add(Block(0, self._table(node), "tables"))
            elif kind == "footnote_block":
                self._footnotes(node)
            # a thematic break (---, ***) is not read

    def _paragraph(self, node, nested: bool) -> None:
        children = node.children[0].children
        toc = any(c.type == "template" and template_kind(c.content) == "toc" for c in children)
        rest = children
        if not nested:
            title, rest = self._heading_line(children)
            if title:
                self.add(Block(2, title))
        text = self.inline(rest)
        if toc:
            self.add(Block(0, text, "toc"))
        elif text.strip():
            self.add(Block(0, text))
            if node.map and node.map[1] - node.map[0] == 1 and rest is children:
                self.one_line.add(id(self.blocks[-1]))

    def _heading_line(self, children) -> tuple[str, list]:
        """(the title, the rest) when a paragraph opens with a line written as a heading ("IV. Dawn") above prose."""
        cut = next((i for i, c in enumerate(children) if c.type == "softbreak"), None)
        if cut is None or not _starts_sentence(self.inline(children[cut + 1:], count=False)):
            return "", children
        title = heading_title(self.inline(children[:cut], count=False))
        return (title, children[cut + 1:]) if title else ("", children)

    def _list(self, node, nested: bool) -> None:
        if any(n.type == "template" and template_kind(n.content) == "toc" for n in node.walk()):
            self.add(Block(0, self.inline([n for n in node.walk() if n.type in ("text", "softbreak")]), "toc"))
            return  # kramdown's "* TOC {:toc}": the site's table of contents
        for item in node.children:
            parts = item.children
            if not nested and node.type == "ordered_list" and parts and parts[0].type == "paragraph":
                title = self._numbered_heading(node, item, parts[0])
                if title:
                    self.add(Block(2, title))
                    rest = parts[0].children[0].children
                    cut = next((i for i, c in enumerate(rest) if c.type == "softbreak"), len(rest))
                    text = self.inline(rest[cut + 1:])
                    if text.strip():
                        self.add(Block(0, text))
                    self.walk(parts[1:])
                    continue
            for part in parts:
                if part.type == "paragraph":
                    text = _TASK.sub("", self.inline(part.children[0].children))
                    if text.strip():
                        self.add(Block(0, sentence(text)))
                else:
                    self.walk([part], nested=True)

    def _numbered_heading(self, lst, item, paragraph) -> str:
        """The title of a numbered item written as a plain-text essay's heading, else "".

        "1. Method" is a heading, not a list, when prose follows it at the margin opening a
        sentence (a list item's own next line is indented, or goes on with its sentence), or when
        it is the only item and a paragraph follows it.
        """
        children = paragraph.children[0].children
        cut = next((i for i, c in enumerate(children) if c.type == "softbreak"), None)
        if cut is not None:
            following = self.lines[paragraph.map[0] + 1] if paragraph.map[0] + 1 < len(self.lines) else ""
            if following[:1].isspace() or not _starts_sentence(self.inline(children[cut + 1:], count=False)):
                return ""
        elif not (len(lst.children) == 1 and len(item.children) == 1 and self._prose_after(lst)):
            return ""
        if not heading_title(self.lines[item.map[0]]):
            return ""  # "1. Boil the water." is a step, whatever follows it
        return clean_line(self.inline(children[:cut], count=False))

    def _prose_after(self, node) -> bool:
        following = next((x for x in self.lines[node.map[1]:] if x.strip()), "") if node.map else ""
        return bool(following) and not following[:1].isspace() and _starts_sentence(following)

    def _table(self, node) -> str:
        rows = []
        for section in node.children:
            for row in section.children:
                cells = [self.inline(cell.children[0].children) if cell.children else "" for cell in row.children]
                rows.append(sentence(", ".join(c for c in cells if c.strip())))
        return "\n".join(r for r in rows if r)

    def _footnotes(self, node) -> None:
        for note in node.children:
            words = [
                self.inline([c for c in part.children[0].children if c.type != "footnote_anchor"])
                for part in note.children if part.type == "paragraph"
            ]
            self.notes.append((note.meta["id"], Block(0, " ".join(w for w in words if w.strip()), "footnotes")))

    def ordered(self) -> list[Block]:
        """The blocks, each footnote after the block holding its first mark (where a narrator would read it)."""
        after: dict[int, list[Block]] = {}
        for note, block in self.notes:
            after.setdefault(self._note_at.get(note, len(self.blocks) - 1), []).append(block)
        out: list[Block] = []
        for i, block in enumerate(self.blocks):
            out += [block, *after.pop(i, [])]
        return out + [b for rest in after.values() for b in rest]


def _starts_sentence(text: str) -> bool:
    """Whether text opens a sentence: its first letter is a capital (after any quotes or brackets)."""
    first = next((c for c in text if c.isalnum()), "")
    return first.isupper() or first.isdigit()


def read_markdown(body: str, fields: dict[str, str], indented_code: bool = True) -> Document:
    """A Markdown essay (its front matter already read into `fields`) as a Document.

    The title is the front matter's; else a lone `#` heading above the rest; else a first line of
    its own (not a hard-wrapped paragraph's first line), as in a plain-text essay.
    """
    body = untemplate_addresses(body)
    md = parser(indented_code)
    tree = SyntaxTreeNode(md.parse(body))
    walk = _Walk(md, body.split("\n"))
    walk.walk(tree.children)
    blocks = walk.ordered()
    title = fields.get("title", "")
    first = next((i for i, b in enumerate(blocks) if not b.kind), None)
    if first is not None and not blocks[first].level:
        text = clean_line(blocks[first].text)
        if title and text == title:
            blocks.pop(first)  # the title, written again as the first line
        elif (not title and id(blocks[first]) in walk.one_line and len(text) <= 150 and not re.search(r"[.,;:]$", text)
              and any(not b.kind and clean_line(b.text) not in ("", text) for b in blocks[first + 1:])):
            title = text  # a first line of its own, as a plain-text essay's title
            blocks.pop(first)
    marks = tuple((kind, n) for kind, n in walk.marks.items() if n)
    return Document(title, tuple(blocks), fields.get("author", ""), fields.get("date", ""), fields.get("cover", ""), marks)

