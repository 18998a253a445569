"""What every page narrate writes shares: one head (assets/head.html) and one stylesheet (assets/page.css).

The book's listening page, the studio, the catalog page and the voices page all wear page.css (its colours
measured for contrast: see README), each adding a few rules of its own. Pages opened from `file://` inline it.
"""

from __future__ import annotations

import functools
import html
from importlib import resources

STYLESHEET = "page.css"


@functools.cache
def asset(name: str) -> str:
    """A template, style or script from the package's assets/."""
    return resources.files("narrate").joinpath("assets").joinpath(name).read_text(encoding="utf-8")


def head(lang: str, title: str, links: str, generator: str = "narrate") -> str:
    """The document's start, through </head>: `links` (stylesheets, scripts, each line ending in a newline) go last.

    `lang`, `title` and `generator` are escaped here; `links` is HTML as it is.
    """
    e = functools.partial(html.escape, quote=True)
    return asset("head.html").format(lang=e(lang), title=e(title), generator=e(generator), links=links)


def inline_style(extra: str = "") -> str:
    """A <style> element holding the shared stylesheet, then a page's own `extra` rules."""
    return f"<style>{asset(STYLESHEET)}{extra}</style>\n"
