"""Essays in any format: the inputs registry and `read`, which picks a reader by content.

Readers are registered under the `narrate.inputs` entry-point group (narrate's own ones in
its pyproject.toml); each is a `Reader` whose `sniff` looks at the file's first bytes.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import NoReturn

from narrate import plugins
from narrate.errors import InputError, PluginError
from narrate.inputs.base import Document, Reader
from narrate.text.split import Essay, read_essay_text

log = logging.getLogger(__name__)

READERS = plugins.registry("inputs")
_HEAD = 4096


def _readers() -> list[Reader]:
    """The registered readers, the plain-text one (which takes anything textual) last."""
    found = []
    for name in READERS:
        reader = READERS[name]
        reader = reader() if isinstance(reader, type) else reader
        if not isinstance(reader, Reader):
            raise PluginError(f"the input plug-in '{name}' is a {type(reader).__name__}, not a narrate Reader; update its package")
        found.append(reader)
    return sorted(found, key=lambda r: r.name == "text")


def read(path: Path, narrate: frozenset[str] = frozenset()) -> Essay:
    """Read an essay in whichever registered format its content shows.

    Args:
        path: the essay file (text, Markdown, HTML, DOCX, ODT, EPUB, or a plug-in's format).
        narrate: the kinds of left-out parts to read where they fall all the same (`READABLE`: "code", "footnotes"...).

    Returns:
        The Essay: title, author and the like when the file says them, sections in order, and what was left out.

    Raises:
        InputError: the file is missing, of no known format, or cannot be read as its format.
    """
    path = Path(path)
    if not path.is_file():
        _not_a_file(path)
    found = _reader(path).read(path)
    return found.essay(path, narrate) if isinstance(found, Document) else found


def fingerprint(path: Path) -> str:
    """What identifies the essay's content, for telling whether it changed since the scripts were made.

    Raises:
        InputError: as `read`.
    """
    path = Path(path)
    if not path.is_file():
        _not_a_file(path)
    return _reader(path).fingerprint(path)


def _not_a_file(path: Path) -> NoReturn:
    """Refuse what is not a regular file, in one line: missing, a folder, or a pipe or device (read once, not twice)."""
    if not path.exists() or path.is_dir():
        read_essay_text(path)  # its one-line error for a missing path or a folder
    raise InputError(f"{path} is not a regular file (a pipe or a device?); save the essay to a file and give its path")


def _reader(path: Path) -> Reader:
    """The reader whose format the file's first bytes show."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror}") from exc
    if head.startswith(b"%PDF"):
        raise InputError(
            f"{path} is a PDF, which narrate does not read (its reading order and headings cannot be "
            "recovered reliably); export the essay as DOCX, ODT, HTML or text and build that"
        )
    readers = _readers()
    for reader in readers:
        if reader.sniff(path, head):
            log.debug("reading %s as %s", path, reader.name)
            return reader
    names = ", ".join(r.name for r in readers)
    raise InputError(f"{path} is a binary file, not text, in no format narrate reads ({names}); save it as one of those")
