"""What a build would do now, without doing it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from narrate import keys, stitch
from narrate.outputs.audiobook import stale_track_files
from narrate.plan import BuildPlan, SectionPlan, engine_spec, make_plan, preview
from narrate.project import Project
from narrate.tags import read_key


def _tracks(plan: BuildPlan) -> list[SectionPlan]:
    return [s for s in plan.sections if s.track is not None]


@dataclass(frozen=True)
class SectionStatus:
    """How one script stands against what was last built."""

    script: str
    title: str
    state: str  # "up to date", "changed", "new", or "repair" (its cached audio is partly gone)
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
    joints_to_encode: int = 0  # the head, gap or tail runs missing from the cache (encoded again, the same)
    conflicts: tuple[str, ...] = ()  # hand-edited scripts the changed essay would overwrite: a build stops on them

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
    changed_essay, scripts, conflicts = preview(project)
    plan = make_plan(project, scripts, engine_spec(project, engine_name))
    sections: list[SectionStatus] = []
    for section in plan.sections:
        made_before = section.track.is_file() if section.track is not None else plan.book.is_file()
        if not (section.remake or section.track_stale):
            state = "up to date"
        elif not made_before:
            state = "new"
        else:
            # Made from the same script and settings: what is missing is cached audio, not an edit.
            built, recipe = (section.track, section.track_recipe) if section.track is not None else (plan.book, plan.book_recipe)
            same = keys.recipe_of(read_key(built)) == recipe or (section.track is None and section.cached)
            state = "repair" if same and section.remake else "changed"
        sections.append(
            SectionStatus(section.script.file, section.script.title, state, len(section.units), len(section.missing))
        )
    config = project.config
    around = stitch.joints(project.cache, plan.cue, config.pauses, config.bitrate, encode=False)
    joints = [k for k, name in zip(around.keys, ("head", "gap", "tail")) if not project.cache.valid("mp3", k, f"the {name} joint", ".mp3")]
    keep = {s.track for s in _tracks(plan)}
    tracks_dir = project.audio_dir / "sections"
    removed = tuple(p.name for p in stale_track_files(tracks_dir, keep))
    return Status(
        engine=plan.engine.describe(),
        essay_changed=changed_essay,
        sections=tuple(sections),
        removed=removed,
        # A section encoded again may come out the same (then its outputs are kept): "would" is an upper bound.
        tracks_to_encode=tuple(s.track.name for s in _tracks(plan) if s.track_stale or s.remake),
        book=plan.book,
        book_stale=plan.book_stale or any(s.remake for s in plan.sections),
        joints_to_encode=len(joints),
        conflicts=tuple(conflicts),
    )


