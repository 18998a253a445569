"""Text as a narrator reads it: numbers, dates, money, abbreviations and symbols in words.

`normalize` runs when the essay is split, so a script shows what will be said, and again
when a build reads a script, so hand-typed digits are read right too. It is idempotent:
spoken text comes back unchanged, which keeps the speech cache valid.

The rule families live in their own modules (words, symbols, abbreviations, clock, dates,
money, quantities, identifiers); this module orders them. The order matters: a time or a date is read
before its digits are numbers, a range before its dash is a minus, a rate before its slash.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

from narrate.normalize import abbreviations, clock, dates, identifiers, money, quantities, symbols
from narrate.normalize.abbreviations import roman_value

__all__ = ["ZERO_WIDTH", "is_english", "normalize", "roman_value"]

# Invisible characters that only confuse an engine: zero-width, joiners, bidi controls, soft hyphen.
ZERO_WIDTH = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[^\S\n]+")
_DIGIT = re.compile(r"\d")


def is_english(language: str) -> bool:
    """Whether text in `language` ("en", "en-GB", "fr", ...) gets the English rules."""
    return language.lower().startswith("en")


def normalize(text: str, heading: bool = False, language: str = "en") -> str:
    """The text as a narrator reads it.

    Numbers, ordinals, money, percentages, ranges, rates, dates, times, units, common
    abbreviations, web and e-mail addresses and symbols become words; quotes become plain,
    dashes commas, ellipses '...'; emoji and invisible characters are dropped. Applying it
    to its own result changes nothing. The words are English: for another language only
    what any language reads the same is done (quotes, dashes, ellipses, emoji, invisible
    characters), and numbers and symbols are left to the engine, which reads its language.

    Args:
        text: one paragraph or several, separated by newlines (kept).
        heading: the text is a chapter heading: "Chapter XII" is read "Chapter twelve".
        language: the narration's language code ("en", "en-GB", "fr", ...).

    Returns:
        The spoken text.
    """
    english = is_english(language)
    return "\n".join(_spoken(line, heading) if english else _neutral(line) for line in text.split("\n"))


def _until_stable(step: Callable[[str], str], line: str) -> str:
    """`step` repeated until nothing changes: one rule's output can complete another's pattern
    ("Mr. 5" becomes "Mr. Five", which names Mister Five), and a second pass must find nothing."""
    for _ in range(4):
        done = step(line)
        if done == line:
            break
        line = done
    return line


def _spoken(line: str, heading: bool) -> str:
    return _until_stable(lambda text: _line(text, heading), line)


def _neutral(line: str) -> str:
    """The part of normalizing that holds in any language."""
    return _until_stable(_neutral_line, line)


def _neutral_line(text: str) -> str:
    if not text.isascii():
        text = ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text))
        for pattern, repl in (*symbols.MARKS, *symbols.QUOTES):
            text = pattern.sub(repl, text)
        text = symbols.drop_pictographs(text, keep=symbols.READ_BY_THE_ENGINE)
    text = _SPACES.sub(" ", text)
    for pattern, repl in (symbols.PAUSE_DASH, *symbols.ELLIPSES, *symbols.TIDY):
        text = pattern.sub(repl, text)
    return text.strip(" ,")


def _line(text: str, heading: bool) -> str:
    # Cheap tests gate the rule groups: most prose has no symbols, addresses or digits,
    # and a book's worth of paragraphs goes through here at every build.
    if not text.isascii():
        text = ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text))
        for pattern, repl in (*symbols.MARKS, *symbols.SYMBOLS):
            text = pattern.sub(repl, text)
        text = symbols.drop_pictographs(text)
        for pattern, repl in symbols.QUOTES:
            text = pattern.sub(repl, text)
    text = _SPACES.sub(" ", text)
    if identifiers.HINT.search(text):  # DOIs, ISBNs, serial numbers: before addresses and numbers read them
        text = identifiers.labelled(text)
    if "@" in text:
        text = symbols.EMAIL.sub(symbols.email, text)
    if symbols.URL_HINT.search(text):
        text = symbols.URL.sub(symbols.url, text)
    digits = bool(_DIGIT.search(text))
    if digits:
        text = symbols.GLUED_COMMA[0].sub(symbols.GLUED_COMMA[1], text)
        text = clock.times(text)  # before initialisms: "5 p.m." is a time
    if abbreviations.HINT.search(text):
        text = abbreviations.abbreviations(text)
    if heading:
        text = abbreviations.ROMAN.sub(abbreviations.roman, text)
    text = abbreviations.WORLD_WAR.sub(lambda m: "World War " + ("Two" if m.group(1) == "II" else "One"), text)
    text = abbreviations.REGNAL.sub(abbreviations.regnal, text)
    for pattern, repl in (*symbols.RANGE_DASHES, symbols.PAUSE_DASH):  # before numbers: a dash is no minus sign
        text = pattern.sub(repl, text)
    if digits:
        text = _numbers(text)
    for pattern, repl in symbols.PUNCTUATION:
        text = pattern.sub(repl, text)
    for pattern, repl in symbols.TIDY:
        text = pattern.sub(repl, text)
    return text.strip(" ,")


def _numbers(text: str) -> str:
    text = dates.dates(text)  # numeric dates first: their slashes and dashes are no fractions or ranges
    text = identifiers.digits(text)  # phone numbers, 911, ISBNs: digit by digit
    text = quantities.marks(text)  # 6'2", 12"
    text = quantities.ranges(text)
    text = dates.written_dates(text)
    text = quantities.rates(text)
    text = money.money(text)
    text = quantities.amounts(text)
    text = dates.decades(text)
    text = quantities.ordinals(text)
    text = dates.years(text)
    return quantities.last_numbers(text)
