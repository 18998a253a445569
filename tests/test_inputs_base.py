"""The document model every reader returns: main text and left-out parts by kind, and how a build says what it left out."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from narrate import inputs
from narrate.config import Pauses, parse_config
from narrate.errors import ConfigError
from narrate.inputs.base import Block, Document, Reader
from narrate.script import units
from narrate.split import LeftOut, describe_left_out

NOTES = " ".join(["word"] * 1050)  # seven minutes at a narrator's 150 words a minute
DOC = Document(
    "A Book",
    (
        Block(1, "Contents", "toc"),
        Block(0, "One. Two. Three.", "toc"),
        Block(2, "The Chapter"),
        Block(0, "The first words of the chapter."),
        Block(0, "fn main() {}", "code"),
        Block(0, "Of the air,\nAnd the sea"),
        Block(0, "let x = 1;", "code"),
        Block(2, "Endnotes", "endnotes"),
        Block(0, NOTES, "endnotes"),
    ),
    author="A. Writer",
    marks=(("citations", 3),),
)


def test_left_out_parts_are_counted_by_kind_in_a_fixed_order_and_none_of_their_words_are_kept():
    essay = DOC.essay(Path("book.epub"))
    assert [s.title for s in essay.sections] == ["The Chapter"]
    assert essay.sections[0].paragraphs == ("The first words of the chapter.", "Of the air,\nAnd the sea")
    assert essay.left_out == (
        LeftOut("toc", 1, 4), LeftOut("code", 2, 7), LeftOut("endnotes", 1, 1051), LeftOut("citations", 3, 0),
    )
    assert describe_left_out(essay.left_out) == "1 table of contents, 2 code blocks, 1 endnote (7 min), 3 citation marks"


def test_a_kind_asked_for_is_read_where_it_falls():
    essay = DOC.essay(Path("book.epub"), frozenset({"code", "endnotes"}))
    assert [s.title for s in essay.sections] == ["The Chapter", "Endnotes"]
    assert essay.sections[0].paragraphs[1] == "fn main() {}"
    assert [p.kind for p in essay.left_out] == ["toc", "citations"]


def test_verse_lines_are_spoken_as_lines_and_hard_wrapped_prose_joins():
    script = "Title.\n\nOf the air,\nAnd the sea;\nthat wraps here.\n\nNext."
    assert [u.text for u in units(script, Pauses())] == ["Title.", "Of the air", "And the sea; that wraps here.", "Next."]


@pytest.mark.parametrize(
    ("value", "message"),
    [('["code", "poems"]', "'poems', which is no kind"), ('"code"', "must be a list of kinds"), ('["citations"]', "'citations'")],
)
def test_input_read_names_only_kinds_that_can_be_read(value, message):
    with pytest.raises(ConfigError, match=message):
        parse_config(f"[input]\nread = {value}\n")
    assert parse_config('[input]\nread = ["footnotes", "code"]\n').read == ("code", "footnotes")


class _Notes(Reader):
    """A reader of `.notes` files: each line is a paragraph, lines starting `>` are code."""

    name = "notes"

    def sniff(self, path, head):
        return path.suffix == ".notes"

    def read(self, path):
        lines = path.read_text().splitlines()
        return Document(lines[0], tuple(Block(0, x[1:], "code") if x.startswith(">") else Block(0, x) for x in lines[1:]))


@pytest.fixture
def notes_reader(monkeypatch):
    monkeypatch.setitem(inputs.READERS, "notes", _Notes)


def test_split_and_build_say_what_was_left_out_and_a_setting_brings_it_back(tmp_path, monkeypatch, fake_engine, notes_reader):
    monkeypatch.chdir(tmp_path)
    Path("e.notes").write_text("Notes\nFirst words here.\n>print(1)\n>print(2)\nLast words here.\n")
    result = run_cli("split", "e.notes")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1].startswith("left out: 2 code blocks")
    assert "print" not in "".join(p.read_text() for p in Path("script").glob("*.txt"))
    result = run_cli("build", "--engine", "fake", "--json")
    assert json.loads(result.stdout)["left_out"] == [{"kind": "code", "count": 2, "words": 2}]
    Path("narrate.toml").write_text('[book]\nessay = "e.notes"\n\n[input]\nread = ["code"]\n')
    result = run_cli("build", "--engine", "fake", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["left_out"] == []
    assert "print(one)" in "".join(p.read_text() for p in Path("script").glob("*.txt"))
