"""What a build would do now, without doing it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from narrate.outputs.audiobook import stale_track_files
from narrate.plan import BuildPlan, SectionPlan, readonly
from narrate.project import Project


def _tracks(plan: BuildPlan) -> list[SectionPlan]:
    return [s for s in plan.sections if s.track is not None]


@dataclass(frozen=True)
class SectionStatus:
    """How one script stands against what was last built."""

    script: str
    title: str
    state: str  # "up to date", "changed" or "new"
    units: int
    to_synthesize: int


@dataclass(frozen=True)
class Status:
    """What `build` would do now, without doing it."""

    engine: str
    essay_changed: bool
    sections: tuple[SectionStatus, ...]
    removed: tuple[str, ...]
    tracks_to_encode: tuple[str, ...]
    book: Path
    book_stale: bool

    @property
    def to_synthesize(self) -> int:
        return sum(s.to_synthesize for s in self.sections)


def status(project: Project, engine_name: str | None = None) -> Status:
    """Compare the scripts with the cache and the outputs; change nothing.

    Args:
        project: from `open_project`.
        engine_name: as for `build`.

    Returns:
        A Status listing every section as up to date, changed or new, and removed tracks.
    """
    changed_essay, plan = readonly(project, engine_name)
    sections: list[SectionStatus] = []
    for section in plan.sections:
        cached = project.cache.path("sections", section.key).is_file()
        made_before = section.track.is_file() if section.track is not None else plan.book.is_file()
        state = "up to date" if cached and not section.track_stale else "changed" if made_before else "new"
        sections.append(
            SectionStatus(section.script.file, section.script.title, state, len(section.units), len(section.missing))
        )
    keep = {s.track for s in _tracks(plan)}
    tracks_dir = project.audio_dir / "sections"
    removed = tuple(p.name for p in stale_track_files(tracks_dir, keep))
    return Status(
        engine=plan.engine.describe(),
        essay_changed=changed_essay,
        sections=tuple(sections),
        removed=removed,
        tracks_to_encode=tuple(s.track.name for s in _tracks(plan) if s.track_stale),
        book=plan.book,
        book_stale=plan.book_stale,
    )


