"""The `narrate` command: each command parses, makes one library call, and reports."""

from __future__ import annotations

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
@click.option("-q", "--quiet", is_flag=True, help="Only report errors.")
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


_essay_arg = click.argument("essay", required=False, type=click.Path(path_type=Path))


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
    click.echo(f"{len(changed)} script(s) written or removed in script/" if changed else "scripts are up to date")


@cli.command()
@_essay_arg
@click.option("--engine", help="Speech engine: auto, gtts or piper (overrides narrate.toml).")
@click.option("--force", is_flag=True, help="Let a changed essay overwrite hand-edited scripts.")
def build(essay: Path | None, engine: str | None, force: bool) -> None:
    """Narrate the essay into audio/: the chaptered book and one track per section.

    With no ESSAY, builds the book narrate.toml describes.

    \b
    Example:
        narrate build                          # the project's book
        narrate build my-essay.md --engine piper
    """
    from narrate import build as pipeline

    report = pipeline.build(pipeline.open_project(Path.cwd(), essay), engine_name=engine, force=force)
    total = report.chapters[-1].end_ms / 1000 if report.chapters else 0.0
    for chapter in report.chapters:
        click.echo(f"  {_clock(chapter.start_ms)}  {chapter.title}")
    state = "written" if report.book_written else "up to date"
    click.echo(
        f"{report.book} ({_clock(total * 1000)}, {len(report.chapters)} chapters) {state}; "
        f"{report.synthesized} sentence(s) synthesized with {report.engine} in {report.seconds:.1f} s"
    )


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def chapters(file: Path) -> None:
    """Print an MP3's chapters: start, end and title.

    \b
    Example:
        narrate chapters audio/la-la-land.mp3
    """
    from narrate.tags import read_chapters

    found = read_chapters(file)
    if not found:
        raise NarrateError(f"{file} has no chapters")
    for chapter in found:
        click.echo(f"{_clock(chapter.start_ms)}  {_clock(chapter.end_ms)}  {chapter.title}")


def _clock(ms: float) -> str:
    seconds = ms / 1000
    return f"{int(seconds // 3600)}:{int(seconds // 60 % 60):02d}:{seconds % 60:06.3f}"


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="narrate")
