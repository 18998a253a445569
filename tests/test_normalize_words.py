"""normalize.words: number words and the context helpers every rule family shares."""

from __future__ import annotations

import re

import pytest

from narrate.text.normalize import words


@pytest.mark.parametrize(("digits", "spoken"), [
    ("101", "one hundred one"), ("2005", "two thousand five"), ("1,000,000", "one million"),
    ("007", "zero zero seven"), ("1234567890123456", "one two three four five six seven eight nine zero one two three four five six"),
])
def test_cardinal_is_american_and_spells_codes(digits, spoken):
    assert words.cardinal(digits) == spoken


@pytest.mark.parametrize(("digits", "spoken"), [("99", "ninety-nine"), ("05", "oh five"), ("00", "two thousand"), ("69", "sixty-nine")])
def test_short_year(digits, spoken):
    assert words.short_year(digits) == spoken


@pytest.mark.parametrize(("text", "qualifies"), [
    ("a $5 bill", True), ("an $8 deal", True), ("a $5 and", False), ("the $5 bill", False), ("a $5", False), ("paid $5 fee", False),
])
def test_attributive(text, qualifies):
    m = re.search(r"\$\d", text)
    assert words.attributive(m) is qualifies


@pytest.mark.parametrize(("text", "stop"), [
    ("at 5 p.m. Then", "."), ("at 5 p.m.", "."), ("at 5 p.m. and", ""), ("at 5 p.m. Friday", ""), ("at 5 p.m. ET", ""),
])
def test_keep_stop(text, stop):
    m = re.search(r"5 p\.m\.", text)
    assert words.keep_stop(m) == stop


def test_starts_sentence_looks_back_a_bounded_way():
    assert words.starts_sentence("It ended. 42", 10)
    assert not words.starts_sentence("Dr. 42", 4)
    assert not words.starts_sentence("x" * 100 + " 42", 101)
