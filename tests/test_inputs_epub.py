"""EPUB books assembled in the test: spine order, titles from the navigation document, front matter skipped."""

from __future__ import annotations

import zipfile

import pytest

from conftest import assert_clear_error, run_cli
from inputs_util import assert_clean, build

CONTAINER = """<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"""


def _page(body: str, kind: str = "") -> str:
    attr = f' epub:type="{kind}"' if kind else ""
    return (f'<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
            f"<head><title>x</title><meta charset=\"utf-8\"/><style>p{{margin:0}}</style></head><body{attr}>{body}</body></html>")


# File names sort a-b-c, the spine reads c, a, b: the book must follow the spine.
CHAPTERS = {
    "c-leaf.xhtml": _page("<h1>Chapter One</h1><p>Every tea comes from one plant&#160;only.<a epub:type=\"noteref\" href=\"#n1\">1</a></p>"
                          "<aside epub:type=\"footnote\" id=\"n1\"><p>Footnote aside.</p></aside>"),
    "a-water.xhtml": _page("<h1>Water</h1><p>Soft water brings out the sweetness.</p><ul><li>Boil it</li></ul>"),
    "b-cup.xhtml": _page("<h2>The Cup</h2><p>A warm cup is the end of it.</p>"),
}
FRONT = {
    "cover.xhtml": _page("<p>Cover image here</p>", "cover"),
    "legal.xhtml": _page("<p>Copyright notice, all rights reserved.</p>", "copyright-page"),
    "nav.xhtml": _page('<nav epub:type="toc"><ol><li><a href="c-leaf.xhtml">The Leaf</a></li>'
                       '<li><a href="a-water.xhtml">The Water</a></li></ol></nav>'),
}


def _epub(path, spine=("cover", "legal", "nav", "c-leaf", "a-water", "b-cup"), drop=()):
    nav = ' properties="nav"'
    items = "".join(
        f'<item id="{name[:-6]}" href="{name}" media-type="application/xhtml+xml"{nav if name == "nav.xhtml" else ""}/>'
        for name in [*FRONT, *CHAPTERS]
    )
    refs = "".join(f'<itemref idref="{i}"/>' for i in spine)
    opf = (f'<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
           f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>A Book of Tea</dc:title>'
           f"<dc:creator>Ann Brewer</dc:creator></metadata><manifest>{items}</manifest><spine>{refs}</spine></package>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", CONTAINER, zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/content.opf", opf, zipfile.ZIP_DEFLATED)
        for name, page in {**FRONT, **CHAPTERS}.items():
            if name not in drop:
                z.writestr(f"OEBPS/{name}", page, zipfile.ZIP_DEFLATED)


def test_an_epub_reads_its_chapters_in_spine_order(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    _epub(tmp_path / "tea.epub")
    chapters, scripts, tags = build(tmp_path, "tea.epub")

    # Titles from the navigation document; a chapter it does not list keeps its heading.
    assert chapters == ["A Book of Tea", "The Leaf", "The Water", "The Cup"]
    assert str(tags["TPE1"]) == "Ann Brewer"
    assert "one plant only." in scripts["01-the-leaf.txt"] and "Boil it." in scripts["02-the-water.txt"]
    assert_clean(scripts, ["Cover image", "Copyright", "Footnote aside", "Chapter One", "margin"])


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [({"drop": ("b-cup.xhtml",)}, r"tea\.epub is a broken EPUB file: it names OEBPS/b-cup\.xhtml, which it does not contain"),
     ({"spine": ("c-leaf", "ghost")}, r"tea\.epub is a broken EPUB: its spine names 'ghost'")],
    ids=["missing-file", "missing-item"],
)
def test_an_epub_whose_spine_names_what_is_missing_is_one_line(tmp_path, monkeypatch, fake_engine, kwargs, pattern):
    monkeypatch.chdir(tmp_path)
    _epub(tmp_path / "tea.epub", **kwargs)
    assert_clear_error(run_cli("-q", "build", "tea.epub", "--engine", "fake"), pattern)
    assert not (tmp_path / "script").exists() and fake_engine == []
