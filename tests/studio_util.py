"""Shared by the studio tests: a project, a real studio server on 127.0.0.1, raw HTTP requests to it."""

from __future__ import annotations

import http.client
import json
from contextlib import contextmanager
from pathlib import Path

import pytest

import smallbook


def project(root: Path, engine: str = "fake") -> Path:
    """The small three-room book in `root`, split into its scripts, voiced by `engine`."""
    smallbook.make_project(root)
    toml = root / "narrate.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('engine = "fake"', f'engine = "{engine}"')
                    + '[sound]\ncue = "none"\n[output]\nformats = ["mp3", "tracks"]\n', encoding="utf-8")
    return root


@contextmanager
def server(root: Path, **kwargs):
    """A studio serving `root` on 127.0.0.1 (any free port) for the block; stopped after it."""
    pytest.importorskip("starlette", reason="pip install 'narrate[studio]'")
    from narrate.studio import start

    running = start(root, **kwargs)
    try:
        yield running
    finally:
        running.stop()


def request(running, method: str, path: str, body: bytes | dict | None = None, headers: dict | None = None,
            cookie: bool = True) -> tuple[int, dict, bytes]:
    """(status, headers, body) of one request sent as written: the path is not normalized, headers are ours."""
    conn = http.client.HTTPConnection("127.0.0.1", running.port, timeout=30)
    sent = {"Host": f"127.0.0.1:{running.port}"}
    if cookie:
        sent["Cookie"] = f"narrate_studio={running.token}"
    if method == "POST":
        sent["Origin"] = f"http://127.0.0.1:{running.port}"
    sent.update(headers or {})
    data = json.dumps(body).encode() if isinstance(body, dict) else body
    if data is not None:
        sent.setdefault("Content-Type", "application/json")
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for name, value in sent.items():
        if value is not None:
            conn.putheader(name, value)
    if data is not None and "Transfer-Encoding" not in sent:
        conn.putheader("Content-Length", str(len(data)))
    conn.endheaders()
    if data is not None:
        if sent.get("Transfer-Encoding") == "chunked":
            for i in range(0, len(data), 8192):
                piece = data[i : i + 8192]
                conn.send(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            conn.send(b"0\r\n\r\n")
        else:
            conn.send(data)
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, payload
