"""narrate studio: the project in a browser page, to fix a sentence or a word and hear it again at once.

Needs the `studio` extra (Starlette and uvicorn): `pip install 'narrate[studio]'`.
"""

from __future__ import annotations

import logging
import secrets
import socket
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from narrate.errors import NarrateError

log = logging.getLogger(__name__)

INSTALL = "pip install 'narrate[studio]'"


def _requirements() -> None:
    """Raise one clear line when the studio extra is not installed."""
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError as exc:
        raise NarrateError(f"narrate studio needs Starlette and uvicorn ({exc.name} is missing): {INSTALL}") from None


@dataclass
class Running:
    """A studio server started by `start`: its address (with the token) and how to stop it."""

    url: str
    port: int
    token: str
    stop: Callable[[], None]
    studio: object


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise NarrateError(f"cannot listen on {host}:{port}: {exc.strerror}; choose another port with --port") from exc
    sock.listen(64)
    return sock


def _server(studio, host: str, sock: socket.socket, token: str | None = None):
    """(uvicorn server, url, token) for `studio` on the bound socket."""
    _requirements()
    import uvicorn

    from narrate.studio.app import create_app
    from narrate.studio.security import LOOPBACK

    token = token or secrets.token_urlsafe(24)
    hosts = LOOPBACK if host in ("127.0.0.1", "localhost", "::1") else LOOPBACK | {host.lower()}
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(studio, token, hosts), log_level="warning", proxy_headers=False, server_header=False,
        timeout_graceful_shutdown=2, lifespan="off",
    )

    class Server(uvicorn.Server):
        def handle_exit(self, sig, frame):  # Ctrl-C: end the event streams first, or they hold the server open
            studio.close()
            super().handle_exit(sig, frame)

    shown = f"[{host}]" if ":" in host else host
    return Server(config), f"http://{shown}:{port}/?token={token}", token


def start(root: Path, essay: Path | None = None, port: int = 0, host: str = "127.0.0.1", engine_name: str | None = None,
          token: str | None = None, warm: bool = False, watch: bool = True) -> Running:
    """Serve the studio in a background thread (tests, benchmarks); `stop()` ends it.

    Raises:
        NarrateError: the extra is missing, the port is taken, or the project cannot be opened.
    """
    _requirements()
    from narrate.studio.state import Studio

    sock = _bind(host, port)
    try:
        studio = Studio(root, essay, engine_name)
        if warm:
            studio.warm()
    except BaseException:
        sock.close()
        raise
    server, url, token = _server(studio, host, sock, token)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="studio-server", daemon=True)
    thread.start()
    if watch:
        studio.watch()
    while not server.started and thread.is_alive():
        threading.Event().wait(0.01)

    def stop() -> None:
        studio.close()
        server.should_exit = True
        thread.join(10)
        sock.close()

    return Running(url, sock.getsockname()[1], token, stop, studio)


def serve(root: Path, essay: Path | None = None, port: int = 0, host: str = "127.0.0.1", open_browser: bool = True,
          say: Callable[[str], None] = print) -> None:
    """Serve the studio until Ctrl-C: print its address (with the token), open it in the browser.

    Raises:
        NarrateError: the extra is missing, the port is taken, or the project cannot be opened.
    """
    _requirements()
    from narrate.studio.state import Studio

    sock = _bind(host, port)  # a port in use is said before anything is written
    try:
        studio = Studio(root, essay)
    except BaseException:
        sock.close()
        raise
    server, url, _ = _server(studio, host, sock)
    if host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("listening on %s: anyone who can reach it and has the address with its token can edit this project", host)
    threading.Thread(target=_warm, args=(studio,), name="studio-warm", daemon=True).start()
    studio.watch()
    say(f"narrate studio: {url}  (Ctrl-C stops)")
    if open_browser:
        import webbrowser

        threading.Timer(0.3, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn stops on Ctrl-C, then raises it again: stopping is what was asked
        pass
    finally:
        studio.close()
        sock.close()
    say("narrate studio: stopped; every change is in the project's files")


def _warm(studio) -> None:
    try:
        studio.warm()
    except NarrateError as exc:
        log.warning("the voice could not be loaded: %s", exc)
