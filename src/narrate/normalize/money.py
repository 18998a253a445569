"""Money: symbols and codes before or after an amount, scales (5M, 2bn), cents, and ranges ($40 to $60)."""

from __future__ import annotations

import re

from narrate.normalize.words import NUM, attributive, cardinal, number, sub

_CURRENCIES = {  # symbol or code: (one, many, one hundredth, hundredths)
    "$": ("dollar", "dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "¥": ("yen", "yen", "", ""),
    "₹": ("rupee", "rupees", "paisa", "paise"),
    "₩": ("won", "won", "", ""),
    "₽": ("ruble", "rubles", "kopek", "kopeks"),
    "Rs": ("rupee", "rupees", "paisa", "paise"),
    "USD": ("US dollar", "US dollars", "cent", "cents"),
    "EUR": ("euro", "euros", "cent", "cents"),
    "GBP": ("pound", "pounds", "penny", "pence"),
    "JPY": ("yen", "yen", "", ""),
    "INR": ("rupee", "rupees", "paisa", "paise"),
    "CAD": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "AUD": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "CHF": ("Swiss franc", "Swiss francs", "centime", "centimes"),
}
_DOLLAR_PREFIXES = {
    "US": "US", "A": "Australian", "AU": "Australian", "C": "Canadian", "CA": "Canadian", "NZ": "New Zealand",
    "HK": "Hong Kong", "S": "Singapore",
}
SCALES = {
    "k": "thousand", "K": "thousand", "m": "million", "M": "million", "mn": "million", "bn": "billion", "B": "billion",
    "b": "billion", "tn": "trillion", "T": "trillion",
}
SCALE = r"thousand|million|billion|trillion"
_CODES = "USD|EUR|GBP|JPY|INR|CAD|AUD|CHF"
CURRENCY = rf"(?:(?:US|AU|NZ|HK|CA|[ACS])?\$|[€£¥₹₩₽]|\bRs\.?\s?|\b(?:{_CODES})\s?)"
_AMOUNT = rf"(?:(?:{NUM})(?:\.\d+)?|\.\d+)(?!\d)"
# ¥30b, and spaced (¥30 b) for the letters no unit or word after a sum starts with ("$10 T-shirt").
_SCALED = rf"(?:((?:{'|'.join(sorted(SCALES, key=len, reverse=True))})(?!\w)|\s(?:bn|mn|[bBmMkK])(?![\w'’-]))|\s+({SCALE})\b)?"
# $5, US$40, $.99, £2bn, $2.5 million, $40 to $60, $5M to $10M.
_MONEY = re.compile(
    rf"(?<![\w.])({CURRENCY})\s?({_AMOUNT}){_SCALED}(?:\s?( to )({CURRENCY})?\s?({_AMOUNT}){_SCALED})?"
)
_CODE_AFTER = re.compile(rf"(?<![\w.])({_AMOUNT}(?:\s+(?:{SCALE}))?)\s?\b({_CODES})\b")  # 40 USD is USD 40


def _currency(symbol: str) -> tuple[str, str, str, str]:
    symbol = symbol.strip().rstrip(".")
    if symbol.endswith("$") and len(symbol) > 1:
        place = _DOLLAR_PREFIXES[symbol[:-1]]
        return (f"{place} dollar", f"{place} dollars", "cent", "cents")
    return _CURRENCIES[symbol]


def _scale(abbreviation: str | None, word: str | None) -> str:
    return SCALES[abbreviation.strip()] if abbreviation else word or ""


def _cents(fraction: str) -> int | None:
    """Hundredths in '.5' or '.50' ('.500' is no sum of cents)."""
    return int(fraction[1:].ljust(2, "0")) if len(fraction) in (2, 3) else None


def _sum(amount: str, scale: str, names: tuple[str, str, str, str]) -> str:
    one, many, cent, cents = names
    whole, _, fraction = amount.partition(".")
    fraction = "." + fraction if fraction else ""
    if scale:
        return f"{number(amount.replace(',', ''))} {scale} {many}"
    hundredths = _cents(fraction) if fraction else None
    if fraction and (hundredths is None or not cent):
        return f"{number(amount.replace(',', ''))} {many}"
    value = int(whole.replace(",", "") or "0")
    words = f"{cardinal(whole or '0')} {one if value == 1 else many}"
    if hundredths:
        cent_words = f"{cardinal(str(hundredths))} {cent if hundredths == 1 else cents}"
        return cent_words if value == 0 else f"{words} and {cent_words}"
    return words


def _money(m: re.Match) -> str:
    names = _currency(m.group(1))
    other = _currency(m.group(6)) if m.group(6) else names
    if attributive(m):  # a $5 bill: a five dollar bill
        names, other = ((n[0], n[0], n[2], n[2]) for n in (names, other))
    first, first_scale = m.group(2), _scale(m.group(3), m.group(4))
    if not m.group(5):
        return _sum(first, first_scale, names)
    second, second_scale = m.group(7), _scale(m.group(8), m.group(9))
    plain = all("." not in a or s for a, s in ((first, first_scale), (second, second_scale)))
    if other != names or not plain:
        return f"{_sum(first, first_scale, names)} to {_sum(second, second_scale, other)}"
    # "$40 to $60": the currency is said once, at the end: "forty to sixty dollars".
    first_words = number(first.replace(",", "")) + (f" {first_scale}" if first_scale and first_scale != second_scale else "")
    return f"{first_words} to {number(second.replace(',', ''))}{' ' + second_scale if second_scale else ''} {names[1]}"


def money(text: str) -> str:
    """Sums of money in words: '$5.50' -> 'five dollars and fifty cents'."""
    text = _CODE_AFTER.sub(r"\2 \1", text)
    return sub(_MONEY, _money, text)
