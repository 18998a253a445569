"""What a build reports: light types, so a build with nothing to do can report without the pipeline (see `record`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from narrate.kinds import LeftOut
from narrate.tags import Chapter

if TYPE_CHECKING:
    from narrate.takes import CheckReport


@dataclass(frozen=True)
class SectionReport:
    """What a build did for one script."""

    script: str
    title: str
    kind: str
    duration_ms: float
    units: int
    synthesized: int
    track: Path | None
    track_written: bool


@dataclass(frozen=True)
class BuildReport:
    """What a build did, for the CLI to report."""

    engine: str
    book: Path
    book_written: bool
    chapters: tuple[Chapter, ...]
    sections: tuple[SectionReport, ...]
    scripts_written: tuple[str, ...]
    seconds: float
    outputs: tuple[Path, ...] = ()  # other formats written (M4B, captions, sidecars, page)
    check: CheckReport | None = None  # what --verify heard and retook, when it ran
    left_out: tuple[LeftOut, ...] = ()  # what the essay's reader did not narrate, by kind

    @property
    def synthesized(self) -> int:
        return sum(s.synthesized for s in self.sections)
