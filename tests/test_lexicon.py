"""lexicon.py: whole-word respelling with its case rule; a lexicon change re-synthesizes only its sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from narrate import build as pipeline
from narrate.config import Pauses
from narrate.text.lexicon import respell
from narrate.text.script import units
from conftest import example_sentences

REPO_TOML = Path(__file__).resolve().parent.parent / "narrate.toml"

RESPELL = [
    # (lexicon, text, spoken)
    pytest.param((("Mia", "Mee-ah"),), "Mia smiled.", "Mee-ah smiled.", id="exact-key"),
    pytest.param((("Mia", "Mee-ah"),), "MIA and mia", "MIA and mia", id="capitalised-key-matches-only-its-case"),
    pytest.param((("mia", "mee-ah"),), "Mia, MIA and mia", "Mee-ah, Mee-ah and mee-ah", id="lower-key-matches-any-case"),
    pytest.param((("mia", "Mee-ah"),), "mia", "Mee-ah", id="spoken-form-kept-as-written"),
    pytest.param((("Mia", "Mee-ah"),), "Miami and Amia", "Miami and Amia", id="whole-words-only"),
    pytest.param((("Mia", "Mee-ah"),), "Mia's song (Mia)", "Mee-ah's song (Mee-ah)", id="possessive-and-brackets"),
    pytest.param((("Mia", "Mee-ah"),), "Mia-like", "Mee-ah-like", id="hyphenated-part-is-a-word"),
    pytest.param((("US", "U S"), ("us", "uss")), "US for us", "U S for uss", id="exact-wins-over-folded"),
    pytest.param((("La La Land", "Lah Lah Land"), ("La", "Lah")), "La La Land, la", "Lah Lah Land, la", id="phrase-longest-first"),
    pytest.param((("C++", "C plus plus"),), "C++ and C", "C plus plus and C", id="key-with-symbols"),
    pytest.param((("Chazelle", "Shuh-zell"),), "Damien Chazelle's Los Angeles", "Damien Shuh-zell's Los Angeles", id="name-in-sentence"),
    pytest.param((), "Mia", "Mia", id="empty-lexicon"),
    pytest.param((("a.b", "x"),), "aab a.b", "aab x", id="dot-is-literal"),
]


@pytest.mark.parametrize(("lexicon", "text", "spoken"), RESPELL)
def test_respell(lexicon, text, spoken):
    assert respell(text, lexicon) == spoken


# --- builds with a lexicon ------------------------------------------------------


def _build(root: Path):
    return pipeline.build(pipeline.open_project(root), engine_name="fake")


def _set_lexicon(root: Path, entries: str) -> None:
    """The repository's narrate.toml with `entries` added to its [lexicon], the file's last table."""
    text = REPO_TOML.read_text(encoding="utf-8")
    assert "\n[lexicon]" in text and "\n[" not in text.split("\n[lexicon]")[1]
    (root / "narrate.toml").write_text(text.rstrip("\n") + f"\n{entries}\n", encoding="utf-8")


def _tracks(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "audio" / "sections").glob("*.mp3"))}


def _units_with(root: Path, word: str) -> int:
    """How many synthesis units of the example's scripts contain `word` (counted without the lexicon)."""
    scripts = (root / "script").glob("*.txt")
    return sum(bool(re.search(rf"\b{word}\b", u.text)) for s in scripts for u in units(s.read_text("utf-8"), Pauses()))


def test_a_lexicon_change_resynthesizes_only_the_sentences_with_the_word(example_project, fake_engine):
    _build(example_project)
    assert len(fake_engine) == example_sentences()
    # The repository's own entry: Damien Chazelle is respelled on the way to the engine.
    assert [t for t in fake_engine if "Shuh-zell" in t] == [
        "Damien Shuh-zell's Los Angeles is not the city of angels, it's the city of temptations."
    ]
    assert not any("Chazelle" in t for t in fake_engine)
    k = _units_with(example_project, "Sebastian")
    assert k == 2  # the heading of section 2 and one sentence of it
    tracks = _tracks(example_project)

    _set_lexicon(example_project, 'Sebastian = "Sebas-tyahn"')
    fake_engine.clear()
    assert pipeline.status(pipeline.open_project(example_project), engine_name="fake").to_synthesize == k
    report = _build(example_project)
    assert len(fake_engine) == report.synthesized == k
    assert all("Sebas-tyahn" in text and "Sebastian" not in text for text in fake_engine)
    assert "Mia and Sebas-tyahn: Lust Beneath the Love." in fake_engine
    after = _tracks(example_project)
    assert [name for name in tracks if tracks[name] != after[name]] == ["02-mia-sebastian-lust-beneath-the-love.mp3"]
    assert report.book_written
    # The scripts keep the written word: the lexicon is applied on the way to the engine.
    assert "Sebastian" in (example_project / "script" / "02-mia-sebastian-lust-beneath-the-love.txt").read_text("utf-8")

    _set_lexicon(example_project, 'Sebastian = "Seb-ass-chen"')
    fake_engine.clear()
    _build(example_project)
    assert len(fake_engine) == k and all("Seb-ass-chen" in text for text in fake_engine)

    # Back to the first spelling through a lower-case key: the same text, still cached.
    _set_lexicon(example_project, 'sebastian = "sebas-tyahn"')
    fake_engine.clear()
    report = _build(example_project)
    assert fake_engine == [] and report.book_written

    # Removed: the word is read as written again, and that audio is cached from the first build.
    _set_lexicon(example_project, "")
    fake_engine.clear()
    report = _build(example_project)
    assert fake_engine == []
    assert _tracks(example_project) == tracks
    book = report.book.read_bytes()

    # Entries that match nothing change nothing: "SEBASTIAN" has capitals, so it matches only
    # that spelling, which the book never uses.
    _set_lexicon(example_project, 'SEBASTIAN = "x"\nZanzibar = "y"')
    report = _build(example_project)
    assert fake_engine == [] and not report.book_written
    assert report.book.read_bytes() == book


def test_lexicon_applies_to_every_section_and_the_opening(example_project, fake_engine):
    _build(example_project)
    k = _units_with(example_project, "Land")
    assert k == 4  # the opening's title and three sections quote the film
    _set_lexicon(example_project, 'land = "lænd"')
    fake_engine.clear()
    _build(example_project)
    assert len(fake_engine) == k and all("Lænd" in text for text in fake_engine)
    assert not any(re.search(r"\bLand\b", text) for text in fake_engine)
    assert "La La Lænd, When Music Undresses the Soul." in fake_engine
