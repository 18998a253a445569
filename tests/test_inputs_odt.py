"""ODT essays assembled in the test (a ZIP of XML): headings, Title style, notes and tracked changes."""

from __future__ import annotations

import zipfile

from inputs_util import assert_clean, build

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
