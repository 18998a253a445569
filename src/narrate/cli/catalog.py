"""`narrate catalog`: a folder of essays built as books and published as one feed."""

from __future__ import annotations

from pathlib import Path

import click

from narrate.cli import _engine_opt, _executor, _executor_opts, _Group, _quiet, cli


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

    for essay in catalogs.unlisted(catalogs.load(folder)):
        click.echo(f"  {'unlisted':<10}  {essay}: not in catalog.toml's essays, so a build skips it; add it to that list")
    for book in catalogs.status(folder, engine_name=engine):
        todo = book.status
        changed = [s for s in todo.sections if s.state != "up to date"]
        state = "up to date" if not (changed or todo.book_stale or todo.removed) else "new" if not todo.book.is_file() else "changed"
        click.echo(
            f"  {state:<10}  {book.slug:<24} {todo.to_synthesize} sentence(s) to synthesize, "
            f"{len(changed)} of {len(todo.sections)} section(s) to redo"
        )
