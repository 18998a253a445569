"""DOCX essays written by python-docx (raw XML where it has no API): styles give title and chapters; tables of
contents, title pages, code, tables, notes and comments left out and named; headings typed bold; hostile files."""

from __future__ import annotations

import zipfile

import pytest

from conftest import assert_clear_error, run_cli
from books_util import assert_absent, assert_in_order, split
from inputs_util import assert_clean, build
from narrate import inputs

docx = pytest.importorskip("docx")
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.shared import Pt  # noqa: E402

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _essay(path):
    doc = docx.Document()
    doc.core_properties.author = "Ann Brewer"
    doc.core_properties.title = "Ignored When The Title Style Is Used"
    doc.add_paragraph("Why Tea Matters", style="Title")
    doc.add_paragraph("Tea has been drunk for thousands of years across the whole world.")
    doc.add_heading("The Leaf", level=1)
    p = doc.add_paragraph("Every tea comes from one plant, ")
    # A tracked change: the insertion is read, the deletion is not.
    p._p.append(parse_xml(f'<w:ins {W} w:id="1" w:author="Ed" w:date="2026-01-01T00:00:00Z"><w:r><w:t>Camellia sinensis</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {W} w:id="2" w:author="Ed" w:date="2026-01-01T00:00:00Z"><w:r><w:delText>Thea bohea</w:delText></w:r></w:del>'))
    p.add_run(".")
    commented = doc.add_paragraph("Green tea is steamed, and black tea is oxidized.")
    if hasattr(doc, "add_comment"):  # python-docx >= 1.2
        doc.add_comment(commented.runs, text="Reviewer aside: check this", author="Ed")
    doc.add_heading("The Kettle", level=2)
    doc.add_paragraph("Soft water brings out the sweetness of the leaf.")
    doc.add_paragraph("3. Coda")  # a numbered heading in Normal style, as in a text essay
    doc.add_paragraph("That is all there is to it.")
    doc.save(path)


def test_a_docx_becomes_a_book_chaptered_by_its_headings(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    _essay(tmp_path / "tea.docx")
    chapters, scripts, tags = build(tmp_path, "tea.docx")

    assert chapters == ["Why Tea Matters", "Introduction", "The Leaf", "The Kettle", "Coda"]
    assert str(tags["TPE1"]) == "Ann Brewer"
    assert "Every tea comes from one plant, Camellia sinensis." in scripts["02-the-leaf.txt"]
    assert_clean(scripts, ["Thea bohea", "Reviewer aside", "Ignored When"])


def test_a_docx_sniffed_by_content_not_extension(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    _essay(tmp_path / "tea.bin")
    chapters, _, _ = build(tmp_path, "tea.bin")
    assert chapters[2:] == ["The Leaf", "The Kettle", "Coda"]


TOC_SDT = (
    f'<w:sdt {W}><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj></w:sdtPr>'
    '<w:sdtContent><w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t>Contents</w:t></w:r></w:p>'
    '<w:p><w:pPr><w:pStyle w:val="toc1"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:hyperlink w:anchor="_Toc1" w:history="1"><w:r><w:t>The Leaf</w:t></w:r><w:r><w:tab/></w:r>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \\h </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink></w:p>'
    '<w:p><w:pPr><w:pStyle w:val="toc1"/></w:pPr><w:hyperlink w:anchor="_Toc2" w:history="1"><w:r><w:t>The Water</w:t></w:r>'
    '<w:r><w:tab/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGEREF _Toc2 \\h </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink></w:p>'
    '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:sdtContent></w:sdt>'
)
FOOTNOTES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {W}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/>'
    '</w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> A footnote about Camellia sinensis.</w:t></w:r></w:p></w:footnote></w:footnotes>'
)


def _insert(doc, xml):
    """Raw XML in the body where the next paragraph would go (before the section properties)."""
    anchor = doc.add_paragraph()
    anchor._p.addprevious(parse_xml(xml))
    anchor._p.getparent().remove(anchor._p)


def _add_footnotes(path):
    """The footnotes part, with its relationship and content type, as Word stores it (python-docx has no API for it)."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/footnotes.xml"] = FOOTNOTES.encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(b"</Types>", (
        b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
        b'footnotes+xml"/></Types>'))
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(b"</Relationships>", (
        b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" '
        b'Target="footnotes.xml"/></Relationships>'))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _report(path):
    """A report with a title page, a table of contents, a footnote, a comment, code and a table."""
    doc = docx.Document()
    doc.core_properties.author = "Ann Brewer"
    doc.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    doc.add_paragraph("Why Tea Matters", style="Title")
    doc.add_paragraph("A short history of the leaf", style="Subtitle")
    doc.add_paragraph("Copyright 2026 Gaslight Press. All rights reserved.")
    doc.add_page_break()
    _insert(doc, TOC_SDT)
    doc.add_page_break()
    doc.add_heading("The Leaf", level=1)
    p = doc.add_paragraph("Every tea comes from one plant.")
    p._p.append(parse_xml(f'<w:r {W}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'))
    p.add_run(" The pickers know it well.")
    commented = doc.add_paragraph("Green tea is steamed, and black tea is oxidized.")
    doc.add_comment(commented.runs, text="Reviewer aside: check this", author="Ed")
    for line in ("kettle = Kettle()", "kettle.boil(celsius=80)"):
        doc.add_paragraph().add_run(line).font.name = "Courier New"
    doc.add_heading("The Water", level=1)
    table = doc.add_table(rows=3, cols=2)
    for row, cells in zip(table.rows, [("Tea", "Temperature"), ("Green", "Eighty degrees"), ("Black", "Boiling")]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    doc.add_paragraph("Soft water brings out the sweetness of the leaf.")
    page = doc.add_paragraph("- ")  # a page number typed into the body as a field
    page._p.append(parse_xml(f'<w:fldSimple {W} w:instr=" PAGE "><w:r><w:t>4</w:t></w:r></w:fldSimple>'))
    page.add_run(" -")
    doc.save(path)
    _add_footnotes(path)


def test_a_docx_report_narrates_its_text_and_names_the_title_page_contents_notes_code_and_table(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    _report(tmp_path / "report.docx")
    left_out, scripts = split(tmp_path, "report.docx")

    assert left_out == ("left out: 1 table of contents, 1 title or copyright page, 1 code block, 1 footnote, 1 table, 1 comment, "
                        "1 page number, 1 note mark")
    text = "\n".join(scripts.values())
    assert_in_order(text, ["Why Tea Matters", "The Leaf", "Every tea comes from one plant. The pickers know it well.",
                           "Green tea is steamed, and black tea is oxidized.", "The Water", "Soft water brings out the sweetness of the leaf."])
    assert_absent(text, ["short history", "Gaslight", "All rights reserved", "Contents", "Leaf two", "Water three", "Camellia",
                         "Reviewer aside", "Kettle", "boil", "Temperature", "Eighty degrees", "Boiling", "four"])
    assert list(scripts) == ["00-opening.txt", "01-the-leaf.txt", "02-the-water.txt"]
    assert scripts["02-the-water.txt"] == "The Water.\n\nSoft water brings out the sweetness of the leaf.\n"  # no "- -" left


def test_a_docx_footnote_and_comment_asked_for_are_read_after_their_paragraph(tmp_path):
    _report(tmp_path / "report.docx")
    essay = inputs.read(tmp_path / "report.docx", frozenset({"footnotes", "comments"}))

    assert essay.sections[0].paragraphs[:4] == (
        "Every tea comes from one plant. The pickers know it well.", "A footnote about Camellia sinensis.",
        "Green tea is steamed, and black tea is oxidized.", "Reviewer aside: check this")


def _manual(path):
    """A manual typed without heading styles: bold and large lines as headings, a TOC field without styles."""
    doc = docx.Document()
    doc.core_properties.title = "A Tea Manual"
    toc = doc.add_paragraph()
    toc._p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>'))
    toc._p.append(parse_xml(f'<w:r {W}><w:instrText xml:space="preserve"> TOC \\o "1-3" </w:instrText></w:r>'))
    toc._p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>'))
    toc.add_run("The Kettle\t2")
    doc.add_paragraph("Requirements\t3")
    doc.add_paragraph()._p.append(parse_xml(f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>'))
    doc.add_paragraph("Tea is simple to make at home.")
    doc.add_paragraph().add_run("The Kettle").bold = True
    doc.add_paragraph("Fill it with fresh cold water.")
    doc.add_paragraph(style="List Bullet").add_run("Descale it monthly").bold = True
    doc.add_paragraph().add_run("Note: mind the steam.").bold = True
    glued = doc.add_paragraph("The logo was drawn by Joe Nicora.")
    glued.add_run().add_break(docx.enum.text.WD_BREAK.PAGE)
    glued.add_run("Requirements").font.size = Pt(20)  # a heading typed large after a page break, in the same paragraph
    doc.add_paragraph("You need a cup and a kettle.")
    doc.add_paragraph("Spare lids are sold at https://www.example.com/shop/kettles?id=42 and nowhere else.")
    doc.save(path)


def test_a_docx_typed_without_heading_styles_takes_its_bold_and_large_lines_as_headings_and_web_addresses_as_sites(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    _manual(tmp_path / "manual.docx")
    left_out, scripts = split(tmp_path, "manual.docx")

    assert left_out == "left out: 1 table of contents, 1 link address"
    assert list(scripts) == ["00-opening.txt", "01-introduction.txt", "02-the-kettle.txt", "03-requirements.txt"]
    assert scripts["02-the-kettle.txt"].rstrip().endswith("Note: mind the steam.\n\nThe logo was drawn by Joe Nicora.")
    # A web address typed in the text is said as its site, not its path.
    assert scripts["03-requirements.txt"] == ("Requirements.\n\nYou need a cup and a kettle.\n\n"
                                              "Spare lids are sold at example dot com and nowhere else.\n")
    assert "Descale it monthly" in scripts["02-the-kettle.txt"]
    assert_absent("\n".join(scripts.values()), ["Kettle two", "Requirements three"])


def _truncated(d):
    _essay(d / "t.docx")
    data = (d / "t.docx").read_bytes()
    (d / "t.docx").write_bytes(data[: len(data) // 2])
    return "t.docx"


def _bomb(d):
    with zipfile.ZipFile(d / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (20 * 1024 * 1024))
    return "bomb.docx"


def _no_document(d):
    with zipfile.ZipFile(d / "x.docx", "w") as z:
        z.writestr("word/other.xml", "<a/>")
    return "x.docx"


def _entities(d):
    with zipfile.ZipFile(d / "e.docx", "w") as z:
        z.writestr("word/document.xml", '<!DOCTYPE a [<!ENTITY x "lol">]><a>&x;&x;</a>')
    return "e.docx"


@pytest.mark.parametrize(
    ("make", "pattern"),
    [(_truncated, r"t\.docx is a broken DOCX file"), (_bomb, r"bomb\.docx would expand .* archive bomb"),
     (_no_document, r"x\.docx is a ZIP but not a Word document"), (_entities, r"e\.docx is a broken DOCX file \(document\.xml")],
    ids=["truncated", "zip-bomb", "not-word", "xml-entities"],
)
def test_a_hostile_docx_is_one_line_and_nothing_is_written(tmp_path, monkeypatch, fake_engine, make, pattern):
    monkeypatch.chdir(tmp_path)
    name = make(tmp_path)
    assert_clear_error(run_cli("-q", "build", name, "--engine", "fake"), pattern)
    assert not (tmp_path / "script").exists() and not (tmp_path / "audio").exists() and fake_engine == []


def test_an_edited_docx_resynthesizes_only_the_section_that_changed(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    _essay(tmp_path / "tea.docx")
    build(tmp_path, "tea.docx")
    before = {p.name: p.read_bytes() for p in (tmp_path / "script").glob("*.txt")}
    doc = docx.Document(tmp_path / "tea.docx")
    doc.add_paragraph("A new closing line was added.")
    doc.save(tmp_path / "tea.docx")
    fake_engine.clear()
    _, scripts, _ = build(tmp_path, "tea.docx")

    changed = [name for name, text in scripts.items() if text.encode() != before.get(name)]
    assert changed == ["04-coda.txt"] and "A new closing line was added." in scripts["04-coda.txt"]
    assert fake_engine == ["A new closing line was added."]
