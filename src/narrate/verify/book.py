"""Check a built book or section track against the scripts: every sentence's span is heard and compared."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

from narrate import outputs
from narrate.audio import stitch
from narrate.errors import InputError
from narrate.outputs import captions
from narrate.plan import BuildPlan, readonly
from narrate.project import Project
from narrate.verify import hearing

log = logging.getLogger(__name__)

# Each span is widened a little: decoding and resampling shift it by a few milliseconds.
_MARGIN_S = 0.1


@dataclass(frozen=True)
class Sentence:
    """One sentence as heard: where it is in the file, what was sent to the engine, what was heard."""

    script: str
    start_ms: float
    end_ms: float
    text: str
    transcript: str  # what was heard: the script's words found, or for a doubtful sentence what was transcribed
    score: float
    heard: bool


@dataclass(frozen=True)
class VerifyReport:
    """Every sentence of the file checked, in order, and the time it took."""

    file: Path
    sentences: tuple[Sentence, ...]
    seconds: float

    @property
    def doubtful(self) -> tuple[Sentence, ...]:
        return tuple(s for s in self.sentences if not s.heard)

    def per_script(self) -> list[tuple[str, int, int]]:
        """(script, sentences, heard) per script, in book order."""
        rows: dict[str, list[int]] = {}
        for s in self.sentences:
            row = rows.setdefault(s.script, [0, 0])
            row[0] += 1
            row[1] += s.heard
        return [(name, n, ok) for name, (n, ok) in rows.items()]


def _spans(project: Project, plan: BuildPlan, file: Path) -> list[tuple[str, captions.Caption]]:
    """(script, cue) for every sentence in `file`, the book or one of its section tracks."""
    config = project.config
    joints = stitch.joints(project.cache, plan.cue, config.pauses, config.bitrate, encode=False)
    if file.resolve() == plan.book.resolve():
        try:
            cues = outputs.BookContext(project, plan, joints, config.formats).sentence_captions
        except InputError:
            cues = None
        owners = [s.script.file for s in plan.sections for _ in s.units]
    else:
        section = next((s for s in plan.sections if s.track is not None and s.track.resolve() == file.resolve()), None)
        if section is None:
            raise InputError(f"{file} is neither this project's book nor one of its section tracks; give one of those")
        if section.track_stale:
            raise InputError(f"{file} is not what its script and voice make now; run `narrate build` (with the same --voice), then verify")
        lengths = captions.timings(project.cache, section.key, len(section.units))
        cues = captions.section_captions(section.units, lengths, stitch.speech_offsets(joints)) if lengths is not None else None
        owners = [section.script.file] * len(section.units)
    if cues is None:
        raise InputError(f"the sentences of {file} are not all in the cache; run `narrate build`, then verify")
    return list(zip(owners, cues))


def verify(project: Project, file: Path | None = None, engine_name: str | None = None) -> VerifyReport:
    """Hear every sentence of the built book (or `file`) and compare it with its script.

    Args:
        project: from `open_project`.
        file: the book or a section track of this project; the book by default.
        engine_name: the engine the build used, when not narrate.toml's.

    Returns:
        Each sentence with its time in the file, its text, what was heard and how alike the two are.

    Raises:
        InputError: the file is missing, foreign, or stale (the scripts changed since it was built).
        RecognizerError: the recognizer is not installed.
    """
    changed, plan = readonly(project, engine_name)
    file = Path(file) if file is not None else plan.book
    if not file.is_file():
        raise InputError(f"{file} does not exist; run `narrate build` first")
    if changed or (file.resolve() == plan.book.resolve() and plan.book_stale):
        raise InputError(f"{file} is not what the scripts and voice make now; run `narrate build` (with the same --voice), then verify")
    spans = _spans(project, plan, file)
    hearing.model()  # a missing recognizer is reported before any work
    began = time.perf_counter()
    times = [(cue.start_ms / 1000 - _MARGIN_S, cue.end_ms / 1000 + _MARGIN_S) for _, cue in spans]
    found = []
    for (script, cue), got in zip(spans, hearing.hear_file(file, times, [cue.text for _, cue in spans])):
        found.append(Sentence(script, cue.start_ms, cue.end_ms, cue.text, got.transcript, got.score, got.ok))
        log.debug("%s %.1f s: %r heard as %r (%.2f)", script, cue.start_ms / 1000, cue.text, got.transcript, got.score)
    return VerifyReport(file, tuple(found), time.perf_counter() - began)
