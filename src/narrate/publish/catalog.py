"""A catalog: a folder of essays, each built as its own book, published as one podcast feed.

DIR/catalog.toml describes the catalog; every essay becomes DIR/books/SLUG/ (its scripts
and audio/), all books sharing one synthesis cache in DIR/.narrate/cache. After the books,
DIR/feed.xml and DIR/index.html are written, each only when its content changed.
DIR/.narrate/catalog.json keeps each essay's item guid and first build date, so a new title
or a rebuild never changes them.
"""

from __future__ import annotations

import json
import logging
import sys
import uuid
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from narrate import api, inputs
from narrate.audio.cover import cover_for
from narrate.config import Config
from narrate.errors import ConfigError, InputError
from narrate.fsutil import write_if_changed, write_text
from narrate.publish import catalog_page, feed
from narrate.speech.cache import Cache
from narrate.text.split import slugify

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

log = logging.getLogger(__name__)

CATALOG_NAME = "catalog.toml"
# Every format narrate reads (README, "The essay"); the readers tell them apart by content.
ESSAY_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".docx", ".odt", ".epub")
_OWN_FILES = ("README.md", "index.html")  # the folder's readme, and the catalog page narrate writes
# What each book makes: the feed needs the MP3, chapters JSON and captions; the page its tracks.
BOOK_FORMATS = ("mp3", "tracks", "vtt", "json", "html")
_DESCRIPTION_CHARS = 600


@dataclass(frozen=True)
class Catalog:
    """catalog.toml, read; `essays` are paths relative to `root`, in feed order."""

    root: Path
    title: str
    base_url: str
    essays: tuple[str, ...]
    author: str = ""
    description: str = ""
    language: str = "en"
    cover: str = ""
    category: str = "Arts"
    explicit: bool = False
    engine: str = "auto"
    dates: dict[str, date] = field(default_factory=dict)

    @property
    def cache(self) -> Cache:
        return Cache(self.root / ".narrate" / "cache")

    def url(self, path: Path) -> str:
        """The published address of a file under the catalog folder."""
        return self.base_url.rstrip("/") + "/" + path.relative_to(self.root).as_posix()


@dataclass(frozen=True)
class BookResult:
    """What the catalog build did for one essay."""

    essay: str
    slug: str
    report: api.BuildReport


@dataclass(frozen=True)
class CatalogReport:
    """What `build` did: each book's report, and whether the feed and the page were written."""

    books: tuple[BookResult, ...]
    feed: Path
    feed_written: bool
    page: Path
    page_written: bool


def _found_essays(root: Path) -> list[str]:
    """Essay files under `root`, outside the built books and hidden folders."""
    found = []
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if rel.parts[0] == "books" or any(p.startswith(".") for p in rel.parts) or rel.as_posix() in _OWN_FILES:
            continue
        if path.is_file() and path.suffix.lower() in ESSAY_SUFFIXES:
            found.append(rel.as_posix())
    return found


def init(root: Path, base_url: str = "https://example.org/podcast/", title: str = "") -> Path:
    """Write DIR/catalog.toml listing the essays found there.

    Raises:
        InputError: the folder is missing, has no essays, or already has a catalog.toml.
    """
    root = Path(root)
    target = root / CATALOG_NAME
    if not root.is_dir():
        raise InputError(f"{root} is not a folder; create it and put the essays in it")
    if target.exists():
        raise InputError(f"{target} exists; edit it, or delete it to start over")
    essays = _found_essays(root)
    if not essays:
        raise InputError(
            f"no essays ({', '.join(ESSAY_SUFFIXES)}) in {root}; add some, then run `narrate catalog init` again"
        )
    listed = "\n".join(f"    {json.dumps(e, ensure_ascii=False)}," for e in essays)
    text = (
        "# A catalog of essays: `narrate catalog build` narrates each one and writes feed.xml.\n\n"
        "[catalog]\n"
        f"title = {json.dumps(title or root.resolve().name, ensure_ascii=False)}\n"
        'author = ""\n'
        'description = ""\n'
        'language = "en"\n'
        'cover = ""            # an image file (square, 1400-3000 px); empty: set in type from the title\n'
        'category = "Arts"     # an Apple Podcasts category\n'
        f"base_url = {json.dumps(base_url)}  # where this folder will be published\n"
        'engine = "auto"\n'
        f"essays = [\n{listed}\n]\n\n"
        "[dates]               # optional publication dates; otherwise the first build's date\n"
        '# "essay.md" = 2024-05-01\n'
    )
    write_text(target, text)
    return target


def load(root: Path) -> Catalog:
    """Read DIR/catalog.toml.

    Raises:
        ConfigError: it is missing or invalid.
    """
    root = Path(root)
    path = root / CATALOG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"no {CATALOG_NAME} in {root.resolve()}; run `narrate catalog init {root}`") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}); fix it and run again") from None
    table = data.get("catalog")
    if not isinstance(table, dict):
        raise ConfigError(f"{path} has no [catalog] table; run `narrate catalog init` in an empty folder to see one")
    fields = {"title", "author", "description", "language", "cover", "category", "base_url", "engine", "explicit", "essays"}
    unknown = sorted(set(table) - fields)
    if unknown:
        raise ConfigError(f"{path}: unknown setting(s) {', '.join(unknown)} in [catalog]; allowed: {', '.join(sorted(fields))}")
    base_url = table.get("base_url", "")
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"{path}: base_url must be the http(s) address the folder is published at")
    for key in fields - {"essays", "explicit"}:
        if not isinstance(table.get(key, ""), str):
            raise ConfigError(f"{path}: {key} must be a string")
    essays = table.get("essays", _found_essays(root))
    if not isinstance(essays, list) or not all(isinstance(e, str) for e in essays) or not essays:
        raise ConfigError(f"{path}: essays must be a non-empty list of file names")
    if not table.get("title"):
        raise ConfigError(f"{path}: the catalog needs a title")
    slugs: dict[str, str] = {}
    for essay in essays:
        if not (root / essay).is_file():
            raise InputError(f"{path} lists {essay}, which is not in {root}; fix the list or add the file")
        other = slugs.setdefault(slugify(Path(essay).stem), essay)
        if other != essay:
            raise ConfigError(f"{path}: {other} and {essay} would share the folder books/{slugify(Path(essay).stem)}; rename one")
    dates = data.get("dates", {})
    if not isinstance(dates, dict) or not all(isinstance(d, date) for d in dates.values()):
        raise ConfigError(f"{path}: [dates] maps essay file names to dates (2024-05-01)")
    explicit = table.get("explicit", False)
    if not isinstance(explicit, bool):
        raise ConfigError(f"{path}: explicit must be true or false")
    return Catalog(
        root=root, title=table["title"], base_url=base_url, essays=tuple(essays),
        author=table.get("author", ""), description=table.get("description", ""),
        language=table.get("language", "en"), cover=table.get("cover", ""),
        category=table.get("category", "Arts"), explicit=explicit, engine=table.get("engine", "auto"), dates=dates,
    )


def unlisted(catalog: Catalog) -> list[str]:
    """Essays in the folder that catalog.toml's `essays` does not list (added after `catalog init`)."""
    listed = {Path(e).as_posix() for e in catalog.essays}
    return [e for e in _found_essays(catalog.root) if e not in listed]


def unlisted_warning(essay: str) -> str:
    """What to say of an essay the catalog does not list."""
    return (
        f"{essay} is in the folder but not in catalog.toml's essays, so it is not built; add it to that list "
        "(or delete the list to build every essay in the folder)"
    )


def book_project(catalog: Catalog, essay: str) -> api.Project:
    """The project one essay is built in: DIR/books/SLUG, with the catalog's cache."""
    essay_path = (catalog.root / essay).resolve()
    config = Config(
        author=catalog.author, engine=catalog.engine, language=catalog.language, formats=BOOK_FORMATS,
    )
    return api.Project(
        root=catalog.root / "books" / slugify(Path(essay).stem), config=config, essay=essay_path,
        cache_dir=catalog.cache.root,
    )


def _state_path(catalog: Catalog) -> Path:
    return catalog.root / ".narrate" / "catalog.json"


def _load_state(catalog: Catalog) -> dict[str, dict[str, str]]:
    """Each essay's guid and first build date; an unreadable file starts afresh (with a warning)."""
    path = _state_path(catalog)
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("%s cannot be read (%s); guids are made again from the essays' names", path, exc)
        return {}
    if not isinstance(state, dict) or not all(isinstance(v, dict) for v in state.values()):
        log.warning("%s is not a catalog state; guids are made again from the essays' names", path)
        return {}
    return state


def _entry(catalog: Catalog, state: dict, essay: str) -> dict[str, str]:
    """The essay's state, made on its first build: a guid from base_url and its name, today's date."""
    entry = state.setdefault(essay, {})
    entry.setdefault("guid", str(uuid.uuid5(uuid.NAMESPACE_URL, catalog.base_url.rstrip("/") + "/" + essay)))
    entry.setdefault("first_built", datetime.now(timezone.utc).date().isoformat())
    return entry


def build(
    root: Path, engine_name: str | None = None, executor: Executor | None = None, force: bool = False
) -> CatalogReport:
    """Build every essay of the catalog as its own book, then the feed and the catalog page.

    Args:
        root: the catalog folder (holding catalog.toml).
        engine_name: overrides catalog.toml's engine.
        executor: where sentences are synthesized (the caller owns it); None: each book's
            own local threads.
        force: let changed essays overwrite hand-edited scripts.

    Returns:
        A CatalogReport.

    Raises:
        NarrateError: a book cannot be built, or the feed cannot be written.
    """
    catalog = load(root)
    for essay in unlisted(catalog):
        log.warning("%s", unlisted_warning(essay))
    state = _load_state(catalog)
    results = []
    for essay in catalog.essays:
        project = book_project(catalog, essay)
        log.info("building %s in %s", essay, project.root)
        report = api.build_book(project, engine_name=engine_name, force=force, executor=executor)
        results.append(BookResult(essay, project.root.name, report))
        _entry(catalog, state, essay)
        write_text(_state_path(catalog), json.dumps(state, indent=2, sort_keys=True) + "\n")
    episodes, books = [], []
    for result in results:
        project = book_project(catalog, result.essay)
        episode, page_book = _episode(catalog, project, result, state[result.essay])
        episodes.append(episode)
        books.append(page_book)
    channel = _channel(catalog)
    episodes.sort(key=lambda e: e.published, reverse=True)
    feed_path, page_path = catalog.root / "feed.xml", catalog.root / "index.html"
    feed_written = write_if_changed(feed_path, feed.rss(channel, episodes))
    page_written = write_if_changed(page_path, _page(catalog, books))
    return CatalogReport(tuple(results), feed_path, feed_written, page_path, page_written)


def _channel(catalog: Catalog) -> feed.Channel:
    """The channel, its image written beside the feed (the catalog's cover, or one set in type)."""
    image = catalog.root / "cover.jpg"
    cover_setting = str((catalog.root / catalog.cover).resolve()) if catalog.cover else ""
    jpeg = cover_for(cover_setting, catalog.root, catalog.title, catalog.author).jpeg()
    write_if_changed(image, jpeg)
    return feed.Channel(
        title=catalog.title, link=catalog.url(catalog.root / "index.html"), feed_url=catalog.url(catalog.root / "feed.xml"),
        description=catalog.description or catalog.title, language=catalog.language,
        author=catalog.author or catalog.title, image_url=catalog.url(image), category=catalog.category,
        explicit=catalog.explicit,
    )


def _description(essay: Path) -> str:
    """The essay's first paragraph, shortened at a word."""
    sections = inputs.read(essay).sections  # any format narrate reads
    text = " ".join(sections[0].paragraphs[0].split()) if sections and sections[0].paragraphs else ""
    if len(text) > _DESCRIPTION_CHARS:
        text = text[:_DESCRIPTION_CHARS].rsplit(" ", 1)[0] + "…"
    return text


def _episode(catalog: Catalog, project: api.Project, result: BookResult, entry: dict):
    """The feed item of a built book, from its report and the files its outputs declare, and what the catalog page shows of it."""
    report = result.report
    where = {name: api.output_paths(project, name)[0] for name in ("json", "vtt", "html")}  # what each output writes
    essay = project.essay
    assert essay is not None  # book_project gives every book its essay
    title = report.title or essay.stem
    image = project.root / "cover.jpg"
    jpeg = cover_for("", project.root, title, catalog.author).jpeg()
    write_if_changed(image, jpeg)
    when = catalog.dates.get(result.essay) or date.fromisoformat(entry["first_built"])
    duration_ms = report.chapters[-1].end_ms if report.chapters else 0
    episode = feed.Episode(
        title=title, description=_description(essay) or title, guid=entry["guid"],
        published=datetime(when.year, when.month, when.day, 12, tzinfo=timezone.utc),
        link=catalog.url(where["html"]), audio_url=catalog.url(report.book), audio_bytes=report.book.stat().st_size,
        duration_s=int(round(duration_ms / 1000)), image_url=catalog.url(image),
        chapters_url=catalog.url(where["json"]), transcript_url=catalog.url(where["vtt"]) if where["vtt"].is_file() else None,
    )
    tracks = [s.track for s in report.sections if s.track is not None]
    return episode, (title, report, tracks, where["html"])


def _page(catalog: Catalog, books) -> str:
    """The catalog's listening page (narrate.publish.catalog_page), from each built book."""
    rel = lambda p: Path(p).relative_to(catalog.root).as_posix()  # noqa: E731
    return catalog_page.page_html(
        catalog.title, catalog.description, catalog.language, "cover.jpg",
        [
            catalog_page.PageBook(
                title, report.chapters[-1].end_ms if report.chapters else 0, rel(report.book), rel(book_page),
                rel(book_page.parent.parent / "cover.jpg"), report.chapters, [rel(t) for t in tracks],
            )
            for title, report, tracks, book_page in books
        ],
    )


@dataclass(frozen=True)
class BookStatus:
    """What a catalog build would do for one essay."""

    essay: str
    slug: str
    status: api.Status


def status(root: Path, engine_name: str | None = None) -> tuple[BookStatus, ...]:
    """What `build` would do for each essay; changes nothing.

    Raises:
        NarrateError: catalog.toml or an essay is invalid.
    """
    catalog = load(root)
    return tuple(
        BookStatus(essay, slugify(Path(essay).stem), api.book_status(book_project(catalog, essay), engine_name))
        for essay in catalog.essays
    )
