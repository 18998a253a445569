"""config.py: the repository's narrate.toml, defaults, and errors that name their line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from narrate.config import Config, Pauses, load_config, parse_config
from narrate.errors import ConfigError

REPO_TOML = Path(__file__).resolve().parent.parent / "narrate.toml"


def _repo_text() -> str:
    return REPO_TOML.read_text(encoding="utf-8")


def _line(text: str, starts: str) -> int:
    """1-based number of the first line that starts with `starts`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(starts))


def test_the_repository_config():
    config = parse_config(_repo_text())
    assert config == Config(
        title="La La Land – When Music Undresses the Soul",
        author="Anonymous",
        essay="essay/la-la-land.txt",
        engine="auto",
        voice="",
        language="en",
        tld="com",
        speed=1.0,
        cue="vibraphone",
        bitrate="192k",
        target="acx",
        pauses=Pauses(sentence=350, paragraph=800, heading=1000, cue_before=1200, cue_after=900, head=600, tail=2000),
        lexicon=(("Chazelle", "Shuh-zell"),),
    )


def test_load_config(tmp_path):
    assert load_config(tmp_path) is None
    (tmp_path / "narrate.toml").write_bytes(b"\xef\xbb\xbf" + _repo_text().encode())
    assert load_config(tmp_path) == parse_config(_repo_text())


def test_load_config_error_names_the_file_and_line(tmp_path):
    (tmp_path / "narrate.toml").write_text("[book]\ntitle = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"narrate\.toml \(line 2\): book\.title must be a string"):
        load_config(tmp_path)


VALID = [
    # (toml text, expected Config)
    pytest.param("", Config(), id="empty"),
    pytest.param("# only a comment\n\n", Config(), id="comment-only"),
    pytest.param("[book]\n[voice]\n[sound]\n[pauses]\n", Config(), id="empty-tables"),
    pytest.param('[book]\ntitle = "  T  "\n', Config(title="T"), id="strings-stripped"),
    pytest.param('[lexicon]\nSebastian = " Sebas-tyahn "\n"mia" = "Mee-ah"\n\'La La Land\' = "Lah Lah Land"\n',
                 Config(lexicon=(("Sebastian", "Sebas-tyahn"), ("mia", "Mee-ah"), ("La La Land", "Lah Lah Land"))),
                 id="lexicon-in-file-order"),
    pytest.param("[lexicon]\n", Config(), id="empty-lexicon"),
    pytest.param('[voice]\nengine = "piper"\nvoice = "en_US-joe-medium"\n',
                 Config(engine="piper", voice="en_US-joe-medium"), id="voice"),
    pytest.param('[sound]\ncue = "none"\nbitrate = "96k"\n', Config(cue="none", bitrate="96k"), id="sound"),
    pytest.param('[voice]\nspeed = 1.25\n', Config(speed=1.25), id="speed"),
    pytest.param('[voice]\nspeed = 2\n', Config(speed=2.0), id="speed-whole-number"),
    pytest.param('[sound]\ntarget = "podcast"\ncue = "piano"\n', Config(target="podcast", cue="piano"), id="podcast"),
    pytest.param("[pauses]\nsentence = 0\ntail = 60000\n",
                 Config(pauses=replace(Pauses(), sentence=0, tail=60000)), id="pause-bounds"),
    pytest.param("pauses = { heading = 5 }\n", Config(pauses=replace(Pauses(), heading=5)), id="inline-table"),
    pytest.param('[book]\ncover = " art/cover.png "\n', Config(cover="art/cover.png"), id="cover"),
    pytest.param("[book]\ndate = 2024-05-01\n", Config(date="2024-05-01"), id="date-toml"),
    pytest.param('[book]\ndate = "2024-05"\n', Config(date="2024-05"), id="date-month"),
    pytest.param("[book]\ndate = 1999\n", Config(date="1999"), id="date-year-number"),
    pytest.param('[output]\nformats = ["m4b", "mp3", "m4b"]\n', Config(formats=("mp3", "m4b")), id="formats"),
    pytest.param('[output]\nformats = ["mp3", "tracks", "m4b", "vtt", "json", "cue", "html"]\n',
                 Config(formats=("mp3", "tracks", "m4b", "vtt", "json", "cue", "html")), id="all-formats"),
]


@pytest.mark.parametrize(("text", "config"), VALID)
def test_valid(text, config):
    assert parse_config(text) == config


def test_defaults():
    config = parse_config("")
    assert (config.engine, config.language, config.tld, config.cue, config.bitrate) == ("auto", "en", "com", "vibraphone", "192k")
    assert config.target == "acx"
    assert config.pauses == Pauses() and config.pauses.sentence == 350
    assert config.formats == ("mp3", "tracks", "vtt", "json", "html") and config.cover == ""


INVALID = [
    # (toml text, line number, message pattern)
    pytest.param('[book]\ntitle = "x"\nauthor = \n', 3, r"invalid TOML", id="syntax-missing-value"),
    pytest.param('[book]\n\n\ntitle = "unterminated\n', 4, r"invalid TOML", id="syntax-unterminated-string"),
    pytest.param('[book]\ntitle = "a"\ntitle = "b"\n', 3, r"invalid TOML", id="syntax-duplicate-key"),
    pytest.param('[book\ntitle = "a"\n', 1, r"invalid TOML", id="syntax-bad-header"),
    pytest.param('[book]\ntitle = "x"\n\n[extras]\nfoo = 1\n', 4, r"unknown table \[extras\]; known tables: book, build, input, lexicon, output, pauses, sound, voice", id="unknown-table"),
    pytest.param('# notes\nspeed = 1\n', 2, r"unknown table \[speed\]", id="unknown-top-level-key"),
    pytest.param('[voice]\nengine = "auto"\npitch = "high"\n', 3, r"unknown key 'pitch' in \[voice\]", id="unknown-key"),
    pytest.param('[voice]\nengine = "auto"\nspeed = "fast"\n', 3, r"voice\.speed must be a number from 0\.5 to 2\.0", id="speed-string"),
    pytest.param('[voice]\nspeed = 3\n', 2, r"voice\.speed must be a number from 0\.5 to 2\.0", id="speed-too-fast"),
    pytest.param('[voice]\nspeed = true\n', 2, r"voice\.speed must be a number", id="speed-bool"),
    pytest.param('[book]\ntitle = "x"\n[sound]\ntitle = "y"\n', 4, r"unknown key 'title' in \[sound\]", id="unknown-key-known-elsewhere"),
    pytest.param('[pauses]\nsentence = "350"\n', 2, r"pauses\.sentence must be whole milliseconds", id="string-for-int"),
    pytest.param('[voice]\n\nlanguage = 5\n', 3, r'voice\.language must be a string, like language = "en"', id="int-for-string"),
    pytest.param('[voice]\nengine = "auto"\nvoice = 3\n', 3, r"voice\.voice must be a string", id="key-named-like-its-table"),
    pytest.param('[pauses]\nheading = 1.5\n', 2, r"pauses\.heading must be whole milliseconds", id="float-pause"),
    pytest.param('[pauses]\nhead = true\n', 2, r"pauses\.head must be whole milliseconds", id="bool-pause"),
    pytest.param('[pauses]\nsentence = 350\nparagraph = -5\n', 3, r"pauses\.paragraph must be whole milliseconds from 0 to 60000", id="negative-pause"),
    pytest.param('[pauses]\ntail = 60001\n', 2, r"pauses\.tail must be whole milliseconds", id="too-long-pause"),
    pytest.param('# sentence = 1\n[pauses]\nsentence = -1\n', 3, r"pauses\.sentence", id="key-in-a-comment-is-not-the-line"),
    pytest.param('book = "x"\n', 1, r"'book' must be a table", id="table-as-string"),
    pytest.param('[sound]\n\nbitrate = "fast"\n', 3, r'bitrate must look like "192k"', id="bad-bitrate"),
    pytest.param('[sound]\ncue = "none"\ntarget = "broadcast"\n', 3,
                 r"sound\.target must be one of 'acx', 'podcast', not 'broadcast'", id="bad-target"),
    pytest.param('[sound]\ntarget = -16\n', 2, r'sound\.target must be a string, like target = "acx"', id="number-target"),
    pytest.param('[book]\n\ndate = "2024-13"\n', 3, r'book\.date must be a year or a date, like date = "2024"', id="date-no-month-13"),
    pytest.param('[book]\ndate = "May 2024"\n', 2, r"book\.date must be a year or a date", id="date-words"),
    pytest.param("[book]\ndate = 2024-05-01T10:00:00\n", 2, r"book\.date must be a year or a date", id="date-time"),
    # [lexicon]
    pytest.param('[lexicon]\nMia = "Mee-ah"\nSebastian = 3\n', 3, r"lexicon entry 'Sebastian' must be a string", id="lexicon-int"),
    pytest.param('[lexicon]\n"Mia" = ""\n', 2, r"lexicon entry 'Mia' is empty", id="lexicon-empty-spoken-form"),
    pytest.param('[lexicon]\nMia = "  "\n', 2, r"lexicon entry 'Mia' is empty", id="lexicon-blank-spoken-form"),
    pytest.param('[lexicon]\nMia = "x"\n"" = "y"\n', 3, r"an empty word in \[lexicon\]", id="lexicon-empty-word"),
    pytest.param('[lexicon]\n\n" " = "y"\n', 3, r"an empty word in \[lexicon\]", id="lexicon-blank-word"),
    pytest.param('[lexicon]\nMia = "x"\nMr.Smith = "Mister Smith"\n', 3, r'a word with a dot must be quoted in \[lexicon\], like "Mr.Smith" =', id="lexicon-dotted-key"),
    pytest.param('[lexicon]\nMia = ["Mee", "ah"]\n', 2, r"lexicon entry 'Mia' must be a string", id="lexicon-list"),
    pytest.param('lexicon = "Mia"\n', 1, r"'lexicon' must be a table", id="lexicon-not-a-table"),
    pytest.param('[book]\nMia = "x"\n[lexicon]\nMia = 1\n', 2, r"unknown key 'Mia' in \[book\]", id="lexicon-key-in-wrong-table"),
    pytest.param('[output]\nformats = ["mp3", "flac"]\n', 2, r"unknown output format 'flac'; known formats: mp3, tracks", id="unknown-format"),
    pytest.param('[output]\n\nformats = "mp3"\n', 3, r"output\.formats must be a list of names", id="format-not-a-list"),
    pytest.param('[output]\nformats = []\n', 2, r"output\.formats is empty", id="no-formats"),
    pytest.param('[output]\nformats = ["tracks", "html"]\n', 2, r'page plays the book: add "mp3" or "m4b"', id="page-without-book"),
    pytest.param('[output]\nformat = ["mp3"]\n', 2, r"unknown key 'format' in \[output\]", id="format-misspelt"),
]


@pytest.mark.parametrize(("text", "line", "message"), INVALID)
def test_invalid(text, line, message):
    with pytest.raises(ConfigError, match=message) as caught:
        parse_config(text)
    assert f"line {line}" in str(caught.value)
    assert str(caught.value).startswith("narrate.toml")


# Each row breaks one line of the repository's own narrate.toml.
REPO_BREAKS = [
    # (line that starts with, replacement line, message pattern)
    pytest.param("sentence = 350", "sentence = -350", r"pauses\.sentence must be whole milliseconds", id="negative-sentence"),
    pytest.param("tail = 2000", "tail = -1", r"pauses\.tail", id="negative-tail"),
    pytest.param("heading = 1000", 'heading = "1000"', r"pauses\.heading", id="string-pause"),
    pytest.param('voice = ""', "voice = 7", r"voice\.voice must be a string", id="int-voice"),
    pytest.param('title = "La La', "title = 2024", r"book\.title must be a string", id="int-title"),
    pytest.param('tld = "com"', 'accent = "com"', r"unknown key 'accent' in \[voice\]", id="unknown-key"),
    pytest.param("[sound]", "[music]", r"unknown table \[music\]", id="unknown-table"),
    pytest.param('bitrate = "192k"', 'bitrate = "192"', r"sound\.bitrate", id="bad-bitrate"),
    pytest.param('target = "acx"', 'target = "ACX loud"', r"sound\.target must be one of", id="bad-target"),
    pytest.param('author = "Anonymous"', 'author = "Anonymous', r"invalid TOML", id="syntax"),
]


@pytest.mark.parametrize(("starts", "replacement", "message"), REPO_BREAKS)
def test_errors_in_the_repository_config_name_their_line(starts, replacement, message):
    text = _repo_text()
    number = _line(text, starts)
    lines = text.splitlines()
    lines[number - 1] = replacement
    with pytest.raises(ConfigError, match=message) as caught:
        parse_config("\n".join(lines) + "\n", source="narrate.toml")
    assert f"line {number}" in str(caught.value)
