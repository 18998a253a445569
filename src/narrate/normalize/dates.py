"""Dates, years and decades."""

from __future__ import annotations

import re

from narrate.normalize.words import (
    MONTH_ABBR, MONTHS, YEAR, before, cardinal, keep_stop, ordinal, plural, short_year, sub, year,
)


_ISO_DATE = re.compile(rf"\b({YEAR})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
_YEAR_FIRST = re.compile(  # 2016/07/03, 2016.07.03: year, month, day as in ISO
    rf"(?<![\w/.-])({YEAR})(?:/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])|\.(0[1-9]|1[0-2])\.(0[1-9]|[12]\d|3[01]))(?![\w/]|\.\d)"
)
_DAY = r"([12]\d|3[01]|0?[1-9])"
_SUFFIX = r"(st|nd|rd|th|ST|ND|RD|TH)?"
_AND_YEAR = rf"(?:(,?\s+|-)({YEAR})\b(?![,.]\d|\s?%))?"
# The month as a writer types it: Jul, JUL, jul, Sept., July, JULY, july.
_ABBR = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")
_NAMES = (*MONTHS, *_ABBR)
_ANY_MONTH = "|".join(sorted({*_NAMES, *(n.upper() for n in _NAMES), *(n.lower() for n in _NAMES)}, key=len, reverse=True))
# In lower case these are words first ("they march 3 miles", "25 may be enough"): a month only
# beside a year, or as "may 25th", "the 25th of may".
_WORDS_FIRST = {"may", "march", "mar"}
_MONTH_DAY = re.compile(rf"\b({_ANY_MONTH})(\.?\s+|-){_DAY}{_SUFFIX}\b(?![:.,]?\d){_AND_YEAR}")
_DAY_MONTH = re.compile(rf"\b{_DAY}{_SUFFIX}\s+(of\s+)?({_ANY_MONTH})(\.)?(?!\w){_AND_YEAR}")
_MONTH_YEAR = re.compile(  # Dec. 2020, DEC 2020
    rf"\b({'|'.join(a for n in _ABBR for a in (n, n.upper(), n.lower()) if a != 'mar')})\.?\s+(?={YEAR}\b)"
)
_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")
_DAY_OR_MONTH = r"0?[1-9]|[12]\d|3[01]"
# 12/25/2016 (month first) or 25/12/2016 (day first): the number over 12 tells which; when
# both could be months, the month comes first, as the default voice (American English) reads.
# 15-01-2020 likewise; a dash date has a four-digit year, or it is a code or a score.
_SLASH_DATE = re.compile(rf"(?<![\w/.])({_DAY_OR_MONTH})/({_DAY_OR_MONTH})/({YEAR}|\d\d)(?![\w/])")
_DASH_DATE = re.compile(rf"(?<![\w/.-])({_DAY_OR_MONTH})-({_DAY_OR_MONTH})-({YEAR})(?![\w-]|\.\d)")
# 03.12.1999: a dotted date is European, day first.
_DOTTED_DATE = re.compile(rf"(?<![\w.])({_DAY_OR_MONTH})\.({_DAY_OR_MONTH})\.({YEAR})(?!\w|\.\d)")


def _year_words(digits: str) -> str:
    return short_year(digits) if len(digits) == 2 else year(digits)


def _numeric_date(first: str, second: str, digits: str, month_first: bool) -> str | None:
    """A date of two numbers and a year, or None when neither number can be the month."""
    first_n, second_n = int(first), int(second)
    if first_n > 12 and second_n > 12:
        return None
    if first_n > 12 or (second_n <= 12 and not month_first):
        return f"the {ordinal(first)} of {MONTHS[second_n - 1]}, {_year_words(digits)}"
    return f"{MONTHS[first_n - 1]} {ordinal(second)}, {_year_words(digits)}"


def _month(name: str) -> str:
    name = name.rstrip(".").capitalize()
    return MONTH_ABBR.get(name, name)


def _full(name: str) -> bool:
    """Whether the month is written in full: a full stop after it ends a sentence ('in July. 4 ...')."""
    return name.capitalize() in MONTHS


def _month_day(m: re.Match) -> str:
    month, gap, day, suffix, _, year_digits = m.groups()
    if (month in _WORDS_FIRST and not (suffix or year_digits)) or (gap[0] == "." and _full(month)):
        return m.group(0)
    return _with_year(m, f"{_month(month)} {ordinal(day)}", year_digits, stop=True)


def _day_month(m: re.Match) -> str:
    day, suffix, of, month, dot, _, year_digits = m.groups()
    if month in _WORDS_FIRST and not (year_digits or (suffix and of)):
        return m.group(0)
    the = "" if _THE_BEFORE.search(before(m)) else "the "
    words = f"{the}{ordinal(day)} of {_month(month)}"
    if dot and _full(month) and not year_digits:  # "on 4 July." ends the sentence
        return words + "."
    return _with_year(m, words, year_digits, stop=bool(dot))


def _with_year(m: re.Match, words: str, year_digits: str | None, stop: bool) -> str:
    if year_digits:
        return f"{words}, {year(year_digits)}"
    return words + (keep_stop(m) if stop and m.group(0).endswith(".") else "")


def _year_first(m: re.Match) -> str:
    digits, month, day = m.group(1), m.group(2) or m.group(4), m.group(3) or m.group(5)
    return f"{MONTHS[int(month) - 1]} {ordinal(day)}, {year(digits)}"


def dates(text: str) -> str:
    """Numeric dates in words: ISO, 2016/07/03, 12/25/2016, 15-01-2020, 03.12.1999."""
    text = sub(_ISO_DATE, lambda m: f"{MONTHS[int(m.group(2)) - 1]} {ordinal(m.group(3))}, {year(m.group(1))}", text)
    text = sub(_YEAR_FIRST, _year_first, text)
    text = sub(_SLASH_DATE, lambda m: _numeric_date(*m.groups(), month_first=True) or m.group(0), text)
    text = sub(_DASH_DATE, lambda m: _numeric_date(*m.groups(), month_first=True) or m.group(0), text)
    return sub(_DOTTED_DATE, lambda m: _numeric_date(*m.groups(), month_first=False) or m.group(0), text)


def written_dates(text: str) -> str:
    """'March 3, 2020', '4 Aug 2021', 'jul 25 2012', 'Jan-15', 'Dec. 2020' in words."""
    text = sub(_MONTH_DAY, _month_day, text)
    text = sub(_DAY_MONTH, _day_month, text)
    return _MONTH_YEAR.sub(lambda m: _month(m.group(1)) + " ", text)


# --- years and decades -------------------------------------------------------

_DECADE = re.compile(r"(?<![\d,.])\b(1[1-9]\d0|20\d0)(?:'?s| s)\b|(?<![\w'])'?([1-9]0)'?s\b")  # 1980s, 1980 s, '80s
_SHORT_YEAR = re.compile(r"(?<![\w'])'(\d\d)\b(?!')")  # the summer of '69
_YEAR = re.compile(rf"(?<![\d,.$€£¥₹#])\b({YEAR})\b(?![,.]\d|\s?%)")
_NEXT_WORDS = re.compile(r"\s+([a-z]+)\b(?:\s+(\w+))?")
_PREVIOUS_WORD = re.compile(r"(\w+)\s+$")
# A year's number before a noun counts when the noun measures ("2000 years") or is a plural
# with no determiner or preposition of time before the number: "2019 people" but "the 2019 elections".
_MEASURES = {
    "years", "days", "weeks", "months", "hours", "minutes", "seconds", "miles", "kilometers", "meters", "feet",
    "pounds", "tons", "words", "pages", "times", "calories", "dollars", "euros",
}
_IRREGULAR_PLURALS = {"people", "men", "women", "children", "feet", "teeth", "mice", "geese", "sheep", "fish", "deer", "cattle"}
_NOT_PLURALS = {"was", "has", "is", "does", "goes", "this", "thus", "plus", "less", "always", "perhaps", "across", "its", "his"}
_BEFORE_A_YEAR = {
    "the", "a", "an", "this", "that", "these", "those", "his", "her", "its", "their", "our", "my", "your", "whose",
    "in", "since", "by", "from", "until", "till", "during", "before", "after", "around", "circa", "s",
}
_DETERMINERS = {"the", "a", "an", "his", "her", "its", "their", "our", "my", "this", "that", "these", "those"}


def _counts(m: re.Match) -> bool:
    """Whether the number is a quantity ('2019 people') rather than a year."""
    nxt = _NEXT_WORDS.match(m.string, m.end())
    if not nxt:
        return False
    noun, then = nxt.group(1), (nxt.group(2) or "").lower()
    if noun in _MEASURES:
        return True
    plural_noun = noun in _IRREGULAR_PLURALS or (
        len(noun) > 3 and noun.endswith("s") and not noun.endswith(("ss", "us", "is")) and noun not in _NOT_PLURALS
    )
    if not plural_noun or then in _DETERMINERS:  # "1990 marks the ...": a verb
        return False
    previous = _PREVIOUS_WORD.search(before(m))
    return not previous or previous.group(1).lower() not in _BEFORE_A_YEAR


def decades(text: str) -> str:
    """'the 1990s', 'the '80s' in words."""
    return sub(_DECADE, lambda m: plural(year(m.group(1)) if m.group(1) else cardinal(m.group(2))), text)


def years(text: str) -> str:
    """'69 and four-digit years in words; a count where the number counts."""
    text = sub(_SHORT_YEAR, lambda m: short_year(m.group(1)), text)
    return sub(_YEAR, lambda m: cardinal(m.group(1)) if _counts(m) else year(m.group(1)), text)
