"""`narrate studio`: the project in a browser page (the studio extra)."""

from __future__ import annotations

from pathlib import Path

import click

from narrate.cli import _essay_arg, cli


@cli.command()
@_essay_arg
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="The port to listen on (default: any free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; another than 127.0.0.1 lets other machines in (with the token).")
@click.option("--no-browser", is_flag=True, help="Print the address only; do not open it in the browser.")
def studio(essay: Path | None, port: int, host: str, no_browser: bool) -> None:
    """Edit the book in the browser: hear a sentence, fix it or a word's pronunciation, build.

    Prints one address with an access token and opens it; every change is written to the
    project's files at once. Ctrl-C stops.

    \b
    Example:
        narrate studio
        narrate studio essay/la-la-land.txt --port 8765 --no-browser
    """
    from narrate.studio import serve

    target = essay if essay is not None and Path(essay).is_file() else None
    root = Path(essay) if essay is not None and Path(essay).is_dir() else Path.cwd()
    serve(root, target, port=port, host=host, open_browser=not no_browser, say=click.echo)
