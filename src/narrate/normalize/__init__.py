"""Text as a narrator reads it: numbers, dates, money, abbreviations and symbols in words.

`normalize` runs when the essay is split, so a script shows what will be said, and again
when a build reads a script, so hand-typed digits are read right too. It is idempotent:
spoken text comes back unchanged, which keeps the speech cache valid.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable

from num2words import num2words

# Invisible characters that only confuse an engine: zero-width, joiners, bidi controls, soft hyphen.
ZERO_WIDTH = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff\u202a-\u202e\u2066-\u2069]")
_SPACES = re.compile(r"[^\S\n]+")
_DIGIT = re.compile(r"\d")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_EMOJI_PARTS = re.compile("[\u200d\u20e3\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0000-\U000e007f]")

# A match at a sentence's start is capitalized, so the splitter still sees a new sentence.
_START = re.compile(r"(?:^|[.!?][\"')\]]*\s+)[\"'(\[]*$")
_NOT_AN_END = re.compile(r"(?:\b(?:Dr|Mr|Mrs|Ms|St|Prof|Mt|Ft|Gen|Capt|Lt|Sgt|Rev|Gov|Sen|Rep)|\b[A-Z])\.\s+$")

_DIGITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
_MONTH_ABBR = {m[:3]: m for m in _MONTHS} | {"Sept": "September"}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_MONTH_OR_ABBR = rf"(?:{_MONTH}|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
_NUM = r"\d{1,3}(?:,\d{3})+|\d+"  # 1,000,000 or 1000000


def _spell_digits(digits: str) -> str:
    """'007' -> 'zero zero seven'."""
    return " ".join(_DIGITS[int(d)] for d in digits)


def _cardinal(digits: str) -> str:
    """Whole number in words; digit by digit for leading zeros and very long runs."""
    digits = digits.replace(",", "")
    if (len(digits) > 1 and digits[0] == "0") or len(digits) > 15:
        return _spell_digits(digits)
    return num2words(int(digits)).replace(",", "")


def _number(text: str) -> str:
    """'3.14' -> 'three point one four'; '1,200' -> 'one thousand two hundred'."""
    whole, _, fraction = text.partition(".")
    words = _cardinal(whole) if whole else ""
    if fraction:
        words = f"{words} point {_spell_digits(fraction)}".strip()
    return words


def _ordinal(digits: str) -> str:
    return num2words(int(digits.replace(",", "")), to="ordinal").replace(",", "")


def _year(digits: str) -> str:
    return num2words(int(digits), to="year").replace(",", "")


def _plural(words: str) -> str:
    """'nineteen ninety' -> 'nineteen nineties'."""
    return words[:-1] + "ies" if words.endswith("y") else words + "s"


def _sub(pattern: re.Pattern, spoken: Callable[[re.Match], str], text: str) -> str:
    """pattern.sub, capitalizing a replacement that starts a sentence."""

    def repl(m: re.Match) -> str:
        words = spoken(m)
        before = m.string[: m.start()]
        if words[:1].islower() and _START.search(before) and not _NOT_AN_END.search(before):
            words = words[0].upper() + words[1:]
        return words

    return pattern.sub(repl, text)


def _keep_stop(m: re.Match) -> str:
    """A full stop the match swallowed that also ends the sentence: '... 5 p.m. Then'."""
    if not m.group(0).endswith("."):
        return ""
    rest = m.string[m.end() :]
    return "." if not rest.strip() or re.match(r"\s+[\"'(\[]*[A-Z]", rest) else ""


# --- symbols, quotes, emoji --------------------------------------------------

# Symbols any language reads the same: marks dropped, keycap digits made digits.
_MARKS = (
    (re.compile(r"(\d)\ufe0f?\u20e3"), r"\1"),  # keycap digits: 1️⃣
    (re.compile(r"[®™]"), ""),
)
_SYMBOLS = (
    (re.compile(r"°\s*C\b"), " degrees Celsius"),
    (re.compile(r"°\s*F\b"), " degrees Fahrenheit"),
    (re.compile(r"\s*°"), " degrees"),
    (re.compile(r"©"), " copyright "),
    (re.compile(r"½"), " one half"),
    (re.compile(r"¼"), " one quarter"),
    (re.compile(r"¾"), " three quarters"),
    (re.compile(r"§\s*"), "section "),
    (re.compile(r"\s*[→⟶]\s*"), " to "),
)
_QUOTES = (
    (re.compile(r"«\s*|\s*»"), '"'),  # French guillemets hold a space inside
    (re.compile(r"[“”„‟″]"), '"'),
    (re.compile(r"[‘’‚‛′]"), "'"),
)


def _drop_pictographs(text: str, keep: str = "") -> str:
    """Emoji would be read as garbage or silence: drop them with the marks that build them (but those in `keep`)."""
    text = _EMOJI_PARTS.sub("", text)
    return _NON_ASCII.sub(
        lambda m: "" if m.group(0) not in keep and unicodedata.category(m.group(0)) in ("So", "Cs", "Co", "Cn") else m.group(0),
        text,
    )


# Symbols an engine reads in its own language: kept when the words are not English.
_READ_BY_THE_ENGINE = "°©℃℉№"


# --- web addresses -----------------------------------------------------------

_TLDS = "com|org|net|edu|gov|io|co|uk|de|fr|info|dev|app|ai|tv|me|us|ca|au|eu|ly"
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    rf"<?(?:https?://|www\.)[^\s<>\"]+>?|(?<![\w@.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{_TLDS})\b(?:/[^\s<>\"]*)?",
    re.IGNORECASE,
)
_URL_HINT = re.compile(rf"://|www\.|\.(?:{_TLDS})\b", re.IGNORECASE)
_URL_MARKS = {".": " dot ", "/": " slash ", "-": " dash ", "_": " underscore ", "@": " at ", "~": " tilde ", ":": " colon ", "+": " plus "}


def _spell_address(address: str) -> str:
    return re.sub(r"\s+", " ", "".join(_URL_MARKS.get(ch, ch) for ch in address)).strip()


def _url(m: re.Match) -> str:
    url = m.group(0)
    trailing = re.search(r"[.,;:!?)>\]'\"]*$", url).group(0)
    url = url[: len(url) - len(trailing)] if trailing else url
    trailing = trailing.replace(">", "")
    url = re.sub(r"^<?(?:https?://)?(?:www\.)?", "", url, flags=re.IGNORECASE)
    url = re.split(r"[?#]", url, maxsplit=1)[0].rstrip("/")  # query strings are not read aloud
    return _spell_address(url) + trailing


def _email(m: re.Match) -> str:
    return _spell_address(m.group(0))


# --- abbreviations -----------------------------------------------------------

_TITLES = {  # before a name
    "Dr": "Doctor", "Mr": "Mister", "Mrs": "Missus", "Ms": "Miz", "Prof": "Professor", "St": "Saint",
    "Mt": "Mount", "Ft": "Fort", "Gen": "General", "Capt": "Captain", "Lt": "Lieutenant",
    "Sgt": "Sergeant", "Rev": "Reverend", "Gov": "Governor", "Sen": "Senator", "Rep": "Representative",
}
_TITLE = re.compile(r"\b(Dr|Mr|Mrs|Ms|St)\b\.?(?=\s+[A-Z])|\b(Prof|Mt|Ft|Gen|Capt|Lt|Sgt|Rev|Gov|Sen|Rep)\.(?=\s+[A-Z])")
_AFTER_NAME = {"St": "Street", "Ave": "Avenue", "Rd": "Road", "Blvd": "Boulevard", "Jr": "Junior", "Sr": "Senior"}
# After a capitalised word that does not start a sentence: "on Main St." but not "Then St. Louis".
_SUFFIX = re.compile(r"(?<=[^\s.!?\"'] )([A-Z][A-Za-z]*),? (St|Ave|Rd|Blvd|Jr|Sr)\.")
_LATIN = (  # (pattern, words); a capital first letter is kept
    (re.compile(r"\b([Ee])\.\s?g\."), "for example"),
    (re.compile(r"\b([Ii])\.\s?e\."), "that is"),
    (re.compile(r"\b([Vv])iz\."), "namely"),
    (re.compile(r"\b([Aa])\.k\.a\."), "also known as"),
    (re.compile(r"\b([Cc])f\."), "compare"),
    (re.compile(r"\b([Vv])s\.?(?=\s)"), "versus"),
    (re.compile(r"\b([Aa])pprox\.(?=\s)"), "approximately"),
    (re.compile(r"\b([Cc])a\.(?=\s?\d)"), "circa"),
    (re.compile(r"\b([Nn])o\.(?=\s?\d)"), "number"),
    (re.compile(r"\b([Nn])os\.(?=\s?\d)"), "numbers"),
    (re.compile(r"\b([Ff])ig\.(?=\s?\d)"), "figure"),
    (re.compile(r"\b([Pp])p\.(?=\s?\d)"), "pages"),
    (re.compile(r"\b([Pp])\.(?=\s?\d)"), "page"),
    (re.compile(r"\b([Vv])ol\.(?=\s?\d)"), "volume"),
    (re.compile(r"\b([Cc])h\.(?=\s?\d)"), "chapter"),
)
_ETC = re.compile(r"(?<!/)\b([Ee])tc(?:\.|(?=[\s,;:!?)]|$))")  # not the folder in "/etc/hosts"
_ABBREVIATION_HINT = re.compile(r"[.\d]|\b(?:Dr|Mr|Mrs|Ms|St|[Vv]s|[Ee]tc)\b")
_INITIALISM = re.compile(r"(?<![\w.])((?:[A-Za-z]\.){2,})(?!\w)")


def _latin(words: str) -> Callable[[re.Match], str]:
    def spoken(m: re.Match) -> str:
        return words.capitalize() if m.group(1).isupper() else words

    return spoken


def _initialism(m: re.Match) -> str:
    # Capitals run together are spelled out ("US", "AM"); spaced, a lone "A" is read as "uh".
    # "The U.S. Army": a capital after it is no sign of a sentence end; only the line's end is.
    return m.group(1).replace(".", "").upper() + ("." if not m.string[m.end() :].strip() else "")


# --- numbers, money, dates, times --------------------------------------------

_TIME = re.compile(
    r"(?<![\d:.,])\b([01]?\d|2[0-3]):([0-5]\d)\b(?!:\d)(?:\s?([AaPp])\.?\s?[Mm]\b\.?)?"
    r"|(?<![\d:.,])\b(1[0-2]|0?[1-9])\s?([AaPp])\.?\s?[Mm]\b\.?"
)


def _time(m: re.Match) -> str:
    if m.group(4):
        hour, minute, half = m.group(4), "00", m.group(5)
    else:
        hour, minute, half = m.group(1), m.group(2), m.group(3)
    words = _cardinal(str(int(hour)))
    if minute == "00":
        words += "" if half else (" o'clock" if int(hour) <= 12 else " hundred")
    elif minute[0] == "0":
        words += " oh " + _DIGITS[int(minute[1])]
    else:
        words += " " + _cardinal(minute)
    if half:  # "AM": Piper reads "a m" as "uh em"
        words += f" {half.upper()}M" + _keep_stop(m)
    return words


_ISO_DATE = re.compile(r"\b(1\d{3}|20\d{2})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
_MONTH_DAY = re.compile(rf"\b({_MONTH_OR_ABBR})\s+([12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?![:.,]?\d)")
_DAY_MONTH = re.compile(rf"\b([12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b")


# 12/25/2016 (month first) or 25/12/2016 (day first): the number over 12 tells which; when
# both could be months, the month comes first, as the default voice (American English) reads.
_SLASH_DATE = re.compile(r"(?<![\w/.])(0?[1-9]|[12]\d|3[01])/(0?[1-9]|[12]\d|3[01])/(1\d{3}|20\d{2})(?![\w/])")


def _slash_date(m: re.Match) -> str:
    first, second, year = int(m.group(1)), int(m.group(2)), m.group(3)
    if first > 12 and second > 12:
        return m.group(0)  # not a date
    if first > 12:
        return f"the {_ordinal(str(first))} of {_MONTHS[second - 1]}, {_year(year)}"
    return f"{_MONTHS[first - 1]} {_ordinal(str(second))}, {_year(year)}"


def _month(name: str) -> str:
    return _MONTH_ABBR.get(name.rstrip("."), name.rstrip("."))


def _iso_date(m: re.Match) -> str:
    return f"{_MONTHS[int(m.group(2)) - 1]} {_ordinal(m.group(3))}, {_year(m.group(1))}"


def _month_day(m: re.Match) -> str:
    return f"{_month(m.group(1))} {_ordinal(m.group(2))}"


def _day_month(m: re.Match) -> str:
    the = "" if re.search(r"\b[Tt]he\s+$", m.string[: m.start()]) else "the "
    return f"{the}{_ordinal(m.group(1))} of {m.group(2)}"


_CURRENCIES = {  # symbol: (one, many, one hundredth, hundredths)
    "$": ("dollar", "dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "¥": ("yen", "yen", "", ""),
}
_SCALE = r"thousand|million|billion|trillion"
_MONEY = re.compile(rf"([$€£¥])\s?({_NUM})(\.\d+)?(?!\d)(?:\s+({_SCALE})\b)?")


def _money(m: re.Match) -> str:
    one, many, cent, cents = _CURRENCIES[m.group(1)]
    whole, fraction, scale = m.group(2), m.group(3) or "", m.group(4)
    if scale:
        return f"{_number(whole + fraction)} {scale} {many}"
    amount = int(whole.replace(",", ""))
    words = f"{_cardinal(whole)} {one if amount == 1 else many}"
    if len(fraction) in (2, 3) and cent:  # .5 or .50: cents
        hundredths = int(fraction[1:].ljust(2, "0"))
        if hundredths:
            cent_words = f"{_cardinal(str(hundredths))} {cent if hundredths == 1 else cents}"
            return cent_words if amount == 0 else f"{words} and {cent_words}"
        return words
    if fraction:
        return f"{_number(whole + fraction)} {many}"
    return words


_PERCENT = re.compile(rf"(?<![\w.])([-+−]?)({_NUM})(\.\d+)?\s?%")
_ORDINAL = re.compile(rf"\b({_NUM})(st|nd|rd|th)\b", re.IGNORECASE)
_DECADE = re.compile(r"(?<![\d,.])\b(1[1-9]\d0|20\d0)'?s\b|(?<![\w'])'?([1-9]0)'?s\b")
_SHORT_YEAR = re.compile(r"(?<![\w'])'(\d\d)\b(?!')")  # the summer of '69
_YEAR = re.compile(r"(?<![\d,.$€£¥#])\b(1\d{3}|20\d\d)\b(?![,.]\d|\s?%)")
_PHONE = re.compile(r"(?<![\w.,-])(?:\(\d{3}\)\s?|\d{3}-)?\d{3}-\d{4}(?![\w-])")  # (555) 123-4567
_DIALED = re.compile(r"\b([Cc]all|[Dd]ial|[Tt]ext)(\s+)(\d11|999|112|000)(?![\w.,-]?\d)")  # emergency and service numbers
_HEIGHT = re.compile(r"(?<![\w.])(\d)'\s?(\d{1,2})(?:\"|'')")  # 6'2"
_RANGE = re.compile(r"(?<![\w.,-])(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)(?![\w-])")
_FRACTION = re.compile(r"(?<![\w/.,])([1-9])/([2-9]|10)(?![\w/])")
_FRACTION_WORDS = {2: ("half", "halves"), 4: ("quarter", "quarters")}
_ARITHMETIC = (
    (re.compile(r"(?<=\d)\s*[×*]\s*(?=\d)"), " times "),
    (re.compile(r"(?<=\d)\s*\+\s*(?=\d)"), " plus "),
    (re.compile(r"(?<=\d)\+(?!\w)"), " plus"),  # 18+
    (re.compile(r"~\s?(?=\d)"), "about "),
    (re.compile(r"#\s?(?=\d)"), "number "),
)
_UNITS = {  # abbreviation after a number: (one, many)
    "km": ("kilometer", "kilometers"), "kg": ("kilogram", "kilograms"), "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"), "mi": ("mile", "miles"), "mph": ("mile per hour", "miles per hour"),
    "km/h": ("kilometer per hour", "kilometers per hour"), "kph": ("kilometer per hour", "kilometers per hour"),
    "lb": ("pound", "pounds"), "lbs": ("pound", "pounds"), "oz": ("ounce", "ounces"), "ft": ("foot", "feet"),
    "Hz": ("hertz", "hertz"), "kHz": ("kilohertz", "kilohertz"), "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"), "KB": ("kilobyte", "kilobytes"), "MB": ("megabyte", "megabytes"),
    "GB": ("gigabyte", "gigabytes"), "TB": ("terabyte", "terabytes"), "ml": ("milliliter", "milliliters"),
    "hrs": ("hour", "hours"), "hr": ("hour", "hours"), "min": ("minute", "minutes"), "sec": ("second", "seconds"),
}
_UNIT = re.compile(
    rf"(?<![\w.,])({_NUM})(\.\d+)?\s?({'|'.join(sorted(map(re.escape, _UNITS), key=len, reverse=True))})(?![\w/])"
)
_NEGATIVE = re.compile(r"(?<![\w.,])[-−](?=\d)")
_VERSION = re.compile(r"(?<![\d.,])\d+(?:\.\d+){2,}(?![\d.]\d)")  # 1.2.3
_DECIMAL = re.compile(rf"(?<![\d,])(?:({_NUM})(\.\d+)?|(\.\d+))(?!\d)")


def _percent(m: re.Match) -> str:
    sign = {"": "", "+": "plus "}.get(m.group(1), "minus ")
    return f"{sign}{_number(m.group(2) + (m.group(3) or ''))} percent"


def _unit(m: re.Match) -> str:
    one, many = _UNITS[m.group(3)]
    amount = _number(m.group(1) + (m.group(2) or ""))
    return f"{amount} {one if amount == 'one' else many}"


def _fraction(m: re.Match) -> str:
    top, bottom = int(m.group(1)), int(m.group(2))
    one, many = _FRACTION_WORDS.get(bottom, (_ordinal(str(bottom)), _ordinal(str(bottom)) + "s"))
    return f"{_DIGITS[top]} {one if top == 1 else many}"


def _decimal(m: re.Match) -> str:
    return _number((m.group(1) or "") + (m.group(2) or m.group(3) or ""))


def _spaced(text: str) -> str:
    """Digits glued to letters ('MP3', '4K') get a space, so their words stay words."""
    text = re.sub(r"(?<=[A-Za-z])(?=\d)", " ", text)
    return re.sub(r"(?<=\d)(?=[A-Za-z])(?!(?:st|nd|rd|th|s)\b)", " ", text)


# --- headings ------------------------------------------------------------------

_ROMAN = re.compile(
    r"\b(Chapter|Part|Book|Section|Act|Scene|Volume|Episode|Appendix|Canto|Article|Movement|Stave)"
    r"\s+(M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3}))\b(?!')",
    re.IGNORECASE,
)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
# A capitalized name, then a Roman numeral of two letters or more, or V: "Louis XIV", "Henry V".
# A lone I or X is left alone ("Then I", "Malcolm X").
_REGNAL = re.compile(r"\b([A-Z][a-z]+) (X{0,3}(?:IX|IV|VI{0,3}|I{2,3})|X{1,3}I{1,3}|X{2,3})\b(?!-|['’](?!s\b))")
# After these a numeral is a number, not a monarch's ordinal: "Type II", "Episode IV".
_NUMBERED_BY = {
    "Chapter", "Part", "Book", "Section", "Act", "Scene", "Volume", "Episode", "Appendix", "Canto", "Article",
    "Movement", "Stave", "Type", "Class", "Phase", "Level", "Stage", "Grade", "Title", "Schedule", "Vol",
    "Apollo", "Gemini", "Vatican", "Rocky",
}
_WORLD_WAR = re.compile(r"\bWorld War (II|I)\b")


def roman_value(numeral: str) -> int:
    """The value of a valid upper-case Roman numeral."""
    total = 0
    for ch, nxt in zip(numeral, [*numeral[1:], ""]):
        value = _ROMAN_VALUES[ch]
        total += -value if nxt and _ROMAN_VALUES[nxt] > value else value
    return total


def _roman(m: re.Match) -> str:
    numeral = m.group(2)
    # Only upper case, and never a lone L, C, D or M ("Appendix C" is a letter, not 100).
    if not numeral or not numeral.isupper() or (len(numeral) == 1 and numeral in "LCDM"):
        return m.group(0)
    return f"{m.group(1)} {_cardinal(str(roman_value(numeral)))}"


def _regnal(m: re.Match) -> str:
    name, value = m.group(1), roman_value(m.group(2))
    if name in _NUMBERED_BY:
        return f"{name} {_cardinal(str(value))}"
    return f"{name} the {_ordinal(str(value)).capitalize()}"


# --- punctuation ----------------------------------------------------------------

_DASHES = (
    (re.compile(r"\s*[—―]\s*|\s+[–-]{1,2}\s+|\s*--\s*"), ", "),  # dashes read as pauses
    (re.compile(r"(?<=\w)–(?=\w)"), " to "),  # ranges: 1990–1995
)
_ELLIPSES = (
    (re.compile(r"…|\.\s\.\s\.|\.{4,}"), "..."),
    (re.compile(r"\.\.\.(?=[^\s.,!?;:\"')\]])"), "... "),  # an ellipsis is a pause: a space after it
)
_PUNCTUATION = (
    *_ELLIPSES,
    (re.compile(r"\s*&\s*"), " and "),
    (re.compile(r"\s*%"), " percent"),
    (re.compile(r"(?<![/\w.])(\w+)/(\w+)(?![/\w])"), r"\1 \2"),  # and/or, 24/7; a path stays a path
    (re.compile(r"\s+=\s+"), " equals "),
    (re.compile(r"(?<!\S)@(?!\S)"), "at"),
)
_TIDY = (
    (re.compile(r",\s*([,.!?;:])"), r"\1"),
    (re.compile(r"\s+([,!?;:]|\.+)(?=\s|$|[\"')\]])"), r"\1"),  # "word ." closed up; " ../path" left
    (re.compile(r"[^\S\n]{2,}"), " "),
    (re.compile(r"\.{4,}"), "..."),  # "end. ..." closed up
)


def is_english(language: str) -> bool:
    """Whether text in `language` ("en", "en-GB", "fr", ...) gets the English rules."""
    return language.lower().startswith("en")


def normalize(text: str, heading: bool = False, language: str = "en") -> str:
    """The text as a narrator reads it.

    Numbers, ordinals, money, percentages, dates, times, units, common abbreviations,
    web and e-mail addresses and symbols become words; quotes become plain, dashes
    commas, ellipses '...'; emoji and invisible characters are dropped. Applying it to
    its own result changes nothing. The words are English: for another language only
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
        for pattern, repl in (*_MARKS, *_QUOTES):
            text = pattern.sub(repl, text)
        text = _drop_pictographs(text, keep=_READ_BY_THE_ENGINE)
    text = _SPACES.sub(" ", text)
    for pattern, repl in (_DASHES[0], *_ELLIPSES, *_TIDY):
        text = pattern.sub(repl, text)
    return text.strip(" ,")


def _line(text: str, heading: bool) -> str:
    # Cheap tests gate the rule groups: most prose has no symbols, addresses or digits,
    # and a book's worth of paragraphs goes through here at every build.
    if not text.isascii():
        text = ZERO_WIDTH.sub("", unicodedata.normalize("NFC", text))
        for pattern, repl in (*_MARKS, *_SYMBOLS):
            text = pattern.sub(repl, text)
        text = _drop_pictographs(text)
        for pattern, repl in _QUOTES:
            text = pattern.sub(repl, text)
    text = _SPACES.sub(" ", text)
    if "@" in text:
        text = _EMAIL.sub(_email, text)
    if _URL_HINT.search(text):
        text = _URL.sub(_url, text)
    if _ABBREVIATION_HINT.search(text):
        text = _abbreviations(text)
    if heading:
        text = _ROMAN.sub(_roman, text)
    text = _WORLD_WAR.sub(lambda m: "World War " + ("Two" if m.group(1) == "II" else "One"), text)
    text = _REGNAL.sub(_regnal, text)
    for pattern, repl in _DASHES:  # before numbers: a dash is no minus sign
        text = pattern.sub(repl, text)
    if _DIGIT.search(text):
        text = _numbers(text)
    for pattern, repl in _PUNCTUATION:
        text = pattern.sub(repl, text)
    for pattern, repl in _TIDY:
        text = pattern.sub(repl, text)
    return text.strip(" ,")


def _abbreviations(text: str) -> str:
    text = _sub(_TIME, _time, text)  # before initialisms: "5 p.m." is a time
    text = _SUFFIX.sub(lambda m: f"{m.group(1)} {_AFTER_NAME[m.group(2)]}{_keep_stop(m)}", text)  # Main St.
    text = _TITLE.sub(lambda m: _TITLES[m.group(1) or m.group(2)], text)  # St. Louis
    for pattern, words in _LATIN:
        text = pattern.sub(_latin(words), text)
    text = _ETC.sub(lambda m: _latin("et cetera")(m) + _keep_stop(m), text)
    return _INITIALISM.sub(_initialism, text)


def _numbers(text: str) -> str:
    text = _sub(_ISO_DATE, _iso_date, text)
    text = _sub(_SLASH_DATE, _slash_date, text)
    text = _sub(_PHONE, lambda m: ", ".join(_spell_digits(g) for g in re.findall(r"\d+", m.group(0))), text)
    text = _DIALED.sub(lambda m: m.group(1) + m.group(2) + _spell_digits(m.group(3)), text)
    text = _sub(_HEIGHT, lambda m: f"{_cardinal(m.group(1))} foot {_cardinal(m.group(2))}", text)
    text = _RANGE.sub(r"\1 to \2", text)  # 10-20; before signs are read as minus
    text = _sub(_MONTH_DAY, _month_day, text)
    text = _sub(_DAY_MONTH, _day_month, text)
    text = _sub(_MONEY, _money, text)
    text = _sub(_PERCENT, _percent, text)
    for pattern, words in _ARITHMETIC:
        text = _sub(pattern, lambda m, w=words: w, text)
    text = _sub(_UNIT, _unit, text)
    text = _sub(_DECADE, lambda m: _plural(_year(m.group(1)) if m.group(1) else _cardinal(m.group(2))), text)
    text = _sub(_ORDINAL, lambda m: _ordinal(m.group(1)), text)
    text = _sub(_SHORT_YEAR, lambda m: _year(m.group(1)) if m.group(1)[0] != "0" else "oh " + _DIGITS[int(m.group(1)[1])], text)
    text = _sub(_YEAR, lambda m: _year(m.group(1)), text)
    text = _sub(_FRACTION, _fraction, text)
    text = _sub(_NEGATIVE, lambda m: "minus ", text)
    text = _spaced(text)
    text = _sub(_VERSION, lambda m: " point ".join(_cardinal(part) for part in m.group(0).split(".")), text)
    return _sub(_DECIMAL, _decimal, text)
