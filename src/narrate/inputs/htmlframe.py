"""Where the article stands in its page: what trafilatura kept, found back in the page's own tree.

trafilatura returns paragraphs without their place in the page. Found back there (by their first
words), they show the article's own container: the deepest element around the title heading that
holds most of the kept words. What was kept from the page's first footer after that container on
is the site's (a licence line, disclaimers, a sign-off) and is left out; the headings trafilatura
lost when it could not find the article's frame (it then gathers paragraphs only) are put back
from the container.
"""

from __future__ import annotations

from collections import Counter

from narrate.inputs.base import Block
from narrate.split import clean_line

_NOTES = {"footnotes", "endnotes", "references"}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_NEAR_TITLE = 0.5  # around the title heading, the container holds at least this share of the kept words
_NO_TITLE = 0.8  # without a title heading, at least this share


def _key(el) -> str:
    """The first words of an element's text, to find a kept paragraph in the page."""
    text = ""
    for piece in el.itertext():
        text += piece
        if len(text) > 200:
            break
    return " ".join(text.split())[:60]


def _inside(node, container) -> bool:
    return node is not None and (node is container or any(a is container for a in node.iterancestors()))


def locate(root, pairs: list[tuple[Block, object]], title: str, plain) -> tuple[list, object | None]:
    """The page element each kept block came from (None when not found) and the article's container.

    Args:
        root: the page (as labelled).
        pairs: each block with the XML element of trafilatura's it came from.
        title: the article's title, to find its heading.
        plain: text -> the text without tokens, to compare headings with the title.
    """
    where = {}
    for el in root.iter():
        if isinstance(el.tag, str):
            where[_key(el)] = el  # pre-order: the deepest element with these first words wins
    found = [where.get(_key(x)) if x is not None else None for _, x in pairs]
    weights: Counter = Counter()
    for (block, _), source in zip(pairs, found):
        if source is not None and not block.level and not block.kind:
            for node in (source, *source.iterancestors()):
                weights[node] += len(block.text.split())
    total = sum(len(b.text.split()) for (b, _), s in zip(pairs, found) if s is not None and not b.level and not b.kind)
    if not total:
        return found, None
    heading = title_heading(root, title, plain)
    if heading is not None:
        candidates, share = list(heading.iterancestors()), _NEAR_TITLE
    else:
        candidates, share = list(weights), _NO_TITLE
    deep = [n for n in candidates if weights[n] >= share * total]
    if not deep:
        return found, None
    return found, max(deep, key=lambda n: sum(1 for _ in n.iterancestors()))


def title_heading(root, title: str, plain):
    """The page's heading that reads as the article's title, if any."""
    wanted = clean_line(plain(title)).lower()
    if not wanted:
        return None
    return next((h for h in root.iter(*_HEADINGS[:3]) if clean_line(plain("".join(h.itertext()))).lower() == wanted), None)


def footer(pairs: list[tuple[Block, object]], found: list, container, root, footers: list) -> set[int]:
    """The kept blocks from the page's first footer after the article's container on: the site's own.

    Only a footer the page marks (a footer element or id, a licence line, a contact address) starts
    it: an article in several sibling sections keeps them all. A footer's code or table is the
    site's too (a joke disclaimer in code); notes and references keep their kind.
    """
    if container is None:
        return set()
    order = {el: n for n, el in enumerate(root.iter())}
    end = max(order[el] for el in container.iter())
    starts = [order[el] for el in footers if order.get(el, -1) > end]
    if not starts:
        return set()
    start = min(starts)
    return {
        i for i, ((block, _), source) in enumerate(zip(pairs, found))
        if block.kind not in _NOTES and source is not None and order.get(source, -1) >= start
    }


def lost_headings(pairs: list[tuple[Block, object]], found: list, container, root, title: str, plain) -> None:
    """Put back, in place, the container's headings when trafilatura kept none of them."""
    if container is None or any(b.level and not b.kind and _inside(s, container) for (b, _), s in zip(pairs, found)):
        return
    order = {el: n for n, el in enumerate(root.iter())}
    skip = title_heading(root, title, plain)
    for heading in reversed([h for h in container.iter(*_HEADINGS) if h is not skip]):
        text = "".join(heading.itertext())
        at = next((i for i, s in enumerate(found) if s is not None and order.get(s, -1) > order[heading]), None)
        if at is None or not clean_line(plain(text)):
            continue
        level = int(heading.tag[1])
        pairs.insert(at, (Block(level if level <= 3 else 0, text), None))
        found.insert(at, heading)


def furniture(blocks: list[Block], found: list, parts: dict) -> list[Block]:
    """What trafilatura kept of the page's furniture, as that part (its words once, its kind)."""
    out: list[Block] = []
    seen = set()
    for block, source in zip(blocks, found):
        owners = (n for n in ((source, *source.iterancestors()) if source is not None else ()) if n in parts)
        owner = next(owners, None)
        if owner is None or block.kind in _NOTES:
            out.append(block)
        elif owner not in seen:
            seen.add(owner)
            out += parts[owner]
    return out
