"""The `narrate` command: each command parses, makes one library call, and reports."""

from __future__ import annotations

import dataclasses
import json
import logging
import sys
from pathlib import Path

import click

from narrate import __version__
from narrate.errors import NarrateError


class _Group(click.Group):
    """Turns library errors into one line on stderr, and Ctrl-C into exit status 130."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except NarrateError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("narrate: interrupted; finished work is kept, run the command again to go on", err=True)
            sys.exit(130)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="narrate")
@click.option("-q", "--quiet", is_flag=True, help="Only report warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Also report debugging detail.")
def cli(quiet: bool, verbose: bool) -> None:
    """Turn an essay into a chaptered audiobook.

    \b
    Example:
        narrate build essay/la-la-land.txt
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("narrate")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO)


class _EssayType(click.ParamType):
    """An essay file, or an http(s) address whose page is fetched into essay/ first."""

    name = "essay"

    def convert(self, value, param, ctx):
        from narrate.inputs.fetch import locate

        return value if isinstance(value, Path) else locate(value, Path.cwd())


_essay_arg = click.argument("essay", required=False, type=_EssayType())


@cli.command()
@_essay_arg
@click.option("--force", is_flag=True, help="Overwrite hand-edited scripts with the essay's text.")
def split(essay: Path | None, force: bool) -> None:
    """Write one narration script per section into script/.

    \b
    Example:
        narrate split essay/la-la-land.txt
    """
    from narrate import build as pipeline

    changed = pipeline.split(pipeline.open_project(Path.cwd(), essay), force=force)
    if not _quiet():
        click.echo(f"{len(changed)} script(s) written or removed in script/" if changed else "scripts are up to date")


def _quiet() -> bool:
    """-q: success stays silent (errors are still reported)."""
    return bool(click.get_current_context().find_root().params.get("quiet"))


_engine_opt = click.option("--engine", help="Speech engine: auto, gtts, hibari, piper, kokoro or a plug-in's (overrides narrate.toml).")
_voice_opt = click.option(
    "--voice", metavar="NAME", help="A voice from `narrate voices`; it picks its engine (overrides narrate.toml).",
)


def _executor_opts(command):
    """--executor and --scheduler: where sentences are synthesized."""
    command = click.option(
        "--scheduler", metavar="tcp://HOST:PORT", help="Synthesize on the Dask cluster whose scheduler is there.",
    )(command)
    return click.option(
        "--executor", help="Where sentences are synthesized: threads (default) or dask (a local Dask cluster).",
    )(command)


def _executor(name: str | None, scheduler: str | None):
    """The executor the options ask for (closed after the command); None: the build's own threads."""
    import contextlib

    if scheduler is None and name in (None, "threads"):
        return contextlib.nullcontext(None)
    from narrate import executors

    return executors.create(name or "dask", 1, scheduler)


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
    last build is synthesized or encoded again. On a terminal, progress bars show the
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
    from narrate import build as pipeline

    quiet = _quiet()
    report = _report_json if as_json else _report_errors if quiet else _report_build
    if watch:
        click.echo("watching script/, narrate.toml and the essay; Ctrl-C stops", err=True)
        pipeline.watch(Path.cwd(), essay, report, engine_name=engine, formats=formats, voice=voice)
        return
    with _ProgressBars(enabled=not quiet and not as_json) as bars, _executor(executor, scheduler) as pool:
        project = pipeline.open_project(Path.cwd(), essay, voice)
        result = pipeline.build(
            project, engine_name=engine, force=force, progress=bars, formats=formats, executor=pool, verify=verify, strict=strict
        )
    report(result)


class _ProgressBars:
    """click progress bars on stderr, one per build stage, created when the stage starts."""

    _LABELS = {"synthesize": "Synthesizing", "encode": "Encoding    "}

    def __init__(self, enabled: bool):
        # click draws bars only on a terminal; elsewhere it would print the label alone.
        self.enabled = enabled and sys.stderr.isatty()
        self._bars: dict[str, object] = {}

    def __call__(self, step) -> None:
        if not self.enabled:
            return
        bar = self._bars.get(step.stage)
        if bar is None:
            bar = click.progressbar(
                length=step.total, label=self._LABELS.get(step.stage, step.stage), file=sys.stderr,
                show_eta=True, show_pos=True, item_show_func=lambda item: item or "",
            )
            bar.__enter__()
            self._bars[step.stage] = bar
        bar.update(1, step.section)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        for bar in self._bars.values():
            bar.__exit__(None, None, None)


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
    from narrate.check import clock

    total = report.chapters[-1].end_ms if report.chapters else 0
    rows = [("script", "duration", "sentences", "audio", "track")]
    for section in report.sections:
        spoken = f"{section.synthesized} synthesized" if section.synthesized else "cached"
        track = f"{_size(section.track)}{' (new)' if section.track_written else ''}" if section.track else "-"
        rows.append((section.script, clock(section.duration_ms)[:-4], str(section.units), spoken, track))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    state = "written" if report.book_written else "up to date"
    click.echo(
        f"{report.book} ({clock(total)}, {len(report.chapters)} chapters, {_size(report.book)}) {state}; "
        f"{report.synthesized} sentence(s) synthesized with {report.engine} in {report.seconds:.1f} s"
    )
    if report.outputs:
        click.echo("also wrote " + ", ".join(str(p) for p in report.outputs))
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
    from narrate import build as pipeline

    report = pipeline.status(pipeline.open_project(Path.cwd(), essay, voice), engine_name=engine)
    if report.essay_changed:
        click.echo("the essay changed since the scripts were written: a build splits it again")
    for section in report.sections:
        todo = f" ({section.to_synthesize} of {section.units} sentences to synthesize)" if section.to_synthesize else ""
        click.echo(f"  {section.state:<10}  {section.script}{todo}")
    for name in report.removed:
        click.echo(f"  {'removed':<10}  {name}")
    tracks = len(report.tracks_to_encode)
    click.echo(
        f"a build would synthesize {report.to_synthesize} sentence(s) with {report.engine}, "
        f"encode {tracks} track(s), and {'rewrite' if report.book_stale else 'keep'} {report.book}"
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
    from narrate import build as pipeline

    report = pipeline.cache_report(pipeline.open_project(Path.cwd()), prune=prune, engine_name=engine, check=check)
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
def verify(file: Path | None, as_json: bool, engine: str | None) -> None:
    """Check that every sentence of the book (or a section track) is really spoken; exit 1 if one is not.

    \b
    Example:
        narrate verify
    """
    import json
    from dataclasses import asdict

    from narrate import build as pipeline
    from narrate.verify import verify as check_speech

    report = check_speech(pipeline.open_project(Path.cwd()), file, engine_name=engine)
    if as_json:
        sentences = [{**asdict(s), "heard": s.heard} for s in report.sentences]
        click.echo(json.dumps({"file": str(report.file), "seconds": round(report.seconds, 2), "sentences": sentences}, indent=2))
    else:
        rows = [("script", "sentences", "heard", "doubtful")]
        rows += [(name, str(n), str(ok), str(n - ok)) for name, n, ok in report.per_script()]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            click.echo("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        for s in report.doubtful:
            minutes, seconds = divmod(s.start_ms / 1000, 60)
            click.echo(f"doubtful: {int(minutes)}:{seconds:04.1f} {s.script}: {s.text!r} heard as {s.transcript!r}")
        heard = len(report.sentences) - len(report.doubtful)
        click.echo(f"{report.file}: {heard} of {len(report.sentences)} sentences heard ({report.seconds:.1f} s)")
    if report.doubtful:
        raise SystemExit(1)


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def chapters(file: Path) -> None:
    """Print an MP3's chapters: start, end and title.

    \b
    Example:
        narrate chapters audio/la-la-land.mp3
    """
    from narrate.check import clock
    from narrate.tags import read_chapters

    found = read_chapters(file)
    if not found:
        raise NarrateError(f"{file} has no chapters")
    for chapter in found:
        click.echo(f"{clock(chapter.start_ms)}  {clock(chapter.end_ms)}  {chapter.title}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--target", type=click.Choice(["acx", "podcast"]), default=None,
    help="acx: ACX's levels, room tone and format; podcast: -16 LUFS integrated, true peak <= -1 dBTP. "
    "Default: sound.target of ./narrate.toml, else acx.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list, one object per file.")
def check(files: tuple[Path, ...], target: str | None, as_json: bool) -> None:
    """Measure MP3s against ACX's requirements (or a podcast target); exit 1 on any failure.

    Prints a table per file: duration, RMS, peak, noise floor, head and tail room tone,
    sample rate, channels, bitrate and its mode, and the chapters.

    \b
    Example:
        narrate check audio/la-la-land.mp3 audio/sections/*.mp3
        narrate check --target podcast --json audio/la-la-land.mp3
    """
    from narrate import check as checker
    from narrate.config import Config, load_config

    if target is None:  # what this folder's build masters for
        target = (load_config(Path.cwd()) or Config()).target
    reports = checker.check_files(files, target)
    click.echo(checker.to_json(reports) if as_json else checker.format_reports(reports))
    if not all(report.passed for report in reports):
        sys.exit(1)


@cli.command()
def plugins() -> None:
    """List the registered inputs, engines, outputs and executors, and the package of each.

    \b
    Example:
        narrate plugins
    """
    from narrate import plugins as registries

    for entry in registries.listing():
        click.echo(f"{entry.group:<10} {entry.name:<14} {entry.target:<44} {entry.package}")


@cli.command()
@click.option("--sample", "sample", metavar="NAME", help="Write a short sample of voice NAME as an MP3, to listen to.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("audio"), show_default=True,
              help="Folder for the sample.")
@click.option("--no-measure", is_flag=True, help="List without measuring each engine's speed on this machine.")
def voices(sample: str | None, out: Path, no_measure: bool) -> None:
    """List the voices installed here (set one with [voice] voice = "NAME"), or write a sample of one.

    \b
    Example:
        narrate voices
        narrate voices --sample bm_george
    """
    from narrate import voices as catalogue

    if sample:
        click.echo(f"wrote {catalogue.write_sample(sample, out)}")
        return
    rows = [("voice", "engine", "language", "gender", "rate", "licence", "network", "speed")]
    rows += [
        (r.voice.name, r.voice.engine, r.voice.language, r.voice.gender or "?", str(r.voice.sample_rate),
         r.voice.licence or "?", "yes" if r.voice.network else "no", r.speed)
        for r in catalogue.report(measure=not no_measure)
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        click.echo("  ".join(cell.rjust(w) if i == 4 else cell.ljust(w) for i, (cell, w) in enumerate(zip(row, widths)))
                   + "  " + row[-1])


@cli.group(cls=_Group)
def catalog() -> None:
    """A folder of essays built as books and published as one podcast feed.

    \b
    Example:
        narrate catalog init essays/
        narrate catalog build essays/
    """


_catalog_dir = click.argument("folder", required=False, default=".", type=click.Path(file_okay=False, path_type=Path))


@catalog.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--base-url", default="https://example.org/podcast/", show_default=True, help="Where FOLDER will be published.")
def catalog_init(folder: Path, base_url: str) -> None:
    """Write FOLDER/catalog.toml listing the essays found there."""
    from narrate import catalog as catalogs

    path = catalogs.init(folder, base_url=base_url)
    if not _quiet():
        click.echo(f"wrote {path}; set its title, author and base_url, then run `narrate catalog build {folder}`")


@catalog.command("build")
@_catalog_dir
@_engine_opt
@click.option("--force", is_flag=True, help="Let changed essays overwrite hand-edited scripts.")
@_executor_opts
def catalog_build(folder: Path, engine: str | None, force: bool, executor: str | None, scheduler: str | None) -> None:
    """Build every essay of the catalog in FOLDER/books/, then FOLDER/feed.xml and FOLDER/index.html."""
    from narrate import catalog as catalogs

    with _executor(executor, scheduler) as pool:
        report = catalogs.build(folder, engine_name=engine, executor=pool, force=force)
    if _quiet():
        return
    for book in report.books:
        state = "written" if book.report.book_written else "up to date"
        click.echo(f"  {book.slug:<24} {book.report.synthesized:>4} sentence(s) synthesized  {book.report.book} {state}")
    for path, written in ((report.feed, report.feed_written), (report.page, report.page_written)):
        click.echo(f"{path} {'written' if written else 'up to date'}")


@catalog.command("status")
@_catalog_dir
@_engine_opt
def catalog_status(folder: Path, engine: str | None) -> None:
    """Show what `narrate catalog build` would do for each essay, without doing it."""
    from narrate import catalog as catalogs

    for book in catalogs.status(folder, engine_name=engine):
        todo = book.status
        changed = [s for s in todo.sections if s.state != "up to date"]
        state = "up to date" if not (changed or todo.book_stale or todo.removed) else "new" if not todo.book.is_file() else "changed"
        click.echo(
            f"  {state:<10}  {book.slug:<24} {todo.to_synthesize} sentence(s) to synthesize, "
            f"{len(changed)} of {len(todo.sections)} section(s) to redo"
        )




def main() -> None:
    """Console-script entry point."""
    cli(prog_name="narrate")
