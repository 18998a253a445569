"""Essays given as a URL: the page is fetched once and kept beside the scripts, as essay/<slug>.html."""

from __future__ import annotations

import codecs
import logging
import socket
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from narrate import __version__, fsutil
from narrate.errors import InputError
from narrate.inputs.html import MAX_HTML
from narrate.split import slugify

log = logging.getLogger(__name__)

TIMEOUT = 20.0  # seconds without an answer before giving up


def is_url(text: str) -> bool:
    """Whether the essay argument is a web address rather than a file."""
    return urlsplit(text).scheme in ("http", "https") and bool(urlsplit(text).netloc)


def page_path(url: str, folder: Path) -> Path:
    """Where the page of `url` is kept: folder/<slug of host and path>.html."""
    parts = urlsplit(url)
    return Path(folder) / f"{slugify(parts.netloc + ' ' + parts.path, limit=80)}.html"


def fetch(url: str, folder: Path, timeout: float | None = None, limit: int = MAX_HTML) -> Path:
    """Download the page at `url` into `folder` (atomically), for the HTML reader.

    Args:
        url: an http or https address.
        folder: where the page is kept (the project's essay/ folder).
        timeout: seconds to wait for the server at each step (TIMEOUT when None).
        limit: the most bytes a page may have.

    Returns:
        The saved page's path.

    Raises:
        InputError: the server cannot be reached, does not answer in time, answers with an
            error, or sends more than `limit` bytes. Nothing is written then.
    """
    timeout = TIMEOUT if timeout is None else timeout
    request = urllib.request.Request(url, headers={"User-Agent": f"narrate/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(limit + 1)
            content_type = response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        raise InputError(f"{url} answered {exc.code} {exc.reason}; check the address, or save the page and build from the file") from exc
    except (socket.timeout, TimeoutError) as exc:
        raise InputError(f"{url} did not answer within {timeout:g} s; try again later, or save the page and build from the file") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise InputError(f"{url} did not answer within {timeout:g} s; try again later, or save the page and build from the file") from exc
        raise InputError(f"cannot fetch {url} ({reason}); check the address and the connection, or save the page and build from the file") from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot fetch {url} ({exc}); check the address, or save the page and build from the file") from exc
    if len(data) > limit:
        raise InputError(f"{url} sent more than {limit // (1024 * 1024)} MB, more than any essay's page; save only the article and build from the file")
    path = page_path(url, folder)
    fsutil.write_bytes(path, _as_served(data, content_type))
    log.info("fetched %s into %s", url, path)
    return path


def _as_served(data: bytes, content_type: str) -> bytes:
    """The page as kept: when the server named its charset, re-encoded to UTF-8 behind a byte order mark.

    The header's charset outranks what the page says of itself, and is lost once the page is a file;
    a byte order mark outranks both (WHATWG encoding sniffing), so the kept copy reads as served.
    """
    try:
        from w3lib.encoding import http_content_type_encoding, read_bom, to_unicode
    except ImportError:  # without the html extra, the reader names what to install
        return data
    encoding = http_content_type_encoding(content_type)
    if not encoding or read_bom(data)[0]:
        return data
    return codecs.BOM_UTF8 + to_unicode(data, encoding).encode("utf-8")


def locate(essay: str, root: Path) -> Path:
    """The essay argument as a file: a URL is fetched into root/essay/ (the kept copy serves when offline).

    Raises:
        InputError: a URL that cannot be fetched and has no kept copy.
    """
    if not is_url(essay):
        return Path(essay)
    kept = page_path(essay, Path(root) / "essay")
    try:
        return fetch(essay, kept.parent)
    except InputError as exc:
        if not kept.is_file():
            raise
        log.warning("%s; using the copy fetched before, %s", exc, kept)
        return kept
