"""engines/hibari.py: the default offline voice, run for real."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from narrate import engines
from narrate.audio import pcm
from narrate.engines import EngineSettings
from narrate.engines.base import plain_text
from narrate.engines.hibari import HibariEngine, with_names
from narrate.errors import ConfigError, EngineError
from narrate.text.lexicon import respell
from voicecheck import heard

SENTENCE = "The city of stars shines on the two dreamers as the music rises and the evening fades into night."


def test_place_names_get_their_phonemes_and_the_users_win():
    from hibari.g2p import G2P

    g2p = G2P()
    assert "lˈOz ˈAnʤəlz" in g2p("We drove to Los Angeles.")  # hibari alone: "Lowe's Angels"
    marked = with_names("We drove to Los Angeles and San Jose.")
    assert marked == "We drove to [Los Angeles](/lɔs ˈænʤələs/) and [San Jose](/sˌæn hOzˈA/)."
    assert "lɔs ˈænʤələs" in g2p(marked) and "hOzˈA" in g2p(marked)
    # a lexicon override of the same name is kept as the user wrote it
    own = respell("Los Angeles at dawn.", (("Los Angeles", "/lɑs ˈænʤəlɪs/"),))
    assert with_names(own) == own == "[Los Angeles](/lɑs ˈænʤəlɪs/) at dawn."
    assert plain_text(own) == "Los Angeles at dawn."  # what the text-only engines read


def test_unknown_voice_names_the_ones_there_are():
    with pytest.raises(ConfigError, match=r"unknown hibari voice 'fenrir'; use one of: heart") as info:
        HibariEngine(EngineSettings(voice="fenrir"))  # downloaded on first use by hibari: not offered
    assert info.value.setting == "voice.voice"


def test_auto_offline_is_hibari_and_a_voice_picks_its_engine():
    # conftest closes Google's port: auto falls back to the default offline voice
    assert engines.resolve("auto", EngineSettings()).name == "hibari"
    assert engines.resolve("auto", EngineSettings(voice="en_US-joe-medium")).name == "piper"


@pytest.mark.slow
def test_speaks_words_a_recognizer_hears_the_same_every_time():
    engine, faster = HibariEngine(EngineSettings()), HibariEngine(EngineSettings(speed=1.5))
    first = pcm.conform(engine.synthesize(SENTENCE))
    assert first.raw_data == pcm.conform(engine.synthesize(SENTENCE)).raw_data  # seeded: cache-stable
    seconds = pcm.ms(first) / 1000
    assert 3 < seconds < 9  # about 19 words of ordinary speech
    assert pcm.ms(faster.synthesize(SENTENCE)) / 1000 / seconds == pytest.approx(1 / 1.5, rel=0.15)
    content = {"city", "stars", "dreamers", "music", "evening", "night"}
    assert len(content & heard(first)) >= 4, heard(first)


@pytest.mark.parametrize("value", ["0", "lots", "-1", "2.5"])
def test_a_bad_worker_count_is_one_clear_line(example_project, monkeypatch, value):
    """Issue 26, item 4: NARRATE_HIBARI_WORKERS=0 or =lots stopped the build with a traceback."""
    from conftest import assert_clear_error, run_cli

    monkeypatch.setenv("NARRATE_HIBARI_WORKERS", value)
    monkeypatch.setattr(engines, "_instances", {})  # as in a new process: no hibari engine made by an earlier test
    result = run_cli("-q", "build", "--engine", "hibari")
    assert_clear_error(result, rf"^Error: NARRATE_HIBARI_WORKERS='{value}' is not a number of workers from 1 to 256; set it to 1 or 2, or unset it$")
    assert not (example_project / "audio" / "la-la-land.mp3").exists()


def test_a_good_worker_count_is_taken(monkeypatch):
    monkeypatch.setenv("NARRATE_HIBARI_WORKERS", " 2 ")
    assert HibariEngine(EngineSettings()).workers == 2


def test_our_session_speaks_exactly_what_hibaris_own_from_ids_gives():
    """Our arena-free session through the model's documented inputs and hibari.dsp.synth: the same audio."""
    import numpy as np
    from hibari import Hibari

    engine = HibariEngine(EngineSettings(speed=1.1))
    own = Hibari(voice="heart")
    _, sess = engine._voice.get()
    for phonemes in own.phonemize(SENTENCE + " Then, quietly, it ends."):
        ids = own.ids(phonemes)
        ours = engine._from_ids(sess, ids, np.random.default_rng(7))
        theirs = own.from_ids(ids, 1.1, np.random.default_rng(7))
        assert ours.dtype == theirs.dtype == np.float32 and len(ours) > 24000 // 2
        assert np.array_equal(ours, theirs)
    assert len(engine._from_ids(sess, [0, 0], np.random.default_rng(7))) == len(own.from_ids([0, 0])) == 0


def test_hibaris_object_is_left_as_hibari_made_it():
    """Our session is our own (no memory arena); hibari's attributes are never assigned to."""
    engine = HibariEngine(EngineSettings())
    tts, sess = engine._voice.get()
    options = sess.get_session_options()
    assert not options.enable_cpu_mem_arena and not options.enable_mem_pattern
    # its threads sleep between runs: spinning took the cores the DSP and the encoders need
    assert options.get_session_config_entry("session.intra_op.allow_spinning") == "0"
    assert tts.sess is not sess and tts.sess.get_session_options().enable_cpu_mem_arena


def test_the_g2p_loaded_beside_the_sessions_is_the_one_hibari_phonemizes_with():
    from hibari import Hibari

    tts, _ = HibariEngine(EngineSettings())._voice.get()
    text = SENTENCE + " Dr. Smith read 1,250 words aloud."
    assert tts.phonemize(text) == Hibari(voice="heart").phonemize(text) != []


def test_a_voice_that_cannot_load_says_to_reinstall(monkeypatch):
    import hibari.g2p

    def broken(**_):
        raise OSError("gzip: truncated")

    monkeypatch.setattr(hibari.g2p, "G2P", broken)
    with pytest.raises(EngineError, match="cannot load the hibari voice heart: gzip: truncated; reinstall hibari-tts"):
        HibariEngine(EngineSettings()).synthesize(SENTENCE)


def test_two_short_runs_share_the_room_and_a_long_one_goes_alone_and_next():
    from narrate.engines.hibari import _Room

    room, log = _Room(2), []
    first, second = threading.Event(), threading.Event()

    def run(name: str, long: bool, inside: threading.Event | None = None, hold: threading.Event | None = None):
        with room.enter(long=long):
            log.append(("in", name))
            if inside is not None:
                inside.set()
            if hold is not None:
                assert hold.wait(10)
            log.append(("out", name))

    release = threading.Event()
    shorts = [threading.Thread(target=run, args=(f"short{i}", False, e, release)) for i, e in enumerate((first, second))]
    for t in shorts:
        t.start()
    assert first.wait(10) and second.wait(10)  # two short runs inside at once
    long = threading.Thread(target=run, args=("long", True))
    long.start()
    deadline = time.monotonic() + 10
    while not room._long_waiting and time.monotonic() < deadline:  # the long run is waiting for the room
        time.sleep(0.01)
    late = threading.Thread(target=run, args=("late", False))  # a short run that came after it
    late.start()
    time.sleep(0.2)
    assert ("in", "long") not in log and ("in", "late") not in log
    release.set()
    for t in (*shorts, long, late):
        t.join(10)
    order = [name for kind, name in log if kind == "in"]
    assert order[2:] == ["long", "late"]  # the long run went before the short one behind it
    # ... and alone: nothing entered between its entering and its leaving
    at = log.index(("in", "long"))
    assert log[at + 1] == ("out", "long")


def test_a_long_sentence_is_spoken_alone_and_two_at_once_by_default(monkeypatch):
    """Each run of the model is timed: no run of more than _LONG phonemes overlaps another."""
    from narrate.engines import hibari as module

    engine = HibariEngine(EngineSettings())
    assert engine.workers == min(2, os.cpu_count() or 1)
    runs: list[tuple[float, float, bool]] = []
    lock = threading.Lock()
    original = module._Room.enter

    def timed(room, long):
        with original(room, long):
            start = time.perf_counter()
            yield
            with lock:
                runs.append((start, time.perf_counter(), long))

    monkeypatch.setattr(module._Room, "enter", contextlib.contextmanager(timed))
    long_sentence = " ".join(["The city of stars shines on the two dreamers while the music rises"] * 3) + "."
    texts = [SENTENCE, "It ends.", long_sentence, "And then the evening comes.", "Night falls on the city."] * 2
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(engine.synthesize, texts))
    assert sum(long for *_, long in runs) == 2
    for start, end, long in runs:
        if long:
            assert not [r for r in runs if r[0] < end and r[1] > start and r != (start, end, long)]
