"""Percentages, units, rates, ranges, fractions, counted digits and plain numbers."""

from __future__ import annotations

import re

from narrate.normalize.money import CURRENCY, SCALE, SCALES
from narrate.normalize.words import NUM, attributive, cardinal, keep_stop, number, ordinal, sub

_HEIGHT = re.compile(r"(?<![\w.])(\d)'\s?(\d{1,2})(?:\"|'')")  # 6'2"
_PERCENT_RANGE = re.compile(r"(\d)\s?%(?=\s(?:to|and)\s[-+−]?\.?\d[\d.,]*\s?%)")  # 3% to 5%: one "percent"
_PERCENT = re.compile(rf"(?<![\w.])([-+−]?)({NUM})(\.\d+)?\s?%")

_UNITS = {  # abbreviation after a number: (one, many)
    "km": ("kilometer", "kilometers"), "kg": ("kilogram", "kilograms"), "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"), "m": ("meter", "meters"), "nm": ("nanometer", "nanometers"),
    "µm": ("micrometer", "micrometers"), "mi": ("mile", "miles"), "yd": ("yard", "yards"), "ft": ("foot", "feet"),
    "mph": ("mile per hour", "miles per hour"), "km/h": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"), "m/s": ("meter per second", "meters per second"),
    "mg": ("milligram", "milligrams"), "g": ("gram", "grams"), "µg": ("microgram", "micrograms"),
    "mcg": ("microgram", "micrograms"), "lb": ("pound", "pounds"), "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"), "fl oz": ("fluid ounce", "fluid ounces"),
    "ml": ("milliliter", "milliliters"), "mL": ("milliliter", "milliliters"), "cl": ("centiliter", "centiliters"),
    "l": ("liter", "liters"), "L": ("liter", "liters"), "gal": ("gallon", "gallons"),
    "cc": ("cubic centimeter", "cubic centimeters"),
    "tsp": ("teaspoon", "teaspoons"), "tbsp": ("tablespoon", "tablespoons"),
    "sq ft": ("square foot", "square feet"), "sq m": ("square meter", "square meters"),
    "sq mi": ("square mile", "square miles"), "sq km": ("square kilometer", "square kilometers"),
    "m²": ("square meter", "square meters"), "km²": ("square kilometer", "square kilometers"),
    "ft²": ("square foot", "square feet"), "m³": ("cubic meter", "cubic meters"), "ha": ("hectare", "hectares"),
    "Hz": ("hertz", "hertz"), "kHz": ("kilohertz", "kilohertz"), "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"), "KB": ("kilobyte", "kilobytes"), "kB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"), "GB": ("gigabyte", "gigabytes"), "TB": ("terabyte", "terabytes"),
    "PB": ("petabyte", "petabytes"), "Kbps": ("kilobit per second", "kilobits per second"),
    "kbps": ("kilobit per second", "kilobits per second"), "Mbps": ("megabit per second", "megabits per second"),
    "Gbps": ("gigabit per second", "gigabits per second"), "MB/s": ("megabyte per second", "megabytes per second"),
    "W": ("watt", "watts"), "kW": ("kilowatt", "kilowatts"), "MW": ("megawatt", "megawatts"), "GW": ("gigawatt", "gigawatts"),
    "kWh": ("kilowatt-hour", "kilowatt-hours"), "MWh": ("megawatt-hour", "megawatt-hours"),
    "GWh": ("gigawatt-hour", "gigawatt-hours"), "TWh": ("terawatt-hour", "terawatt-hours"),
    "V": ("volt", "volts"), "kV": ("kilovolt", "kilovolts"), "mAh": ("milliamp-hour", "milliamp-hours"),
    "kcal": ("kilocalorie", "kilocalories"), "cal": ("calorie", "calories"), "dB": ("decibel", "decibels"),
    "rpm": ("revolution per minute", "revolutions per minute"), "bpm": ("beat per minute", "beats per minute"),
    "fps": ("frame per second", "frames per second"), "ppm": ("part per million", "parts per million"),
    "psi": ("pound per square inch", "pounds per square inch"), "mpg": ("mile per gallon", "miles per gallon"),
    "ms": ("millisecond", "milliseconds"), "ns": ("nanosecond", "nanoseconds"), "s": ("second", "seconds"),
    "sec": ("second", "seconds"), "secs": ("second", "seconds"), "min": ("minute", "minutes"), "mins": ("minute", "minutes"),
    "h": ("hour", "hours"), "hr": ("hour", "hours"), "hrs": ("hour", "hours"), "wk": ("week", "weeks"),
    "wks": ("week", "weeks"), "mo": ("month", "months"), "yr": ("year", "years"), "yrs": ("year", "years"),
    "degrees": ("degree", "degrees"), "deg": ("degree", "degrees"), "cents": ("cent", "cents"),
    "m/s²": ("meter per second squared", "meters per second squared"),
    # as often typed: lower case for rates and frequencies, capitals for the everyday units
    "mbps": ("megabit per second", "megabits per second"), "gbps": ("gigabit per second", "gigabits per second"),
    "khz": ("kilohertz", "kilohertz"), "mhz": ("megahertz", "megahertz"), "ghz": ("gigahertz", "gigahertz"),
    "kwh": ("kilowatt-hour", "kilowatt-hours"), "gb": ("gigabyte", "gigabytes"),
    "KG": ("kilogram", "kilograms"), "Kg": ("kilogram", "kilograms"), "KM": ("kilometer", "kilometers"),
    "Km": ("kilometer", "kilometers"), "CM": ("centimeter", "centimeters"), "LBS": ("pound", "pounds"),
    "MPH": ("mile per hour", "miles per hour"), "KPH": ("kilometer per hour", "kilometers per hour"),
    "km³": ("cubic kilometer", "cubic kilometers"), "cm³": ("cubic centimeter", "cubic centimeters"),
    "cm²": ("square centimeter", "square centimeters"), "mm²": ("square millimeter", "square millimeters"),
    "ft³": ("cubic foot", "cubic feet"),
}
_SPACED_ONLY = {"s"}  # glued, "50s" is a decade; so is "1980 s"
_DECADE_DIGITS = re.compile(r"1[1-9]\d0|20\d0")
_UNIT_NAMES = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))
_MIXED = r"\d+\s[1-9]/\d{1,2}(?![\d/])"  # 2 1/2
_QUANTITY = rf"(?:{_MIXED}|[1-9]/\d{{1,2}}(?![\d/])|(?:{NUM})(?:\.\d+)?|\.\d+)"
_UNIT = re.compile(
    rf"(?<![\w.,/])({_QUANTITY})(\s?-\s?|\s?)(?:({SCALE})\s)?({_UNIT_NAMES})(?![\w/²³])(\.(?=\s|$))?"
)
# $15/hr, €3/kg, 3 cups/day: a slash after an amount is "per".
_PER_WORDS = {"h": "hour", "hr": "hour", "mo": "month", "yr": "year", "wk": "week", "d": "day", "sec": "second", "s": "second"}
_PER_NAMES = "|".join(
    sorted({*map(re.escape, _UNITS), *_PER_WORDS, "hour", "day", "week", "month", "year", "night", "person", "head",
            "user", "seat", "share", "unit", "item", "mile", "minute", "second", "gallon", "ton", "capita", "serving"},
           key=len, reverse=True)
)
_PER = re.compile(
    rf"((?:{CURRENCY})?\s?(?<![\w.,])\d[\d,]*(?:\.\d+)?(?:\s?(?:{SCALE}|[kKmMB]|bn|tn))?"
    rf"(?:\s?(?:{_UNIT_NAMES})|\s[a-z]+s)?)\s?/\s?({_PER_NAMES})(?![\w/])"
)
# 10-20, $40-$60, 3%-5%, 1970s-1990s, 2-3kg: a hyphen between two numbers is "to".
_RANGE = re.compile(
    rf"(?<![\w.,/-])({CURRENCY}?\d[\d,]*(?:\.\d+)?(?:%|'?s\b|[A-Za-z]{{1,3}}\b)?)[-–]"
    rf"({CURRENCY}?\.?\d[\d,]*(?:\.\d+)?)(?!\d|[.,]\d|[-–/]\d)"
)
_UNIT_AFTER = re.compile(rf"\s?(?!s\b)(?:{_UNIT_NAMES})(?![\w/²³])")
_HYPHEN_MIXED = re.compile(r"(?<![\w.,/-])(\d+)-([1-9]/\d{1,2})(?![\d/])")  # 1-1/2 is 1 1/2
_ROUND_PLURAL = re.compile(r"(?<![\w.,])(10|100|1,?000|1,?000,?000)s\b")  # 100s of people
_ROUND_WORDS = {"10": "tens", "100": "hundreds", "1000": "thousands", "1000000": "millions"}
# rated 4.5/5, 9/10, 4/5 stars: a score is "out of".
_OUT_OF = re.compile(
    r"\b((?:[Rr]ated|[Ss]cored|[Rr]ating of|[Ss]core of) )(\d+(?:\.\d)?)/(\d+)\b(?![/.]\d)"
    r"|(?<![\w.,/])()(\d+(?:\.\d)?)/(5|10)(?= stars?\b)"
)
_POWER = re.compile(r"(?<=\d)\^(\d+)\b")  # 10^6
_INCHES = re.compile(r"(?<=\b(?:feet|foot) )(\d+)\s?in\b\.?")  # 5 ft 10 in
# "the 1970s to 1990s": a narrator says "the" before each decade.
_DECADE_RANGE = re.compile(r"(?<=\b[Tt]he )(\d{4}'?s to )(?=\d{4}'?s\b)")
_NEGATIVE = re.compile(r"(?<![\w.,])[-−](?=[$€£¥₹]?\.?\d)")
_ORDINAL = re.compile(rf"\b({NUM})(st|nd|rd|th)\b", re.IGNORECASE)
# 3/4, 2 1/2, 31/32, 3/100; a top of two digits only under its bottom (24/7 is no fraction), and
# no bottom from 11 to 31 but 16 (9/11, 3/12 are dates).
_FRACTION = re.compile(r"(?<![\w/.,])(?:(\d+)\s)?([1-9]\d?)/([2-9]|10|16|32|64|100)(?![\w/])")
_FRACTION_WORDS = {2: ("half", "halves"), 4: ("quarter", "quarters"), 100: ("hundredth", "hundredths")}
_FRACTION_ORDINAL = re.compile(r"(?<![\w/.,])(\d{1,2}/\d{1,3})(?:st|nd|rd|th)\b", re.IGNORECASE)  # 1/4th
_BARE_SCALE = re.compile(rf"(?<![\w.,])((?:{NUM})(?:\.\d+)?)(bn|tn)\b")  # 2.5bn people
_BY = re.compile(r"(?<![\w.])(?!0x)(\d+(?:\.\d+)?)\s?x\s?(?=\d)")  # a 2x4; 0x1F is hexadecimal
_TIMES = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)x(?!\w)")  # 3x faster
ARITHMETIC = (
    (re.compile(r"(?<=\d)\s*[×*]\s*(?=\d)"), " times "),
    (re.compile(r"(?<=\d)\s*\+\s*(?=\d)"), " plus "),
    (re.compile(r"(?<=\d)\+(?!\w)"), " plus"),  # 18+
    (re.compile(r"~\s?(?=\d)"), "about "),
    (re.compile(r"#\s?(?=\d)"), "number "),
)
_VERSION = re.compile(r"(?<![\d.,])\d+(?:\.\d+){2,}(?![\d.]\d)")  # 1.2.3
# A number; one glued after a comma is read too, the comma spaced (the readings before may
# have left "seven,2" of "7,2"), but for a group of thousands.
_DECIMAL = re.compile(
    rf"(?:(?<![\d,])|((?<!\d),|(?<=\d),(?!\d{{3}}(?!\d))))(?:({NUM})(\.\d+)?|(\.\d+))(?!\d)"
)


def _percent(m: re.Match) -> str:
    sign = {"": "", "+": "plus "}.get(m.group(1), "minus ")
    return f"{sign}{number(m.group(2) + (m.group(3) or ''))} percent"


def _fraction_words(top: int, bottom: int, mixed: bool) -> str:
    """'three quarters'; after a whole number, one part is 'a half', 'a third'."""
    one, many = _FRACTION_WORDS.get(bottom, (ordinal(str(bottom)), ordinal(str(bottom)) + "s"))
    if top == 1:
        return f"{'an' if one[0] in 'aeio' else 'a'} {one}" if mixed else f"one {one}"
    return f"{cardinal(str(top))} {many}"


def _fraction(m: re.Match) -> str:
    if len(m.group(2)) == 2 and int(m.group(2)) >= int(m.group(3)):  # 24/7, 10/10
        return m.group(0)
    part = _fraction_words(int(m.group(2)), int(m.group(3)), bool(m.group(1)))
    return f"{cardinal(m.group(1))} and {part}" if m.group(1) else part


def _quantity(text: str) -> tuple[str, bool]:
    """A unit's amount in words, and whether it is more than one: '2 1/2' -> 'two and a half'."""
    if "/" in text:
        whole, _, part = text.rpartition(" ")
        top, bottom = map(int, part.split("/"))
        return (f"{cardinal(whole)} and {_fraction_words(top, bottom, True)}", True) if whole else (part, False)
    return number(text.replace(",", "")), text != "1"


def _unit(m: re.Match) -> str:
    written, hyphen, scale, name = m.group(1), m.group(2), m.group(3), m.group(4)
    if (name in _SPACED_ONLY and (not hyphen or _DECADE_DIGITS.fullmatch(written))) or (name == "degrees" and hyphen.strip()):
        return m.group(0)
    one, many = _UNITS[name]
    amount, more = _quantity(written)
    stop = keep_stop(m) if m.group(5) else ""
    if "/" in amount:  # 1/2 km: half a kilometer
        top, bottom = map(int, amount.split("/"))
        article = "an" if one[0] in "aeio" or one.startswith("hour") else "a"
        part = "half" if (top, bottom) == (1, 2) else f"{_fraction_words(top, bottom, False)} of"
        return f"{part} {article} {one}{stop}"
    if hyphen.strip():  # a 5-km race: a five-kilometer race
        return f"{amount}-{one}{stop}"
    more = (more or bool(scale)) and not attributive(m)  # a 2 kg bag: a two kilogram bag
    return f"{amount} {scale + ' ' if scale else ''}{one if not more else many}{stop}"


# Digits glued to letters ('MP3', '4K') get a space, so their words stay words; a code such as
# 'cp1252' is split last, so its number is no year.
_GLUED = re.compile(r"(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])(?!(?:st|nd|rd|th|s)\b)")


# 12", a 12" pizza, 8" x 10": a double quote after a number is an inch mark, unless it closes
# a quotation ("Top 10"). One scan pairs the quotes, so the rule stays linear.
_INCH_OR_QUOTE = re.compile(r'(?<![\w.,])(\d+(?:\.\d+)?)"(?![\w"])|"')
_BY_AFTER = re.compile(r"\s?[x×]\s?(?=\d)")


def marks(text: str) -> str:
    """Heights and inch marks: 6'2" -> 'six foot two', 12" -> '12 inches'."""
    text = sub(_HEIGHT, lambda m: f"{cardinal(m.group(1))} foot {cardinal(m.group(2))}", text)
    if '"' not in text:
        return text
    out, last, quoted, adjective = [], 0, False, False
    for m in _INCH_OR_QUOTE.finditer(text):
        if m.group(1) is None or quoted:  # an opening or closing quote
            quoted = not quoted
            continue
        adjective = adjective or attributive(m)  # a 12" pizza: a twelve inch pizza
        out += [text[last : m.start()], m.group(1)]
        last = m.end()
        by = _BY_AFTER.match(text, last)
        if by:  # an 8" x 10" print: an eight by ten inch print
            out.append(" by ")
            last = by.end()
            continue
        out.append(" inch" if adjective or m.group(1) == "1" else " inches")
        adjective = False
    return "".join(out) + text[last:]


def _range(m: re.Match) -> str:
    first, second = m.group(1), m.group(2)
    if first == second:  # a 50-50 split
        return f"{first}-{second}" if first.isdigit() and len(first) < 3 else m.group(0).replace("–", " to ")
    if len(first) == 4 and first.isdigit() and _UNIT_AFTER.match(m.string, m.end()):
        return f"{cardinal(first)} to {second}"  # 1234-123kg: amounts, not years
    if re.fullmatch(r"1\d{3}|20\d\d", first) and re.fullmatch(r"\d\d", second):
        second = "'" + second  # 1980-85, 2000-01: the second is a short year
    return f"{first} to {second}"


def _out_of(m: re.Match) -> str:
    said, score, of = (m.group(1), m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5), m.group(6))
    return f"{said}{number(score)} out of {cardinal(of)}"


def ranges(text: str) -> str:
    """A dash between two numbers read 'to', and a minus sign read 'minus'."""
    text = _HYPHEN_MIXED.sub(r"\1 \2", text)
    text = sub(_RANGE, _range, text)  # before signs are read as minus
    text = _DECADE_RANGE.sub(r"\1the ", text)
    return sub(_NEGATIVE, lambda m: "minus ", text)


def rates(text: str) -> str:
    """A slash after an amount read 'per': '$15/hr' -> '$15 per hour' (before money and units)."""
    return _PER.sub(lambda m: f"{m.group(1)} per {_PER_WORDS.get(m.group(2)) or _UNITS.get(m.group(2), (m.group(2),))[0]}", text)


def amounts(text: str) -> str:
    """Percentages, arithmetic, units and scales in words."""
    text = _PERCENT_RANGE.sub(r"\1", text)
    text = sub(_PERCENT, _percent, text)
    for pattern, words in ARITHMETIC:
        text = sub(pattern, lambda m, w=words: w, text)
    text = sub(_BY, lambda m: f"{number(m.group(1))} by ", text)
    text = sub(_TIMES, lambda m: f"{number(m.group(1))} times", text)
    text = sub(_UNIT, _unit, text)
    text = _INCHES.sub(lambda m: f"{cardinal(m.group(1))} {'inch' if m.group(1) == '1' else 'inches'}{keep_stop(m)}", text)
    text = sub(_ROUND_PLURAL, lambda m: _ROUND_WORDS[m.group(1).replace(",", "")], text)
    text = sub(_OUT_OF, _out_of, text)
    text = _POWER.sub(lambda m: f" to the power of {cardinal(m.group(1))}", text)
    return sub(_BARE_SCALE, lambda m: f"{number(m.group(1).replace(',', ''))} {SCALES[m.group(2)]}", text)


def ordinals(text: str) -> str:
    """'3rd' -> 'third'; '1/4th' is a fraction."""
    text = _FRACTION_ORDINAL.sub(r"\1", text)
    return sub(_ORDINAL, lambda m: ordinal(m.group(1)), text)


def last_numbers(text: str) -> str:
    """Fractions, then what is left: versions and plain numbers."""
    text = sub(_FRACTION, _fraction, text)
    text = _GLUED.sub(" ", text)
    text = sub(_VERSION, lambda m: " point ".join(cardinal(part) for part in m.group(0).split(".")), text)
    return sub(_DECIMAL, lambda m: (", " if m.group(1) else "") + number((m.group(2) or "") + (m.group(3) or m.group(4) or "")), text)

