"""The commands that make a book: split, build, status, cache and verify."""

from __future__ import annotations

import dataclasses
import json
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from narrate.cli import _engine_opt, _essay_arg, _executor, _executor_opts, _quiet, _voice_opt, cli
from narrate.errors import NarrateError
from narrate.timefmt import minutes_seconds, minutes_tenths

if TYPE_CHECKING:  # the build is imported when a command runs, not when the CLI starts
    from narrate.speech.synthesize import Progress


@cli.command()
@_essay_arg
@click.option("--force", is_flag=True, help="Overwrite hand-edited scripts with the essay's text.")
def split(essay: Path | None, force: bool) -> None:
    """Write one narration script per section into script/.

    \b
    Example:
        narrate split essay/la-la-land.txt
    """
    from narrate import api

    project = api.open_project(Path.cwd(), essay)
    changed = api.split_essay(project, force=force)
    if not _quiet():
        click.echo(f"{len(changed)} script(s) written or removed in script/" if changed else "scripts are up to date")
        _report_left_out(api.left_out(project))


def _report_left_out(left_out) -> None:
    from narrate.text.kinds import describe_left_out

    if left_out:
        click.echo(f"left out: {describe_left_out(left_out)} (narrate.toml's [input] read = [...] reads a kind)")



@cli.command()
@_essay_arg
@_engine_opt
@_voice_opt
@click.option("--force", is_flag=True, help="Let a changed essay overwrite hand-edited scripts.")
@click.option("--watch", is_flag=True, help="Rebuild whenever a script, narrate.toml or the essay is saved.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary on stdout instead of the table.")
@click.option(
    "--format", "formats", multiple=True, metavar="FORMAT",
    help="An output to make (repeat for several): mp3, tracks, m4b, vtt, json, cue, html, or a plug-in's; "
    "overrides [output] formats in narrate.toml.",
)
@click.option("--verify", is_flag=True, default=None, help="Hear every new take with the recognizer; retake doubtful ones.")
@click.option("--strict", is_flag=True, help="With --verify: fail when a sentence is still doubtful after its retakes.")
@_executor_opts
def build(
    essay: Path | None, engine: str | None, voice: str | None, force: bool, watch: bool, as_json: bool,
    formats: tuple[str, ...], verify: bool | None, strict: bool, executor: str | None, scheduler: str | None,
) -> None:
    """Narrate the essay into audio/: the chaptered book and one track per section.

    With no ESSAY, builds the book narrate.toml describes. Only what changed since the
    last build is synthesized or encoded again. On a terminal, a progress line shows the
    synthesis (with an estimate of the time left) and the encoding; a table sums up.

    \b
    Example:
        narrate build                          # the project's book
        narrate build my-essay.md --engine piper
        narrate build --voice bf_emma           # a voice from `narrate voices`
        narrate build https://example.org/post  # fetched into essay/ first
        narrate build --json > summary.json    # for scripts
        narrate build --watch                  # rebuild on every save; Ctrl-C stops
        narrate build --format mp3 --format m4b --format vtt
        narrate build --scheduler tcp://10.0.0.5:8786   # synthesize on a Dask cluster
        narrate build --verify --strict        # every new take heard; fail on a doubtful one
    """
    import time

    from narrate import record

    started = time.monotonic()
    quiet = _quiet()
    report = _report_json if as_json else _report_errors if quiet else _report_build
    # Nothing changed since the last build asked for the same way: said before any voice or numpy loads.
    asked = record.request(Path.cwd(), essay, voice, engine, formats, force)
    if not watch and not verify and (same := record.unchanged(Path.cwd(), asked)) is not None:
        report(dataclasses.replace(same, seconds=time.monotonic() - started))
        return
    from narrate import api

    if watch:
        click.echo("watching script/, narrate.toml and the essay; Ctrl-C stops", err=True)
        with _executor(executor, scheduler) as pool:
            api.watch_book(
                Path.cwd(), essay, report, engine_name=engine, formats=formats, voice=voice, executor=pool,
                verify=verify, strict=strict,
            )
        return
    with _Progress(enabled=not quiet and not as_json) as bars, _executor(executor, scheduler) as pool:
        project = api.open_project(Path.cwd(), essay, voice)
        result = api.build_book(
            project, engine_name=engine, force=force, progress=bars, formats=formats, executor=pool, verify=verify, strict=strict,
            asked=asked,
        )
    report(result)


class _Progress:
    """One progress line on stderr (a terminal only): the sentences synthesized with the time left,
    then the sections encoded. Encoding starts while sentences are still spoken, so one line
    shows both rather than two bars overwriting each other; log lines go above it (`_LogHandler`)."""

    _WIDTH = 30

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.lock = threading.RLock()
        self._steps: dict[str, Progress] = {}  # stage -> its latest Progress
        self._started = time.monotonic()
        self._shown = False

    def __call__(self, step: Progress) -> None:
        if not self.enabled:
            return
        with self.lock:
            if not self._steps:
                self._started = time.monotonic()
            self._steps[step.stage] = step
            self.clear()
            self.draw()

    def line(self) -> str:
        """What the progress line says now."""
        spoken, coded = self._steps.get("synthesize"), self._steps.get("encode")
        if (spoken is not None and spoken.done < spoken.total) or coded is None:
            step, label = spoken, "Synthesizing"
        else:
            step, label = coded, "Encoding"
        if step is None:
            return ""
        filled = self._WIDTH * step.done // max(1, step.total)
        text = f"{label}  [{'#' * filled}{'-' * (self._WIDTH - filled)}]  {step.done}/{step.total}"
        if step is spoken and 0 < spoken.done < spoken.total:
            left = (time.monotonic() - self._started) / spoken.done * (spoken.total - spoken.done)
            text += f"  {minutes_seconds(left * 1000)} left"
            if coded is not None:
                text += f"  (encoded {coded.done}/{coded.total})"
        return f"{text}  {step.section}"

    def draw(self) -> None:
        text = self.line()
        if self.enabled and text:
            # Cut to the terminal's width: a wrapped line could not be drawn over again.
            width = shutil.get_terminal_size().columns - 1
            sys.stderr.write("\r" + text[:width] + "\033[K")
            sys.stderr.flush()
            self._shown = True

    def clear(self) -> None:
        if self._shown:
            sys.stderr.write("\r\033[K")
            self._shown = False

    def __enter__(self):
        from narrate.cli import _LogHandler

        _LogHandler.progress = self if self.enabled else None
        return self

    def __exit__(self, *exc) -> None:
        from narrate.cli import _LogHandler

        with self.lock:
            _LogHandler.progress = None
            if self._shown:  # the last state stays on screen, above the summary
                sys.stderr.write("\n")
                sys.stderr.flush()
                self._shown = False


def _size(path: Path | None) -> str:
    try:
        return f"{path.stat().st_size / 1e6:.1f} MB" if path else ""
    except OSError:
        return ""


def _report_errors(report) -> None:
    if isinstance(report, NarrateError):  # from --watch, which goes on after a failed build
        click.echo(f"Error: {report}", err=True)


def _report_build(report) -> None:
    if isinstance(report, NarrateError):
        _report_errors(report)
        return
    from narrate.timefmt import chapter_time

    if report.scripts_written:
        click.echo(f"split the essay: {len(report.scripts_written)} script(s) written or removed in script/")
    total = report.chapters[-1].end_ms if report.chapters else 0
    rows = [("script", "duration", "sentences", "audio", "track")]
    for section in report.sections:
        spoken = f"{section.synthesized} synthesized" if section.synthesized else "cached"
        track = f"{_size(section.track)}{' (new)' if section.track_written else ''}" if section.track else "-"
        rows.append((section.script, chapter_time(section.duration_ms)[:-4], str(section.units), spoken, track))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    state = "written" if report.book_written else "up to date"
    click.echo(
        f"{report.book} ({chapter_time(total)}, {len(report.chapters)} chapters, {_size(report.book)}) {state}; "
        f"{report.synthesized} sentence(s) synthesized with {report.engine} in {report.seconds:.1f} s"
    )
    if report.outputs:
        click.echo("also wrote " + ", ".join(str(p) for p in report.outputs))
    _report_left_out(report.left_out)
    if report.check is not None:
        check = report.check
        click.echo(f"verified {check.checked} new take(s) in {check.seconds:.1f} s of recognizer time; {check.retaken} retaken")
        for doubtful in check.doubtful:
            click.echo(f"doubtful after retakes: {doubtful}")


def _report_json(report) -> None:
    if isinstance(report, NarrateError):
        click.echo(json.dumps({"error": str(report)}))
        return
    click.echo(
        json.dumps(
            {
                "book": str(report.book),
                "book_written": report.book_written,
                "engine": report.engine,
                "seconds": round(report.seconds, 3),
                "synthesized": report.synthesized,
                "duration_ms": report.chapters[-1].end_ms if report.chapters else 0,
                "chapters": [{"title": c.title, "start_ms": c.start_ms, "end_ms": c.end_ms} for c in report.chapters],
                "sections": [
                    {
                        "script": s.script, "title": s.title, "kind": s.kind, "duration_ms": round(s.duration_ms, 1),
                        "units": s.units, "synthesized": s.synthesized,
                        "track": str(s.track) if s.track else None, "track_written": s.track_written,
                        "track_bytes": s.track.stat().st_size if s.track and s.track.is_file() else None,
                    }
                    for s in report.sections
                ],
                "scripts_written": list(report.scripts_written),
                "outputs": [str(p) for p in report.outputs],
                "verified": dataclasses.asdict(report.check) if report.check is not None else None,
                "left_out": [dataclasses.asdict(part) for part in report.left_out],
            },
            ensure_ascii=False,
        )
    )


@cli.command()
@_essay_arg
@_engine_opt
@_voice_opt
def status(essay: Path | None, engine: str | None, voice: str | None) -> None:
    """Show what a build would do, without doing it.

    \b
    Example:
        narrate status
    """
    from narrate import api

    report = api.book_status(api.open_project(Path.cwd(), essay, voice), engine_name=engine)
    if report.essay_changed:
        click.echo("the essay changed since the scripts were written: a build splits it again")
    for section in report.sections:
        todo = f" ({section.to_synthesize} of {section.units} sentences to synthesize)" if section.to_synthesize else ""
        click.echo(f"  {section.state:<10}  {section.script}{todo}")
    for name in report.removed:
        click.echo(f"  {'removed':<10}  {name}")
    if report.conflicts:
        click.echo(
            f"a build would stop: the essay changed, and hand-edited script(s) would be overwritten: {', '.join(report.conflicts)}. "
            "Keep your edits (remove `essay` from narrate.toml), or take the essay's text with `narrate build --force`"
        )
        return
    tracks = len(report.tracks_to_encode)
    joints = f" and {report.joints_to_encode} joint(s) (the pauses and cue around sections)" if report.joints_to_encode else ""
    click.echo(
        f"a build would synthesize {report.to_synthesize} sentence(s) with {report.engine}, "
        f"encode {tracks} track(s){joints}, and {'rewrite' if report.book_stale else 'keep'} {report.book}"
    )


@cli.command()
@click.option("--prune", is_flag=True, help="Delete entries that no current script refers to.")
@click.option("--check", is_flag=True, help="Check every entry; remove the damaged ones (the next build makes them again).")
@_engine_opt
def cache(prune: bool, check: bool, engine: str | None) -> None:
    """Show the synthesis cache's size; --prune removes what no script refers to, --check what is damaged.

    \b
    Example:
        narrate cache --check --prune
    """
    from narrate import api

    report = api.cache_status(api.open_project(Path.cwd()), prune=prune, engine_name=engine, check=check)
    if check:
        click.echo(f"checked: {len(report.damaged)} damaged entries removed" + "".join(f"\n  {d}" for d in report.damaged))
    mb = lambda n: f"{n / 1e6:.1f} MB"  # noqa: E731
    click.echo(f"{report.entries} entries, {mb(report.bytes)}; {report.unused_entries} unused ({mb(report.unused_bytes)})")
    if prune:
        click.echo(f"pruned {report.unused_entries} entries, freed {mb(report.unused_bytes)}")


@cli.command()
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print every sentence checked as JSON.")
@_engine_opt
@_voice_opt
def verify(file: Path | None, as_json: bool, engine: str | None, voice: str | None) -> None:
    """Check that every sentence of the book (or a section track) is really spoken; exit 1 if one is not.

    \b
    Examples:
        narrate verify
        narrate verify --voice bf_emma          # the book built with --voice bf_emma
    """
    import json
    from dataclasses import asdict

    from narrate import api

    report = api.verify_book(api.open_project(Path.cwd(), None, voice), file, engine_name=engine)
    if as_json:
        sentences = [asdict(s) for s in report.sentences]
        click.echo(json.dumps({"file": str(report.file), "seconds": round(report.seconds, 2), "sentences": sentences}, indent=2))
    else:
        rows = [("script", "sentences", "heard", "doubtful")]
        rows += [(name, str(n), str(ok), str(n - ok)) for name, n, ok in report.per_script()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            click.echo("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        for s in report.doubtful:
            click.echo(f"doubtful: {minutes_tenths(s.start_ms)} {s.script}: {s.text!r} heard as {s.transcript!r}")
        heard = len(report.sentences) - len(report.doubtful)
        click.echo(f"{report.file}: {heard} of {len(report.sentences)} sentences heard ({report.seconds:.1f} s)")
    if report.doubtful:
        raise SystemExit(1)
