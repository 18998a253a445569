"""An EPUB content document's headings as a narrator says them, and which links are note marks."""

from __future__ import annotations

import pytest

from narrate.inputs.xhtml import Chapter, find_notes, parse

E = 'xmlns:epub="http://www.idpf.org/2007/ops"'


def _heading(markup: str, section: str = "chapter", english: bool = True) -> str:
    root = parse(f'<html {E}><body><section epub:type="{section}">{markup}<p>Text.</p></section></body></html>'.encode())
    return [b.text for b in Chapter(root, "", {}, english).blocks if b.level][0]


@pytest.mark.parametrize(
    ("markup", "section", "english", "said"),
    [('<h2><span epub:type="label">Chapter</span> <span epub:type="ordinal z3998:roman">XIV</span></h2>', "chapter", True, "Chapter Fourteen"),
     ('<h2 epub:type="ordinal z3998:roman">II</h2>', "chapter", True, "Chapter Two"),
     ('<hgroup><h2 epub:type="ordinal">21</h2><p epub:type="title">The Return</p><p epub:type="subtitle">A Tale</p></hgroup>',
      "part", True, "Part Twenty-One: The Return: A Tale"),
     ('<h2 epub:type="ordinal z3998:roman">III</h2>', "z3998:subchapter", True, "Three"),
     ("<h2>IV. The Kettle</h2>", "", True, "Four: The Kettle"),
     ("<h2>V. S. Naipaul</h2>", "", True, "V. S. Naipaul"),
     ('<h2>Book <span epub:type="z3998:roman">IV</span></h2>', "", True, "Book IV"),
     ('<h2><span epub:type="label">Chapitre</span> <span epub:type="ordinal z3998:roman">II</span></h2>', "chapter", False, "Chapitre II"),
     ('<h2>The Leaf<a href="#n1" epub:type="noteref">1</a></h2>', "chapter", True, "The Leaf")],
    ids=["label-and-roman", "roman-only-in-a-chapter", "part-title-subtitle", "roman-in-a-subchapter", "numbered-title",
         "initials-not-a-numeral", "roman-left-to-the-narrator", "french-as-written", "note-mark-dropped"],
)
def test_a_heading_is_said_naturally(markup, section, english, said):
    assert _heading(markup, section, english) == said


def test_a_link_back_from_a_note_is_not_a_note_mark_and_the_note_lies_after_its_mark():
    chapter = parse(f'<html {E}><body><p id="r1">Text.<a href="notes.xhtml#n1"><sup>1</sup></a></p></body></html>'.encode())
    notes = parse(f'<html {E}><body><p id="n1"><a href="chapter.xhtml#r1"><sup>1</sup></a> The note.</p></body></html>'.encode())
    found = find_notes([("chapter.xhtml", chapter), ("notes.xhtml", notes)], lambda name, href: tuple(href.split("#")))

    assert list(found) == ["notes.xhtml"]
    note = next(notes.iter("p"))
    assert found["notes.xhtml"] == {id(note): "endnotes"}
    blocks = Chapter(chapter, "", found.get("chapter.xhtml", {})).blocks
    assert [b.text for b in blocks] == ["Text."]
