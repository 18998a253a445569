"""Times of day, durations (1:02:03) and ratios (16:9)."""

from __future__ import annotations

import re

from narrate.normalize.words import DIGITS, cardinal, keep_stop, sub

_HALF = r"\s?([AaPp])\.?\s?[Mm]\b\.?"  # am, a.m., PM
# A time zone after a time, spaced or glued, as typed: "11:30EST", "1:59 p.m. est", "e.s.t".
_ZONE = (
    r"(?:\s?((?:[ECMP][SD]?T|GMT|UTC|BST|CES?T|IST|JST|AE[SD]T|HST|AKST|[ecmp][sd]t|gmt|utc)(?!\w|\.\w)"
    r"|[EeCcMmPp]\.[SsDd]\.[Tt]\b\.?))?"
)
_AFTER = r"(?<![\d:.])(?<!\d,)"  # "AM,2:40PM": a comma after a word may precede a time
_CLOCK = re.compile(
    rf"{_AFTER}\b([01]?\d|2[0-3]):([0-5]\d)(?::00(?={_HALF.replace('(', '(?:')}))?(?!\d|:\d)(?:{_HALF})?{_ZONE}"
)
_DOTTED_CLOCK = re.compile(rf"{_AFTER}\b(1[0-2]|0?[1-9])\.([0-5]\d)(?!\d){_HALF}{_ZONE}")  # 1.15 p.m.
_HOUR = re.compile(rf"{_AFTER}\b(1[0-2]|0?[1-9])(){_HALF}{_ZONE}")
_TIME_TOKEN = rf"\d{{1,2}}(?::[0-5]\d)?(?:{_HALF.replace('(', '(?:')})?"
# 9-11 am, 9am-5pm, 10:00-11:30: the dash between two times is "to".
_TIME_RANGE = re.compile(
    rf"(?<![\w:.,/-])({_TIME_TOKEN})\s?[-–]\s?(?=\d{{1,2}}(?::[0-5]\d)?{_HALF.replace('(', '(?:')}|\d{{1,2}}:[0-5]\d(?!\d))"
)
_HALF_AFTER = re.compile(_HALF)
_NOON = re.compile(r"\s+(?:noon|midnight)\b")
_DURATION = re.compile(r"(?<![\w:.,])(\d{1,2}):([0-5]\d):([0-5]\d)(?![\d:]|[.,]\d)")  # 1:02:03
_RATIO = re.compile(r"(?<![\w:.,])(\d+):(\d+)(?![\d:]|[.,]\d)")  # 16:9, 2:8; 25:30 is minutes and seconds


def _time(m: re.Match) -> str:
    hour, minute, half, zone = m.group(1), m.group(2) or "00", m.group(3), m.group(4)
    words = cardinal(str(int(hour)))
    if minute == "00":
        noon = _NOON.match(m.string, m.end())  # 12:00 noon
        words += "" if half or noon else (" o'clock" if int(hour) <= 12 else " hundred")
    elif minute[0] == "0":
        words += " oh " + DIGITS[int(minute[1])]
    else:
        words += " " + cardinal(minute)
    if half:  # "AM": Piper reads "a m" as "uh em"
        words += f" {half.upper()}M"
    if zone:
        words += " " + zone.replace(".", "").upper()
    return words + keep_stop(m) if half or zone else words


def _duration(m: re.Match) -> str:
    if m.group(3) == "00" and _HALF_AFTER.match(m.string, m.end()):
        return m.group(0)  # 10:00:00 p.m. is a time of day
    parts = [
        f"{cardinal(str(int(value)))} {unit}{'' if int(value) == 1 else 's'}"
        for value, unit in zip(m.groups(), ("hour", "minute", "second"))
        if int(value)
    ]
    if not parts:
        return "zero seconds"
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _ratio(m: re.Match) -> str:
    first, second = m.group(1), m.group(2)
    if len(second) == 2 and int(second) < 60:
        return f"{cardinal(first)} {'oh ' + DIGITS[int(second[1])] if second[0] == '0' else cardinal(second)}"
    return f"{cardinal(first)} to {cardinal(second)}"


def times(text: str) -> str:
    """Times of day, durations and ratios in words: before initialisms, since "5 p.m." is a time."""
    text = _TIME_RANGE.sub(r"\1 to ", text)
    text = sub(_DURATION, _duration, text)
    for pattern in (_CLOCK, _DOTTED_CLOCK, _HOUR):
        text = sub(pattern, _time, text)
    return sub(_RATIO, _ratio, text)


