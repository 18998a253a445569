"""Symbols, quotes, emoji, web addresses and punctuation: what is no number."""

from __future__ import annotations

import re
import unicodedata

from narrate.normalize.words import spell_digits

_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_EMOJI_PARTS = re.compile("[\u200d\u20e3\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0000-\U000e007f]")

# Symbols any language reads the same: marks dropped, keycap digits made digits.
MARKS = (
    (re.compile(r"(\d)\ufe0f?\u20e3"), r"\1"),  # keycap digits: 1️⃣
    (re.compile(r"[®™]"), ""),
)
_VULGAR = {"½": "1/2", "¼": "1/4", "¾": "3/4", "⅓": "1/3", "⅔": "2/3", "⅛": "1/8", "⅜": "3/8", "⅝": "5/8", "⅞": "7/8"}
SYMBOLS = (
    (re.compile(r"°\s*C\b"), " degrees Celsius"),
    (re.compile(r"°\s*F\b"), " degrees Fahrenheit"),
    (re.compile(r"\s*°"), " degrees"),
    (re.compile(r"©"), " copyright "),
    # After a whole number a vulgar fraction is the rest of a mixed number: 2½ is 2 1/2.
    (re.compile(f"(?<=\\d)\\s?([{''.join(_VULGAR)}])"), lambda m: " " + _VULGAR[m.group(1)]),
    (re.compile(r"½"), " one half"),
    (re.compile(r"¼"), " one quarter"),
    (re.compile(r"¾"), " three quarters"),
    (re.compile(r"§\s*"), "section "),
    (re.compile(r"\s*[→⟶]\s*"), " to "),
    (re.compile(r"(?<=\d)\s?¢"), " cents"),
    (re.compile(r"(?<=\d)⁄(?=\d)"), "/"),  # the fraction slash: 2⁄3
    (re.compile(r"(?<!′\d)(?<!′\d\d)(?<=\d)\s?″"), " inches"),  # 2″, but 6′2″ is a height
    (re.compile(r"\s*±\s*"), " plus or minus "),
    (re.compile(r"\s*≈\s*"), " approximately "),
    (re.compile(r"\s*≠\s*"), " is not equal to "),
    (re.compile(r"\s*≥\s*"), " greater than or equal to "),
    (re.compile(r"\s*≤\s*"), " less than or equal to "),
    (re.compile(r"\s*÷\s*"), " divided by "),
)
QUOTES = (
    (re.compile(r"«\s*|\s*»"), '"'),  # French guillemets hold a space inside
    (re.compile(r"[“”„‟″]"), '"'),
    (re.compile(r"[‘’‚‛′]"), "'"),
)


def drop_pictographs(text: str, keep: str = "") -> str:
    """Emoji would be read as garbage or silence: drop them with the marks that build them (but those in `keep`)."""
    text = _EMOJI_PARTS.sub("", text)
    return _NON_ASCII.sub(
        lambda m: "" if m.group(0) not in keep and unicodedata.category(m.group(0)) in ("So", "Cs", "Co", "Cn") else m.group(0),
        text,
    )


# Symbols an engine reads in its own language: kept when the words are not English.
READ_BY_THE_ENGINE = "°©℃℉№"


# --- web addresses -----------------------------------------------------------

_TLDS = "com|org|net|edu|gov|io|co|uk|de|fr|info|dev|app|ai|tv|me|us|ca|au|eu|ly"
EMAIL = re.compile(r"(?<![\w.+&-])[\w.+&-]+@[\w-]+(?:\.[\w-]+)+")
URL = re.compile(
    rf"<?(?:https?://|www\.)[^\s<>\"]+>?|(?<![\w@.-])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{_TLDS})\b(?:/[^\s<>\"]*)?",
    re.IGNORECASE,
)
URL_HINT = re.compile(rf"://|www\.|\.(?:{_TLDS})\b", re.IGNORECASE)
_URL_MARKS = {
    ".": " dot ", "/": " slash ", "-": " dash ", "_": " underscore ", "@": " at ", "~": " tilde ", ":": " colon ",
    "+": " plus ", "&": " ampersand ",
}


# In an address digits are read one by one, as they are typed ("asdf123" is "asdf one two
# three"), but for four ("rtx-6000", a year in a path), left to the number rules.
_ADDRESS_DIGITS = re.compile(r"(?<!\d)(?:\d{1,3}|\d{5,})(?!\d)")


def _spell_address(address: str) -> str:
    spoken = "".join(_URL_MARKS.get(ch, ch) for ch in address)
    spoken = _ADDRESS_DIGITS.sub(lambda m: " " + spell_digits(m.group(0)) + " ", spoken)
    return re.sub(r"\s+", " ", spoken).strip()


def url(m: re.Match) -> str:
    """A web address as read aloud: 'example dot com slash about'."""
    address = m.group(0)
    trailing = re.search(r"[.,;:!?)>\]'\"]*$", address).group(0)
    address = address[: len(address) - len(trailing)] if trailing else address
    trailing = trailing.replace(">", "")
    address = re.sub(r"^<?(?:https?://)?(?:www\.)?", "", address, flags=re.IGNORECASE)
    address = re.split(r"[?#]", address, maxsplit=1)[0].rstrip("/")  # query strings are not read aloud
    return _spell_address(address) + trailing


def email(m: re.Match) -> str:
    """An e-mail address as read aloud: 'jane dot doe at example dot org'."""
    return _spell_address(m.group(0))


# --- punctuation ----------------------------------------------------------------

# "AM,2:40PM", "yes,34", "4,77": a comma glued before a number is a pause, as if spaced,
# unless it groups thousands (1,000,000).
GLUED_COMMA = (re.compile(r"(?<=[A-Za-z]),(?=\d)|(?<=\d),(?=\d)(?!\d{3}(?!\d))"), ", ")
PAUSE_DASH = (re.compile(r"\s*[—―]\s*|\s+[–-]{1,2}\s+|\s*--\s*"), ", ")  # dashes read as pauses
RANGE_DASHES = (  # ranges: 1990–1995, $40–$60, 10 – 20
    (re.compile(r"(?<=[\w%])–(?=[\w$€£¥₹])"), " to "),
    (re.compile(r"(?<=\d)\s+–\s+(?=[$€£¥₹]?\d)"), " to "),
)
ELLIPSES = (
    (re.compile(r"…|\.\s\.\s\.|\.{4,}"), "..."),
    (re.compile(r"\.\.\.(?=[^\s.,!?;:\"')\]])"), "... "),  # an ellipsis is a pause: a space after it
)
PUNCTUATION = (
    *ELLIPSES,
    (re.compile(r"\s*&\s*"), " and "),
    (re.compile(r"\s*%"), " percent"),
    (re.compile(r"(?<![/\w.])(\w+)/(\w+)(?![/\w])"), r"\1 \2"),  # and/or, 24/7; a path stays a path
    (re.compile(r"\s+=\s+"), " equals "),
    (re.compile(r"(?<!\S)@(?!\S)"), "at"),
)
TIDY = (
    (re.compile(r",\s*([,.!?;:])"), r"\1"),
    (re.compile(r"\s+([,!?;:]|\.+)(?=\s|$|[\"')\]])"), r"\1"),  # "word ." closed up; " ../path" left
    (re.compile(r"[^\S\n]{2,}"), " "),
    (re.compile(r"\.{4,}"), "..."),  # "end. ..." closed up
)
