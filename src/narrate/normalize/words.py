"""Numbers in words, and the helpers every rule group shares."""

from __future__ import annotations

import functools
import re
from typing import Callable

from num2words import num2words

DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
MONTH_ABBR = {m[:3]: m for m in MONTHS} | {"Sept": "September"}
NUM = r"\d{1,3}(?:,\d{3})+|\d+"  # 1,000,000 or 1000000
YEAR = r"(?:1\d{3}|20\d\d)"

# A match at a sentence's start is capitalized, so the splitter still sees a new sentence.
_START = re.compile(r"(?:^|[.!?][\"')\]]*\s+)[\"'(\[]*$")
_NOT_AN_END = re.compile(r"(?:\b(?:Dr|Mr|Mrs|Ms|St|Prof|Mt|Ft|Gen|Capt|Lt|Sgt|Rev|Gov|Sen|Rep)|\b[A-Z])\.\s+$")
# A capital after "p.m." starts a sentence, but for a weekday or a time zone: "at 11 p.m. Friday".
_STOP_THEN = re.compile(
    r"\s*$|\s+(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|[ECMP][SD]?T|GMT|UTC|BST)\b)[\"'(\[]*[A-Z]"
)
_ARTICLE_BEFORE = re.compile(r"\b[Aa]n?\s+$")
_WORD_AFTER = re.compile(r"\s+([a-z]+)\b")
# Words after "a $5" that are no noun it qualifies: "a $5 of ..." is rare, "a $5 bill" common.
_NOT_QUALIFIED = frozenset(
    "a an the of to in on at for and or nor but per each apiece more less than is was are were be been has had have"
    " will would can could should may might must he she it they we i you that this which who whom from with by as so"
    " if then off up down over under into out back left extra worth too now later ago not when where while because"
    " before after since until plus minus times away".split()
)
_LINE_END = re.compile(r"\s*$")
_LOOK_BACK = 40  # characters before a match that its rules read: a bounded look keeps them linear


def spell_digits(digits: str) -> str:
    """'007' -> 'zero zero seven'."""
    return " ".join(DIGITS[int(d)] for d in digits)


def _american(words: str) -> str:
    """num2words' British 'one hundred and one' as an American narrator says it: 'one hundred one'."""
    return words.replace(",", "").replace(" and ", " ")


@functools.lru_cache(maxsize=4096)  # a book repeats its numbers
def cardinal(digits: str) -> str:
    """Whole number in words; digit by digit for leading zeros and very long runs."""
    digits = digits.replace(",", "")
    if (len(digits) > 1 and digits[0] == "0") or len(digits) > 15:
        return spell_digits(digits)
    return _american(num2words(int(digits)))


def number(text: str) -> str:
    """'3.14' -> 'three point one four'; '1,200' -> 'one thousand two hundred'."""
    whole, _, fraction = text.partition(".")
    words = cardinal(whole) if whole else ""
    if fraction:
        words = f"{words} point {spell_digits(fraction)}".strip()
    return words


@functools.lru_cache(maxsize=4096)  # a book repeats its numbers
def ordinal(digits: str) -> str:
    """'21' -> 'twenty-first'."""
    return _american(num2words(int(digits.replace(",", "")), to="ordinal"))


@functools.lru_cache(maxsize=4096)  # a book repeats its numbers
def year(digits: str) -> str:
    """'1990' -> 'nineteen ninety', '2005' -> 'two thousand five'."""
    return _american(num2words(int(digits), to="year"))


def short_year(digits: str) -> str:
    """A two-digit year: '99' -> 'ninety-nine', '05' -> 'oh five', '00' -> 'two thousand'."""
    if digits == "00":
        return "two thousand"
    return "oh " + DIGITS[int(digits[1])] if digits[0] == "0" else year(digits)


def plural(words: str) -> str:
    """'nineteen ninety' -> 'nineteen nineties'."""
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


def before(m: re.Match, start: int | None = None) -> str:
    """The few characters before the match (or before `start`): what its rules may read of the context."""
    start = m.start() if start is None else start
    return m.string[max(0, start - _LOOK_BACK) : start]


def starts_sentence(text: str, pos: int) -> bool:
    """Whether `pos` in `text` begins a sentence."""
    window = text[max(0, pos - _LOOK_BACK) : pos]
    if pos > _LOOK_BACK:
        window = "\0" + window  # not the line's start: '^' must not match
    return bool(_START.search(window)) and not _NOT_AN_END.search(window)


def sub(pattern: re.Pattern, spoken: Callable[[re.Match], str], text: str) -> str:
    """pattern.sub, capitalizing a replacement that starts a sentence."""

    def repl(m: re.Match) -> str:
        words = spoken(m)
        if words != m.group(0) and words[:1].islower() and starts_sentence(m.string, m.start()):
            words = words[0].upper() + words[1:]
        return words

    return pattern.sub(repl, text)


def keep_stop(m: re.Match) -> str:
    """A full stop the match swallowed that also ends the sentence: '... 5 p.m. Then'."""
    if not m.group(0).endswith("."):
        return ""
    return "." if _STOP_THEN.match(m.string, m.end()) else ""


def attributive(m: re.Match) -> bool:
    """Whether an amount after 'a' qualifies the noun that follows: 'a $5 bill' is 'a five dollar bill'."""
    if not _ARTICLE_BEFORE.search(before(m)):
        return False
    noun = _WORD_AFTER.match(m.string, m.end())
    return bool(noun) and noun.group(1) not in _NOT_QUALIFIED


def at_line_end(m: re.Match) -> bool:
    """Whether only spaces follow the match."""
    return bool(_LINE_END.match(m.string, m.end()))
