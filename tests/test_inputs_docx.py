"""DOCX essays written by python-docx: styles give title and chapters; tracked changes accepted; hostile files."""

from __future__ import annotations

import zipfile

import pytest

from conftest import assert_clear_error, run_cli
from inputs_util import assert_clean, build

docx = pytest.importorskip("docx")
from docx.oxml import parse_xml  # noqa: E402

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
