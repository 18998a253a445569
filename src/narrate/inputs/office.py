"""What the word-processor readers (DOCX, ODT) share: title pages, headings typed as bold lines, parts merged.

A reader gives its paragraphs as `Para`s: the block it reads, the page it starts on (a page break
or a section break counts one), and how it looks. `blocks` then decides, the same way for both formats:

- Title pages: before the first heading, each page that a break separates from it is a title
  page (left out) when it holds the Title or Subtitle style, a copyright or licence notice, or only
  short lines one of which is set apart (bold or large). Any other page there (an untitled
  preface) is read.
- A short line set apart (all bold, or larger than the body text), alone between paragraphs
  and ending in no sentence mark, is a heading: the documents that type their headings so.
- A table of contents, a run of code lines, a title page: each is one left-out part.
- A web address typed in the text is said as its site; its path is a link target, counted.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from narrate.inputs.base import Block

_NOTICE = re.compile(r"copyright|©|all rights reserved|licen[cs]ed? |trademark|\bISBN\b|printed in ", re.I)
_CONTENTS = re.compile(r"(?:table of )?contents|inhalt(?:sverzeichnis)?|sommaire|table des mati[eè]res|[ií]ndice", re.I)
_URL = re.compile(r"\b(?:https?://|www\.)((?:www\.)?[\w-]+(?:\.[\w-]+)+)(?::\d+)?((?:[/?#][^\s<>\"')\]]*?)?)(?=[.,;:!?]*(?:[\s<>\"')\]]|$))")
_MAX_HEADING_WORDS = 12
_MERGED = {"toc", "code", "front-matter", "back-matter", "index"}  # consecutive blocks of these are one part


@dataclass(frozen=True)
class Para:
    """A paragraph as a word processor lays it out.

    Attributes:
        block: what it reads as (a heading, a paragraph, or a left-out part by its kind).
        page: the page it starts on, counted from the document's start.
        titled: styled Title or Subtitle.
        strong: all its text bold, or larger than the body text.
        listed: a list item (a bold list item is not a heading).
    """

    block: Block
    page: int = 0
    titled: bool = False
    strong: bool = False
    listed: bool = False


def blocks(paras: list[Para], title: str = "", marks: Counter[str] | None = None) -> list[Block]:
    """The document's blocks: title pages left out, bold lines made headings, parts merged, web addresses cut to their site.

    Args:
        paras: in reading order; the Title paragraph itself has kind "title" (said as the book's title).
        title: the document's title, to know a title page by.
        marks: counts the addresses whose path was cut ("link-targets").
    """
    # A main paragraph with no letter or digit ("- -" once its page number is gone) says nothing.
    paras = [p for p in paras if any(c.isalnum() for c in p.block.text) or p.block.kind not in ("", "title")]
    paras = _title_pages(paras, title)
    paras = _typed_headings(paras)
    out: list[Block] = []
    previous: Para | None = None
    for para in paras:
        block = para.block
        if block.kind == "title":
            continue
        if not block.kind:
            block = replace(block, text=_site_only(block.text, marks if marks is not None else Counter()))
        if _CONTENTS.fullmatch(block.text.strip(" .:")) and not block.level and _next_kind(paras, para) == "toc":
            block = replace(block, kind="toc")  # the table of contents' own title
        mergeable = previous is not None and out and out[-1].kind == block.kind and block.kind in _MERGED
        if mergeable and (block.kind != "front-matter" or previous.page == para.page) and not block.level:
            out[-1] = Block(0, f"{out[-1].text}\n{block.text}", block.kind)
        else:
            out.append(Block(0, block.text, block.kind) if block.kind in _MERGED else block)
        previous = para
    return out


def _site_only(text: str, marks: Counter[str]) -> str:
    """A web address typed in the text said as its site: 'amazon.com', not 'slash gp slash registry slash 103-62...'."""
    def cut(m: re.Match) -> str:
        host = m.group(1).removeprefix("www.")
        if m.group(2).strip("/"):
            marks["link-targets"] += 1
        return host

    return _URL.sub(cut, text)


def _next_kind(paras: list[Para], para: Para) -> str:
    at = next(i for i, p in enumerate(paras) if p is para)
    return paras[at + 1].block.kind if at + 1 < len(paras) else ""


def _title_pages(paras: list[Para], title: str) -> list[Para]:
    """The pages before the first heading that are title pages, relabelled as front matter."""
    first = next((i for i, p in enumerate(paras) if p.block.level and not p.block.kind), None)
    if first is None or not first or paras[first].page == paras[0].page:
        return paras
    pages: dict[int, list[Para]] = {}
    for para in paras[:first]:
        pages.setdefault(para.page, []).append(para)
    front = {page for page, items in pages.items() if page != paras[first].page and _is_title_page(items, title)}
    return [replace(p, block=replace(p.block, kind="front-matter", level=0)) if i < first and p.page in front
            and p.block.kind in ("", "title") else p for i, p in enumerate(paras)]


def _is_title_page(items: list[Para], title: str) -> bool:
    main = [p for p in items if p.block.kind in ("", "title")]
    if not main:
        return False
    if any(p.titled or p.block.kind == "title" or _NOTICE.search(p.block.text) for p in main):
        return True
    short = all(len(p.block.text.split()) <= _MAX_HEADING_WORDS for p in main)
    return short and any(p.strong or (title and p.block.text.strip() == title) for p in main)


def _typed_headings(paras: list[Para]) -> list[Para]:
    """Short lines set apart (bold or large), alone between paragraphs, as headings."""
    def candidate(p: Para) -> bool:
        text = p.block.text.strip()
        return (p.strong and not p.listed and not p.block.kind and not p.block.level and "\n" not in text
                and len(text.split()) <= _MAX_HEADING_WORDS and len(text) <= 100 and any(c.isalpha() for c in text)
                and not re.search(r"[.,;:]$", text))

    main = [i for i, p in enumerate(paras) if not p.block.kind]
    found = set()
    for n, i in enumerate(main):
        after = main[n + 1] if n + 1 < len(main) else None
        before = main[n - 1] if n else None
        if candidate(paras[i]) and after is not None and not candidate(paras[after]) \
                and (before is None or not candidate(paras[before])):
            found.add(i)
    return [replace(p, block=Block(2, p.block.text.strip())) if i in found else p for i, p in enumerate(paras)]
