"""gTTS: Google Translate's voice, the engine narrate is designed around.

Requests go through gTTS's public API. gTTS sends them through the proxy that the standard
environment variables name (`https_proxy`; the tests put a local stand-in there).

A sentence longer than Google takes in one request (100 characters) is cut here, not by
gTTS: at clause boundaries into pieces gTTS sends whole; each piece is trimmed of Google's
silence and the pieces are joined by a breath, so the sentence sounds like one. Failures
share one backoff across the workers: while Google fails, one request at a time retries,
and after `attempts` failed rounds every worker stops.
"""

from __future__ import annotations

import io
import logging
import random
import re
import socket
import threading
import time
from collections import OrderedDict
from dataclasses import replace

import requests
from gtts import gTTS, gTTSError
from gtts.tokenizer import pre_processors

from narrate import audio
from narrate.audio import AudioSegment
from narrate.keys import make_key
from narrate.engines.base import Engine, EngineSettings, Voice, plain_text, speed_identity
from narrate.errors import AudioError, ConfigError, SynthesisError

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 3.0
MAX_CHARS = gTTS.GOOGLE_TTS_MAX_CHARS  # gTTS sends text up to this long in one request
# gTTS's default pre-processing, done here before cutting so the pieces' lengths are what gTTS sends.
_PRE_PROCESSORS = (pre_processors.tone_marks, pre_processors.end_of_line, pre_processors.abbreviations, pre_processors.word_sub)
# Silence between the pieces of one sentence, margins included: a breath, shorter than the
# 350 ms narrate leaves between sentences, within the 150-250 ms of a comma in read speech.
BREATH_MS = 200
KEEP_MS = 40.0  # what trim keeps at each edge of a piece
# Google's English accents (gTTS's `tld`, the Google host asked), offered as voices:
# [voice] voice = "google-en-gb" is language "en" with tld "co.uk". One female voice in each.
ACCENTS = {
    "google-en-us": ("en-US", "com"),
    "google-en-gb": ("en-GB", "co.uk"),
    "google-en-au": ("en-AU", "com.au"),
    "google-en-ca": ("en-CA", "ca"),
    "google-en-in": ("en-IN", "co.in"),
}
RATE = 24000  # Google's MP3s are 24 kHz mono
OFFLINE_VOICE = "heart"  # the default offline voice (engines.OFFLINE's), the one to suggest when Google fails
# After clause punctuation (tone_marks has put a space after CJK marks), or after a spaced hyphen.
_CLAUSE_END = re.compile(r"(?:(?<=[,;:.!?…—–)\]}»\"”’])|(?<=\s-))\s+")


def pieces(text: str, limit: int = MAX_CHARS) -> list[str]:
    """`text` cut into as few pieces of at most `limit` characters as possible, at clause boundaries
    where it can be (a clause is cut between words only when it alone is longer), evenly sized."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return [text] if text else []
    atoms: list[tuple[str, bool]] = []  # (text, a clause ends after it)
    for clause in _CLAUSE_END.split(text):
        if len(clause) <= limit:
            atoms.append((clause, True))
            continue
        words = [w[i : i + limit] for w in clause.split(" ") for i in range(0, len(w), limit)]
        atoms.extend((w, i == len(words) - 1) for i, w in enumerate(words))
    # Fewest cuts between words, then fewest pieces, then the most even lengths.
    best: list[tuple[tuple[int, int, int], int]] = [((0, 0, 0), 0)]
    for end in range(1, len(atoms) + 1):
        choice, length = None, -1
        for start in range(end - 1, -1, -1):
            length += len(atoms[start][0]) + 1
            if length > limit:
                break
            (cuts, count, slack), _ = best[start]
            mid_clause = 0 if atoms[end - 1][1] or end == len(atoms) else 1
            cost = (cuts + mid_clause, count + 1, slack + (limit - length) ** 2)
            if choice is None or cost < choice[0]:
                choice = (cost, start)
        best.append(choice)
    out, end = [], len(atoms)
    while end:
        start = best[end][1]
        out.append(" ".join(a for a, _ in atoms[start:end]))
        end = start
    return out[::-1]


def _short(exc: BaseException) -> str:
    """The root of a requests connection error in a few words, not urllib3's paragraph."""
    inner = exc
    while inner.args and isinstance(inner.args[-1], BaseException):  # ProxyError(MaxRetryError(...(reason)))
        inner = inner.args[-1]
    reason = getattr(inner, "reason", None)
    text = str(reason if isinstance(reason, BaseException) else inner)
    return re.sub(r"^.*?[>)]: ", "", text)  # drop "<HTTPConnection object at 0x...>: " and the like


class _Failure(Exception):
    def __init__(self, reason: str, retryable: bool, wait: float | None = None, cause: str = ""):
        super().__init__(reason)
        self.reason, self.retryable, self.wait, self.cause = reason, retryable, wait, cause


def _unresolved(exc: BaseException | None) -> bool:
    """Whether a connection failed because a host name could not be resolved (no network, no DNS).

    No retry helps that within a build, so it is not retried.
    """
    todo, seen = [exc], set()
    while todo:  # requests wraps urllib3's errors in args, `reason` and chained exceptions
        exc = todo.pop()
        if exc is None or id(exc) in seen:
            continue
        seen.add(id(exc))
        if isinstance(exc, socket.gaierror) or type(exc).__name__ == "NameResolutionError":
            return True
        todo += [a for a in exc.args if isinstance(a, BaseException)]
        todo += [getattr(exc, "reason", None), exc.__cause__, exc.__context__]
    return False


class _PieceCache:
    """Google's MP3s of the pieces of sentences not yet finished, in memory for the process.

    A sentence whose piece 3 of 4 failed asks only for piece 3 when it is synthesized again
    (in this build, or the next one of `narrate watch`); a finished sentence's pieces are
    dropped, since narrate's cache then holds the sentence.
    """

    LIMIT = 512  # entries (a few kB each)

    def __init__(self):
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: str, mp3: bytes) -> None:
        with self._lock:
            self._entries[key] = mp3
            while len(self._entries) > self.LIMIT:
                self._entries.popitem(last=False)

    def drop(self, keys: list[str]) -> None:
        with self._lock:
            for key in keys:
                self._entries.pop(key, None)


_PIECES = _PieceCache()


class _Circuit:
    """The backoff all workers share: while Google fails, one worker retries and the others wait.

    Failures are counted in rounds: requests already in flight when Google started failing
    count once together. After `attempts` failed rounds, or one failure not worth retrying,
    the circuit opens and every worker raises the same error without asking again.
    """

    def __init__(self, attempts: int):
        self.attempts = attempts
        self._cond = threading.Condition()
        self._streak = 0  # failed rounds in a row
        self._round = 0  # bumped by every counted failure
        self._prober: int | None = None  # the thread retrying while Google fails
        self._error: SynthesisError | None = None

    def admit(self) -> int:
        """Wait for this thread's turn to ask; returns the round it asks in.

        Raises:
            SynthesisError: the circuit is open.
        """
        me = threading.get_ident()
        with self._cond:
            while True:
                if self._error is not None:
                    raise SynthesisError(str(self._error))
                if self._streak == 0 or self._prober in (None, me):
                    if self._streak:
                        self._prober = me
                    return self._round
                self._cond.wait()

    def succeeded(self, asked_in: int) -> None:
        """Record an answer; one asked before the last failure counted says nothing of Google now."""
        with self._cond:
            if asked_in == self._round:
                self._streak, self._prober = 0, None
                self._cond.notify_all()

    def failed(self, failure: _Failure, asked_in: int) -> bool:
        """Record a failure; True when this thread is the one to retry (after the backoff).

        Raises:
            SynthesisError: the circuit opened (now or before).
        """
        me = threading.get_ident()
        with self._cond:
            if self._error is None:
                if asked_in == self._round:  # news, not a request that was in flight with the one counted
                    self._round += 1
                    self._streak += 1
                if not failure.retryable or self._streak >= self.attempts:
                    tries = f" after {self._streak} tries" if failure.retryable else ""
                    cause = failure.cause or "Google is unreachable or limiting requests; wait and run again"
                    self._error = SynthesisError(
                        f"gTTS failed{tries}: {failure.reason}. Probable cause: {cause} (finished sentences are "
                        f"cached), or narrate offline with the default offline voice: `--voice {OFFLINE_VOICE}` for "
                        f"one build, `voice = \"{OFFLINE_VOICE}\"` in narrate.toml for good"
                    )
                    self._cond.notify_all()
            if self._error is not None:
                raise SynthesisError(str(self._error))
            if self._prober is None:
                self._prober = me
            return self._prober == me

    @property
    def streak(self) -> int:
        return self._streak

    def release(self) -> None:
        """This thread stops retrying without an answer (an unexpected error): let another try."""
        with self._cond:
            if self._prober == threading.get_ident():
                self._prober = None
                self._cond.notify_all()


class GTTSEngine(Engine):
    """Google Translate TTS with timeouts and one capped, jittered exponential backoff for all workers."""

    name = "gtts"
    workers = 4  # concurrent requests: faster than one at a time, still polite to Google

    def __init__(
        self,
        settings: EngineSettings,
        attempts: int = 5,
        backoff: float = 1.0,
        max_wait: float = 30.0,
        timeout: tuple[float, float] = (5.0, 20.0),
    ):
        if settings.voice:
            if settings.voice not in ACCENTS:
                raise ConfigError(
                    f"unknown Google voice '{settings.voice}'; use one of: {', '.join(ACCENTS)}, or none "
                    "and set language and tld (`narrate voices` lists every voice)",
                    "voice.voice",
                )
            settings = replace(settings, voice="", language="en", tld=ACCENTS[settings.voice][1])
        self.settings = settings
        self.attempts, self.backoff, self.max_wait, self.timeout = attempts, backoff, max_wait, timeout
        self._circuit = _Circuit(attempts)

    @classmethod
    def voices(cls) -> tuple[Voice, ...]:
        return tuple(
            Voice(name, cls.name, language, "female", RATE, "Google's terms", network=True)
            for name, (language, _) in ACCENTS.items()
        )

    def identity(self) -> dict[str, str | float | int]:
        return {"language": self.settings.language, "tld": self.settings.tld, **speed_identity(self.settings)}

    def close(self) -> None:
        """Forget the failures: an engine kept for the next build (narrate keeps one per process) starts afresh."""
        self._circuit = _Circuit(self.attempts)

    def _once(self, text: str, timeout) -> bytes:
        """Google's MP3 for `text` (already pre-processed, at most MAX_CHARS: one request); b"" if nothing to say."""
        buffer = io.BytesIO()
        try:
            tts = gTTS(
                text, lang=self.settings.language, tld=self.settings.tld, lang_check=False, timeout=timeout,
                pre_processor_funcs=[],
            )
            tts.write_to_fp(buffer)
        except gTTSError as exc:
            response = exc.rsp
            if response is None:
                # gTTS raises gTTSError inside its `except`, without `from`: the requests error is the context.
                # gTTS reads the whole body inside that `try`, so resets and read timeouts arrive here too.
                cause = exc.__cause__ or exc.__context__
                if isinstance(cause, requests.Timeout) or (
                    isinstance(cause, requests.RequestException) and not isinstance(cause, requests.ConnectionError)
                ):
                    raise _Failure(f"connection failed ({type(cause).__name__})", True) from exc
                if _unresolved(cause):
                    raise _Failure(
                        f"could not connect ({_short(cause)})", False,
                        cause="no network (a host name could not be resolved); build again when online",
                    ) from exc
                raise _Failure(f"could not connect ({_short(cause or exc)})", True) from exc
            status = response.status_code
            if status == 200:
                raise _Failure("Google answered without audio", True) from exc
            wait = response.headers.get("Retry-After")
            wait_s = float(wait) if wait and wait.strip().isdigit() else None
            raise _Failure(f"HTTP {status} from Google TTS", status == 429 or status >= 500, wait_s) from exc
        except requests.RequestException as exc:  # raised while reading the body: resets, timeouts
            raise _Failure(f"connection failed ({type(exc).__name__})", True) from exc
        except AssertionError:  # gTTS drops punctuation-only text ("...", "()") before any request
            log.debug("gTTS: nothing to speak in %r", text)
            return b""
        if not buffer.getvalue():
            raise _Failure("Google answered without audio", True)
        return buffer.getvalue()

    def _decode(self, mp3: bytes) -> AudioSegment:
        # Google has one speed (and a "slow" one): other speeds are ffmpeg's atempo, which keeps the pitch.
        try:
            return audio.trim(audio.decode(mp3, what="gTTS's answer", tempo=self.settings.speed), keep_ms=KEEP_MS)
        except AudioError as exc:
            raise _Failure("Google answered with something that is not audio", True) from exc

    def _backoff(self, failure: _Failure) -> float:
        rounds = self._circuit.streak
        if failure.wait is not None:  # Retry-After: jitter may delay the retry, never bring it forward
            return min(self.max_wait, failure.wait) * random.uniform(1.0, 1.2)
        return min(self.max_wait, self.backoff * 2 ** max(0, rounds - 1)) * random.uniform(0.8, 1.2)

    def _key(self, piece: str) -> str:
        return make_key(piece=piece, language=self.settings.language, tld=self.settings.tld)

    def _piece(self, text: str) -> AudioSegment:
        """One piece's trimmed audio, asked for until it comes or the shared circuit opens."""
        key = self._key(text)
        cached = _PIECES.get(key)
        if cached is not None:
            return self._decode(cached)
        try:
            while True:
                asked_in = self._circuit.admit()
                try:
                    mp3 = self._once(text, self.timeout)
                    seg = self._decode(mp3) if mp3 else audio.silence(0)  # "..." is silence, not an error
                except _Failure as failure:
                    if self._circuit.failed(failure, asked_in):
                        wait = self._backoff(failure)
                        log.warning(
                            "gTTS: %s; retrying in %.1f s (%d/%d)",
                            failure.reason, wait, self._circuit.streak, self.attempts - 1,
                        )
                        time.sleep(wait)
                    continue
                self._circuit.succeeded(asked_in)
                _PIECES.put(key, mp3)
                return seg
        finally:
            self._circuit.release()

    def synthesize(self, text: str) -> AudioSegment:
        parts = pieces(_pre_process(plain_text(text)))
        segments = [s for s in (self._piece(p) for p in parts) if len(s)]
        _PIECES.drop([self._key(p) for p in parts])
        if not segments:
            return audio.silence(0)
        breath = audio.silence(BREATH_MS - 2 * KEEP_MS)
        joined = [segments[0]]
        for seg in segments[1:]:
            joined += [breath, seg]
        return audio.concat(joined)


def _pre_process(text: str) -> str:
    """`text` as gTTS would send it: its default pre-processors applied."""
    text = text.strip()
    for step in _PRE_PROCESSORS:
        text = step(text)
    return text


def probe(settings: EngineSettings) -> str | None:
    """None when Google's TTS answers a one-word request within seconds, else why not."""
    try:
        GTTSEngine(settings)._once("Hello.", (PROBE_TIMEOUT, PROBE_TIMEOUT))
        return None
    except _Failure as exc:
        return exc.reason
