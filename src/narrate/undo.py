"""Undo for the sentence operations: a journal of steps in .narrate/undo.json, newest last.

`editing.replace_sentence` and `editing.choose_take` record a step each; `undo` takes the newest
back: the script's characters as they were, and the takes chosen before. A step keeps only
what it changed (where in the script, the text removed and inserted), and the script's hash
after it: a script changed since (by another editor) is never overwritten by an undo.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from narrate.errors import ConflictError, InputError
from narrate.fsutil import write_bytes, write_text
from narrate.speech import chosen

log = logging.getLogger(__name__)

JOURNAL = Path(".narrate") / "undo.json"
DEPTH = 200  # steps kept; the oldest go first
_FORMAT = 1


@dataclass(frozen=True)
class Step:
    """One undoable change of a script's sentence: its text, or its chosen take.

    Attributes:
        kind: "text" (the sentence was rewritten) or "take" (another take was chosen).
        script: the script's file name in script/.
        index: the sentence's index in the script.
        was: the sentence's text before the step.
        now: its text after it (the same as `was` for a take).
        sha_after: SHA-256 of the script's bytes after the step (what an undo expects to find).
        start: where the text changed, in characters of the script (a text step).
        removed: the characters the step removed there.
        inserted: the characters it put in their place.
        takes_before: (sentence text, take) chosen before the step, for the texts it touched.
        takes_after: the same after it.
    """

    kind: str
    script: str
    index: int
    was: str
    now: str
    sha_after: str
    start: int = 0
    removed: str = ""
    inserted: str = ""
    takes_before: tuple[tuple[str, int], ...] = ()
    takes_after: tuple[tuple[str, int], ...] = ()

    @property
    def label(self) -> str:
        """What the step did, in a few words (the page's Undo button says it)."""
        if self.kind == "take":
            return f"take {dict(self.takes_after).get(self.now, 0) + 1} chosen for “{self.now[:50]}”"
        return f"“{self.was[:40]}” → “{self.now[:40]}”"


def _path(root: Path) -> Path:
    return Path(root) / JOURNAL


def _parse(raw: object) -> list[Step]:
    """The journal's steps, checked field by field (ValueError when the file is not one narrate wrote)."""
    if not isinstance(raw, dict) or raw.get("format") != _FORMAT or not isinstance(raw.get("steps"), list):
        raise ValueError("unknown format")
    steps = []
    for item in raw["steps"]:
        step = Step(**{**item, "takes_before": tuple(map(tuple, item.get("takes_before", ()))),
                       "takes_after": tuple(map(tuple, item.get("takes_after", ())))})
        fields = (step.script, step.was, step.now, step.sha_after, step.removed, step.inserted)
        if step.kind not in ("text", "take") or not all(isinstance(f, str) for f in fields) \
                or not isinstance(step.index, int) or not isinstance(step.start, int) \
                or not all(isinstance(t, str) and isinstance(n, int) for t, n in step.takes_before + step.takes_after):
            raise ValueError("a step is damaged")
        steps.append(step)
    return steps


def history(root: Path) -> list[Step]:
    """The steps that can be undone in the project at `root`, oldest first.

    Raises:
        InputError: the journal is damaged.
    """
    path = _path(root)
    try:
        return _parse(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return []
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(f"{path} is damaged ({exc}); delete it (only the undo history is lost)") from exc


def _save(root: Path, steps: list[Step]) -> None:
    path = _path(root)
    if not steps:
        path.unlink(missing_ok=True)
        return
    data = {"format": _FORMAT, "steps": [asdict(s) for s in steps[-DEPTH:]]}
    write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def record(root: Path, step: Step) -> None:
    """Add a step to the journal (a damaged journal is started again: the change itself is already written)."""
    try:
        steps = history(root)
    except InputError as exc:
        log.warning("%s", exc)
        steps = []
    _save(root, [*steps, step])


def undo(root: Path, script_dir: Path) -> Step:
    """Take the newest step back: the script's text as it was, and the takes chosen before.

    Args:
        root: the project folder (where the journal is).
        script_dir: its scripts.

    Returns:
        The step undone (now out of the journal).

    Raises:
        InputError: nothing to undo, or the journal is damaged.
        ConflictError: the script or its takes changed since the step (by another editor):
            nothing is written, and the step leaves the journal (the older ones stay).
    """
    steps = history(root)
    if not steps:
        raise InputError("nothing to undo: every sentence edit and take chosen here has been undone")
    step = steps[-1]
    path = Path(script_dir) / step.script
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raw = None
        log.info("cannot read %s: %s", path, exc)
    choices = chosen.load(script_dir)
    picks = choices.get(step.script, {})
    stale = raw is None or hashlib.sha256(raw).hexdigest() != step.sha_after
    stale = stale or any(picks.get(text, 0) != take for text, take in step.takes_after)
    if stale:
        _save(root, steps[:-1])
        raise ConflictError(
            f"cannot undo {step.label}: {step.script} changed on disk since; nothing is written "
            "(that step leaves the undo history, the older ones stay)"
        )
    if step.kind == "text":
        assert raw is not None  # a missing script is stale, refused above
        text = raw.decode("utf-8")
        restored = text[: step.start] + step.removed + text[step.start + len(step.inserted) :]
        write_bytes(path, restored.encode("utf-8"))
    for text, take in step.takes_before:
        chosen.record(script_dir, step.script, text, take)
    _save(root, steps[:-1])
    log.info("%s: undid %s", step.script, step.label)
    return step
