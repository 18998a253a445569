"""A local stand-in for Google Translate's TTS endpoint, speaking gTTS's own protocol.

gTTS sends each request through the proxy the standard environment variables name
(``urllib.request.getproxies()``) and without verifying TLS. The stand-in is that proxy: it
accepts ``CONNECT translate.google.<tld>:443``, answers the tunnel's TLS with a certificate
for that host made by ``trustme``, and then answers the tunneled request itself, so the URL
gTTS builds is the one checked.

gTTS POSTs form data ``f.req=<urlencoded JSON>`` to ``.../batchexecute``; the JSON is
``[[["jQ1olc", "[\\"text\\",\\"en\\",null,\\"null\\"]", null, "generic"]]]``. Google answers
with a batchexecute body one of whose lines holds ``"jQ1olc","[\\"<base64 MP3>\\"]"``.

The stand-in answers with real MP3 bytes (made once per word count with the ffmpeg that
imageio-ffmpeg ships): a voice-like buzz of WORD_MS per word between LEAD_MS of silence on
each side, so a test can predict the duration of what it gets back. Every request's text
is recorded. Faults can be scripted per request: HTTP errors (with or without
Retry-After), a 200 without audio, a connection reset mid-body and a slow answer.

Use the `gtts_standin` fixture: it starts the server on 127.0.0.1 (a free port), points
https_proxy at it and stops it when the test ends.
"""

from __future__ import annotations

import base64
import functools
import json
import socket
import ssl
import struct
import subprocess
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

import numpy as np
import pytest

RPC = "jQ1olc"
PATH = "/_/TranslateWebserverUi/data/batchexecute"
MP3_RATE = 24000  # what Google serves: 24 kHz mono, 32 kbps
WORD_MS = 300  # voiced audio per word of the requested text
LEAD_MS = 200  # silence before and after the voice (narrate's trim cuts it back to 40 ms)


# ---------------------------------------------------------------- the audio served


def words(text: str) -> int:
    return max(1, len(text.split()))


def _voice(n_words: int) -> np.ndarray:
    """A voice-like signal: per word, a harmonic buzz with a gliding pitch and a syllable envelope."""
    per_word = int(WORD_MS * MP3_RATE / 1000)
    t = np.arange(per_word) / MP3_RATE
    parts = []
    for w in range(n_words):
        f0 = 115 + 25 * np.sin(2 * np.pi * (1.3 * t + 0.37 * w))  # intonation
        phase = 2 * np.cumsum(np.pi * f0) / MP3_RATE
        # harmonics weighted like a rough vowel (formant bumps near 500 and 1500 Hz)
        wave = sum(
            (np.exp(-((k * 120 - 500) / 300) ** 2) + 0.5 * np.exp(-((k * 120 - 1500) / 400) ** 2) + 0.05)
            * np.sin(k * phase)
            for k in range(1, 16)
        )
        envelope = 0.35 + 0.65 * np.sin(np.pi * np.arange(per_word) / per_word) ** 2  # never silent inside
        parts.append(wave * envelope)
    voice = np.concatenate(parts)
    voice *= 0.5 / np.max(np.abs(voice))
    fade = int(0.01 * MP3_RATE)  # 10 ms ramps: no click for the encoder to smear into the silence
    ramp = np.sin(np.linspace(0, np.pi / 2, fade)) ** 2
    voice[:fade] *= ramp
    voice[-fade:] *= ramp[::-1]
    lead = np.zeros(int(LEAD_MS * MP3_RATE / 1000))
    return np.concatenate([lead, voice, lead])


@functools.lru_cache(maxsize=None)
def mp3_for(n_words: int) -> bytes:
    """Real MP3 bytes (24 kHz mono, 32 kbps, LAME) of `n_words` words of voice-like sound."""
    import imageio_ffmpeg

    pcm = np.round(_voice(n_words) * 32767).astype("<i2").tobytes()
    proc = subprocess.run(
        [
            imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error",
            "-f", "s16le", "-ar", str(MP3_RATE), "-ac", "1", "-i", "pipe:0",
            "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1",
        ],
        input=pcm,
        capture_output=True,
        check=True,
    )
    assert proc.stdout[:3] in (b"ID3", b"\xff\xf3", b"\xff\xfb"), "ffmpeg did not make an MP3"
    return proc.stdout


def served_ms(text: str) -> float:
    """Duration of the MP3 served for `text`, silences included."""
    return words(text) * WORD_MS + 2 * LEAD_MS


def voiced_ms(text: str) -> float:
    """Duration of the voice in the MP3 served for `text`, without the silences."""
    return words(text) * WORD_MS


def batchexecute_body(payload) -> bytes:
    """A body shaped like Google's batchexecute answer; `payload` is the RPC's JSON string (or None)."""
    envelope = json.dumps(
        [["wrb.fr", RPC, payload, None, None, None, "generic"], ["di", 61], ["af.httprm", 60, "-412097", 3]],
        separators=(",", ":"),
    )
    tail = json.dumps([["e", 4, None, None, len(envelope) + 20]], separators=(",", ":"))
    return f")]}}'\n\n{len(envelope) + 2}\n{envelope}\n{len(tail) + 2}\n{tail}\n".encode()


# ---------------------------------------------------------------- scripted faults


@dataclass(frozen=True)
class Answer:
    """How the stand-in answers one request."""

    kind: str  # "ok", "http", "no_audio", "empty", "garbage", "reset", "slow"
    status: int = 200
    retry_after: str | None = None
    delay: float = 0.0


OK = Answer("ok")


def http(status: int, retry_after: str | int | None = None) -> Answer:
    """An HTTP error status, optionally with a Retry-After header."""
    return Answer("http", status, None if retry_after is None else str(retry_after))


def no_audio() -> Answer:
    """200 with the RPC line but no audio in it (what Google sends for an unsupported language)."""
    return Answer("no_audio")


def empty() -> Answer:
    """200 whose body has no RPC line at all."""
    return Answer("empty")


def garbage() -> Answer:
    """200 with the RPC line holding base64 bytes that are not audio."""
    return Answer("garbage")


def reset() -> Answer:
    """200 with a Content-Length, part of the body, then the connection is reset."""
    return Answer("reset")


def slow(delay: float) -> Answer:
    """A good answer that only starts after `delay` seconds (longer than the client's read timeout)."""
    return Answer("slow", delay=delay)


@dataclass(frozen=True)
class Request:
    """One request the stand-in received."""

    text: str
    lang: str
    answer: str
    at: float  # time.monotonic() when it arrived
    tunnel: str  # the CONNECT target, "translate.google.com:443"
    host: str  # the tunneled request's Host header
    sni: str | None  # the server name the client asked for in the TLS handshake


@dataclass
class StandIn:
    """The running server's state: its URL, the requests it got, the answers still scripted."""

    url: str = ""
    requests: list[Request] = field(default_factory=list)
    default: Answer = OK
    in_flight: int = 0  # requests being answered now
    most_in_flight: int = 0  # the most ever answered at once
    _queue: deque = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)

    def script(self, *answers: Answer) -> None:
        """Answer the next requests with these, in order; then with `default`."""
        with self._lock:
            self._queue.extend(answers)

    def fail_with(self, answer: Answer) -> None:
        """Answer every request not scripted otherwise with `answer` (OK to recover)."""
        with self._lock:
            self.default = answer

    @property
    def texts(self) -> list[str]:
        return [r.text for r in self.requests]

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    def _next(self, text: str, lang: str, tunnel: str, host: str, sni: str | None) -> Answer:
        with self._lock:
            answer = self._queue.popleft() if self._queue else self.default
            self.requests.append(Request(text, lang, answer.kind, time.monotonic(), tunnel, host, sni))
            return answer


HOSTS = ("translate.google.com", "translate.google.co.uk")  # the certificate's names (gTTS does not check them)


@functools.lru_cache(maxsize=None)
def _tls_context() -> ssl.SSLContext:
    """A server context whose certificate, from a throwaway trustme CA, names Google's hosts."""
    import trustme

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert(*HOSTS).configure_cert(context)
    context.sni_callback = lambda sock, name, _: setattr(sock, "server_name_asked", name)
    return context


def _make_handler(state: StandIn):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format, *args):  # quiet
            pass

        def _send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
            self.close_connection = True

        tunnel = ""  # set by CONNECT: the requests that follow arrive through it, in TLS
        sni: str | None = None

        def do_CONNECT(self):
            self.send_response(200, "Connection established")
            self.end_headers()
            try:
                tls = _tls_context().wrap_socket(self.connection, server_side=True)
            except (ssl.SSLError, OSError):
                self.close_connection = True
                return
            self.tunnel, self.sni = self.path, getattr(tls, "server_name_asked", None)
            self.connection = self.request = tls
            self.rfile = tls.makefile("rb")
            self.wfile = tls.makefile("wb", buffering=0)
            self.close_connection = False  # go on reading requests, now from the tunnel

        def finish(self):
            super().finish()
            if self.tunnel:
                self.connection.close()

        def do_POST(self):
            if not self.tunnel:  # gTTS only ever asks for https: a plain request did not come through the proxy
                self._send(400, b"not through the tunnel")
                return
            length = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
            try:
                rpc = json.loads(form["f.req"][0])
                name, parameter, _, _ = rpc[0][0]
                text, lang, _speed, _ = json.loads(parameter)
                assert name == RPC and self.path.split("?")[0] == PATH
            except (KeyError, ValueError, TypeError, AssertionError):
                self._send(400, b"bad request")
                return
            answer = state._next(text, lang, self.tunnel, self.headers.get("Host", ""), self.sni)
            with state._lock:
                state.in_flight += 1
                state.most_in_flight = max(state.most_in_flight, state.in_flight)
            try:
                self._answer(answer, text)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (read timeout): nothing to do
            finally:
                with state._lock:
                    state.in_flight -= 1

        def _answer(self, answer: Answer, text: str) -> None:
            if answer.kind == "http":
                headers = {"Retry-After": answer.retry_after} if answer.retry_after is not None else {}
                self._send(answer.status, b'<html><body>Error</body></html>', headers)
            elif answer.kind == "no_audio":
                self._send(200, batchexecute_body(None))
            elif answer.kind == "empty":
                self._send(200, b")]}'\n\n25\n[[\"e\",4,null,null,25]]\n")
            elif answer.kind == "garbage":
                self._send(200, batchexecute_body(json.dumps([base64.b64encode(b"<html>not audio</html>" * 40).decode("ascii")])))
            elif answer.kind == "reset":
                body = batchexecute_body(json.dumps([base64.b64encode(mp3_for(words(text))).decode("ascii")]))
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 3])
                self.wfile.flush()
                time.sleep(0.1)  # let the client read the headers: a reset before that loses them (TLS or not)
                # SO_LINGER 0: close() sends a TCP RST instead of a clean FIN
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.connection.close()
                self.close_connection = True
            else:
                if answer.kind == "slow" and state._stop.wait(answer.delay):
                    return  # the server is stopping
                body = batchexecute_body(json.dumps([base64.b64encode(mp3_for(words(text))).decode("ascii")]))
                self._send(200, body)

        def do_GET(self):
            self._send(404, b"not found")

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def handle_error(self, request, client_address):  # resets and timeouts are the point
        pass


def start() -> tuple[StandIn, Callable[[], None]]:
    """Start a stand-in on 127.0.0.1; returns (state, stop). `stop()` returns within about a second."""
    state = StandIn()
    server = _Server(("127.0.0.1", 0), _make_handler(state))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"  # the proxy's URL

    def stop() -> None:
        state._stop.set()  # wakes slow answers
        server.shutdown()
        server.server_close()
        thread.join(timeout=1.0)

    return state, stop


PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


def use_proxy(monkeypatch, url: str) -> None:
    """Make `url` the only proxy gTTS sees (gTTS passes urllib's proxies explicitly, so no_proxy has no say)."""
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("https_proxy", url)


@pytest.fixture
def gtts_standin(monkeypatch):
    """A running stand-in; https_proxy points at it."""
    state, stop = start()
    use_proxy(monkeypatch, state.url)
    try:
        yield state
    finally:
        stop()
