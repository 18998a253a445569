"""ODT essays assembled in the test (a ZIP of XML, as LibreOffice writes it): headings, Title style, notes and tracked
changes; a report's title page, table of contents, tables, figures, code and bibliography left out and named."""

from __future__ import annotations

import zipfile

from books_util import assert_absent, assert_in_order, split
from inputs_util import assert_clean, build
from narrate import inputs

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
      'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"')

CONTENT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {NS} office:version="1.3">
<office:automatic-styles><style:style style:name="P1" style:family="paragraph" style:parent-style-name="Title"/></office:automatic-styles>
<office:body><office:text>
<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>Thea bohea</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:p text:style-name="P1">Why Tea Matters</text:p>
<text:p>Tea has been drunk for thousands<text:s/>of years.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Footnote aside here.</text:p></text:note-body></text:note></text:p>
<text:h text:outline-level="1">The Leaf</text:h>
<text:p>Every tea comes from <text:change text:change-id="c1"/>Camellia sinensis.<office:annotation><dc:creator>Ed</dc:creator><text:p>Reviewer aside</text:p></office:annotation></text:p>
<text:list><text:list-item><text:p>Green tea is steamed.</text:p></text:list-item></text:list>
<text:h text:outline-level="2">The Kettle</text:h>
<text:p>Soft water brings out the sweetness.</text:p>
</office:text></office:body></office:document-content>"""

META = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta {NS}><office:meta><dc:title>Property Title</dc:title><dc:creator>Ann Brewer</dc:creator></office:meta></office:document-meta>"""


def test_an_odt_becomes_a_book_chaptered_by_its_headings(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    with zipfile.ZipFile(tmp_path / "tea.odt", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")  # first and stored, as ODF requires
        z.writestr("content.xml", CONTENT, zipfile.ZIP_DEFLATED)
        z.writestr("meta.xml", META, zipfile.ZIP_DEFLATED)
    chapters, scripts, tags = build(tmp_path, "tea.odt")

    assert chapters == ["Why Tea Matters", "Introduction", "The Leaf", "The Kettle"]
    assert str(tags["TPE1"]) == "Ann Brewer"
    assert "thousands of years." in scripts["01-introduction.txt"]
    assert "Green tea is steamed." in scripts["02-the-leaf.txt"]
    assert_clean(scripts, ["Thea bohea", "Reviewer aside", "Footnote aside", "Property Title"])


STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {NS} xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3">
<office:font-face-decls><style:font-face style:name="Liberation Mono" style:font-pitch="fixed"/>
<style:font-face style:name="Liberation Serif" style:font-pitch="variable"/></office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph"><style:text-properties fo:font-size="12pt"/></style:default-style>
<style:style style:name="Standard" style:family="paragraph"><style:text-properties style:font-name="Liberation Serif" fo:font-size="12pt"/></style:style>
<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard"/>
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard"><style:text-properties fo:font-size="28pt" fo:font-weight="bold"/></style:style>
<style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Title"><style:text-properties fo:font-size="18pt"/></style:style>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Standard">
<style:paragraph-properties fo:break-before="page"/><style:text-properties fo:font-size="130%" fo:font-weight="bold"/></style:style>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Standard"/>
<style:style style:name="Caption" style:family="paragraph" style:parent-style-name="Standard"/>
<style:style style:name="Table" style:family="paragraph" style:parent-style-name="Caption"/>
<style:style style:name="Figure" style:family="paragraph" style:parent-style-name="Caption"/>
<style:style style:name="Bibliography_20_1" style:display-name="Bibliography 1" style:family="paragraph" style:parent-style-name="Standard"/>
<style:style style:name="Contents_20_Heading" style:display-name="Contents Heading" style:family="paragraph" style:parent-style-name="Standard"/>
<style:style style:name="Contents_20_1" style:display-name="Contents 1" style:family="paragraph" style:parent-style-name="Standard"/>
<style:style style:name="Preformatted_20_Text" style:display-name="Preformatted Text" style:family="paragraph" style:parent-style-name="Standard">
<style:text-properties style:font-name="Liberation Mono"/></style:style>
</office:styles></office:document-styles>"""

REPORT = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {NS} xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" office:version="1.3">
<office:automatic-styles>
<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Contents_20_Heading" style:master-page-name="Standard"/>
<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
</office:automatic-styles>
<office:body><office:text>
<text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>
<text:p text:style-name="Title">Why Tea Matters</text:p>
<text:p text:style-name="Subtitle">A short history of the leaf</text:p>
<text:p text:style-name="Standard">Copyright 2026 Gaslight Press. All rights reserved.</text:p>
<text:p text:style-name="P1">Table of Contents</text:p>
<text:table-of-content text:style-name="Sect1" text:protected="true" text:name="Table of Contents1">
<text:table-of-content-source text:outline-level="10"><text:index-title-template text:style-name="Contents_20_Heading">Table of Contents</text:index-title-template>
<text:table-of-content-entry-template text:outline-level="1" text:style-name="Contents_20_1"><text:index-entry-link-start/><text:index-entry-chapter/>
<text:index-entry-text/><text:index-entry-tab-stop style:type="right" style:leader-char="."/><text:index-entry-page-number/><text:index-entry-link-end/>
</text:table-of-content-entry-template></text:table-of-content-source>
<text:index-body>
<text:p text:style-name="Contents_20_1"><text:a xlink:type="simple" xlink:href="#__RefHeading___Toc1_1">1 The Leaf<text:tab/>3</text:a></text:p>
<text:p text:style-name="Contents_20_1"><text:a xlink:type="simple" xlink:href="#__RefHeading___Toc2_1">2 The Kettle<text:tab/>4</text:a></text:p>
</text:index-body></text:table-of-content>
<text:h text:style-name="Heading_20_1" text:outline-level="1"><text:bookmark-start text:name="__RefHeading___Toc1_1"/>The Leaf<text:bookmark-end text:name="__RefHeading___Toc1_1"/></text:h>
<text:p text:style-name="Text_20_body">Every tea comes from one plant.<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p text:style-name="Footnote">A footnote about Camellia sinensis.</text:p></text:note-body></text:note> The pickers know it well.</text:p>
<text:list text:style-name="Outline"><text:list-item><text:h text:style-name="Heading_20_2" text:outline-level="2">Picking</text:h>
<text:p text:style-name="Text_20_body">They climb the terraces at dawn.</text:p></text:list-item></text:list>
<text:p text:style-name="Table">Table <text:sequence text:ref-name="refTable0" text:name="Table" text:formula="ooow:Table+1" style:num-format="1">1</text:sequence>: Brewing temperatures</text:p>
<table:table table:name="Table1"><table:table-column table:number-columns-repeated="2"/>
<table:table-row><table:table-cell office:value-type="string"><text:p>Tea</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Temperature</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Green</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Eighty degrees</text:p></table:table-cell></table:table-row>
</table:table>
<text:p text:style-name="Text_20_body">Soft water brings out the sweetness.</text:p>
<text:p text:style-name="Preformatted_20_Text">kettle.boil(celsius=80)</text:p>
<text:p text:style-name="Figure"><draw:frame draw:name="Frame1" text:anchor-type="as-char" svg:width="6cm"><draw:text-box><text:p text:style-name="Figure"><draw:frame draw:name="Image1"><draw:image xlink:href="Pictures/kettle.png"/></draw:frame>Figure 1: A copper kettle</text:p></draw:text-box></draw:frame></text:p>
<text:p text:style-name="Text_20_body"><text:span text:style-name="T1">The Kettle</text:span></text:p>
<text:p text:style-name="Text_20_body">Fill it with fresh water, and wait.<office:annotation><dc:creator>Ed</dc:creator><text:p>Reviewer aside: check this</text:p></office:annotation></text:p>
<text:p text:style-name="Bibliography_20_1">[ZIP] PKWARE Inc. Zip APPNOTE.</text:p>
</office:text></office:body></office:document-content>"""


def _report(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", REPORT, zipfile.ZIP_DEFLATED)
        z.writestr("styles.xml", STYLES, zipfile.ZIP_DEFLATED)
        z.writestr("meta.xml", META, zipfile.ZIP_DEFLATED)


def test_an_odt_report_narrates_its_text_and_names_its_title_page_contents_tables_and_notes(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    _report(tmp_path / "report.odt")
    left_out, scripts = split(tmp_path, "report.odt")

    assert left_out == ("left out: 1 table of contents, 1 title or copyright page, 1 code block, 1 footnote, 1 reference, 1 figure, "
                        "1 table, 1 comment, 1 note mark")
    assert list(scripts) == ["00-opening.txt", "01-the-leaf.txt", "02-picking.txt", "03-the-kettle.txt"]
    text = "\n".join(scripts.values())
    assert_in_order(text, ["Why Tea Matters", "The Leaf", "Every tea comes from one plant. The pickers know it well.", "Picking",
                           "They climb the terraces at dawn.", "Soft water brings out the sweetness.", "The Kettle",
                           "Fill it with fresh water, and wait."])
    assert_absent(text, ["short history", "Gaslight", "All rights reserved", "Table of Contents", "Leaf three", "Kettle four",
                         "Camellia", "Brewing temperatures", "Temperature", "Eighty degrees", "celsius", "copper kettle",
                         "Reviewer aside", "PKWARE"])
    chapters, _, tags = build(tmp_path, "report.odt")
    assert chapters == ["Why Tea Matters", "The Leaf", "Picking", "The Kettle"]
    assert str(tags["TPE1"]) == "Ann Brewer"


def test_an_odt_footnote_asked_for_is_read_after_its_paragraph(tmp_path):
    _report(tmp_path / "report.odt")
    essay = inputs.read(tmp_path / "report.odt", frozenset({"footnotes", "tables"}))

    assert essay.sections[0].paragraphs == ("Every tea comes from one plant. The pickers know it well.", "A footnote about Camellia sinensis.")
    assert essay.sections[1].paragraphs[1] == "Table 1: Brewing temperatures\nTea, Temperature.\nGreen, Eighty degrees."
