"""The studio's guard, in front of every route: loopback Host, the token, same-Origin writes, bounded bodies.

- Host: a page on another site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own
  name as Host; only the loopback names (and an address the user asked to listen on) pass.
- Token: the address printed at start carries a random token; the first visit exchanges it for
  a cookie (HttpOnly, SameSite=Strict), and is sent on without the token in its address.
- Origin: a request that changes something must come from the studio's own page.
- Bodies: at most `MAX_BODY` bytes, whatever Content-Length says.
Every refusal is a 4xx with a one-line message the page shows.
"""

from __future__ import annotations

import hmac
import json
import logging
from urllib.parse import parse_qs

log = logging.getLogger(__name__)

COOKIE = "narrate_studio"
MAX_BODY = 64 * 1024  # a sentence or a lexicon entry; nothing the page sends comes near
LOOPBACK = frozenset({"127.0.0.1", "localhost", "[::1]"})
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})


class TooLarge(Exception):
    """A request body went over MAX_BODY."""


def _host_name(host: str) -> str:
    """'localhost:8123' -> 'localhost', '[::1]:8123' -> '[::1]' (lower case)."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1]
    return host.rsplit(":", 1)[0] if ":" in host else host


class Guard:
    """ASGI middleware enforcing the studio's rules on every HTTP request."""

    def __init__(self, app, token: str, hosts: frozenset[str] = LOOPBACK, max_body: int = MAX_BODY):
        self.app, self.token, self.hosts, self.max_body = app, token, hosts, max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if _host_name(host) not in self.hosts:
            return await _refuse(send, 421, f"this studio answers only at 127.0.0.1 or localhost, not {host[:80]!r}")
        method = scope["method"]
        if method not in _SAFE:
            origin = headers.get("origin", "")
            if origin.lower() != f"http://{host.lower()}":
                return await _refuse(send, 403, "refused: a change must come from the studio's own page (cross-site request)")
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        given = query.get("token", [None])[0]
        cookie = _cookie(headers.get("cookie", ""))
        if given is not None and method == "GET" and _same(given, self.token):
            # The first visit: the token becomes a cookie, and the address loses it (history, screen).
            return await _redirect_with_cookie(send, self.token)
        if not _same(cookie, self.token):
            what = "a wrong token" if given is not None or cookie else "no token"
            return await _refuse(send, 401, f"{what}: open the address `narrate studio` printed, with its token")
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            return await _refuse(send, 413, f"request too large: at most {self.max_body // 1024} KiB")
        started = False

        async def tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            return await self.app(scope, self._bounded(receive), tracked)
        except TooLarge:
            if not started:
                return await _refuse(send, 413, f"request too large: at most {self.max_body // 1024} KiB")

    def _bounded(self, receive):
        """`receive` that stops a body (chunked, or lying about its length) at max_body."""
        seen = 0

        async def wrapped():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise TooLarge()
            return message

        return wrapped


def _same(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def _cookie(header: str) -> str | None:
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return None


async def _refuse(send, status: int, message: str) -> None:
    log.info("studio: %d %s", status, message)
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store"),
    ]})
    await send({"type": "http.response.body", "body": body})


async def _redirect_with_cookie(send, token: str) -> None:
    cookie = f"{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/"
    await send({"type": "http.response.start", "status": 303, "headers": [
        (b"location", b"/"), (b"set-cookie", cookie.encode()), (b"content-length", b"0"),
        (b"cache-control", b"no-store"), (b"referrer-policy", b"no-referrer"),
    ]})
    await send({"type": "http.response.body", "body": b""})
