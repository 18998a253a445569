"""EPUB books assembled in the test as the tools write them: an EPUB 3 with Standard Ebooks' semantics, an EPUB 2 with a guide and an NCX."""

from __future__ import annotations

import re
import zipfile

import pytest

from books_util import assert_absent, assert_in_order, split
from conftest import assert_clear_error, run_cli
from inputs_util import assert_clean, build
from narrate import inputs

CONTAINER = """<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="epub/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>"""
SE = ('xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
      'epub:prefix="z3998: http://www.daisy.org/z3998/2012/vocab/structure/, se: https://standardebooks.org/vocab/1.0"')


def _se(body_type: str, section: str, inner: str) -> str:
    """A content document as Standard Ebooks writes one (tabs and line breaks between the tags included)."""
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<html {SE} xml:lang="en-GB">\n\t<head>\n\t\t<title>x</title>\n'
            f'\t\t<link href="../css/core.css" rel="stylesheet" type="text/css"/>\n\t</head>\n'
            f'\t<body epub:type="{body_type}">\n\t\t<section id="s" epub:type="{section}">\n\t\t\t{inner}\n\t\t</section>\n\t</body>\n</html>\n')


NOTEREF = '<a href="endnotes.xhtml#note-{0}" id="noteref-{0}" epub:type="noteref">{0}</a>'
EPUB3 = {
    "text/titlepage.xhtml": _se("frontmatter", "titlepage", '<h1 epub:type="title">The Tea Book</h1>\n<p>By <b epub:type="z3998:author">Ann Brewer</b>.</p>'),
    "text/imprint.xhtml": _se("frontmatter", "imprint", '<header><h2 epub:type="title">Imprint</h2></header>\n'
                              '<p>This ebook is the product of volunteer labour at <a href="https://example.org/">Gaslight Press</a>.</p>'),
    "toc.xhtml": None,  # the navigation document, in the spine as many books have it
    "text/introduction.xhtml": _se(
        "frontmatter z3998:non-fiction", "introduction",
        '<h2 epub:type="title">Introduction</h2>\n'
        '<section id="introduction-1" epub:type="z3998:subchapter"><h3 epub:type="z3998:ordinal z3998:roman">I</h3>\n'
        f'<p>Tea came first to the harbour towns.{NOTEREF.format(1)} It stayed there for a generation.</p></section>\n'
        '<section id="introduction-2" epub:type="z3998:subchapter"><h3 epub:type="z3998:ordinal z3998:roman">II</h3>\n'
        '<p>Later it climbed into the hills, where the gardens are now.</p></section>'),
    "text/dedication.xhtml": _se("frontmatter z3998:non-fiction", "dedication", "<p>To my mother, who first poured it for me.</p>"),
    "text/epigraph.xhtml": _se(
        "frontmatter z3998:non-fiction", "epigraph",
        '<blockquote epub:type="z3998:verse">\n<p>\n<span>Drink deep the morning cup,</span>\n<br/>\n'
        '<span class="i1">And hold the evening one.</span>\n</p>\n<cite>Hannah Kettle</cite>\n</blockquote>'),
    "text/halftitlepage.xhtml": _se("frontmatter", "halftitlepage", '<h2 epub:type="fulltitle">The Tea Book</h2>'),
    "text/chapter-1.xhtml": _se(
        "bodymatter z3998:fiction", "chapter",
        '<hgroup>\n<h2 epub:type="z3998:ordinal z3998:roman">I</h2>\n<p epub:type="title">The Leaf</p>\n</hgroup>\n'
        f'<p>Every tea comes from one plant, grown on the wet slopes.{NOTEREF.format(2)}</p>\n'
        '<blockquote epub:type="z3998:poem">\n<p>\n<span>Green and gold the hillside lies</span>\n<br/>\n'
        '<span>Under rain that never dries.</span>\n</p>\n</blockquote>\n<p>So the pickers sing at dawn.</p>'),
    "text/chapter-2.xhtml": _se(
        "bodymatter z3998:fiction", "chapter",
        '<hgroup>\n<h2><span epub:type="label">Chapter</span> <span epub:type="ordinal z3998:roman">II</span></h2>\n'
        '<p epub:type="title">The Water</p>\n</hgroup>\n<p>Soft water brings out the sweetness of the leaf.</p>\n'
        '<figure><img alt="" src="../images/kettle.png"/><figcaption>A kettle on the stove.</figcaption></figure>\n'
        '<table><tbody><tr><td>Green</td><td>Eighty degrees</td></tr></tbody></table>\n<p>Pour, and wait a little.</p>'),
    "text/endnotes.xhtml": _se(
        "backmatter z3998:non-fiction", "endnotes",
        '<h2 epub:type="title">Endnotes</h2>\n<ol>\n'
        '<li id="note-1" epub:type="endnote"><p>Harbour records, volume seven. <a href="introduction.xhtml#noteref-1" epub:type="backlink">↩</a></p></li>\n'
        '<li id="note-2" epub:type="endnote"><p>The pickers almanac, page nine. <a href="chapter-1.xhtml#noteref-2" epub:type="backlink">↩</a></p></li>\n</ol>'),
    "text/colophon.xhtml": _se("backmatter", "colophon", '<header><h2 epub:type="title">Colophon</h2></header>\n'
                               "<p><i>The Tea Book</i><br/>\nwas set in Quillmark type<br/>\nby the Gaslight volunteers.</p>"),
    "text/uncopyright.xhtml": _se("backmatter", "copyright-page", '<h2 epub:type="title">Uncopyright</h2>\n<p>Share it freely with anyone anywhere.</p>'),
}
NAV = (f'<?xml version="1.0" encoding="utf-8"?>\n<html {SE}><head><title>Table of Contents</title></head><body epub:type="frontmatter">'
       '<nav id="toc" epub:type="toc"><h2 epub:type="title">Table of Contents</h2><ol>'
       '<li><a href="text/introduction.xhtml">Introduction</a></li><li><a href="text/dedication.xhtml">Dedication</a></li>'
       '<li><a href="text/epigraph.xhtml">Epigraph</a></li>'
       '<li><a href="text/chapter-1.xhtml"><span epub:type="z3998:roman">I</span>: The Leaf</a></li>'
       '<li><a href="text/chapter-2.xhtml"><span epub:type="z3998:roman">II</span>: The Water</a></li></ol></nav>'
       '<nav id="landmarks" epub:type="landmarks"><ol><li><a href="text/chapter-1.xhtml" epub:type="bodymatter">The Tea Book</a></li>'
       '<li><a href="text/endnotes.xhtml" epub:type="backmatter endnotes">Endnotes</a></li></ol></nav></body></html>')
MAIN3 = ["Introduction", "One", "Tea came first to the harbour towns. It stayed there for a generation.", "Two",
         "Later it climbed into the hills, where the gardens are now.", "Dedication", "To my mother, who first poured it for me.",
         "Epigraph", "Drink deep the morning cup", "And hold the evening one", "Hannah Kettle",
         "Chapter One: The Leaf", "Every tea comes from one plant, grown on the wet slopes.", "Green and gold the hillside lies",
         "Under rain that never dries", "So the pickers sing at dawn.", "Chapter Two: The Water",
         "Soft water brings out the sweetness of the leaf.", "Pour, and wait a little."]
LEFT3 = ["volunteer labour", "Gaslight", "Table of Contents", "Harbour records", "almanac", "Quillmark", "Share it freely",
         "kettle on the stove", "Eighty degrees", "Landmarks"]


def _epub3(path, docs=EPUB3, spine=None, drop=()):
    nav = ' properties="nav"'
    items = "".join(f'<item href="{name}" id="{name.rsplit("/", 1)[-1]}" media-type="application/xhtml+xml"'
                    f'{nav if name == "toc.xhtml" else ""}/>' for name in docs)
    refs = "".join(f'<itemref idref="{name.rsplit("/", 1)[-1]}"/>' for name in (spine or docs))
    opf = ('<?xml version="1.0" encoding="utf-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid">'
           '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="uid">x</dc:identifier><dc:title>The Tea Book</dc:title>'
           f'<dc:creator>Ann Brewer</dc:creator><dc:language>en-GB</dc:language></metadata><manifest>{items}</manifest>'
           f'<spine>{refs}</spine></package>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip")  # first and stored, as EPUB requires
        z.writestr("META-INF/container.xml", CONTAINER, zipfile.ZIP_DEFLATED)
        z.writestr("epub/content.opf", opf, zipfile.ZIP_DEFLATED)
        for name, page in docs.items():
            if name not in drop:
                z.writestr(f"epub/{name}", NAV if page is None else page, zipfile.ZIP_DEFLATED)


def test_an_se_epub3_narrates_its_introduction_dedication_epigraph_and_chapters_and_names_the_rest(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    _epub3(tmp_path / "tea.epub")
    left_out, scripts = split(tmp_path, "tea.epub")

    assert left_out == ("left out: 1 table of contents, 3 title and copyright pages, 2 colophon and licence pages, 2 endnotes, "
                        "1 figure, 1 table, 2 note marks")
    text = "\n".join(scripts.values())
    assert_in_order(text, MAIN3)
    assert_absent(text, LEFT3)
    assert_clean(scripts, ["↩", "Chapter I", "II:"])
    # The chapter's title is said once, naturally; the verse keeps its lines.
    chapter = scripts["04-chapter-one-the-leaf.txt"]
    assert chapter.startswith("Chapter One: The Leaf.\n\nEvery tea") and chapter.count("Leaf") == 1
    assert re.search(r"Green and gold the hillside lies,?\nUnder rain that never dries\.", chapter)
    assert re.search(r"Drink deep the morning cup,?\nAnd hold the evening one\.", scripts["03-epigraph.txt"])

    chapters, _, tags = build(tmp_path, "tea.epub")
    assert chapters == ["The Tea Book", "Introduction", "Dedication", "Epigraph", "Chapter One: The Leaf", "Chapter Two: The Water"]
    assert str(tags["TPE1"]) == "Ann Brewer"


def test_endnotes_asked_for_in_narrate_toml_are_read_and_no_longer_named(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    _epub3(tmp_path / "tea.epub")
    (tmp_path / "narrate.toml").write_text('[input]\nread = ["endnotes"]\n')
    left_out, scripts = split(tmp_path, "tea.epub")

    assert "endnotes" not in left_out and "2 note marks" in left_out
    assert_in_order(scripts["06-endnotes.txt"], ["Endnotes", "Harbour records, volume seven.", "The pickers almanac, page nine."])
    assert "↩" not in scripts["06-endnotes.txt"]


GUIDE2 = {"front.html": "title-page", "legal.html": "copyright-page", "p003.html": "toc", "p004.html": "preface",
          "p007.html": "notes", "cover.html": "cover"}
XHTML11 = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.1//EN" '
           '"http://www.w3.org/TR/xhtml11/DTD/xhtml11.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title>'
           '<link rel="stylesheet" href="style.css" type="text/css"/></head><body>{}</body></html>')
EPUB2 = {
    "cover.html": '<div class="cover"><img src="cover.jpg" alt="Cover"/></div>',
    "front.html": '<h1 class="title">Tea in Two Parts</h1><p class="author">by Ann&nbsp;Brewer</p>',
    "legal.html": "<p>Copyright &copy; Gaslight Press. All rights reserved.</p>",
    "p003.html": '<h2>Contents</h2><p><a href="p004.html">Preface</a></p><p><a href="p005.html">I. The Leaf</a></p>',
    "p004.html": "<h2>Preface</h2><p>I wrote this book in a cold caf\u00e9 kitchen&mdash;with the kettle on.</p>",
    "p005.html": ('<h2>I. The Leaf</h2><p>Every tea comes from one plant.<a href="#fn1" id="r1"><sup>1</sup></a> '
                  "The pickers know it well.</p><p>They climb at dawn.</p>"
                  '<div class="footnotes"><p id="fn1"><a href="#r1">1.</a> A footnote about Camellia sinensis.</p></div>'),
    "p006.html": ('<p class="first">Soft water brings out the sweetness.<a href="p007.html#en1" id="e1"><sup>2</sup></a></p>'
                  "<p>That is all there is to it.</p>"
                  '<section class="pg-boilerplate pgheader" id="pg-footer"><h2>The Full Project Gutenberg License</h2>'
                  "<p>Please read this before you distribute or use this work.</p></section>"),
    "p007.html": '<h1>Notes</h1><p id="en1"><a href="p006.html#e1">2</a> An endnote about the wells of Kent.</p>',
}
NCX = ('<?xml version="1.0" encoding="UTF-8"?>\n<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head/>'
       "<docTitle><text>Tea in Two Parts</text></docTitle><navMap>"
       '<navPoint id="n1" playOrder="1"><navLabel><text>Preface</text></navLabel><content src="p004.html"/></navPoint>'
       '<navPoint id="n2" playOrder="2"><navLabel><text>I. The Leaf</text></navLabel><content src="p005.html"/></navPoint>'
       '<navPoint id="n3" playOrder="3"><navLabel><text>The Water</text></navLabel><content src="p006.html#top"/></navPoint>'
       "</navMap></ncx>")


def _epub2(path):
    items = "".join(f'<item id="{n[:-5]}" href="{n}" media-type="application/xhtml+xml"/>' for n in EPUB2)
    refs = "".join(f'<itemref idref="{n[:-5]}"/>' for n in EPUB2)
    guide = "".join(f'<reference type="{t}" title="{t}" href="{n}"/>' for n, t in GUIDE2.items())
    opf = ('<?xml version="1.0" encoding="UTF-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="2.0" unique-identifier="id">'
           '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">'
           '<dc:title>Tea in Two Parts</dc:title><dc:creator opf:role="aut">Ann Brewer</dc:creator><dc:language>en</dc:language></metadata>'
           f'<manifest><item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>{items}</manifest>'
           f'<spine toc="ncx">{refs}</spine><guide>{guide}</guide></package>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/epub+zip")
        z.writestr("META-INF/container.xml", CONTAINER.replace("epub/content.opf", "OEBPS/content.opf"), zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/content.opf", opf, zipfile.ZIP_DEFLATED)
        z.writestr("OEBPS/toc.ncx", NCX, zipfile.ZIP_DEFLATED)
        for name, body in EPUB2.items():  # the preface in Latin-1, as its XML declaration says
            page = XHTML11.format(body)
            data = page.replace("UTF-8", "ISO-8859-1").encode("latin-1") if name == "p004.html" else page.encode()
            z.writestr(f"OEBPS/{name}", data, zipfile.ZIP_DEFLATED)


def test_an_epub2_is_read_by_its_guide_and_ncx_with_its_footnotes_and_endnotes_apart(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    _epub2(tmp_path / "tea.epub")
    left_out, scripts = split(tmp_path, "tea.epub")

    assert left_out == ("left out: 1 table of contents, 2 title and copyright pages, 1 colophon or licence page, 1 footnote, "
                        "1 endnote, 2 note marks")
    text = "\n".join(scripts.values())
    assert_in_order(text, ["Preface", "I wrote this book in a cold caf\u00e9 kitchen, with the kettle on.", "One: The Leaf",
                           "Every tea comes from one plant. The pickers know it well.", "They climb at dawn.",
                           "The Water", "Soft water brings out the sweetness.", "That is all there is to it."])
    assert_absent(text, ["Camellia", "wells of Kent", "Contents", "All rights reserved", "Copyright", "Notes", "Gutenberg", "distribute"])
    assert list(scripts) == ["00-opening.txt", "01-preface.txt", "02-one-the-leaf.txt", "03-the-water.txt"]
    assert "cold caf\u00e9 kitchen" in scripts["01-preface.txt"]  # decoded as its declaration says


def test_an_epub2_footnote_is_read_where_it_falls_when_asked_for(tmp_path):
    _epub2(tmp_path / "tea.epub")
    essay = inputs.read(tmp_path / "tea.epub", frozenset({"footnotes"}))

    assert essay.sections[1].paragraphs == ("Every tea comes from one plant. The pickers know it well.", "They climb at dawn.",
                                            "1. A footnote about Camellia sinensis.")
    assert [(p.kind, p.count) for p in essay.left_out] == [("toc", 1), ("front-matter", 2), ("back-matter", 1), ("endnotes", 1),
                                                           ("note-marks", 2)]


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [({"drop": ("text/chapter-2.xhtml",)}, r"tea\.epub is a broken EPUB file: it names epub/text/chapter-2\.xhtml, which it does not contain"),
     ({"spine": [*EPUB3, "ghost"]}, r"tea\.epub is a broken EPUB: its spine names 'ghost'")],
    ids=["missing-file", "missing-item"],
)
def test_an_epub_whose_spine_names_what_is_missing_is_one_line(tmp_path, monkeypatch, fake_engine, kwargs, pattern):
    monkeypatch.chdir(tmp_path)
    _epub3(tmp_path / "tea.epub", **kwargs)
    assert_clear_error(run_cli("-q", "build", "tea.epub", "--engine", "fake"), pattern)
    assert not (tmp_path / "script").exists() and fake_engine == []
