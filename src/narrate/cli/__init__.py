"""The `narrate` command: each command parses, makes one library call, and reports.

This module holds the group, the options several commands share, and the translation of
NarrateError into one line; the commands live beside it: `book` (split, build, status,
cache, verify), `info` (chapters, check, plugins, voices) and `catalog`.
"""

from __future__ import annotations

import gc
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from narrate import __version__
from narrate.errors import NarrateError

if TYPE_CHECKING:
    from narrate.cli.book import _Progress


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
    handler = _LogHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger("narrate")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO)


class _LogHandler(logging.StreamHandler):
    """Log lines on stderr; while a progress line is shown, each goes above it instead of into it."""

    progress: _Progress | None = None  # the shown progress line (cli.book._Progress), set while a build draws it

    def emit(self, record: logging.LogRecord) -> None:
        progress = _LogHandler.progress
        if progress is None:
            super().emit(record)
            return
        with progress.lock:
            progress.clear()
            super().emit(record)
            progress.draw()


class _EssayType(click.ParamType):
    """An essay file, or an http(s) address whose page is fetched into essay/ first."""

    name = "essay"

    def convert(self, value, param, ctx):
        if isinstance(value, Path) or "://" not in value:  # a file: the fetcher (and what it loads) is not needed
            return Path(value)
        from narrate.inputs.fetch import locate

        return locate(value, Path.cwd())


_essay_arg = click.argument("essay", required=False, type=_EssayType())


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
    from narrate.speech import executors

    return executors.create(name or "dask", 1, scheduler)


def main() -> None:
    """Console-script entry point."""
    try:
        cli(prog_name="narrate")
    finally:
        # The process ends here. Its garbage collector's pass at exit would free the voice's
        # dictionaries, a million objects in cycles, for 0.07 s, only for the system to drop the
        # memory at once: ignored instead. Files are all closed by then; exit handlers still run.
        gc.freeze()


# The commands register themselves on `cli` as they are imported.
from narrate.cli import book, catalog, info, studio  # noqa: E402,F401
