"""The studio's routes: the page and its files, the book as JSON, the sentence operations, audio, events.

Every route is a few lines over `Studio` (and so over the library API); the Guard in front of
them (see security.py) has already checked the Host, the token, the Origin and the body's size.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from urllib.parse import unquote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from narrate import pages
from narrate.errors import ConflictError, NarrateError
from narrate.studio.security import MAX_BODY, Guard, TooLarge
from narrate.studio.state import Studio

_STATIC = {"studio.js": "text/javascript", "studio-panels.js": "text/javascript", "studio.css": "text/css", "page.css": "text/css"}
_KEY = re.compile(r"[0-9a-f]{64}")
_HEADERS = {
    "cache-control": "no-store",
    # Everything the page needs is served from here: no other origin, no inline script.
    "content-security-policy": "default-src 'self'; media-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


_LINKS = "".join(
    f"{line}\n"
    for line in (
        f'<link rel="stylesheet" href="/static/{pages.STYLESHEET}">', '<link rel="stylesheet" href="/static/studio.css">',
        '<script src="/static/studio.js" defer></script>', '<script src="/static/studio-panels.js" defer></script>',
    )
)


class BadRequest(Exception):
    """A request the page should not have sent: a 400 with its message."""


def _static(name: str) -> bytes:
    """A file of the page: the studio's own, or the read-along page's stylesheet it builds on."""
    if name == pages.STYLESHEET:
        return pages.asset(name).encode("utf-8")
    body = resources.files("narrate.studio").joinpath("static").joinpath(name).read_bytes()
    if name == "index.html":  # the body: its head is every narrate page's, with the studio's files
        return pages.head("en", "narrate studio", _LINKS, generator="narrate studio").encode("utf-8") + body
    return body


async def _body(request: Request) -> dict:
    try:
        data = json.loads(await request.body() or b"{}")
    except ValueError:
        raise BadRequest("the request is not JSON") from None
    if not isinstance(data, dict):
        raise BadRequest("the request must be a JSON object")
    return data


def _field(data: dict, name: str, kind: type, optional: bool = False):
    value = data.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise BadRequest(f"the request's {name!r} must be a {kind.__name__}")
    return value


def create_app(studio: Studio, token: str, hosts: frozenset[str] | None = None) -> Guard:
    """The studio's ASGI application, guarded."""

    async def index(request: Request) -> Response:
        return Response(_static("index.html"), media_type="text/html", headers=_HEADERS)

    async def static(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _STATIC:
            return JSONResponse({"error": f"no such file: {name[:80]}"}, 404)
        return Response(_static(name), media_type=_STATIC[name], headers=_HEADERS)

    async def book(request: Request) -> Response:
        return JSONResponse(await run_in_threadpool(studio.book), headers=_HEADERS)

    async def audio(request: Request) -> Response:
        key = request.path_params["key"]
        project = studio.project()
        if not _KEY.fullmatch(key) or not await run_in_threadpool(project.cache.valid, "speech", key):
            return JSONResponse({"error": "no such take in the cache; speak the sentence first"}, 404)
        # A take never changes under its key: the browser may keep it.
        return FileResponse(project.cache.path("speech", key), media_type="audio/wav", headers={"cache-control": "private, max-age=86400"})

    async def files(request: Request) -> Response:
        """A file the build wrote under audio/ (the book, its tracks), never anything outside it."""
        raw = request.scope.get("raw_path", b"").decode("latin-1")
        rel = request.path_params["path"]
        if ".." in unquote(unquote(raw)).split("/") or ".." in Path(rel).parts or rel.startswith("/") or "\\" in rel:
            return JSONResponse({"error": "no such file"}, 404)
        root = studio.project().audio_dir.resolve()
        path = (root / rel).resolve()  # a symbolic link out of the folder resolves outside it
        if not path.is_relative_to(root) or not path.is_file():
            return JSONResponse({"error": "no such file"}, 404)
        return FileResponse(path, headers={"cache-control": "no-store"})

    async def events(request: Request) -> Response:
        return StreamingResponse(studio.events.stream(), media_type="text/event-stream", headers={"cache-control": "no-store"})

    async def speak(request: Request) -> Response:
        data = await _body(request)
        done = await run_in_threadpool(studio.speak, _field(data, "script", str), _field(data, "index", int))
        return JSONResponse(done)

    async def save(request: Request) -> Response:
        data = await _body(request)
        done = await run_in_threadpool(
            studio.save, _field(data, "script", str), _field(data, "index", int), _field(data, "old", str),
            _field(data, "new", str), _field(data, "sha", str, optional=True),
        )
        return JSONResponse(done)

    async def take(request: Request) -> Response:
        data = await _body(request)
        done = await run_in_threadpool(
            studio.take, _field(data, "script", str), _field(data, "index", int), _field(data, "take", int, optional=True)
        )
        return JSONResponse(done)

    async def undo(request: Request) -> Response:
        await _body(request)
        return JSONResponse(await run_in_threadpool(studio.undo))

    async def lexicon(request: Request) -> Response:
        data = await _body(request)
        done = await run_in_threadpool(studio.pronounce, _field(data, "word", str), _field(data, "spoken", str, optional=True))
        return JSONResponse(done)

    async def preview(request: Request) -> Response:
        data = await _body(request)
        done = await run_in_threadpool(
            studio.preview, _field(data, "word", str), _field(data, "spoken", str),
            _field(data, "script", str, optional=True), _field(data, "index", int, optional=True),
        )
        return JSONResponse(done)

    async def voices(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse(await run_in_threadpool(studio.voices), headers=_HEADERS)
        data = await _body(request)
        return JSONResponse(await run_in_threadpool(studio.use_voice, _field(data, "voice", str)))

    async def sample(request: Request) -> Response:
        data = await _body(request)
        done = await run_in_threadpool(
            studio.sample, _field(data, "voice", str), _field(data, "script", str, optional=True),
            _field(data, "index", int, optional=True),
        )
        return JSONResponse(done)

    async def review(request: Request) -> Response:
        await _body(request)
        studio.start_review()
        return JSONResponse({"state": "started"}, 202)

    async def build(request: Request) -> Response:
        await _body(request)
        studio.start_build()
        return JSONResponse({"state": "started"}, 202)

    async def refused(request: Request, exc: Exception) -> Response:
        if isinstance(exc, TooLarge):  # a chunked body that went on past the bound
            return JSONResponse({"error": f"request too large: at most {MAX_BODY // 1024} KiB"}, 413)
        status = 409 if isinstance(exc, ConflictError) else 400
        return JSONResponse({"error": str(exc)}, status)

    routes = [
        Route("/", index), Route("/static/{name}", static), Route("/api/book", book),
        Route("/api/audio/{key}.wav", audio), Route("/files/{path:path}", files), Route("/api/events", events),
        Route("/api/speak", speak, methods=["POST"]), Route("/api/save", save, methods=["POST"]),
        Route("/api/take", take, methods=["POST"]), Route("/api/undo", undo, methods=["POST"]),
        Route("/api/lexicon", lexicon, methods=["POST"]),
        Route("/api/voices", voices, methods=["GET", "POST"]), Route("/api/sample", sample, methods=["POST"]),
        Route("/api/preview", preview, methods=["POST"]), Route("/api/review", review, methods=["POST"]),
        Route("/api/build", build, methods=["POST"]),
    ]
    app = Starlette(routes=routes, exception_handlers={NarrateError: refused, BadRequest: refused, TooLarge: refused})
    return Guard(app, token, hosts=hosts) if hosts else Guard(app, token)
