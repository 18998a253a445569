"""The synthesis cache's size, pruning what no script uses, and checking every entry."""

from __future__ import annotations

from dataclasses import dataclass

from narrate import engines, origin
from narrate.audio import stitch
from narrate.errors import EngineError
from narrate.plan import BuildPlan, chooses, readonly
from narrate.project import Project, lock


@dataclass(frozen=True)
class CacheReport:
    """The synthesis cache: what it holds, and what pruning removed."""

    entries: int
    bytes: int
    unused_entries: int
    unused_bytes: int
    pruned: bool
    damaged: tuple[str, ...] = ()  # entries --check found damaged and removed, as "kind/file name"


def cache_report(project: Project, prune: bool = False, engine_name: str | None = None, check: bool = False) -> CacheReport:
    """Measure the cache; with `prune`, delete entries that no current script refers to; with `check`, damaged ones.

    Entries made with another voice, or an engine the build would not use, count as unused:
    pruning them means a later switch back synthesizes again. With the engine "auto", the
    voice the book keeps (script/origin.json) is the one in use; before its first build, which
    picks gTTS or the offline voice by whether Google answers, the audio of both is kept (and
    Google is not asked).
    """
    name = engine_name or project.config.engine
    if chooses(project, engine_name) and origin.read(project.root).engine:
        name = origin.read(project.root).engine  # the voice this book keeps: only its audio is in use
    with lock(project):
        # Checked first, so the figures below count only whole entries.
        damaged = tuple(project.cache.damaged_entries()) if check else ()
        plans: list[BuildPlan] = []
        for candidate in ("gtts", engines.OFFLINE) if name == engines.AUTO else (name,):
            try:
                plans.append(readonly(project, candidate)[1])
            except EngineError as exc:  # that engine is not installed here: nothing of it to keep
                missing = exc
        if not plans:
            raise missing
        keep = {k for plan in plans for s in plan.sections for k in (s.key, s.body.name.split(".")[0], *s.speech_keys)}
        keep.update(stitch.joints(project.cache, plans[0].cue, project.config.pauses, project.config.bitrate, encode=False).keys)
        entries = project.cache.entries()
        unused = [e for e in entries if e[1].split(".")[0] not in keep]
        if prune:
            project.cache.prune(keep)
    return CacheReport(
        entries=len(entries),
        bytes=sum(e[2] for e in entries),
        unused_entries=len(unused),
        unused_bytes=sum(e[2] for e in unused),
        pruned=prune,
        damaged=damaged,
    )


