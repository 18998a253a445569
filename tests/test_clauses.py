"""text/clauses.py: pieces within the limit, cut at clauses where they can be, and nothing lost."""

from __future__ import annotations

import re

import pytest

from narrate.text import clauses

_COMMA = re.compile(r"(?<=,)\s+")


def test_text_that_fits_is_one_piece_as_it_is():
    assert clauses.split("one,  two", 20, _COMMA) == ["one,  two"]


def test_filled_pieces_cut_at_clauses_first():
    assert clauses.split("aaa bbb, ccc ddd, eee", 10, _COMMA) == ["aaa bbb,", "ccc ddd,", "eee"]


def test_a_clause_longer_than_the_limit_is_cut_between_words_and_a_long_word_inside_itself():
    text = "short, " + " ".join(f"word{i}" for i in range(40)) + " " + "x" * 25
    pieces = clauses.split(text, 12, _COMMA)
    assert all(len(p) <= 12 for p in pieces)
    assert " ".join(pieces[:-3]) + " " + "".join(pieces[-3:]) == text  # the word cut inside itself: no space added in it
    assert pieces[-3:] == ["x" * 12, "x" * 12, "x"]


@pytest.mark.parametrize("even", [False, True])
def test_a_very_long_clause_loses_nothing(even):
    text = " ".join(f"w{i:04d}" for i in range(5000))  # 30,000 characters without a clause mark
    pieces = clauses.split(text, 400, _COMMA, even=even)
    assert all(len(p) <= 400 for p in pieces)
    assert " ".join(pieces) == text


def test_even_pieces_are_as_few_and_as_even_as_can_be():
    text = "aaaa bbbb cccc dddd eeee"  # 24 characters: filled is 19 + 4, even is 14 + 9
    assert clauses.split(text, 20) == ["aaaa bbbb cccc dddd", "eeee"]
    assert clauses.split(text, 20, even=True) == ["aaaa bbbb cccc", "dddd eeee"]
