"""The commands that read what is there: chapters, check, plugins and voices."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from narrate.cli import _quiet, cli
from narrate.errors import ConfigError, NarrateError


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def chapters(file: Path) -> None:
    """Print an MP3's or an M4B's chapters: start, end and title.

    \b
    Example:
        narrate chapters audio/la-la-land.mp3
        narrate chapters audio/la-la-land.m4b
    """
    from narrate import m4b
    from narrate.check import clock
    from narrate.tags import read_chapters

    found = m4b.read_chapters(file) if m4b.is_mp4(file) else read_chapters(file)
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
@click.option("--page", is_flag=True,
              help="Write a sample of every offline voice and voices.html, a page that plays them side by side.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=Path("audio"), show_default=True,
              help="Folder for the sample, or the page and its samples.")
@click.option("--no-measure", is_flag=True, help="List without measuring each engine's speed on this machine.")
def voices(sample: str | None, page: bool, out: Path, no_measure: bool) -> None:
    """List the voices installed here (set one with [voice] voice = "NAME"), or write a sample of one,
    or a page of them all to listen to.

    \b
    Example:
        narrate voices
        narrate voices --sample bm_george
        narrate voices --page
    """
    from narrate import voices as catalogue

    if sample and page:
        raise ConfigError("--sample writes one voice's sample and --page every voice's; choose one")
    if sample:
        click.echo(f"wrote {catalogue.write_sample(sample, out)}")
        return
    if page:
        written, samples = catalogue.write_page(out, measure=not no_measure)
        click.echo(f"wrote {written} ({len(samples)} voices)")
        return
    if not no_measure and not _quiet():
        click.echo("timing each offline engine here on one sentence (--no-measure skips this)", err=True)
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
