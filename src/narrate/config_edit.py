"""Changes the studio makes to narrate.toml (a lexicon entry, the voice), keeping the file's comments and layout.

The document is edited in place with tomlkit, so every other line, comment and blank stays
as it was; the result is validated as narrate.toml before it replaces the file (atomically),
so a bad change writes nothing. A file or table that does not exist is made.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

import tomlkit
from tomlkit.exceptions import TOMLKitError

from narrate.config import CONFIG_NAME, Config, parse_config
from narrate.errors import ConfigError
from narrate.fsutil import write_text
from narrate.lexicon import respell

log = logging.getLogger(__name__)


def _edit(root: Path, table: str, change: Callable[[dict], None]) -> Config:
    """Apply `change` to narrate.toml's [table] (made when missing), validate, write; the new settings."""
    path = Path(root) / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
        document = tomlkit.parse(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    except TOMLKitError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}. Fix that line and run again") from exc
    found = document.get(table)
    made = found is None
    if made:
        found = tomlkit.table()
    elif not isinstance(found, dict):
        raise ConfigError(f"{path}: '{table}' must be a table, like [{table}]", table)
    change(found)
    if made and found:  # an empty new table (a removal from nothing) is not written
        document.add(table, found)
    new_text = tomlkit.dumps(document)
    config = parse_config(new_text, str(path))  # never write a file narrate would refuse
    if new_text != text:
        write_text(path, new_text)
    return config


def set_entry(root: Path, word: str, spoken: str | None) -> Config:
    """Write `word = "spoken"` into root/narrate.toml's [lexicon] (None removes the word).

    Args:
        root: the project folder.
        word: the word or phrase as the scripts write it (see narrate.lexicon for the case rule).
        spoken: how to say it: a respelling, or phonemes between slashes; None to remove it.

    Returns:
        The project's settings after the change.

    Raises:
        ConfigError: the word or its spoken form is empty or has a line break, or narrate.toml
            cannot be read or parsed.
    """
    word = word.strip()
    if not word or "\n" in word or (spoken is not None and (not spoken.strip() or "\n" in spoken)):
        raise ConfigError("a lexicon entry needs a word and how to say it, each on one line, like Mia = \"Mee-ah\"", "lexicon")
    path = Path(root) / CONFIG_NAME

    def change(table: dict) -> None:
        if spoken is None:
            table.pop(word, None)
        else:
            table[word] = spoken.strip()

    config = _edit(root, "lexicon", change)
    log.info("%s: [lexicon] %s", path, f"{word} = {spoken.strip()!r}" if spoken is not None else f"{word} removed")
    return config


def set_voice(root: Path, voice: str) -> Config:
    """Write `voice = "name"` into root/narrate.toml's [voice], its engine "auto" (the voice's own).

    Raises:
        ConfigError: narrate.toml cannot be read or parsed, or the name is empty.
    """
    if not voice.strip() or "\n" in voice:
        raise ConfigError("choose a voice by its name, as `narrate voices` lists it", "voice.voice")

    def change(table: dict) -> None:
        table["voice"] = voice.strip()
        table["engine"] = "auto"

    config = _edit(root, "voice", change)
    log.info("%s: [voice] voice = %r", Path(root) / CONFIG_NAME, voice)
    return config


def contains(text: str, word: str) -> bool:
    """Whether the lexicon's rule for `word` matches in `text` (whole words; a capitalised key only as written)."""
    return respell(text, ((word, "\0"),)) != text
