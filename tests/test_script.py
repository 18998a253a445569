"""script.py: speakable text, planned scripts, synthesis units, scripts on disk."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from narrate.config import Pauses
from narrate.errors import ConflictError, InputError
from narrate.text.script import MANIFEST, Script, load_scripts, plan_scripts, speakable, units, write_scripts
from narrate.text.split import clean_line, read_essay_text, split_essay, unmark

ESSAY = Path(__file__).resolve().parent.parent / "essay" / "la-la-land.txt"
PAUSES = Pauses(sentence=11, paragraph=22, heading=33)

# --- speakable ---------------------------------------------------------------

# A plain-text essay's stray Markdown marks: `split.unmark` takes them off before `speakable` (Markdown
# files are read by their parser: tests/test_inputs_markdown.py).
UNMARKED = [
    pytest.param("**bold** words", "bold words", id="bold-stars"),
    pytest.param("__bold__ words", "bold words", id="bold-underscores"),
    pytest.param("an *italic* word", "an italic word", id="italic-star"),
    pytest.param("an _italic_ word", "an italic word", id="italic-underscore"),
    pytest.param("***both*** here", "both here", id="bold-italic"),
    pytest.param("**bold with *italic* in it**", "bold with italic in it", id="italic-inside-bold"),
    pytest.param("*italic with **bold** in it*", "italic with bold in it", id="bold-inside-italic"),
    pytest.param("call snake_case_name now", "call snake_case_name now", id="underscores-inside-words-kept"),
    pytest.param("see [the film](https://example.com/x?a=1) now", "see the film now", id="link-keeps-text"),
    pytest.param("![poster](poster.png) The film", "The film", id="image-dropped"),
    pytest.param("run `narrate build` now", "run narrate build now", id="inline-code"),
    pytest.param("- a list item", "a list item", id="dash-list-marker"),
    pytest.param("* a list item", "a list item", id="star-list-marker"),
    pytest.param("+ a list item", "a list item", id="plus-list-marker"),
    pytest.param("3. a numbered item", "a numbered item", id="numbered-list-marker"),
    pytest.param("4) a numbered item", "a numbered item", id="paren-list-marker"),
    pytest.param("> a quoted line", "a quoted line", id="block-quote"),
    pytest.param("snake_case_name stays", "snake_case_name stays", id="intraword-underscores-kept"),
    pytest.param("2 * 3 * 4", "Two times three times four", id="arithmetic-stars-read"),
]


@pytest.mark.parametrize(("text", "spoken"), UNMARKED)
def test_plain_text_marks_then_speakable(text, spoken):
    assert speakable(unmark(text)) == spoken


SPEAKABLE = [
    # readers hand over plain words: a star or an underscore another format holds is its own
    pytest.param("a *star* and snake_case", "a *star* and snake_case", id="marks-of-other-formats-stay"),
    # quotes
    pytest.param("“La La Land” isn’t", "\"La La Land\" isn't", id="curly-double-and-apostrophe"),
    pytest.param("‘single’ „low‟", "'single' \"low\"", id="curly-single-and-low"),
    # dashes
    pytest.param("not angels — temptations", "not angels, temptations", id="em-dash-spaced"),
    pytest.param("not angels—temptations", "not angels, temptations", id="em-dash-tight"),
    pytest.param("La La Land – When Music", "La La Land, When Music", id="en-dash-spaced"),
    pytest.param("wait -- what", "wait, what", id="double-hyphen"),
    pytest.param("aching — for recognition", "aching, for recognition", id="dash-before-word"),
    pytest.param("just once — .", "just once.", id="dash-before-stop"),
    pytest.param("— an opening dash", "an opening dash", id="leading-dash"),
    pytest.param("1990–1995", "Nineteen ninety to nineteen ninety-five", id="en-dash-range"),
    pytest.param("well-known", "well-known", id="hyphen-kept"),
    # symbols
    pytest.param("Mia & Sebastian", "Mia and Sebastian", id="ampersand"),
    pytest.param("R&B", "R and B", id="ampersand-tight"),
    pytest.param("and then…", "and then...", id="ellipsis"),
    # emoji
    pytest.param("love 😀 you", "love you", id="emoji"),
    pytest.param("ok 🎉", "ok", id="emoji-at-end"),
    pytest.param("a ❤️ b", "a b", id="emoji-with-variation-selector"),
    pytest.param("a ✔︎ b", "a b", id="text-variation-selector"),
    pytest.param("a 👍🏽 b", "a b", id="emoji-skin-tone"),
    pytest.param("a 👨\u200d👩\u200d👧 b", "a b", id="emoji-zwj-sequence"),
    pytest.param("a 🇺🇸 b", "a b", id="flag"),
    pytest.param("a 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f b", "a b", id="tag-sequence-flag"),
    pytest.param("press 1️⃣ now", "press one now", id="keycap"),
    pytest.param("😀🎉", "", id="emoji-only"),
    # plain text is untouched
    pytest.param("Plain words, as written.", "Plain words, as written.", id="plain"),
]


@pytest.mark.parametrize(("text", "spoken"), SPEAKABLE)
def test_speakable(text, spoken):
    assert speakable(text) == spoken


@pytest.mark.parametrize("line", [" *a" * 30000, "_a " * 30000, "[a" * 30000, "**a*" * 30000], ids=["stars", "underscores", "brackets", "bold-stars"])
def test_unmatched_markdown_marks_take_linear_time(line):
    # Spans stop at the next mark of their kind; the old `.+?` patterns took minutes on these lines.
    start = time.perf_counter()
    spoken = speakable(unmark(line))
    assert time.perf_counter() - start < 2.0
    assert spoken.count("a") == 30000  # every word kept


CLEANED = [
    # clean_line runs before speakable (split does it): zero-width and odd spaces go
    pytest.param("zero\u200bwidth", "zerowidth", id="zero-width-space"),
    pytest.param("word\u2060joiner", "wordjoiner", id="word-joiner"),
    pytest.param("\ufeffbom inside", "bom inside", id="bom"),
    pytest.param("rtl\u202emark\u202c", "rtlmark", id="bidi-controls"),
    pytest.param("non\u00a0breaking\u2009thin", "non breaking thin", id="unicode-spaces"),
    pytest.param("  *emphasis*\u200b  —  done  ", "emphasis, done", id="combined"),
]


@pytest.mark.parametrize(("text", "spoken"), CLEANED)
def test_clean_then_speakable(text, spoken):
    assert speakable(unmark(clean_line(text))) == spoken


# --- planning scripts --------------------------------------------------------


def test_plan_of_the_example_essay():
    scripts = plan_scripts(split_essay(read_essay_text(ESSAY)), author="Anonymous")
    assert [s.file for s in scripts] == [
        "00-opening.txt",
        "01-a-fantasy-draped-in-flesh-and-jazz.txt",
        "02-mia-sebastian-lust-beneath-the-love.txt",
        "03-the-sex-appeal-of-dreams.txt",
        "04-the-final-look-desire-left-unspoken.txt",
        "05-why-we-keep-watching.txt",
    ]
    assert [s.kind for s in scripts] == ["opening"] + ["section"] * 5
    opening = scripts[0]
    assert opening.title == "La La Land – When Music Undresses the Soul"
    assert opening.text == "La La Land, When Music Undresses the Soul.\n\nBy Anonymous.\n"
    assert scripts[2].title == "Mia & Sebastian: Lust Beneath the Love"
    assert scripts[2].text.split("\n\n")[0] == "Mia and Sebastian: Lust Beneath the Love."
    assert scripts[1].text.split("\n\n")[1].startswith("\"La La Land\" isn't just a musical.")
    for script in scripts:
        assert script.text.endswith("\n") and not script.text.endswith("\n\n")
        assert not any(ch in script.text for ch in "“”‘’—")


PLANS = [
    # (essay text, author, file names, first paragraph of each script)
    pytest.param(
        "My Essay\n\n1. Same\nOne.\n\n2. Same\nTwo.\n\n3. Same\nThree.\n", "",
        ["00-opening.txt", "01-same.txt", "02-same-2.txt", "03-same-3.txt"],
        ["My Essay.", "Same.", "Same.", "Same."],
        id="duplicate-titles",
    ),
    pytest.param(
        "My Essay\n\n1. Same\nOne.\n\n2. Same 2\nTwo.\n\n3. Same\nThree.\n", "",
        ["00-opening.txt", "01-same.txt", "02-same-2.txt", "03-same-3.txt"],
        ["My Essay.", "Same.", "Same two.", "Same."],
        id="duplicate-that-collides-with-a-real-slug",
    ),
    pytest.param(
        "Why Now?\n\n1. Is It Over?\nYes.\n\n2. The End!\nNo.\n", "Jo",
        ["00-opening.txt", "01-is-it-over.txt", "02-the-end.txt"],
        ["Why Now?", "Is It Over?", "The End!"],
        id="headings-keep-their-own-stop",
    ),
    pytest.param(
        "Plain prose without a heading.\nMore prose.\n", "",
        ["01-essay.txt"],
        ["Essay."],
        id="no-title-no-opening",
    ),
    pytest.param(
        "Rain and Sun\n\nChapter IV: Rain\nText.\n\nPart XII\nMore.\n\nChapter 3 - Sun\nEnd.\n", "Jo",
        ["00-opening.txt", "01-chapter-iv-rain.txt", "02-part-xii.txt", "03-chapter-3-sun.txt"],
        ["Rain and Sun.", "Chapter four: Rain.", "Part twelve.", "Chapter three, Sun."],
        id="roman-and-numbered-headings-read-as-numbers",
    ),
    pytest.param(
        "# **Bold** Book\n\n## *Alpha* & `Beta`\nText.\n", "",
        ["00-opening.txt", "01-alpha-beta.txt"],
        ["Bold Book.", "Alpha and Beta."],
        id="markdown-in-headings",
    ),
    pytest.param(
        "My Essay\n\n1. Empty\n\n2. Full\nBody.\n", "",
        ["00-opening.txt", "01-empty.txt", "02-full.txt"],
        ["My Essay.", "Empty.", "Full."],
        id="empty-section-is-just-its-heading",
    ),
]


@pytest.mark.parametrize(("text", "author", "files", "headings"), PLANS)
def test_plan_scripts(text, author, files, headings):
    scripts = plan_scripts(split_essay(text), author=author)
    assert [s.file for s in scripts] == files
    assert len(set(files)) == len(files)
    assert [s.text.split("\n\n")[0].rstrip("\n") for s in scripts] == headings
    if author:
        assert scripts[0].text.split("\n\n")[1] == f"By {author}.\n"


@pytest.mark.parametrize(
    "titles",
    [
        pytest.param(["😀", "🎉"], id="emoji-only"),
        pytest.param(["/", "\\", "CON"], id="separators-and-devices"),
        pytest.param(["Same", "same", "SAME!", "Same?"], id="same-slug-different-case"),
    ],
)
def test_file_names_are_unique_and_safe(titles):
    text = "Book\n\n" + "".join(f"{n}. {t}\nText {n}.\n\n" for n, t in enumerate(titles, 1))
    files = [s.file for s in plan_scripts(split_essay(text))][1:]
    assert [s.title for s in split_essay(text).sections] == titles
    assert len(set(files)) == len(files) == len(titles)
    for name in files:
        assert re.fullmatch(r"\d{2}-[a-z0-9]+(-[a-z0-9]+)*\.txt", name)


def test_plan_pads_numbers_to_the_section_count():
    text = "Book\n\n" + "".join(f"{n}. Part {n}\nText {n}.\n\n" for n in range(1, 101))
    files = [s.file for s in plan_scripts(split_essay(text))]
    assert files[:2] == ["000-opening.txt", "001-part-1.txt"] and files[-1] == "100-part-100.txt"


# --- units -------------------------------------------------------------------

UNITS = [
    # (script text, [(unit text, pause)])
    pytest.param(
        "Heading.\n\nOne. Two.\n\nThree.\n",
        [("Heading.", 33), ("One.", 11), ("Two.", 22), ("Three.", 0)],
        id="heading-sentence-paragraph-last",
    ),
    pytest.param("Heading.\n", [("Heading.", 0)], id="heading-only"),
    pytest.param("", [], id="empty"),
    pytest.param("\n\n  \n\n", [], id="blank"),
    pytest.param(
        "Heading.\n\nMr. Smith met Dr. Jones. They talked.\n",
        [("Heading.", 33), ("Mister Smith met Doctor Jones.", 11), ("They talked.", 0)],
        id="titles-not-split",
    ),
    pytest.param(
        "H.\n\nArt, e.g. Jazz, and so on i.e. Blues. Done.\n",
        [("H.", 33), ("Art, for example Jazz, and so on that is Blues.", 11), ("Done.", 0)],
        id="eg-ie-not-split",
    ),
    pytest.param(
        "H.\n\nMrs. Ng and Prof. Lee saw St. Louis vs. Mt. Hood, No. 5. Then left.\n",
        [("H.", 33), ("Missus Ng and Professor Lee saw Saint Louis versus Mount Hood, Number five.", 11), ("Then left.", 0)],
        id="more-abbreviations",
    ),
    pytest.param(
        "H.\n\nJ. R. R. Tolkien wrote it. Yes.\n",
        [("H.", 33), ("J. R. R. Tolkien wrote it.", 11), ("Yes.", 0)],
        id="initials-not-split",
    ),
    pytest.param(
        "H.\n\nIs it? Yes! \"Quoted.\" Then (aside.) More… Done.\n",
        [("H.", 33), ("Is it?", 11), ("Yes!", 11), ("\"Quoted.\"", 11), ("Then (aside.)", 11), ("More...", 11), ("Done.", 0)],
        id="other-sentence-ends",
    ),
    pytest.param(
        "H.\n\nIt costs 3.50 dollars. In 2024. Fine.\n",
        [("H.", 33), ("It costs three point five zero dollars.", 11), ("In twenty twenty-four.", 11), ("Fine.", 0)],
        id="decimals-and-digit-starts",
    ),
    pytest.param(
        "H.\n\nWe met at 5 p.m. Then we left. I waited... and waited.\n",
        [("H.", 33), ("We met at five PM.", 11), ("Then we left.", 11), ("I waited...", 11), ("and waited.", 0)],
        id="time-ends-a-sentence-and-ellipsis-pauses",
    ),
    pytest.param(
        "Part IV\n\nPart IV of 3 books.\n",
        [("Part four", 33), ("Part four of three books.", 0)],
        id="hand-typed-script-normalized",
    ),
    pytest.param(
        "H.\n\nlower. case does not split.\n",
        [("H.", 33), ("lower. case does not split.", 0)],
        id="lowercase-after-stop",
    ),
    pytest.param(
        "H.\n\nIt ends. שלום עולם. مرحبا. 東京です.\n",
        [("H.", 33), ("It ends.", 11), ("שלום עולם.", 11), ("مرحبا.", 11), ("東京です.", 0)],
        id="caseless-scripts-start-sentences",
    ),
    pytest.param(
        "H.\n\nA line\nwrapped   inside.\n\n\n\nNext.\n",
        [("H.", 33), ("A line wrapped inside.", 22), ("Next.", 0)],
        id="whitespace-normalized",
    ),
    pytest.param(
        "H.\n\nP one.\n\nP two.\n\nP three.\n",
        [("H.", 33), ("P one.", 22), ("P two.", 22), ("P three.", 0)],
        id="paragraph-pauses",
    ),
]


@pytest.mark.parametrize(("text", "expected"), UNITS)
def test_units(text, expected):
    assert [(u.text, u.pause_ms) for u in units(text, PAUSES)] == expected


def _letters(n: int) -> str:
    """A distinct word without digits (digits would be read out as number words)."""
    return "".join("abcdefghij"[int(d)] for d in str(n))


def _long_sentence(words: int = 400) -> str:
    return " ".join(f"word{_letters(n)}" for n in range(words))


@pytest.mark.parametrize(
    "sentence",
    [
        pytest.param(_long_sentence(), id="no-punctuation"),
        pytest.param(", ".join(f"clause {_letters(n)} goes on" for n in range(150)), id="many-clauses"),
        pytest.param(" ".join(["supercalifragilistic"] * 120), id="repeated-long-words"),
    ],
)
def test_a_long_sentence_is_split_without_losing_words(sentence):
    assert len(sentence) >= 2000
    pieces = units(f"Heading.\n\n{sentence}\n", PAUSES)[1:]
    assert len(pieces) > 1
    assert all(0 < len(u.text) <= 280 for u in pieces)
    assert " ".join(u.text for u in pieces) == sentence
    assert [u.pause_ms for u in pieces] == [11] * (len(pieces) - 1) + [0]


def test_a_word_longer_than_a_unit_is_cut_not_dropped():
    word = "x" * 700
    pieces = units(f"H.\n\nA {word} b.\n", PAUSES)[1:]
    assert all(len(u.text) <= 280 for u in pieces)
    assert "".join(u.text.replace(" ", "") for u in pieces) == f"A{word}b."


def test_units_of_the_example_essay():
    scripts = plan_scripts(split_essay(read_essay_text(ESSAY)), author="Anonymous")
    all_units = [units(s.text, Pauses()) for s in scripts]
    # The split the repository ships (script/): the essay splits into the same sentences today.
    shipped = [units(p.read_text(encoding="utf-8"), Pauses()) for p in sorted((ESSAY.parent.parent / "script").glob("*.txt"))]
    assert [[u.text for u in s] for s in all_units] == [[u.text for u in s] for s in shipped]
    for script, pieces in zip(scripts, all_units):
        assert pieces[0].text == script.text.split("\n\n")[0]
        assert all(len(u.text) <= 280 for u in pieces)
        assert pieces[-1].pause_ms == 0
        assert " ".join(u.text for u in pieces) == " ".join(script.text.split())


# --- scripts on disk ---------------------------------------------------------

ESSAY_V1 = "Book\n\n1. One\nFirst text.\n\n2. Two\nSecond text.\n\n3. Three\nThird text.\n"


def _write(script_dir: Path, essay: str, sha: str, force: bool = False) -> list[str]:
    return write_scripts(script_dir, plan_scripts(split_essay(essay), author="Ann"), sha, force=force)


def _files(script_dir: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(script_dir.iterdir())}


def test_write_then_load_round_trip(tmp_path):
    planned = plan_scripts(split_essay(ESSAY_V1), author="Ann")
    written = write_scripts(tmp_path / "script", planned, "sha-1")
    assert written == ["00-opening.txt", "01-one.txt", "02-two.txt", "03-three.txt"]
    assert load_scripts(tmp_path / "script") == planned
    manifest = json.loads((tmp_path / "script" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["essay_sha256"] == "sha-1"
    assert [e["script"] for e in manifest["sections"]] == written
    assert (tmp_path / "script" / "02-two.txt").read_text(encoding="utf-8") == "Two.\n\nSecond text.\n"


def test_round_trip_of_the_example_essay(tmp_path):
    planned = plan_scripts(split_essay(read_essay_text(ESSAY)), author="Anonymous")
    write_scripts(tmp_path, planned, "x")
    assert load_scripts(tmp_path) == planned


def test_rewriting_the_same_essay_writes_nothing(tmp_path):
    _write(tmp_path, ESSAY_V1, "a")
    before = _files(tmp_path)
    assert _write(tmp_path, ESSAY_V1, "a") == []
    assert _files(tmp_path) == before


def test_load_reads_hand_edits_and_normalizes_line_endings(tmp_path):
    _write(tmp_path, ESSAY_V1, "a")
    (tmp_path / "02-two.txt").write_bytes(b"\xef\xbb\xbfTwo.\r\n\r\nMy words.\r\n")
    loaded = {s.file: s for s in load_scripts(tmp_path)}
    assert loaded["02-two.txt"] == Script("02-two.txt", "Two", "section", "Two.\n\nMy words.\n")


def test_an_edited_script_is_not_overwritten_by_a_changed_essay(tmp_path):
    _write(tmp_path, ESSAY_V1, "a")
    edited = tmp_path / "01-one.txt"
    edited.write_bytes(b"One.\r\n\r\nMy own words.\r\n")
    before = _files(tmp_path)
    with pytest.raises(ConflictError, match=r"01-one\.txt") as caught:
        _write(tmp_path, ESSAY_V1.replace("First text.", "First text, revised."), "b")
    assert "02-two.txt" not in str(caught.value) and "--force" in str(caught.value)
    assert _files(tmp_path) == before  # the edit byte for byte, and nothing else touched

    written = _write(tmp_path, ESSAY_V1.replace("First text.", "First text, revised."), "b", force=True)
    assert written == ["01-one.txt"]
    assert edited.read_text(encoding="utf-8") == "One.\n\nFirst text, revised.\n"
    assert json.loads((tmp_path / MANIFEST).read_text(encoding="utf-8"))["essay_sha256"] == "b"


def test_an_edited_script_the_essay_drops_is_a_conflict(tmp_path):
    _write(tmp_path, ESSAY_V1, "a")
    (tmp_path / "03-three.txt").write_text("Three.\n\nMine.\n", encoding="utf-8")
    shorter = ESSAY_V1.split("3. Three")[0]
    with pytest.raises(ConflictError, match=r"03-three\.txt"):
        _write(tmp_path, shorter, "b")
    assert (tmp_path / "03-three.txt").read_text(encoding="utf-8") == "Three.\n\nMine.\n"
    _write(tmp_path, shorter, "b", force=True)
    assert not (tmp_path / "03-three.txt").exists()


def test_an_unedited_script_the_essay_drops_is_removed(tmp_path):
    _write(tmp_path, ESSAY_V1, "a")
    shorter = ESSAY_V1.split("3. Three")[0]
    written = _write(tmp_path, shorter, "b")
    assert written == ["03-three.txt"]
    assert sorted(_files(tmp_path)) == ["00-opening.txt", "01-one.txt", "02-two.txt", MANIFEST]
    assert [s.file for s in load_scripts(tmp_path)] == ["00-opening.txt", "01-one.txt", "02-two.txt"]


def test_a_renamed_section_replaces_its_unedited_script(tmp_path):
    _write(tmp_path, ESSAY_V1, "a")
    written = _write(tmp_path, ESSAY_V1.replace("2. Two", "2. Deux"), "b")
    assert sorted(written) == ["02-deux.txt", "02-two.txt"]
    assert not (tmp_path / "02-two.txt").exists()
    assert (tmp_path / "02-deux.txt").read_text(encoding="utf-8") == "Deux.\n\nSecond text.\n"


def test_a_hand_edit_that_does_not_conflict_is_kept(tmp_path):
    _write(tmp_path, ESSAY_V1, "a")
    edited = tmp_path / "01-one.txt"
    edited.write_text("One.\n\nMy own words.\n", encoding="utf-8")
    written = _write(tmp_path, ESSAY_V1.replace("Second text.", "Second text, revised."), "b")
    assert written == ["02-two.txt"]
    assert edited.read_text(encoding="utf-8") == "One.\n\nMy own words.\n"
    assert (tmp_path / "02-two.txt").read_text(encoding="utf-8") == "Two.\n\nSecond text, revised.\n"
    assert load_scripts(tmp_path)[1].text == "One.\n\nMy own words.\n"
    # still known as an edit: a later change to its section is a conflict
    with pytest.raises(ConflictError, match=r"01-one\.txt"):
        _write(tmp_path, ESSAY_V1.replace("First text.", "First text, revised."), "c")
    assert edited.read_text(encoding="utf-8") == "One.\n\nMy own words.\n"


def test_an_edit_matching_the_new_essay_is_no_conflict(tmp_path):
    _write(tmp_path, ESSAY_V1, "a")
    (tmp_path / "01-one.txt").write_text("One.\n\nFirst text, revised.\n", encoding="utf-8")
    assert _write(tmp_path, ESSAY_V1.replace("First text.", "First text, revised."), "b") == []


def test_a_deleted_script_is_rewritten(tmp_path):
    _write(tmp_path, ESSAY_V1, "a")
    (tmp_path / "02-two.txt").unlink()
    assert _write(tmp_path, ESSAY_V1, "a") == ["02-two.txt"]


LOAD_ERRORS = [
    pytest.param(None, r"no scripts in .*narrate split ESSAY", id="no-manifest"),
    pytest.param(lambda d: (d / "01-one.txt").unlink(), r"script .*01-one\.txt is missing", id="missing-script"),
    pytest.param(lambda d: (d / "01-one.txt").write_bytes(b"\xff\xfe bad"), r"cannot read script .*01-one\.txt", id="not-utf8"),
    pytest.param(lambda d: (d / MANIFEST).write_text("{not json", encoding="utf-8"), r"book\.json is damaged", id="damaged-manifest"),
    pytest.param(lambda d: (d / MANIFEST).write_text('{"format": 99, "sections": []}', encoding="utf-8"), r"damaged", id="unknown-format"),
    pytest.param(lambda d: (d / MANIFEST).write_text('{"format": 1, "sections": []}', encoding="utf-8"), r"lists no scripts", id="no-sections"),
]


@pytest.mark.parametrize(("damage", "message"), LOAD_ERRORS)
def test_load_errors(tmp_path, damage, message):
    if damage is not None:
        _write(tmp_path, ESSAY_V1, "a")
        damage(tmp_path)
    with pytest.raises(InputError, match=message):
        load_scripts(tmp_path)
