"""The inputs registry: built-in readers are entry points; unknown binary formats and PDF are refused in one line."""

from __future__ import annotations

import pytest

from conftest import assert_clear_error, run_cli
from narrate import inputs
from narrate.errors import InputError


def test_the_built_in_readers_are_registered_as_entry_points():
    entries = {e.name: e for e in inputs.READERS.entries()}
    assert {"text", "html", "docx", "odt", "epub"} <= set(entries)
    assert entries["docx"].target == "narrate.inputs.docx:DocxReader" and entries["docx"].package.startswith("narrate ")


def test_a_pdf_is_refused_with_what_to_do(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "essay.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
    assert_clear_error(run_cli("-q", "build", "essay.pdf", "--engine", "fake"),
                       r"essay\.pdf is a PDF, which narrate does not read .* export the essay as DOCX, ODT, HTML or text")
    assert not (tmp_path / "script").exists()


def test_an_unknown_binary_names_the_formats_there_are(tmp_path):
    (tmp_path / "x.bin").write_bytes(b"\x00\x01\x02garbage")
    with pytest.raises(InputError, match=r"x\.bin is a binary file, not text, in no format narrate reads \(.*docx.*epub.*\)"):
        inputs.read(tmp_path / "x.bin")
