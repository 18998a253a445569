"""normalize: the written -> spoken table (tests/normalize_cases.tsv), idempotence over it,
linear time on adversarial lines, and other languages untouched by the English families."""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pytest

from narrate.normalize import normalize

HERE = Path(__file__).resolve().parent
README = HERE.parent / "README.md"


def _cases() -> list[tuple[str, str, str]]:
    rows = []
    for line in (HERE / "normalize_cases.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            family, written, spoken = line.split("\t")
            rows.append((family, written, spoken))
    return rows


CASES = _cases()
PARAMS = [pytest.param(w, s, id=f"{f}-{i}") for i, (f, w, s) in enumerate(CASES)]

# The issue's table, row by row: each must be a case of the table.
ISSUE = [
    "$40-$60", "3%-5%", "the 1970s-1990s", "9-11 am", "2-3 kg",
    "$15/hr", "€3/kg", "60 km/h", "$9.99/mo",
    "5 mg", "2 L", "10 g", "3 sq ft", "100 Mbps", "4 million km",
    "10:30am", "7:05PM", "1.15 p.m.", "1:02:03", "2:8",
    "$5M", "£2bn", "US$40", "$.99", "₹500",
    "3 1/2 cups", "2 3/4 miles",
    "1°C", "1 km", "-1 degree",
    "12/03/99", "03.12.1999", "4 Aug 2021", "Sept. 4",
    "-3kg", "−40 °F",
    "2019 people", "c. 1500",
    "5th Ave", "Elm St", "N Main",
]


@pytest.mark.parametrize(("written", "spoken"), PARAMS)
def test_case(written, spoken):
    assert normalize(written) == spoken


def test_the_table_covers_the_issue_and_every_family():
    written = [w for _, w, _ in CASES]
    assert len(CASES) >= 300
    missing = [example for example in ISSUE if not any(example in w for w in written)]
    assert not missing
    assert not [s for _, _, s in CASES if re.search(r"[\d$€£¥₹%°]", s)]  # every reading is in words
    families = {f for f, _, _ in CASES}
    assert all(sum(f == family for f, _, _ in CASES) >= 10 for family in families - {"minus", "roman"})


@pytest.mark.parametrize("heading", [False, True])
def test_a_second_pass_changes_nothing(heading):
    for _, written, _ in CASES:
        once = normalize(written, heading=heading)
        assert normalize(once, heading=heading) == once, written


def test_a_paragraph_of_every_case_reads_as_its_cases():
    # Rules must not reach across sentences: one paragraph of all cases, each ending a sentence.
    sentences = [w for _, w, s in CASES if s.endswith(".") and w.endswith(".")]
    paragraph = " ".join(sentences)
    once = normalize(paragraph)
    assert normalize(once) == once
    assert not re.search(r"\d", once)


# Each a rule's trigger repeated: a pattern that backtracks would take seconds or hours here.
ADVERSARIAL = [
    "1-", "1/", "1.", "1:", "12/03/", "1-1/", "$1-", "1%-", "1 1/", "12:30-", "1^", "a $1 ", "St ", "-", ".",
    '1"', '"1', "123-", "+1 12", "ISBN 9", "10.1000/", "S/N 1-", "1.1.", "jul 1 ", "1:30EST,", "a,1", "#12345",
]


@pytest.mark.parametrize("piece", ADVERSARIAL)
def test_long_adversarial_lines_take_linear_time(piece):
    text = (piece * 50_000)[:50_000]
    start = time.process_time()  # CPU time: other processes on the machine do not count
    normalize(text)
    assert time.process_time() - start < 1.0


@pytest.mark.slow
def test_random_digit_and_mark_soup_takes_linear_time():
    rng = random.Random(1)
    soup = "".join(rng.choice("0123456789-/.:, $%") for _ in range(50_000))
    times = []
    for size in (10_000, 50_000):
        start = time.process_time()
        normalize(soup[:size])
        times.append(time.process_time() - start)
    assert times[1] < 2.0 and times[1] < 10 * max(times[0], 0.01)  # five times the text, not 25 times the time


@pytest.mark.parametrize("language", ["fr", "de", "es"])
def test_another_language_is_untouched_by_the_english_families(language):
    english = re.compile(
        r"\b(?:to|per|percent|dollars?|euros?|pounds?|minus|point|and|half|o'clock|AM|PM|circa|Street|Avenue|North|"
        r"hours?|minutes?|seconds?|degrees?|kilo\w+|milli\w+|square|January|August|December|September)\b"
    )
    for _, written, _ in CASES:
        spoken = normalize(written, language=language)
        assert re.findall(r"\d+", spoken) == re.findall(r"\d+", written.replace("\u20e3", "")), written
        assert len(english.findall(spoken)) == len(english.findall(written)), written
        assert normalize(spoken, language=language) == spoken


def _readme_rows() -> list[tuple[str, str]]:
    section = README.read_text(encoding="utf-8").split("### Narration scripts", 1)[1]
    lines = [line for line in section.split("\n\n") if line.startswith("| written")][0].splitlines()
    rows = []
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        written = re.findall(r"`([^`]+)`", cells[0])
        spoken = [s.strip() for s in cells[1].split(";")]
        rows.append((written, spoken))
    return rows


def test_the_readme_table_reads_as_normalize_does():
    rows = _readme_rows()
    assert len(rows) >= 20
    for written, spoken in rows:
        assert len(written) == len(spoken), written
        for w, s in zip(written, spoken):
            said = normalize(w)
            assert said[:1].lower() + said[1:] == s[:1].lower() + s[1:], w
