"""The interface every essay reader implements, and helpers the built-in readers share."""

from __future__ import annotations

import hashlib
import zipfile
from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from pathlib import Path

from narrate.errors import InputError
from narrate.split import KINDS, Essay, LeftOut, Section, clean_line, heading_title

# A ZIP (DOCX, ODT, EPUB) is refused past these: an essay is never this large, a bomb is.
MAX_MEMBER = 64 * 1024 * 1024
MAX_TOTAL = 256 * 1024 * 1024
MAX_RATIO = 200


class Reader(ABC):
    """Reads one kind of file into an Essay.

    Attributes:
        name: the format's name, as the registry lists it ("html", "docx", ...).
        extra: the optional extra its library comes with, or "" when none is needed.
    """

    name: str = ""
    extra: str = ""

    @abstractmethod
    def sniff(self, path: Path, head: bytes) -> bool:
        """Whether the file is this reader's format, judged by its first bytes (the extension only a hint)."""

    @abstractmethod
    def read(self, path: Path) -> Document | Essay:
        """Read the file: a Document (main text and left-out parts by kind), or an Essay when nothing is left out.

        Raises:
            InputError: the file cannot be read as this format (one line naming it).
        """

    def fingerprint(self, path: Path) -> str:
        """What identifies the file's content: its bytes' digest."""
        return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def missing_extra(path: Path, fmt: str, extra: str) -> InputError:
    """The error for a format whose optional library is not installed."""
    return InputError(f"{path} is {fmt}; reading it needs pip install 'narrate[{extra}]'")


def open_zip(path: Path, fmt: str) -> zipfile.ZipFile:
    """Open a ZIP-based document, refusing broken archives and archive bombs.

    Raises:
        InputError: the archive is broken or would expand beyond the limits.
    """
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(f"{path} is a broken {fmt} file ({exc}); save it again from its editor") from exc
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER or total > MAX_TOTAL or (info.file_size > 1024 * 1024 and ratio > MAX_RATIO):
            archive.close()
            raise InputError(
                f"{path} would expand to more than an essay ever holds ({info.filename}: "
                f"{info.file_size} bytes from {info.compress_size}); it looks like an archive bomb, not a {fmt}"
            )
    return archive


def zip_member(archive: zipfile.ZipFile, name: str, path: Path, fmt: str) -> bytes:
    """One member's bytes, read within the size limit.

    Raises:
        InputError: the member is missing or damaged.
    """
    try:
        with archive.open(name) as member:
            data = member.read(MAX_MEMBER + 1)
    except KeyError as exc:
        raise InputError(f"{path} is a broken {fmt} file: it names {name}, which it does not contain") from exc
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise InputError(f"{path} is a broken {fmt} file ({name}: {exc}); save it again from its editor") from exc
    if len(data) > MAX_MEMBER:
        raise InputError(f"{path}: {name} expands past {MAX_MEMBER} bytes; it looks like an archive bomb")
    return data


@dataclass(frozen=True)
class Block:
    """One block of a structured document: a heading (level 1-6) or a paragraph (level 0).

    Attributes:
        text: the words; a paragraph of verse keeps its lines apart with "\n".
        kind: "" for the main text, else what a narrator leaves out (a key of `KINDS`).
    """

    level: int
    text: str
    kind: str = ""


@dataclass(frozen=True)
class Document:
    """A document as a reader finds it: its metadata and blocks in reading order, main text and left-out parts.

    Attributes:
        blocks: headings and paragraphs; those of a left-out kind say so in their `kind`.
        marks: kind -> how many marks inside sentences were dropped (citation marks, link addresses).
    """

    title: str
    blocks: tuple[Block, ...]
    author: str = ""
    date: str = ""
    cover: str = ""
    marks: tuple[tuple[str, int], ...] = ()

    def essay(self, path: Path, read: frozenset[str] = frozenset()) -> Essay:
        """The Essay a narrator reads: the main text, and the parts of the kinds in `read` where they fall.

        Raises:
            InputError: nothing of the document is to be narrated.
        """
        kept: list[Block] = []
        counts: dict[str, list[int]] = {}
        with_body = {b.kind for b in self.blocks if b.kind and not b.level}
        for block in self.blocks:
            if block.kind and block.kind not in read:
                tally = counts.setdefault(block.kind, [0, 0])
                tally[0] += not block.level or block.kind not in with_body  # a part's own heading is not a part
                tally[1] += len(block.text.split())
            else:
                kept.append(block)
        for kind, count in self.marks:
            counts.setdefault(kind, [0, 0])[0] += count
        order = {kind: n for n, kind in enumerate(KINDS)}
        left_out = tuple(
            LeftOut(kind, count, words)
            for kind, (count, words) in sorted(counts.items(), key=lambda item: order.get(item[0], len(order)))
            if count
        )
        essay = build_essay(path, kept, self.title, self.author, self.date)
        return replace(essay, cover=self.cover or essay.cover, left_out=left_out)


def _clean(text: str) -> str:
    """clean_line for each line of a block, keeping verse lines apart."""
    return "\n".join(line for line in (clean_line(x) for x in text.split("\n")) if line)


def build_essay(path: Path, blocks: list[Block], title: str = "", author: str = "", date: str = "") -> Essay:
    """An Essay from a document's blocks: its title, then one section per heading.

    The title is the document's (its properties or Title style), else a lone top-level heading.
    A plain paragraph written as a heading ("1. Method") starts a section, as in a text essay.

    Raises:
        InputError: the document holds no text.
    """
    blocks = [Block(b.level, _clean(b.text) if not b.level else clean_line(b.text)) for b in blocks]
    blocks = [b for b in blocks if b.text]
    tops = [b for b in blocks if b.level == 1]
    if len(tops) == 1 and blocks and blocks[0] is tops[0] and (not title or title == tops[0].text):
        title = title or tops[0].text
        blocks = blocks[1:]
    elif title and blocks and blocks[0].level and blocks[0].text == title:
        blocks = blocks[1:]
    title = title or path.stem.replace("-", " ").title()
    sections: list[tuple[str, list[str]]] = []
    preface: list[str] = []
    for block in blocks:
        numbered = heading_title(block.text) if not block.level else None
        if block.level or numbered:
            sections.append((numbered or block.text, []))
        else:
            (sections[-1][1] if sections else preface).append(block.text)
    if preface:
        sections.insert(0, ("Introduction" if sections else title, preface))
    if not sections:
        raise InputError(f"{path} holds no text to narrate")
    return Essay(
        title=title,
        sections=tuple(Section(n, t, tuple(p)) for n, (t, p) in enumerate(sections, 1)),
        author=author,
        date=date,
    )
