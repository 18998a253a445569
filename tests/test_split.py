"""split.py: heading forms, the example essay, edge cases, reading files, safe slugs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from narrate.errors import InputError
from narrate.text.split import read_essay_text, slugify, split_essay

ESSAY = Path(__file__).resolve().parent.parent / "essay" / "la-la-land.txt"


def _titles(text: str, fallback: str = "") -> tuple[str, list[str]]:
    essay = split_essay(text, fallback_title=fallback)
    return essay.title, [s.title for s in essay.sections]


# --- heading forms -----------------------------------------------------------

HEADINGS = [
    # (essay text, essay title, section titles)
    pytest.param(
        "My Essay\n\n1. First Things\nOne.\n\n2. Second Things\nTwo.\n",
        "My Essay", ["First Things", "Second Things"], id="numbered-dot",
    ),
    pytest.param(
        "My Essay\n\n1) First Things\nOne.\n\n2) Second Things\nTwo.\n",
        "My Essay", ["First Things", "Second Things"], id="numbered-paren",
    ),
    pytest.param(
        "My Essay\n\n10. Tenth\nTen.\n\n11. Eleventh\nEleven.\n",
        "My Essay", ["Tenth", "Eleventh"], id="numbered-two-digits",
    ),
    pytest.param(
        "My Essay\n\nI. Dawn\nOne.\n\nIV. Title\nFour.\n\nIX) Night\nNine.\n",
        "My Essay", ["Dawn", "Title", "Night"], id="roman",
    ),
    pytest.param(
        "# The Book\n\n## Alpha\nA.\n\n## Beta\nB.\n",
        "The Book", ["Alpha", "Beta"], id="markdown-title-above-h2",
    ),
    pytest.param(
        "# The Book\n\n## Alpha\nA.\n\n### Alpha Detail\nAD.\n",
        "The Book", ["Alpha", "Alpha Detail"], id="markdown-h3-is-a-section",
    ),
    pytest.param(
        "# The Book\n\nBody text.\n",
        "The Book", ["The Book"], id="markdown-lone-h1-is-the-title",
    ),
    pytest.param(
        "# Alpha\nA.\n\n# Beta\nB.\n",
        "", ["Alpha", "Beta"], id="markdown-several-h1-are-sections",
    ),
    pytest.param(
        "# The Book\n\n## 1. Alpha\nA.\n\n## 2. Beta\nB.\n",
        "The Book", ["Alpha", "Beta"], id="markdown-numbered",
    ),
    pytest.param(
        "# The Book\n\n## **Alpha** ##\nA.\n",
        "The Book", ["Alpha"], id="markdown-closing-hashes-and-bold",
    ),
    pytest.param(
        "# **Bold** Book\n\n## *Alpha* & `Beta`\nA.\n\n## [Linked](https://x.y) snake_case\nB.\n",
        "Bold Book", ["Alpha & Beta", "Linked snake_case"], id="markdown-inline-marks-in-titles",
    ),
    pytest.param(
        "My Essay\n\n1. **First** Things\nOne.\n\n2) _Second_ Things\nTwo.\n",
        "My Essay", ["First Things", "Second Things"], id="numbered-inline-marks-in-titles",
    ),
    pytest.param(
        "My Essay\n\nChapter 3: The Storm\nRain.\n\nChapter 4: The Calm\nSun.\n",
        "My Essay", ["Chapter 3: The Storm", "Chapter 4: The Calm"], id="chapter-n-colon",
    ),
    pytest.param(
        "My Essay\n\nPart One\nA.\n\nPart Two\nB.\n",
        "My Essay", ["Part One", "Part Two"], id="part-word",
    ),
    pytest.param(
        "My Essay\n\nCHAPTER IV. The End\nA.\n\nSection 5 - Results\nB.\n",
        "My Essay", ["CHAPTER IV. The End", "Section 5 - Results"], id="named-roman-and-section",
    ),
    pytest.param(
        "Mon essai\n\nChapitre 1 : Le départ\nA.\n\nChapitre II. Le retour\nB.\n\nKapitel 3\nC.\n\nCapítulo 4\nD.\n",
        "Mon essai", ["Chapitre 1 : Le départ", "Chapitre II. Le retour", "Kapitel 3", "Capítulo 4"],
        id="named-in-other-languages",
    ),
    pytest.param(
        "My Essay\n\nChapter 3.\nA.\n",
        "My Essay", ["Chapter 3"], id="named-trailing-period-dropped",
    ),
    pytest.param(
        "La La Land – When Music Undresses the Soul\n\n1. One\nA.\n",
        "La La Land – When Music Undresses the Soul", ["One"], id="title-from-first-line",
    ),
    pytest.param(
        "\n\n   \n  Spaced   Title  \n\n1. One\nA.\n",
        "Spaced Title", ["One"], id="title-after-blank-lines",
    ),
]


LONG_TITLE = " ".join(["A very long chapter title"] * 16)  # 415 characters


HEADINGS += [
    pytest.param(
        f"Book\n\n## {LONG_TITLE}\nBody.\n\n## Next\nMore.\n",
        "Book", [LONG_TITLE, "Next"], id="markdown-hundreds-of-characters",
    ),
    pytest.param("Book\n\n## C# ##\nBody.\n\n## Next ###\nMore.\n", "Book", ["C#", "Next"], id="markdown-closing-hashes"),
]


@pytest.mark.parametrize(("text", "title", "sections"), HEADINGS)
def test_heading_forms(text, title, sections):
    assert _titles(text) == (title, sections)


NOT_HEADINGS = [
    pytest.param("1. Boil the water.", id="numbered-sentence"),
    pytest.param("2) Pour it over the leaves.", id="numbered-paren-sentence"),
    pytest.param("IV. The fourth point, which matters.", id="roman-sentence"),
    pytest.param("3. First, the setup;", id="numbered-ends-in-semicolon"),
    pytest.param("I think so too", id="word-i-without-mark"),
    pytest.param("1.5 liters of water", id="decimal"),
    pytest.param("1. " + "word " * 40 + "end", id="over-long-numbered"),
]


@pytest.mark.parametrize("line", NOT_HEADINGS)
def test_list_items_and_prose_are_not_headings(line):
    essay = split_essay(f"My Essay\n\nIntro words.\n{line}\n\nMore words.\n")
    assert [s.title for s in essay.sections] == ["My Essay"]
    assert any(line.split()[0] in p for p in essay.sections[0].paragraphs)


def test_numbered_list_inside_a_section_stays_in_its_body():
    essay = split_essay("My Essay\n\n1. Method\nSteps:\n1. Boil the water.\n2. Pour it.\n\n2. Results\nTea.\n")
    assert [s.title for s in essay.sections] == ["Method", "Results"]
    assert essay.sections[0].paragraphs == ("Steps: 1. Boil the water.", "2. Pour it.")


# --- the example essay -------------------------------------------------------


def test_example_essay():
    essay = split_essay(read_essay_text(ESSAY))
    assert essay.title == "La La Land – When Music Undresses the Soul"
    assert [s.title for s in essay.sections] == [
        "A Fantasy Draped in Flesh and Jazz",
        "Mia & Sebastian: Lust Beneath the Love",
        "The Sex Appeal of Dreams",
        "The Final Look: Desire Left Unspoken",
        "Why We Keep Watching",
    ]
    assert [s.number for s in essay.sections] == [1, 2, 3, 4, 5]
    assert all(s.paragraphs for s in essay.sections)
    assert essay.sections[0].paragraphs[0].startswith("“La La Land” isn’t just a musical.")
    assert essay.sections[-1].paragraphs[-1].endswith("Even if it destroys us.")


# --- structure edge cases ----------------------------------------------------

STRUCTURE = [
    # (text, fallback title, essay title, [(section title, paragraphs)])
    pytest.param(
        "Just prose, no headings at all. Second sentence.\nAnother paragraph.\n", "",
        "", [("Essay", ("Just prose, no headings at all. Second sentence.", "Another paragraph."))],
        id="no-headings-no-title",
    ),
    pytest.param(
        "Just prose, no headings at all.\n\nAnother paragraph.\n", "Notes",
        "Notes", [("Notes", ("Just prose, no headings at all.", "Another paragraph."))],
        id="no-headings-fallback-title",
    ),
    pytest.param(
        "My Title\n\nBody one.\n\nBody two.\n", "",
        "My Title", [("My Title", ("Body one.", "Body two."))],
        id="title-and-body-only",
    ),
    pytest.param(
        "My Title\n\nSome intro.\n\n1. First\nBody.\n", "",
        "My Title", [("Introduction", ("Some intro.",)), ("First", ("Body.",))],
        id="text-before-first-heading",
    ),
    pytest.param(
        "# Book\n\nOpening words.\n\n## One\nBody.\n", "",
        "Book", [("Introduction", ("Opening words.",)), ("One", ("Body.",))],
        id="markdown-text-before-first-heading",
    ),
    pytest.param(
        "My Title\n\n1. First\nBody.\n\n2. Empty\n\n3. Third\nMore.\n", "",
        "My Title", [("First", ("Body.",)), ("Empty", ()), ("Third", ("More.",))],
        id="empty-section-in-the-middle",
    ),
    pytest.param(
        "My Title\n\n1. First\nBody.\n\n2. Last\n", "",
        "My Title", [("First", ("Body.",)), ("Last", ())],
        id="empty-section-at-the-end",
    ),
    pytest.param(
        "My Title\n\n1. Same\nOne.\n\n2. Same\nTwo.\n", "",
        "My Title", [("Same", ("One.",)), ("Same", ("Two.",))],
        id="duplicate-titles-stay-two",
    ),
    pytest.param(
        "My Title\n\n1. One\nA line that goes\non without a stop\n\nNext paragraph.\n", "",
        "My Title", [("One", ("A line that goes on without a stop", "Next paragraph."))],
        id="wrapped-lines-join",
    ),
    pytest.param(
        "Lone Title\n", "",
        "Lone Title", [("Lone Title", ())],
        id="lone-title",
    ),
    pytest.param(
        "My\u00a0Title\u200b\n\n1. On\u2009e\nBo\u200bdy.\n", "",
        "My Title", [("On e", ("Body.",))],
        id="unicode-spaces-and-zero-width",
    ),
]


@pytest.mark.parametrize(("text", "fallback", "title", "sections"), STRUCTURE)
def test_structure(text, fallback, title, sections):
    essay = split_essay(text, fallback_title=fallback)
    assert essay.title == title
    assert [(s.title, s.paragraphs) for s in essay.sections] == sections
    assert [s.number for s in essay.sections] == list(range(1, len(sections) + 1))


@pytest.mark.parametrize("text", ["", "\n\n", "  \t\n \u200b \n"])
def test_split_of_nothing_is_an_input_error(text):
    with pytest.raises(InputError, match="empty"):
        split_essay(text)


# --- reading the essay file --------------------------------------------------

READS = [
    pytest.param(b"\xef\xbb\xbfTitle\n\nBody.\n", "Title\n\nBody.\n", id="bom-stripped"),
    pytest.param(b"Title\r\n\r\nBody.\r\n", "Title\n\nBody.\n", id="crlf"),
    pytest.param(b"Title\r\rBody.\r", "Title\n\nBody.\n", id="cr"),
    pytest.param(b"\xef\xbb\xbfTitle\r\n\rBody.\n", "Title\n\nBody.\n", id="bom-and-mixed"),
    pytest.param("Café – “quoted”\n".encode(), "Café – “quoted”\n", id="utf8"),
]


@pytest.mark.parametrize(("data", "text"), READS)
def test_read_essay(tmp_path, data, text):
    path = tmp_path / "essay.txt"
    path.write_bytes(data)
    assert read_essay_text(path) == text


def test_read_essay_of_the_example_keeps_its_text():
    text = read_essay_text(ESSAY)
    assert "\r" not in text and not text.startswith("\ufeff")
    assert text.startswith("La La Land – When Music Undresses the Soul\n")


BAD_FILES = [
    # (how to make the path, expected message pattern)
    pytest.param(lambda d: d / "missing.txt", r"not found: .*missing\.txt", id="missing"),
    pytest.param(lambda d: _mkdir(d / "folder"), r"folder.* is a folder", id="directory"),
    pytest.param(lambda d: _write(d / "pic.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), r"pic\.png is a binary file", id="binary"),
    pytest.param(lambda d: _write(d / "utf16.txt", "Title\n".encode("utf-16")), r"binary", id="utf16-is-binary"),
    pytest.param(lambda d: _write(d / "latin.txt", "Café au lait\n".encode("latin-1")), r"latin\.txt is not UTF-8 \(byte 3, on line 1,", id="not-utf8"),
    pytest.param(lambda d: _write(d / "cp1252.txt", "Title\r\n\r\nIt\u2019s here.\r\n".encode("cp1252")), r"cp1252\.txt is not UTF-8 \(byte 11, on line 3,", id="not-utf8-line"),
    pytest.param(lambda d: _write(d / "empty.txt", b""), r"empty\.txt is empty", id="empty"),
    pytest.param(lambda d: _write(d / "bom.txt", b"\xef\xbb\xbf"), r"bom\.txt is empty", id="bom-only"),
    pytest.param(lambda d: _write(d / "blank.txt", b" \n\t\r\n  \r"), r"blank\.txt is empty", id="whitespace-only"),
    pytest.param(lambda d: _write(d / "zw.txt", "\u200b\u00a0\n\u2060".encode()), r"zw\.txt is empty", id="invisible-only"),
]


def _mkdir(path: Path) -> Path:
    path.mkdir()
    return path


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(("make", "message"), BAD_FILES)
def test_read_essay_errors(tmp_path, make, message):
    path = make(tmp_path)
    with pytest.raises(InputError, match=message):
        read_essay_text(path)


# --- slugs -------------------------------------------------------------------

SLUGS = [
    pytest.param("A Fantasy Draped in Flesh and Jazz", "a-fantasy-draped-in-flesh-and-jazz", id="plain"),
    pytest.param("Mia & Sebastian: Lust Beneath the Love", "mia-sebastian-lust-beneath-the-love", id="punctuation"),
    pytest.param("Crème Brûlée", "creme-brulee", id="accents-folded"),
    pytest.param("Chapter 3: The Storm", "chapter-3-the-storm", id="digits-kept"),
    pytest.param("../../etc/passwd", "etc-passwd", id="traversal"),
    pytest.param("a/b\\c", "a-b-c", id="separators"),
    pytest.param("/", "section", id="slash-only"),
    pytest.param("\\\\", "section", id="backslashes-only"),
    pytest.param("..", "section", id="dotdot"),
    pytest.param(".", "section", id="dot"),
    pytest.param("", "section", id="empty"),
    pytest.param("😀🎉", "section", id="emoji-only"),
    pytest.param("日本語", "section", id="non-latin-only"),
    pytest.param("$(rm -rf /); `x` | y > z & w", "rm-rf-x-y-z-w", id="shell-metacharacters"),
    pytest.param("CON", "con-section", id="con"),
    pytest.param("NUL", "nul-section", id="nul"),
    pytest.param("aux", "aux-section", id="aux"),
    pytest.param("COM1", "com1-section", id="com1"),
    pytest.param("lpt9", "lpt9-section", id="lpt9"),
    pytest.param("Con Artists", "con-artists", id="con-inside-a-title-is-fine"),
]


@pytest.mark.parametrize(("title", "slug"), SLUGS)
def test_slugify(title, slug):
    assert slugify(title) == slug


NASTY = [
    "../..", "..\\..\\windows", "/etc/passwd", "C:\\Windows\\System32", "CON", "con.txt", "NUL", "PRN.mp3",
    "a" * 300, ("word " * 60).strip(), "x-" * 150, "😀" * 100, "$HOME;`id`|&<>*?\"'", "\x00\x01\n\t",
    "—–‐", "   ", "-.-", "Ünïcödé" * 40,
]


@pytest.mark.parametrize("title", NASTY)
def test_slugs_are_safe_and_bounded(title):
    slug = slugify(title)
    assert slug and slug.isascii()
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug)
    assert "/" not in slug and "\\" not in slug and ".." not in slug
    assert len(slug) <= 48
    assert slug not in WINDOWS_DEVICES


WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}


@pytest.mark.parametrize("limit", [1, 5, 10, 48])
def test_slug_limit_cuts_at_a_word(limit):
    slug = slugify("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda", limit=limit)
    assert 0 < len(slug) <= limit
    assert not slug.endswith("-") and not slug.startswith("-")
