"""gTTS: Google Translate's voice, the engine narrate is designed around.

Requests go through the real gTTS library. NARRATE_GTTS_URL replaces Google's
endpoint URL (tests point it at a local stand-in; it also serves a proxy).
"""

from __future__ import annotations

import io
import logging
import os
import random
import re
import threading
import time

from narrate.audio import AudioSegment

from narrate import audio
from narrate.engines.base import Engine, EngineSettings, plain_text, speed_identity
from narrate.errors import EngineError, SynthesisError

log = logging.getLogger(__name__)

ENDPOINT_ENV = "NARRATE_GTTS_URL"
PROBE_TIMEOUT = 3.0


def _gtts_class():
    try:
        from gtts import gTTS
    except ImportError as exc:  # pragma: no cover - gTTS is a dependency
        raise EngineError("the gtts engine needs gTTS: run `pip install gTTS`") from exc

    class EndpointGTTS(gTTS):
        """gTTS whose requests may go to another URL than Google's."""

        endpoint: str | None = None

        def _prepare_requests(self):
            prepared = super()._prepare_requests()
            if self.endpoint:
                for request in prepared:
                    request.prepare_url(self.endpoint, None)
            return prepared

    return EndpointGTTS


def _short(exc: BaseException) -> str:
    """The root of a requests connection error in a few words, not urllib3's paragraph."""
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], BaseException) else exc
    reason = getattr(inner, "reason", None)
    text = str(reason if isinstance(reason, BaseException) else inner)
    return re.sub(r"^.*?[>)]: ", "", text)  # drop "<HTTPConnection object at 0x...>: " and the like


class _Failure(Exception):
    def __init__(self, reason: str, retryable: bool, wait: float | None = None):
        super().__init__(reason)
        self.reason, self.retryable, self.wait = reason, retryable, wait


class GTTSEngine(Engine):
    """Google Translate TTS with timeouts and capped, jittered exponential backoff."""

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
        self.settings = settings
        self.attempts, self.backoff, self.max_wait, self.timeout = attempts, backoff, max_wait, timeout
        self.endpoint = os.environ.get(ENDPOINT_ENV) or None
        self._cls = _gtts_class()
        # When Google asks one request to wait (429 / Retry-After), every worker waits.
        self._resume_at = 0.0
        self._pause_lock = threading.Lock()

    def _hold(self, seconds: float) -> None:
        with self._pause_lock:
            self._resume_at = max(self._resume_at, time.monotonic() + seconds)

    def _wait_turn(self) -> None:
        with self._pause_lock:
            delay = self._resume_at - time.monotonic()
        if delay > 0:
            time.sleep(delay)

    def identity(self) -> dict[str, str | float | int]:
        return {"language": self.settings.language, "tld": self.settings.tld, **speed_identity(self.settings)}

    def _once(self, text: str, timeout) -> bytes:
        import requests
        from gtts import gTTSError

        buffer = io.BytesIO()
        try:
            tts = self._cls(text, lang=self.settings.language, tld=self.settings.tld, lang_check=False, timeout=timeout)
            tts.endpoint = self.endpoint
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

    def synthesize(self, text: str) -> AudioSegment:
        failure: _Failure | None = None
        for attempt in range(self.attempts):
            self._wait_turn()
            try:
                mp3 = self._once(plain_text(text), self.timeout)
                if not mp3:  # a scene break such as "..." is silence, not an error
                    return audio.silence(0)
                # Google has one speed (and a "slow" one): other speeds are ffmpeg's atempo, which keeps the pitch.
                return audio.trim(audio.decode(mp3, what="gTTS's answer", tempo=self.settings.speed))
            except _Failure as exc:
                failure = exc
                if not exc.retryable or attempt == self.attempts - 1:
                    break
                if exc.wait is not None:  # Retry-After: jitter may delay the retry, never bring it forward
                    wait = min(self.max_wait, exc.wait) * random.uniform(1.0, 1.2)
                else:
                    wait = min(self.max_wait, self.backoff * 2**attempt) * random.uniform(0.8, 1.2)
                log.warning("gTTS: %s; retrying in %.1f s (%d/%d)", exc.reason, wait, attempt + 1, self.attempts - 1)
                if exc.wait is not None:
                    self._hold(wait)
                else:
                    time.sleep(wait)
        assert failure is not None
        tries = f" after {self.attempts} tries" if failure.retryable else ""
        raise SynthesisError(
            f"gTTS failed{tries}: {failure.reason}. Probable cause: Google is unreachable or limiting requests; "
            "wait and run again (finished sentences are cached), or use `--engine piper`"
        )


def probe(settings: EngineSettings) -> str | None:
    """None when Google's TTS answers a one-word request within seconds, else why not."""
    try:
        engine = GTTSEngine(settings)
        engine._once("Hello.", (PROBE_TIMEOUT, PROBE_TIMEOUT))
        return None
    except _Failure as exc:
        return exc.reason
    except EngineError as exc:
        return str(exc)
