"""Abbreviations, streets and directions, initialisms, and Roman numerals."""

from __future__ import annotations

import re
from typing import Callable

from narrate.normalize.words import at_line_end, before, cardinal, keep_stop, ordinal

_TITLES = {  # before a name
    "Dr": "Doctor", "Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Prof": "Professor", "St": "Saint",
    "Mt": "Mount", "Ft": "Fort", "Gen": "General", "Capt": "Captain", "Lt": "Lieutenant",
    "Sgt": "Sergeant", "Rev": "Reverend", "Gov": "Governor", "Sen": "Senator", "Rep": "Representative",
}
_TITLE = re.compile(r"\b(Dr|Mr|Mrs|Ms|St|Mt)\b\.?(?=\s+[A-Z])|\b(Prof|Mt|Ft|Gen|Capt|Lt|Sgt|Rev|Gov|Sen|Rep)\.(?=\s+[A-Z])")
_AFTER_NAME = {
    "St": "Street", "Ave": "Avenue", "Rd": "Road", "Blvd": "Boulevard", "Ln": "Lane", "Hwy": "Highway",
    "Pkwy": "Parkway", "Dr": "Drive", "Jr": "Junior", "Sr": "Senior",
}
_STREET_WORDS = "Street|Avenue|Road|Boulevard|Lane|Drive|Place|Way|Highway|Parkway"
_STREET = r"St|Ave|Rd|Blvd|Ln|Hwy|Pkwy"
# After a capitalised word that does not start a sentence: "on Main St." but not "Then St. Louis".
_SUFFIX = re.compile(rf"(?<=[^\s.!?\"'] )([A-Z][A-Za-z]*),? ({_STREET}|Jr|Sr|Dr(?!\.\s+[A-Z]))\.")
# Without a dot, a street after any capitalised word: "Elm St"; St before a name is Saint.
_BARE_SUFFIX = re.compile(r"\b([A-Z][a-z]+) (?:(St)(?!\s+[A-Z])|(Ave|Rd|Blvd|Ln|Hwy|Pkwy))\b(?!\.)")
# A numbered street's ordinal is part of its name: "5th Ave" is "Fifth Avenue".
_ORDINAL_STREET = re.compile(rf"\b(\d+)(?:st|nd|rd|th) ((?:{_STREET}|{_STREET_WORDS})\b\.?)")
_DIRECTIONS = {
    "N": "North", "S": "South", "E": "East", "W": "West",
    "NE": "Northeast", "NW": "Northwest", "SE": "Southeast", "SW": "Southwest",
}
# "N Main": a compass letter before a street's name. Not after a capitalised name ("George W Bush"),
# not before "Street" ("E Street" is named by the letter), and with a dot only before a street.
_DIRECTION = re.compile(
    rf"\b(N|S|E|W|NE|NW|SE|SW)(?:\.(?= [A-Z][a-z]+ (?:{_STREET}|{_STREET_WORDS})\b)|\b(?!\.)) "
    rf"(?!(?:{_STREET}|{_STREET_WORDS})\b)(?=[A-Z][a-z]+\b)"
)
# A lone letter is a direction only where an address is: before a street ("N Main", "W Elm Ave")
# or after a house number or "on", "at"; "E Jones" and "S Club" are names.
_STREET_AFTER = re.compile(rf"(?:[A-Z][\w-]+ ){{1,2}}(?:{_STREET}|{_STREET_WORDS})\b|(?:Main|Broadway)\b")
_ADDRESS_BEFORE = re.compile(r"(?:\d|\b(?:on|at|along|onto|off|via|near))\s+$")
_CAPITALISED_BEFORE = re.compile(r"\b[A-Z][\w.]*\s+$")
_LATIN = (  # (pattern, words); a capital first letter is kept
    (re.compile(r"\b([Ee])\.\s?g\."), "for example"),
    (re.compile(r"\b([Ii])\.\s?e\."), "that is"),
    (re.compile(r"\b([Vv])iz\."), "namely"),
    (re.compile(r"\b([Aa])\.k\.a\."), "also known as"),
    (re.compile(r"\b([Cc])f\."), "compare"),
    (re.compile(r"\b([Vv])s\.?(?=\s)"), "versus"),
    (re.compile(r"\b([Aa])pprox\.(?=\s)"), "approximately"),
    (re.compile(r"\b([Cc])a?\.(?=\s?\d)"), "circa"),  # c. 1500, ca. 1500
    (re.compile(r"\b([Nn])o\.(?=\s?\d)"), "number"),
    (re.compile(r"\b([Nn])os\.(?=\s?\d)"), "numbers"),
    (re.compile(r"\b([Ff])ig\.(?=\s?\d)"), "figure"),
    (re.compile(r"\b([Pp])p\.(?=\s?\d)"), "pages"),
    (re.compile(r"\b([Pp])\.(?=\s?\d)"), "page"),
    (re.compile(r"\b([Vv])ol\.(?=\s?\d)"), "volume"),
    (re.compile(r"\b([Cc])h\.(?=\s?\d)"), "chapter"),
    (re.compile(r"(?<=\()([b])\.(?=\s?\d{3,4}\b)"), "born"),  # (b. 1920)
    (re.compile(r"(?<=\()([d])\.(?=\s?\d{3,4}\b)"), "died"),
)
_ETC = re.compile(r"(?<!/)\b([Ee])tc(?:\.|(?=[\s,;:!?)]|$))")  # not the folder in "/etc/hosts"
HINT = re.compile(rf"[.\d]|\b(?:Dr|Mr|Mrs|Ms|St|Mt|[Vv]s|[Ee]tc|{_STREET}|[NSEW]{{1,2}})\b")
# U.S., a.k.a.; capitals lose their last full stop too ("340 A.D", "the U.S").
_INITIALISM = re.compile(r"(?<![\w.])((?:[A-Za-z]\.){2,}|(?:[A-Z]\.)+[A-Z](?![\w.]))(?!\w)")


def _latin(words: str) -> Callable[[re.Match], str]:
    def spoken(m: re.Match) -> str:
        return words.capitalize() if m.group(1).isupper() else words

    return spoken


def _initialism(m: re.Match) -> str:
    # Capitals run together are spelled out ("US", "AM"); spaced, a lone "A" is read as "uh".
    # "The U.S. Army": a capital after it is no sign of a sentence end; only the line's end is.
    return m.group(1).replace(".", "").upper() + ("." if m.group(1).endswith(".") and at_line_end(m) else "")


def _ordinal_street(m: re.Match) -> str:
    suffix = m.group(2).rstrip(".")
    return f"{ordinal(m.group(1)).capitalize()} {_AFTER_NAME.get(suffix, suffix)}{keep_stop(m)}"


def _direction(m: re.Match) -> str:
    context = before(m)
    if _CAPITALISED_BEFORE.search(context):
        return m.group(0)
    if len(m.group(1)) == 1 and not (_STREET_AFTER.match(m.string, m.end()) or _ADDRESS_BEFORE.search(context)):
        return m.group(0)
    return _DIRECTIONS[m.group(1)] + " "


def abbreviations(text: str) -> str:
    """Titles, streets, directions, Latin abbreviations and initialisms in words."""
    text = _ORDINAL_STREET.sub(_ordinal_street, text)  # 5th Ave.
    text = _SUFFIX.sub(lambda m: f"{m.group(1)} {_AFTER_NAME[m.group(2)]}{keep_stop(m)}", text)  # Main St.
    text = _BARE_SUFFIX.sub(lambda m: f"{m.group(1)} {_AFTER_NAME[m.group(2) or m.group(3)]}", text)
    text = _DIRECTION.sub(_direction, text)
    text = _TITLE.sub(lambda m: _TITLES[m.group(1) or m.group(2)], text)  # St. Louis
    for pattern, words in _LATIN:
        text = pattern.sub(_latin(words), text)
    text = _ETC.sub(lambda m: _latin("et cetera")(m) + keep_stop(m), text)
    return _INITIALISM.sub(_initialism, text)


# --- Roman numerals ------------------------------------------------------------

ROMAN = re.compile(
    r"\b(Chapter|Part|Book|Section|Act|Scene|Volume|Episode|Appendix|Canto|Article|Movement|Stave)"
    r"\s+(M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))\b(?!')",
    re.IGNORECASE,
)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
# A capitalized name, then a Roman numeral of two letters or more, or V: "Louis XIV", "Henry V".
# A lone I or X is left alone ("Then I", "Malcolm X").
REGNAL = re.compile(r"\b([A-Z][a-z]+) (X{0,3}(?:IX|IV|VI{0,3}|I{2,3})|X{1,3}I{1,3}|X{2,3})\b(?!-|['’](?!s\b))")
# After these a numeral is a number, not a monarch's ordinal: "Type II", "Episode IV".
_NUMBERED_BY = {
    "Chapter", "Part", "Book", "Section", "Act", "Scene", "Volume", "Episode", "Appendix", "Canto", "Article",
    "Movement", "Stave", "Type", "Class", "Phase", "Level", "Stage", "Grade", "Title", "Schedule", "Vol",
    "Apollo", "Gemini", "Vatican", "Rocky",
}
WORLD_WAR = re.compile(r"\bWorld War (II|I)\b")


def roman_value(numeral: str) -> int:
    """The value of a valid upper-case Roman numeral."""
    total = 0
    for ch, nxt in zip(numeral, [*numeral[1:], ""]):
        value = _ROMAN_VALUES[ch]
        total += -value if nxt and _ROMAN_VALUES[nxt] > value else value
    return total


def roman(m: re.Match) -> str:
    """'Chapter XII' -> 'Chapter twelve' (in headings)."""
    numeral = m.group(2)
    # Only upper case, and never a lone L, C, D or M ("Appendix C" is a letter, not 100).
    if not numeral or not numeral.isupper() or (len(numeral) == 1 and numeral in "LCDM"):
        return m.group(0)
    return f"{m.group(1)} {cardinal(str(roman_value(numeral)))}"


def regnal(m: re.Match) -> str:
    """'Louis XIV' -> 'Louis the Fourteenth'; 'Type II' -> 'Type two'."""
    name, value = m.group(1), roman_value(m.group(2))
    if name in _NUMBERED_BY:
        return f"{name} {cardinal(str(value))}"
    return f"{name} the {ordinal(str(value)).capitalize()}"
