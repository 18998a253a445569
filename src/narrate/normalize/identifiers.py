"""Numbers that are no quantities: phone numbers, ISBNs, DOIs, serial numbers, IP addresses.

A narrator reads them digit by digit (a group of digits at a time, with a breath between
groups) or as written, never as one huge number: "ISBN 978-0-19-953927-5" is "ISBN nine seven
eight, zero, one nine, ...", not "nine hundred seventy-eight to ...".
"""

from __future__ import annotations

import re

from narrate.normalize.words import before, spell_digits, sub

# --- labelled: a DOI, or an identifier after the word naming it ------------------------

HINT = re.compile(r"10\.\d{4,9}/|IS[BS]N|S/N|VIN|[Ss]erial|[Nn]umber|[Nn]o\.|#")
# doi:10.1000/xyz123, https://doi.org/10.1038/nature12373: before web addresses read them.
_DOI = re.compile(
    r"(\b[Dd][Oo][Ii]\s?:\s?|(?:\bhttps?://)?(?:dx\.)?\bdoi\.org/)?(?<![\w.])(10\.\d{4,9}/[^\s\"<>]+)",
    re.IGNORECASE,
)
_DOI_MARKS = {".": " dot ", "/": " slash ", "-": " dash ", "_": " underscore ", ":": " colon "}
_DOI_PART = re.compile(r"\d+|[^\W\d_]+|.")
_TRAILING = re.compile(r"[.,;:!?)\]'\"]+$")
# ISBN 978-0-19-953927-5, ISBN-10: 0-19-953927-X, ISBN 978 0 19 953927 5; ISSN 0378-5955.
_ISBN = re.compile(
    r"\b(ISBN(?:-?1[03])?)(:?\s?)((?:97[89][\s-]?)?(?:\d[\s-]?){9}[\dXx])(?![\w-])|\b(ISSN)(:?\s?)(\d{4}-?\d{3}[\dXx])(?![\w-])"
)
# A serial, part, model, order or tracking number, spelled when it has four digits or more.
_LABEL = (
    r"S/N|VIN|[Ss]erial(?: [Nn]umber| [Nn]o\.)?|(?:[Pp]art|[Mm]odel|[Oo]rder|[Ii]nvoice|[Tt]racking|[Aa]ccount|[Cc]ase"
    r"|[Pp]olicy|[Tt]icket|[Cc]onfirmation|[Rr]eference|[Rr]egistration|[Ll]icen[cs]e|[Cc]atalog(?:ue)?)"
    r" (?:[Nn]umber|[Nn]o\.|#)"
)
_LABELLED = re.compile(rf"\b({_LABEL})(\s?[:#]?\s?)([A-Z\d](?:[A-Z\d-]*[A-Z\d])?)(?![\w-])")


def _letters_and_digits(part: str) -> str:
    """'A1549' -> 'A one five four nine': letters as written, digits one by one."""
    return " ".join(spell_digits(p) if p.isdigit() else p for p in re.findall(r"\d+|\D+", part))


def _doi(m: re.Match) -> str:
    body = m.group(2)
    trailing = _TRAILING.search(body)
    if trailing:
        body = body[: trailing.start()]
    words = []
    for i, part in enumerate(_DOI_PART.findall(body)):
        if part.isdigit():
            words.append("ten" if i == 0 else spell_digits(part))
        else:
            words.append(_DOI_MARKS.get(part, part if part[0].isalnum() else " "))
    spoken = re.sub(r"\s+", " ", " ".join(words)).strip()
    return ("DOI " if m.group(1) else "") + spoken + (trailing.group(0) if trailing else "")


def _isbn(m: re.Match) -> str:
    label, colon, number = m.group(1, 2, 3) if m.group(1) else m.group(4, 5, 6)
    groups = [g.upper() if g in "Xx" else spell_digits(g) for g in re.findall(r"\d+|[Xx]", number)]
    return f"{label.replace('-', ' ')}{colon.strip()} {', '.join(groups)}"


def _labelled(m: re.Match) -> str:
    label, token = m.group(1), m.group(3)
    if sum(ch.isdigit() for ch in token) < 4:
        return m.group(0)
    label = "serial number" if label == "S/N" else re.sub(r"(?:\b[Nn]o\.|#)$", "number", label)
    return f"{label} {', '.join(_letters_and_digits(part) for part in token.split('-') if part)}"


def labelled(text: str) -> str:
    """DOIs as written, ISBNs and labelled serial numbers digit by digit."""
    if "10." in text:
        text = _DOI.sub(_doi, text)
    if "IS" in text:
        text = _ISBN.sub(_isbn, text)
    return sub(_LABELLED, _labelled, text)


# --- digit groups: phone numbers, IP addresses, codes ---------------------------------------

# (555) 123-4567, 1-800-555-1234, +1 123-123-5678, 123-123-5678-1111, 217.788.8311, +44 20 7946 0958
_PHONE = re.compile(
    r"(?<![\w.,+-])(?:(?:\+\d{1,3}[\s-]?|1-)?(?:\(\d{3}\)[\s-]?|\d{3}-)?\d{3}-\d{4}(?:-\d{1,4})?|\d{3}\.\d{3}\.\d{4}"
    r"|\+\d{1,3}(?:[\s-]\(?\d{2,5}\)?){2,5})(?![\w-]|\.\d)"
)
_DIALED = re.compile(r"\b([Cc]all|[Dd]ial|[Tt]ext)(\s+)(\d11|999|112|000)(?![\w.,-]?\d)")  # emergency and service numbers
# 192.168.0.1; but "sections 7.5.1.1" is a section number: an address has a group of three
# digits, or a word before it says what it is.
_IP = re.compile(r"(?<![\w.,])\d{1,3}(?:\.\d{1,3}){3}(?![\w]|\.\d)")
_IP_WORDS = re.compile(r"\b(?:IPs?|[Aa]ddress(?:es)?|DNS|[Ss]erver|[Hh]ost|[Pp]ing|[Gg]ateway|[Rr]outer|[Ss]ubnet)\b")
# 978-0-19-953927-5, 111-11-1111: three groups or more, one of three digits or a leading zero.
# "10-20-30" and "4-3-3" are left to be read as numbers.
_GROUPS = re.compile(r"(?<![\w.,/+-])\d+(?:-\d+){2,}(?![\w-]|[.,/]\d)")
_HASH = re.compile(r"#\s?(\d{5,})(?![\d,.]\d)")  # order #123456
_ENDING = re.compile(r"\b((?:card|account|number|phone)\b[^.\d\n]{0,30}?\bending (?:in|with) )(\d{4})\b(?![.,]\d)")
# Ten digits or more, ungrouped and not a round sum: a code, a phone number, an ISBN.
_LONG = re.compile(r"(?<![\w.,$€£¥₹₩₽])\d{10,}(?![\w]|[.,]\d)")


def _phone(m: re.Match) -> str:
    groups = re.findall(r"\d+", m.group(0))
    spoken = ", ".join(spell_digits(g) for g in groups)
    return "plus " + spoken if m.group(0).startswith("+") else spoken


def _ip(m: re.Match) -> str:
    groups = m.group(0).split(".")
    if not any(len(g) == 3 for g in groups) and not _IP_WORDS.search(before(m)):
        return m.group(0)
    return " dot ".join(spell_digits(g) for g in groups)


def _groups(m: re.Match) -> str:
    groups = m.group(0).split("-")
    if all(len(g) <= 2 and g[0] != "0" for g in groups):
        return m.group(0)
    return ", ".join(spell_digits(g) for g in groups)


def _long(m: re.Match) -> str:
    digits = m.group(0)
    return digits if len(digits) - len(digits.rstrip("0")) >= 6 else spell_digits(digits)


def digits(text: str) -> str:
    """Phone numbers, IP addresses, hyphenated codes and long digit runs read digit by digit."""
    text = sub(_PHONE, _phone, text)
    text = _DIALED.sub(lambda m: m.group(1) + m.group(2) + spell_digits(m.group(3)), text)
    text = sub(_IP, _ip, text)
    text = sub(_GROUPS, _groups, text)
    if "#" in text:
        text = sub(_HASH, lambda m: "number " + spell_digits(m.group(1)), text)
    text = _ENDING.sub(lambda m: m.group(1) + spell_digits(m.group(2)), text)
    return sub(_LONG, _long, text)

