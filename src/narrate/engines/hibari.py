"""hibari: the default offline voice, a 7.9 MB model distilled from Kokoro-82M's af_heart (hibari-tts)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import threading
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from importlib import resources

import numpy as np

from narrate.audio import heap, pcm
from narrate.audio.pcm import AudioSegment
from narrate.config import env_count
from narrate.engines.base import PHONEMES, Engine, EngineSettings, Voice, speed_identity, synthesis_failed
from narrate.errors import ConfigError, EngineError
from narrate.lazy import Lazy

log = logging.getLogger(__name__)

DEFAULT_VOICE = "heart"
RATE = 24000


@lru_cache(maxsize=1)
def _names() -> tuple[re.Pattern, dict[str, str]]:
    """The built-in place-name phonemes and one pattern matching them (longest first)."""
    table = json.loads(resources.files("narrate.engines").joinpath("data/hibari-names.json").read_text("utf-8"))
    table = {k: v for k, v in table.items() if not k.startswith("_")}
    words = sorted(table, key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words))})(?!\w)"), table


def with_names(text: str) -> str:
    """`text` with the built-in place names marked with their phonemes (the user's overrides untouched)."""
    pattern, table = _names()
    out, pos = [], 0
    for m in PHONEMES.finditer(text):  # keep the lexicon's own [word](/.../) spans as written
        out.append(pattern.sub(lambda n: f"[{n.group(0)}](/{table[n.group(0)]}/)", text[pos : m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(pattern.sub(lambda n: f"[{n.group(0)}](/{table[n.group(0)]}/)", text[pos:]))
    return "".join(out)


def _bundled() -> dict[str, dict]:
    """hibari's voices whose model ships in its wheel (the others would be downloaded: not offered)."""
    try:
        from hibari.voices import VOICES
    except ImportError:
        return {}
    return {name: info for name, info in VOICES.items() if info.get("bundled")}


# Phonemes above which a run of the model goes alone. What one run adds to the peak grows faster
# than its length (measured: 139 phonemes 18 MB, 282 57 MB, 422 118 MB), so two runs under this
# add less than one of the longest (hibari cuts a sentence at about 300 in a book like Mill's).
_LONG = 160


class _Room:
    """Runs of the model at once: up to `size` short ones, or one long one alone.

    A long run waiting goes next (short ones wait behind it), so it is never starved.
    """

    def __init__(self, size: int):
        self._size = size
        self._used = 0
        self._long_waiting = 0
        self._changed = threading.Condition()

    @contextlib.contextmanager
    def enter(self, long: bool) -> Iterator[None]:
        """Wait for room for a run (all of it if `long`), and hold it for the block."""
        need = self._size if long else 1
        with self._changed:
            self._long_waiting += long
            self._changed.wait_for(lambda: self._used + need <= self._size and (long or not self._long_waiting))
            self._long_waiting -= long
            self._used += need
        try:
            yield
        finally:
            with self._changed:
                self._used -= need
                self._changed.notify_all()


class HibariEngine(Engine):
    """hibari-tts: ONNX acoustic model plus its own misaki-style G2P; CPU only, no network."""

    name = "hibari"
    sample_rate = RATE

    @classmethod
    def voices(cls) -> tuple[Voice, ...]:
        return tuple(
            Voice(name, cls.name, info["language"], info["gender"], RATE, "Apache-2.0")
            for name, info in _bundled().items()
        )

    def __init__(self, settings: EngineSettings):
        try:
            import hibari  # noqa: F401
        except ImportError as exc:
            raise EngineError("the hibari engine needs hibari-tts: run `pip install hibari-tts`") from exc
        self.voice_name = settings.voice or DEFAULT_VOICE
        bundled = _bundled()
        if self.voice_name not in bundled:
            raise ConfigError(
                f"unknown hibari voice '{settings.voice}'; use one of: {', '.join(bundled)} "
                "(`narrate voices` lists every voice)",
                "voice.voice",
            )
        if not settings.language.lower().startswith("en"):
            raise ConfigError(
                f"the hibari voice {self.voice_name} speaks English, not '{settings.language}'; "
                "choose another engine, or set language = \"en\"",
                "voice.language",
            )
        self.settings = settings
        # Two sentences at once, sharing one session (onnxruntime's run() is thread-safe) and its
        # threads: the model hardly gains from a second thread (a 50-word sentence: 0.145 -> 0.12
        # s), while one sentence's DSP, on one core, leaves the other idle unless another sentence
        # runs (the example's sentences, the voice alone: 1.1 -> 0.73 s on 2 cores). A long one
        # runs alone (`_Room`): its tensors and DSP buffers grow faster than it does.
        # NARRATE_HIBARI_WORKERS sets how many at once; hibari's G2P keeps state per call, under a lock.
        cores = os.cpu_count() or 1
        self.workers = env_count("NARRATE_HIBARI_WORKERS", min(2, cores))
        self._threads = cores
        self._room = _Room(self.workers)
        if self.workers > 1:
            # One heap for the speaking threads: with one each, two at once peaked 45 MB higher on the example.
            heap.limit_arenas(1)
        self._voice = Lazy(self._load)
        self._g2p_lock = threading.Lock()

    def _load(self):
        """hibari's object (for its public text methods), our session of its model, and its G2P.

        The two sessions are built on a thread beside this one, in ONNX Runtime's C++ code, which
        lets go of the GIL, while this one parses the G2P's dictionaries: the example's cold build
        takes 0.55 s less (2 cores, alternated runs). One thread, not three: each thread that
        allocates gets a glibc heap of its own, and three kept 20 MB more all build long.
        """
        import onnxruntime
        from hibari import Hibari
        from hibari.g2p import G2P
        from hibari.voices import VOICES, voice_path

        g2p: list = []  # filled below, before any sentence is phonemized

        def sessions():
            # hibari takes any callable as its G2P. Its own session stays loaded and idle (13 MB of RSS).
            tts = Hibari(voice=self.voice_name, threads=self._threads, g2p=lambda sentence: g2p[0](sentence))
            # Our own session of the same model, without ONNX Runtime's memory arena and memory
            # patterns: every sentence has its own length, and the arena keeps the largest it
            # has seen while the patterns pile up (a long sentence of Mill's: 338 -> 288 MB peak,
            # the same CPU time and audio). Run through the model's documented interface.
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = options.inter_op_num_threads = self._threads
            options.enable_cpu_mem_arena = False
            options.enable_mem_pattern = False
            options.log_severity_level = 3
            # Its threads sleep when a run ends rather than spin, waiting for the next: between two
            # runs come hibari's DSP and the sections' encoding, which the spinning slowed (the
            # example's cold build: 3.37 -> 2.96 s, alternated runs on 2 cores).
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            return tts, onnxruntime.InferenceSession(voice_path(self.voice_name), options, providers=["CPUExecutionProvider"])

        try:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="hibari-load") as pool:
                loading = pool.submit(sessions)
                pcm.warm()  # the resampler's imports, off the first sentence's path
                g2p.append(G2P(british=VOICES[self.voice_name]["british"]))
                loaded = loading.result()
        except Exception as exc:  # onnxruntime raises its own exception types
            raise EngineError(f"cannot load the hibari voice {self.voice_name}: {exc}; reinstall hibari-tts") from exc
        heap.release()  # the garbage the G2P's dictionaries left
        return loaded

    def _from_ids(self, sess, ids: list[int], rng: np.random.Generator) -> np.ndarray:
        """Phoneme ids (0-padded) -> float32 audio: the model's documented inputs, hibari's public DSP."""
        from hibari import dsp

        if len(ids) < 3:  # only the pads: nothing to say (as hibari's own from_ids)
            return np.zeros(0, np.float32)
        feeds = {"ids": np.asarray([ids], np.int64), "speed": np.asarray([self.settings.speed], np.float32)}
        with self._room.enter(long=len(ids) > _LONG):
            lh, th, ln, lr, phi, f0 = (out[0] for out in sess.run(None, feeds))
            return dsp.synth(lh, th, ln, lr, phi, f0, rng)

    def identity(self) -> dict[str, str | float | int]:
        return {"voice": self.voice_name, **speed_identity(self.settings)}

    def synthesize(self, text: str) -> AudioSegment:
        return self.retake(text, 0)

    def retake(self, text: str, take: int) -> AudioSegment:
        tts, sess = self._voice.get()
        # Seeded by the text: hibari adds noise, and the same sentence must sound the same in every
        # build; another take is another seed.
        rng = np.random.default_rng(zlib.crc32(text.encode()) + take)
        try:
            with self._g2p_lock:
                chunks = tts.phonemize(with_names(text))
            wav = [self._from_ids(sess, tts.ids(ps), rng) for ps in chunks]
        except Exception as exc:  # the G2P and onnxruntime fail with various types
            raise synthesis_failed("hibari", exc) from exc
        if not wav:
            return pcm.silence(0)
        return pcm.trim(pcm.from_float(np.concatenate(wav), RATE))
