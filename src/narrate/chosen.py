"""The take chosen for each sentence, kept beside the scripts in script/takes.json.

A sentence's first take (take 0) is what the voice says by default; the studio can ask for
others (`Engine.retake`) and choose one. The choice is recorded per script and per sentence
text, so a build uses it and a clone of the project makes the same book. A sentence whose
text changes loses its choice (its new text has no take yet but the first).
"""

from __future__ import annotations

import json
from pathlib import Path

from narrate.errors import InputError
from narrate.fsutil import write_text

TAKES = "takes.json"
_FORMAT = 1

Choices = dict[str, dict[str, int]]  # script file -> sentence text -> take


def load(script_dir: Path) -> Choices:
    """The chosen takes recorded in `script_dir`; empty when none are.

    Raises:
        InputError: takes.json is damaged.
    """
    path = Path(script_dir) / TAKES
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise InputError(f"{path} is damaged ({exc}); restore it from version control, or delete it to use every first take") from exc
    takes = data.get("takes") if isinstance(data, dict) and data.get("format") == _FORMAT else None
    if not isinstance(takes, dict) or not all(
        isinstance(t, dict) and all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in t.values())
        for t in takes.values()
    ):
        raise InputError(f"{path} is damaged (unknown format); restore it from version control, or delete it to use every first take")
    return takes


def record(script_dir: Path, script: str, text: str, take: int) -> None:
    """Choose `take` for the sentence `text` of `script` (take 0 removes the choice); written atomically."""
    choices = load(script_dir)
    chosen = choices.setdefault(script, {})
    if take:
        chosen[text] = take
    else:
        chosen.pop(text, None)
    save(script_dir, choices)


def save(script_dir: Path, choices: Choices) -> None:
    """Write the choices, sorted so a diff shows only what changed (the file goes when nothing is chosen)."""
    path = Path(script_dir) / TAKES
    kept = {script: dict(sorted(t.items())) for script, t in sorted(choices.items()) if t}
    if not kept:
        path.unlink(missing_ok=True)
        return
    write_text(path, json.dumps({"format": _FORMAT, "takes": kept}, indent=2, ensure_ascii=False) + "\n")
