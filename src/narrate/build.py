"""Building the audiobook: plan, synthesize, then write every output; the library's entry points."""

from __future__ import annotations

import logging
import time
from concurrent.futures import Executor
from dataclasses import replace

from narrate import engines, origin, outputs, record
from narrate.audio import pcm
from narrate.errors import DoubtfulSpeech
from narrate.outputs import captions
from narrate.plan import chooses, prepare
from narrate.project import Project, lock, open_project, remember, remove_leftovers, split
from narrate.reports import BuildReport, SectionReport
from narrate.speech import executors
from narrate.speech.cache_report import CacheReport, cache_report
from narrate.speech.synthesize import Progress, ProgressCallback, speak_pcm, synthesize_sections
from narrate.status import SectionStatus, Status, status
from narrate.text.script import load_left_out
from narrate.verify import hearing
from narrate.verify.takes import RETAKES, TakeChecker

log = logging.getLogger(__name__)


def section_samples(cache, section) -> int:
    """A section's length from its timings (its takes and the pauses after them); 0 when they are gone."""
    lengths = captions.timings(cache, section.key, len(section.units)) or []
    return sum(lengths) + sum(captions.pause_samples(u.pause_ms) for u in section.units) if lengths else 0


def build(
    project: Project,
    engine_name: str | None = None,
    force: bool = False,
    progress: ProgressCallback | None = None,
    formats: tuple[str, ...] = (),
    executor: Executor | None = None,
    verify: bool | None = None,
    strict: bool = False,
    asked: str | None = None,
) -> BuildReport:
    """Build the audiobook: scripts (when the essay changed), audio, section tracks, the book, other formats.

    Args:
        project: from `open_project`.
        engine_name: overrides narrate.toml's engine ("auto", "gtts", "piper", ...).
        force: let a changed essay overwrite hand-edited scripts.
        progress: called after each sentence synthesized and each section encoded
            (from worker threads, one call at a time).
        formats: overrides narrate.toml's [output] formats (empty: keep them).
        executor: where sentences are synthesized (see `narrate.executors`); the caller
            owns it. None: local threads, as many as the engine allows, for this build.
        verify: hear every new take on the executor and retake doubtful ones (None: narrate.toml's [build] verify).
        strict: with verify, fail when a sentence is still doubtful after its retakes (every output is written first).
        asked: how the build was asked for (`record.request`): the build is then recorded, so the next one asked
            the same way knows, from `record.unchanged`, whether it has anything to do. None: any record is dropped.

    Returns:
        A BuildReport.

    Raises:
        NarrateError: any failure, with the cause and the next step in its message.
        DoubtfulSpeech: `strict`, and a sentence still doubtful.
    """
    started = time.monotonic()
    if formats:
        project = replace(project, config=replace(project.config, formats=outputs.check_formats(formats, "--format")))
    config, cache = project.config, project.cache
    with lock(project):
        record.forget(project.root)  # whatever happens now, the last build's record no longer describes the folder
        remove_leftovers(project)
        written, plan = prepare(project, engine_name, force)
        remember(project)
        pool = executor or executors.create(executors.DEFAULT, plan.engine.workers)
        checker = None
        if config.verify if verify is None else verify:
            hearing.model()  # a missing recognizer is reported before any synthesis
            checker = TakeChecker(plan.spec, pool)
        try:
            around = synthesize_sections(plan, cache, config, pool, progress, checker)
        finally:
            if executor is None:
                pool.shutdown(wait=True, cancel_futures=True)
            engines.release(plan.spec)
        context = outputs.BookContext(project, plan, around, config.formats)
        written_outputs = outputs.write_all(context)
        if chooses(project, engine_name):  # the book now has a voice: it keeps it (see plan.engine_spec)
            origin.update(project.root, engine=plan.spec.name)
        reports = [
            SectionReport(
                section.script.file, section.script.title, section.script.kind,
                pcm.ms(cache.samples("sections", section.key) or section_samples(cache, section)),
                len(section.units), len(section.missing), section.track, section.track in written_outputs,
            )
            for section in plan.sections
        ]
        book_written = plan.book in written_outputs
        chapters = context.chapters
        result = BuildReport(
            engine=plan.engine.describe(),
            book=plan.book,
            book_written=book_written,
            chapters=chapters,
            sections=tuple(reports),
            scripts_written=tuple(written),
            seconds=time.monotonic() - started,
            outputs=tuple(p for p in written_outputs if p != plan.book and p not in {s.track for s in plan.sections}),
            check=checker.report() if checker is not None else None,
            left_out=load_left_out(project.script_dir),
            title=plan.title,
        )
        if asked is not None and checker is None:
            record.write(project, plan, around, result, asked)
    check = result.check
    if strict and check is not None and check.doubtful:
        raise DoubtfulSpeech(
            f"{len(check.doubtful)} sentence(s) still doubtful after {RETAKES} retakes: {'; '.join(check.doubtful)}. "
            "Listen to them in the book, reword their scripts, and build again"
        )
    return result


__all__ = [
    "BuildReport", "CacheReport", "Progress", "ProgressCallback", "Project", "SectionReport", "SectionStatus",
    "Status", "build", "cache_report", "load_left_out", "open_project", "speak_pcm", "split", "status",
]
