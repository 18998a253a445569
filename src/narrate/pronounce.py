"""Set or remove a word of narrate.toml's [lexicon], keeping the file's comments and layout."""

from __future__ import annotations

import logging
from pathlib import Path

import tomlkit
from tomlkit.exceptions import TOMLKitError

from narrate.config import CONFIG_NAME, Config, parse_config
from narrate.errors import ConfigError
from narrate.fsutil import write_text
from narrate.lexicon import respell

log = logging.getLogger(__name__)


def set_entry(root: Path, word: str, spoken: str | None) -> Config:
    """Write `word = "spoken"` into root/narrate.toml's [lexicon] (None removes the word).

    The document is edited in place with tomlkit, so every other line, comment and blank
    stays as it was; the result is validated as narrate.toml before it replaces the file
    (atomically), so a bad entry writes nothing. A file or table that does not exist is made.

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
    try:
        text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
        document = tomlkit.parse(text)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {path}: {exc}") from exc
    except TOMLKitError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}. Fix that line and run again") from exc
    table = document.get("lexicon")
    if table is None:
        if spoken is None:
            return parse_config(text, str(path))
        table = tomlkit.table()
        document.add("lexicon", table)
    elif not isinstance(table, dict):
        raise ConfigError(f"{path}: 'lexicon' must be a table, like [lexicon]", "lexicon")
    if spoken is None:
        table.pop(word, None)
    else:
        table[word] = spoken.strip()
    new_text = tomlkit.dumps(document)
    config = parse_config(new_text, str(path))  # never write a file narrate would refuse
    write_text(path, new_text)
    log.info("%s: [lexicon] %s", path, f"{word} = {spoken.strip()!r}" if spoken is not None else f"{word} removed")
    return config


def contains(text: str, word: str) -> bool:
    """Whether the lexicon's rule for `word` matches in `text` (whole words; a capitalised key only as written)."""
    return respell(text, ((word, "\0"),)) != text
