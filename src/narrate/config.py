"""narrate.toml: the project's settings, validated into frozen dataclasses."""

from __future__ import annotations

import datetime
import os
import re
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

from narrate.errors import ConfigError

CONFIG_NAME = "narrate.toml"
SOUND_TARGETS = ("acx", "podcast")  # master.TARGETS: ACX's requirements, or -16 LUFS for podcasts

# What a build can write ([output] formats, `narrate build --format`), and what it writes by default.
DEFAULT_FORMATS = ("mp3", "tracks", "vtt", "json", "html")


@dataclass(frozen=True)
class Pauses:
    """Silences the narrator leaves, in milliseconds."""

    sentence: int = 350
    paragraph: int = 800
    heading: int = 1000
    cue_before: int = 1200
    cue_after: int = 900
    head: int = 600
    tail: int = 2000


@dataclass(frozen=True)
class Config:
    """Everything narrate.toml can set; defaults serve an essay given on the command line."""

    title: str = ""
    author: str = ""
    essay: str = ""
    engine: str = "auto"
    voice: str = ""
    language: str = "en"
    tld: str = "com"
    speed: float = 1.0
    cue: str = "vibraphone"
    bitrate: str = "192k"
    target: str = "acx"
    pauses: Pauses = field(default_factory=Pauses)
    # [lexicon]: (word, spoken form) pairs in file order; see narrate.lexicon for the case rule.
    lexicon: tuple[tuple[str, str], ...] = ()
    cover: str = ""
    date: str = ""  # [book] date: "YYYY", "YYYY-MM" or "YYYY-MM-DD"; "" tags the build's year
    formats: tuple[str, ...] = DEFAULT_FORMATS
    verify: bool = False  # [build] verify: every new take heard by the recognizer (build --verify)
    # [input] read: kinds of parts a narrator leaves out to read all the same ("code", "footnotes", ...)
    read: tuple[str, ...] = ()
    # Where narrate.toml sets each setting: ("voice.engine", "/x/narrate.toml (line 5)"), ...
    origins: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    def located(self, exc: ConfigError) -> ConfigError:
        """`exc` pointing at the narrate.toml line of the setting it is about, when the file sets it."""
        where = dict(self.origins).get(exc.setting or "")
        return ConfigError(f"{where}: {exc}", exc.setting) if where else exc


def env_count(name: str, default: int, most: int = 256) -> int:
    """A count from the environment variable `name` (unset or empty: `default`).

    Raises:
        ConfigError: it is not a whole number from 1 to `most`.
    """
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or not 1 <= int(value) <= most:
        raise ConfigError(f"{name}={value!r} is not a number of workers from 1 to {most}; set it to 1 or 2, or unset it")
    return int(value)


# TOML table -> the Config fields it holds; "pauses" maps onto Pauses.
_TABLES: dict[str, tuple[str, ...]] = {
    "book": ("title", "author", "essay", "cover", "date"),
    "voice": ("engine", "voice", "language", "tld", "speed"),
    "sound": ("cue", "bitrate", "target"),
    "output": ("formats",),
    "build": ("verify",),
    "input": ("read",),
}


def _line_of(text: str, key: str, table: str = "") -> str:
    """' (line N)' for `key =` inside [table], else for the first line naming `key`; '' when none does."""
    lines = text.splitlines()
    start, end = 0, len(lines)
    if table:
        header = next((i for i, line in enumerate(lines) if re.match(rf"\s*\[\s*{re.escape(table)}\s*\]", line)), None)
        if header is not None:
            start = header + 1
            end = next((i for i in range(start, len(lines)) if re.match(r"\s*\[", lines[i])), len(lines))
    for number in range(start, end):
        if re.match(rf"\s*([\"']?){re.escape(key)}\1\s*[=.]", lines[number]):  # key = or dotted key.x =
            return f" (line {number + 1})"
    for number, line in enumerate(lines, 1):
        if re.match(rf"\s*\[?\s*{re.escape(key)}\s*[\]=]", line):
            return f" (line {number})"
    return ""


def parse_config(text: str, source: str = CONFIG_NAME) -> Config:
    """Parse narrate.toml text.

    Args:
        text: the TOML document.
        source: the name used in error messages.

    Returns:
        The validated Config.

    Raises:
        ConfigError: syntax errors, unknown keys or wrong types, naming the line.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: invalid TOML: {exc}. Fix that line and run again") from exc

    values: dict[str, Any] = {}
    pauses: dict[str, int] = {}
    origins: list[tuple[str, str]] = []
    defaults = Config()
    for table, content in data.items():
        if table not in ("pauses", "lexicon") and table not in _TABLES:
            raise ConfigError(
                f"{source}{_line_of(text, table)}: unknown table [{table}]; "
                f"known tables: {', '.join(sorted([*_TABLES, 'pauses', 'lexicon']))}"
            )
        if not isinstance(content, dict):
            raise ConfigError(f"{source}{_line_of(text, table)}: '{table}' must be a table, like [{table}]")
        if table == "lexicon":
            values["lexicon"] = _lexicon(content, text, source)
            continue
        allowed = (
            tuple(f.name for f in fields(Pauses)) if table == "pauses" else _TABLES[table]
        )
        for key, value in content.items():
            where = f"{source}{_line_of(text, key, table)}"
            origins.append((f"{table}.{key}", where))
            if key not in allowed:
                raise ConfigError(
                    f"{where}: unknown key '{key}' in [{table}]; known keys: {', '.join(allowed)}"
                )
            if table == "pauses":
                if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 60000:
                    raise ConfigError(f"{where}: pauses.{key} must be whole milliseconds from 0 to 60000")
                pauses[key] = value
            elif table == "output":
                from narrate.outputs import check_formats  # the outputs registry; it imports this module

                values[key] = check_formats(value, where)
            elif table == "input":
                values[key] = _kinds(value, where)
            elif table == "book" and key == "date":
                values[key] = _date(value, where)
            elif key == "verify":
                if not isinstance(value, bool):
                    raise ConfigError(f"{where}: build.verify must be true or false, like verify = true")
                values[key] = value
            elif key == "speed":
                if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0.5 <= value <= 2.0:
                    raise ConfigError(f"{where}: voice.speed must be a number from 0.5 to 2.0, like speed = 1.1")
                values[key] = float(value)
            else:
                if not isinstance(value, str):
                    raise ConfigError(f"{where}: {table}.{key} must be a string, like {key} = \"{getattr(defaults, key)}\"")
                values[key] = value.strip()
    if pauses:
        values["pauses"] = replace(Pauses(), **pauses)
    config = replace(defaults, **values, origins=tuple(origins))
    if not re.fullmatch(r"\d{2,3}k", config.bitrate):
        raise ConfigError(f"{source}{_line_of(text, 'bitrate', 'sound')}: sound.bitrate must look like \"192k\"")
    if config.target not in SOUND_TARGETS:
        raise ConfigError(
            f"{source}{_line_of(text, 'target', 'sound')}: sound.target must be one of "
            f"{', '.join(repr(t) for t in SOUND_TARGETS)}, not {config.target!r}"
        )
    return config


def _kinds(value: object, where: str) -> tuple[str, ...]:
    """[input] read: a list of the left-out kinds a reader may be asked to read."""
    from narrate.split import READABLE

    known = ", ".join(sorted(READABLE))
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f'{where}: input.read must be a list of kinds, like read = ["code", "footnotes"]; kinds: {known}')
    unknown = [v for v in value if v not in READABLE]
    if unknown:
        raise ConfigError(f"{where}: input.read names {unknown[0]!r}, which is no kind narrate can read; kinds: {known}")
    return tuple(sorted(set(value)))


def _date(value: object, where: str) -> str:
    """[book] date as "YYYY", "YYYY-MM" or "YYYY-MM-DD" (a TOML date, a year, or a string)."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    text = value.strip() if isinstance(value, str) else str(value) if type(value) is int else ""
    try:
        if re.fullmatch(r"\d{4}(-\d{2}){0,2}", text):
            datetime.date.fromisoformat((text + "-01-01")[:10])  # a real month and day
            return text
    except ValueError:
        pass
    raise ConfigError(f'{where}: book.date must be a year or a date, like date = "2024" or date = 2024-05-01')


def _lexicon(content: dict, text: str, source: str) -> tuple[tuple[str, str], ...]:
    """[lexicon] entries as (word, spoken form) pairs; every key and value a non-empty string."""
    entries = []
    for key, value in content.items():
        where = f"{source}{_line_of(text, key, 'lexicon')}"
        if not key.strip():
            raise ConfigError(f"{where}: an empty word in [lexicon]; write the word to respell, like Mia = \"Mee-ah\"")
        if isinstance(value, dict):  # Mr.Smith = "..." is TOML for a table Mr holding Smith
            raise ConfigError(f"{where}: a word with a dot must be quoted in [lexicon], like \"{key}.{next(iter(value), '')}\" = \"...\"")
        if not isinstance(value, str):
            raise ConfigError(
                f"{where}: lexicon entry '{key}' must be a string (how to say it), like {key} = \"...\""
            )
        if not value.strip():
            raise ConfigError(f"{where}: lexicon entry '{key}' is empty; write how to say it, or remove the line")
        entries.append((key.strip(), value.strip()))
    return tuple(entries)


def load_config(root: Path) -> Config | None:
    """Read `root/narrate.toml`, or None when the folder has none."""
    path = Path(root) / CONFIG_NAME
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    return parse_config(text, source=str(path))
