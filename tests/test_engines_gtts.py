"""The gTTS engine through the real gTTS library, against a local stand-in for Google's endpoint.

Nothing here leaves 127.0.0.1: tests/gtts_standin.py speaks gTTS's batchexecute protocol and
serves real MP3s whose voiced length is known, with scripted faults per request.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from conftest import assert_clear_error, run_cli
from gtts_standin import (  # noqa: F401  (gtts_standin is the fixture)
    LEAD_MS,
    OK,
    empty,
    garbage,
    gtts_standin,
    http,
    no_audio,
    reset,
    served_ms,
    slow,
    voiced_ms,
)
from narrate import audio, engines
from narrate import build as pipeline
from narrate.engines import gtts as gtts_engine
from narrate.engines.base import EngineSettings
from narrate.engines.gtts import GTTSEngine
from narrate.errors import ConfigError, SynthesisError
from narrate.tags import read_chapters

KEEP_MS = 40  # the margin audio.trim keeps on each side
SENTENCE = "The quick brown fox jumps over the lazy dog."


def _engine(**kwargs) -> GTTSEngine:
    """The real engine with test-sized waits."""
    options = dict(attempts=3, backoff=0.01, max_wait=2.0, timeout=(2.0, 2.0))
    options.update(kwargs)
    return GTTSEngine(EngineSettings(), **options)


def _bursts(seg, threshold_db: float = -40.0, bridge_ms: float = 100.0) -> list[tuple[float, float]]:
    """(start_ms, end_ms) of the sounding stretches, in 10 ms frames; gaps under `bridge_ms` are bridged."""
    data = audio.samples(seg).astype(np.float64)
    frame = audio.RATE // 100
    n = data.size // frame
    rms = np.sqrt(np.mean(data[: n * frame].reshape(n, frame) ** 2, axis=1))
    loud = rms > 32767 * 10 ** (threshold_db / 20)
    runs: list[list[float]] = []
    for i in np.flatnonzero(loud):
        if runs and (i * 10 - runs[-1][1]) < bridge_ms:
            runs[-1][1] = (i + 1) * 10
        else:
            runs.append([i * 10, (i + 1) * 10])
    return [tuple(r) for r in runs]


def _assert_pcm(seg) -> None:
    assert (seg.frame_rate, seg.channels, seg.sample_width) == (44100, 1, 2)


# ---------------------------------------------------------------- audio that comes back


def test_a_sentence_comes_back_as_the_audio_served_trimmed(gtts_standin):
    seg = _engine().synthesize(SENTENCE)

    assert gtts_standin.texts == [SENTENCE]
    assert gtts_standin.requests[0].lang == "en"
    _assert_pcm(seg)
    # the stand-in served LEAD_MS + 9 words of voice + LEAD_MS; trim leaves the voice and 40 ms each side
    assert served_ms(SENTENCE) - audio.ms(seg) > 300
    assert audio.ms(seg) == pytest.approx(voiced_ms(SENTENCE) + 2 * KEEP_MS, abs=100)
    [(start, end)] = _bursts(seg)
    assert end - start == pytest.approx(voiced_ms(SENTENCE), abs=60)
    assert start <= KEEP_MS + 20
    assert np.abs(audio.samples(seg)).max() > 0.3 * 32767


@pytest.mark.parametrize("speed", [0.8, 1.5])
def test_another_speed_changes_the_tempo_not_the_pitch(gtts_standin, speed):
    normal = _engine().synthesize(SENTENCE)
    engine = GTTSEngine(EngineSettings(speed=speed), attempts=3, backoff=0.01, max_wait=2.0, timeout=(2.0, 2.0))
    changed = engine.synthesize(SENTENCE)
    assert engine.identity()["speed"] == speed and "speed" not in _engine().identity()
    [(start, end)] = _bursts(changed)
    assert end - start == pytest.approx(voiced_ms(SENTENCE) / speed, rel=0.06)
    # atempo keeps the pitch: the spectrum's centre stays put (resampling would move it by `speed`).
    assert _centroid_hz(changed) == pytest.approx(_centroid_hz(normal), rel=0.08)


def _centroid_hz(seg) -> float:
    x = audio.samples(seg).astype(np.float64)
    spectrum = np.abs(np.fft.rfft(x))
    return float(np.sum(spectrum * np.fft.rfftfreq(x.size, 1 / audio.RATE)) / np.sum(spectrum))


LONG = (
    "The orchestra tuned up in the pit below the stage, while the ushers, tired after a long week of double "
    "shows, walked the aisles; somewhere behind the curtain a stagehand dropped a hammer, and the whole "
    "audience laughed at once before the lights went down."
)


def test_a_long_sentence_goes_in_clause_pieces_one_request_each_and_comes_back_as_one_sentence(gtts_standin):
    assert len(LONG) > 2 * gtts_engine.MAX_CHARS

    seg = _engine().synthesize(LONG)

    asked = gtts_standin.texts
    assert asked == gtts_engine.pieces(LONG)  # gTTS sent each of narrate's pieces whole, in one request
    assert len(asked) == 4 and all(len(p) <= gtts_engine.MAX_CHARS for p in asked)
    assert " ".join(asked) == LONG  # nothing lost, nothing reordered
    assert all(p[-1] in ",;." for p in asked)  # cut at clause boundaries, not between words
    _assert_pcm(seg)
    # each answer, in order, trimmed of the served silence and joined by one breath
    bursts = _bursts(seg, bridge_ms=50)
    assert len(bursts) == len(asked)
    for (start, end), part in zip(bursts, asked):
        assert end - start == pytest.approx(voiced_ms(part), abs=60)
    gaps = [b[0] - a[1] for a, b in zip(bursts, bursts[1:])]
    assert all(g == pytest.approx(gtts_engine.BREATH_MS, abs=40) for g in gaps), gaps  # not 2 * LEAD_MS
    expected = sum(voiced_ms(p) for p in asked) + (len(asked) - 1) * gtts_engine.BREATH_MS + 2 * KEEP_MS
    assert audio.ms(seg) == pytest.approx(expected, abs=100)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Short, and sweet.", ["Short, and sweet."]),
        # the fewest pieces, cut after a clause, as even as that allows
        ("a" * 60 + ", " + "b" * 30 + "; " + "c" * 40 + ".", ["a" * 60 + ",", "b" * 30 + "; " + "c" * 40 + "."]),
        # a clause longer than the limit is cut between words, evenly
        (" ".join(["word"] * 30), [" ".join(["word"] * 15)] * 2),
        # a spaced dash ends a clause; a hyphen inside a word does not
        ("x" * 70 + " - " + "well-known " * 5 + "end", ["x" * 70 + " -", ("well-known " * 5 + "end")]),
        ("y" * 250, ["y" * 100, "y" * 100, "y" * 50]),  # a word longer than Google takes: cut like gTTS
    ],
    ids=["short", "clauses", "words", "dash", "long-word"],
)
def test_pieces_prefers_clause_boundaries_and_keeps_every_character(text, expected):
    assert gtts_engine.pieces(text) == expected


def test_a_failed_piece_is_the_only_one_asked_again(gtts_standin):
    parts = gtts_engine.pieces(LONG)
    assert len(parts) == 4
    gtts_standin.script(OK, OK, http(500), OK)  # piece 3 fails once: the engine's retry asks for it alone

    _engine().synthesize(LONG)

    assert gtts_standin.texts == parts[:3] + parts[2:]
    gtts_standin.clear()
    other = LONG.replace("orchestra", "band")
    pieces = gtts_engine.pieces(other)
    gtts_standin.script(OK, OK, http(500), http(500))  # piece 3 fails for good: the sentence fails

    with pytest.raises(SynthesisError, match="after 2 tries"):
        _engine(attempts=2).synthesize(other)
    gtts_standin.clear()
    _engine().synthesize(other)  # the next build (a new engine) asks only for the pieces it lacks

    assert gtts_standin.texts == pieces[2:]


def test_requests_go_to_google_through_the_proxy_in_tls(gtts_standin):
    _engine().synthesize(SENTENCE)
    GTTSEngine(EngineSettings(tld="co.uk"), attempts=1).synthesize(SENTENCE)
    GTTSEngine(EngineSettings(voice="google-en-au"), attempts=1).synthesize(SENTENCE)  # an accent as a voice

    com, uk, au = gtts_standin.requests
    assert (com.tunnel, com.host, com.sni) == ("translate.google.com:443", "translate.google.com", "translate.google.com")
    assert (uk.tunnel, uk.sni) == ("translate.google.co.uk:443", "translate.google.co.uk")
    assert (au.tunnel, au.lang) == ("translate.google.com.au:443", "en")


def test_a_google_voice_is_its_accent_in_the_cache_key():
    assert GTTSEngine(EngineSettings(voice="google-en-gb")).identity() == GTTSEngine(EngineSettings(tld="co.uk")).identity()
    with pytest.raises(ConfigError, match="unknown Google voice 'heart'; use one of: google-en-us"):
        GTTSEngine(EngineSettings(voice="heart"))


# ---------------------------------------------------------------- retries


def test_429_is_retried_then_succeeds(gtts_standin):
    gtts_standin.script(http(429))

    seg = _engine().synthesize(SENTENCE)

    assert gtts_standin.texts == [SENTENCE, SENTENCE]
    assert [r.answer for r in gtts_standin.requests] == ["http", "ok"]
    first, second = gtts_standin.requests
    assert second.at - first.at < 0.5  # no Retry-After: the (tiny) backoff
    assert audio.ms(seg) == pytest.approx(voiced_ms(SENTENCE) + 2 * KEEP_MS, abs=100)


def test_retry_after_is_honoured(gtts_standin, monkeypatch):
    monkeypatch.setattr(gtts_engine.random, "uniform", lambda low, high: low)  # the shortest jitter
    gtts_standin.script(http(429, retry_after=1))

    seg = _engine(max_wait=5.0).synthesize("Hello there.")

    first, second = gtts_standin.requests
    assert 1.0 <= second.at - first.at < 1.5  # never before the server said; backoff 0.01 would be instant
    _assert_pcm(seg)


def test_retry_after_is_capped_by_max_wait(gtts_standin):
    gtts_standin.script(http(429, retry_after=30))

    _engine(max_wait=0.05).synthesize("Hello there.")

    first, second = gtts_standin.requests
    assert second.at - first.at < 0.5


def test_server_errors_use_up_the_attempts_then_say_what_happened(gtts_standin):
    gtts_standin.fail_with(http(500))

    with pytest.raises(SynthesisError) as caught:
        _engine(attempts=3).synthesize(SENTENCE)

    assert len(gtts_standin.requests) == 3
    message = str(caught.value)
    assert "after 3 tries" in message and "HTTP 500" in message
    assert "`--voice heart`" in message and "piper" not in message  # the default offline voice


@pytest.mark.parametrize("status", [403, 404])
def test_client_errors_are_not_retried(gtts_standin, status):
    gtts_standin.fail_with(http(status))

    with pytest.raises(SynthesisError) as caught:
        _engine(attempts=3).synthesize(SENTENCE)

    assert len(gtts_standin.requests) == 1
    assert f"HTTP {status}" in str(caught.value)
    assert "tries" not in str(caught.value)


@pytest.mark.parametrize("answer", [no_audio(), empty()], ids=["rpc-line-without-audio", "no-rpc-line"])
def test_an_answer_without_audio_is_retried_then_reported(gtts_standin, answer):
    gtts_standin.fail_with(answer)

    with pytest.raises(SynthesisError) as caught:
        _engine(attempts=3).synthesize(SENTENCE)

    assert len(gtts_standin.requests) == 3
    assert "without audio" in str(caught.value)
    assert "after 3 tries" in str(caught.value)


@pytest.mark.parametrize(
    "fault",
    [reset(), no_audio(), garbage(), http(503), slow(1.5)],
    ids=["reset-mid-body", "no-audio", "not-audio", "503", "read-timeout"],
)
def test_a_transient_fault_is_retried_and_the_next_good_answer_used(gtts_standin, fault):
    gtts_standin.script(fault)
    started = time.monotonic()

    seg = _engine(timeout=(2.0, 0.3)).synthesize(SENTENCE)

    assert time.monotonic() - started < 1.2  # a slow answer is abandoned at the read timeout, not waited for
    assert gtts_standin.texts == [SENTENCE, SENTENCE]
    assert [r.answer for r in gtts_standin.requests] == [fault.kind, "ok"]
    assert audio.ms(seg) == pytest.approx(voiced_ms(SENTENCE) + 2 * KEEP_MS, abs=100)


@pytest.mark.parametrize(
    "fault, named", [(reset(), "ChunkedEncodingError"), (slow(1.5), "ReadTimeout")], ids=["reset", "read-timeout"]
)
def test_lasting_connection_faults_are_reported_as_such(gtts_standin, fault, named):
    gtts_standin.fail_with(fault)

    with pytest.raises(SynthesisError) as caught:
        _engine(attempts=2, timeout=(2.0, 0.3)).synthesize(SENTENCE)

    assert len(gtts_standin.requests) == 2
    message = str(caught.value)
    assert "after 2 tries" in message and named in message
    assert "could not connect" not in message  # it did connect: the answer broke off or never came


def test_backoff_doubles_up_to_the_cap_with_jitter(gtts_standin, monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr(gtts_engine.time, "sleep", waits.append)  # record the waits instead of sleeping
    gtts_standin.fail_with(http(500))

    with pytest.raises(SynthesisError, match="after 6 tries"):
        _engine(attempts=6, backoff=1.0, max_wait=5.0).synthesize(SENTENCE)

    nominal = [1.0, 2.0, 4.0, 5.0, 5.0]  # backoff * 2**attempt, capped at max_wait; none after the last try
    assert len(waits) == len(nominal) and len(gtts_standin.requests) == 6
    ratios = [w / n for w, n in zip(waits, nominal)]
    assert all(0.8 <= r <= 1.2 for r in ratios), waits
    assert len({round(r, 9) for r in ratios}) > 1  # jittered: clients that failed together do not retry together


@pytest.mark.parametrize("text", ["...", "()", "(...)", "?!", "…"])
def test_punctuation_alone_is_silence_without_a_request(gtts_standin, text):
    seg = _engine().synthesize(text)

    assert audio.ms(seg) == 0
    assert gtts_standin.requests == []  # gTTS has nothing to send; Google is not asked


# ---------------------------------------------------------------- choosing the engine


def test_auto_picks_gtts_when_the_endpoint_answers(gtts_standin):
    engine = engines.resolve("auto", EngineSettings())

    assert engine.name == "gtts"
    assert gtts_standin.texts == ["Hello."]  # the probe went through gTTS to the stand-in


def test_auto_falls_back_to_piper_quickly_when_the_endpoint_is_closed():
    # tests/conftest.py points https_proxy, which gTTS sends through, at a closed local port
    started = time.monotonic()
    engine = engines.resolve("auto", EngineSettings())

    assert engine.name == engines.OFFLINE  # the default offline voice
    assert time.monotonic() - started < 2.0
    assert "Connection refused" in gtts_engine.probe(EngineSettings())  # the reason logged says why


@pytest.mark.parametrize("answer", [http(500), no_audio(), slow(3.0)], ids=["500", "no-audio", "hanging"])
def test_auto_falls_back_to_piper_when_the_endpoint_misbehaves(gtts_standin, monkeypatch, answer):
    monkeypatch.setattr(gtts_engine, "PROBE_TIMEOUT", 0.3)
    gtts_standin.fail_with(answer)
    started = time.monotonic()

    engine = engines.resolve("auto", EngineSettings())

    assert engine.name == engines.OFFLINE  # the default offline voice
    assert len(gtts_standin.requests) == 1  # the probe asks once, without retries
    assert time.monotonic() - started < 1.5


# ---------------------------------------------------------------- a whole build


ESSAY = "1. First\nHello there.\n2. Second\nGoodbye now.\n"
# What reaches Google: the opening (the title) and each heading and sentence. gTTS's abbreviation
# pre-processor drops the period after any word ending in "st" (it matches "St."), hence "First".
SPOKEN = ["Tiny.", "First", "Hello there.", "Second.", "Goodbye now."]


@pytest.fixture
def tiny_project(tmp_path, monkeypatch, gtts_standin):
    """A folder with a two-section essay; the "gtts" engine is the real one with test-sized waits."""
    (tmp_path / "tiny.txt").write_text(ESSAY, encoding="utf-8")
    monkeypatch.setitem(
        engines.ENGINES, "gtts", lambda settings: GTTSEngine(settings, attempts=2, backoff=0.01, max_wait=0.1)
    )
    return tmp_path


def test_a_build_with_gtts_makes_a_chaptered_book(tiny_project, gtts_standin):
    report = pipeline.build(pipeline.open_project(tiny_project, tiny_project / "tiny.txt"), engine_name="gtts")

    assert sorted(gtts_standin.texts) == sorted(SPOKEN)  # requests run concurrently
    assert report.engine.startswith("gtts") and report.synthesized == len(SPOKEN)
    assert report.book.is_file() and report.book == tiny_project / "audio" / "tiny.mp3"
    chapters = read_chapters(report.book)
    assert [c.title for c in chapters] == ["Tiny", "First", "Second"]
    first = next(s for s in report.sections if s.title == "First")
    assert first.duration_ms > voiced_ms("First") + voiced_ms("Hello there.")
    book = audio.decode(report.book)
    assert audio.ms(book) == pytest.approx(chapters[-1].end_ms, abs=100)


def test_a_french_essay_reaches_google_in_french_with_its_numbers_for_google_to_read(tmp_path, gtts_standin, monkeypatch):
    monkeypatch.setitem(engines.ENGINES, "gtts", lambda settings: GTTSEngine(settings, attempts=2, backoff=0.01))
    (tmp_path / "essai.txt").write_text(
        "Essai\n\n1. Premier\n\nIl avait 3 ans — déjà… « Oui » 😀\n", encoding="utf-8"
    )
    (tmp_path / "narrate.toml").write_text('[book]\nauthor = "Anne"\nessay = "essai.txt"\n[voice]\nlanguage = "fr"\n', encoding="utf-8")
    report = pipeline.build(pipeline.open_project(tmp_path), engine_name="gtts")

    assert report.synthesized == len(gtts_standin.requests) == 4  # the ellipsis ends a unit
    assert {r.lang for r in gtts_standin.requests} == {"fr"}
    # English number words would be read aloud by a French voice: the digits go as written.
    assert "Il avait 3 ans, déjà..." in gtts_standin.texts and '"Oui"' in gtts_standin.texts
    opening = (tmp_path / "script" / "00-opening.txt").read_text(encoding="utf-8")
    assert opening == "Essai.\n"  # "By Anne" is English: not added for a French book


def test_a_failed_build_names_the_script_and_a_rerun_only_fills_the_gaps(tiny_project, gtts_standin, monkeypatch):
    monkeypatch.setattr(GTTSEngine, "workers", 1)  # one request at a time: the stand-in's script is in order
    project = pipeline.open_project(tiny_project, tiny_project / "tiny.txt")
    gtts_standin.script(OK, OK, OK)  # the opening and section 1 come through, then Google fails
    gtts_standin.fail_with(http(500))

    with pytest.raises(SynthesisError) as caught:
        pipeline.build(project, engine_name="gtts")

    message = str(caught.value)
    assert "02-second.txt" in message and "HTTP 500" in message and "Second." in message
    assert gtts_standin.texts == SPOKEN[:3] + ["Second.", "Second."]  # two attempts at the failing sentence
    assert not project.book_path.exists()

    gtts_standin.fail_with(OK)
    gtts_standin.clear()
    report = pipeline.build(project, engine_name="gtts")

    assert gtts_standin.texts == ["Second.", "Goodbye now."]  # the cached sentences are not asked again
    assert report.synthesized == 2
    assert [c.title for c in read_chapters(report.book)] == ["Tiny", "First", "Second"]


def _many_sentences(root, count: int):
    (root / "many.txt").write_text("1. Many\n" + " ".join(f"Sentence number {i} is here." for i in range(count)), encoding="utf-8")
    return pipeline.open_project(root, root / "many.txt")


def test_a_build_sends_requests_concurrently_but_at_most_four_at_once(tmp_path, gtts_standin):
    gtts_standin.fail_with(slow(0.3))  # every answer is good, after 0.3 s
    report = pipeline.build(_many_sentences(tmp_path, 12), engine_name="gtts")

    assert report.synthesized == 13  # the opening announces "Many", which the heading repeats (spoken once); 12 sentences
    # four requests open at the same moment (not a wall-clock test: it holds on a loaded machine)
    assert gtts_standin.most_in_flight == GTTSEngine.workers == 4


def test_when_google_asks_one_request_to_wait_every_worker_waits(tmp_path, gtts_standin, monkeypatch):
    monkeypatch.setitem(engines.ENGINES, "gtts", lambda settings: GTTSEngine(settings, attempts=3, backoff=0.01))
    gtts_standin.fail_with(slow(0.2))
    gtts_standin.script(http(429, retry_after="1"))
    pipeline.build(_many_sentences(tmp_path, 8), engine_name="gtts")

    limited = next(r for r in gtts_standin.requests if r.answer == "http")
    after = [r.at - limited.at for r in gtts_standin.requests if r.at > limited.at]
    # Within Retry-After only the other workers' requests already on their way may arrive (on a
    # loaded machine some arrive late): one each at most. A worker that did not wait would ask
    # again every 0.2 s. After it, the build went on.
    assert len([d for d in after if d < 1.0]) <= GTTSEngine.workers - 1
    assert any(d >= 1.0 for d in after)


def test_an_outage_stops_every_worker_together_with_one_line(tmp_path, gtts_standin, monkeypatch):
    monkeypatch.setitem(engines.ENGINES, "gtts", lambda settings: GTTSEngine(settings, attempts=3, backoff=0.01))
    monkeypatch.chdir(tmp_path)
    _many_sentences(tmp_path, 12)
    gtts_standin.fail_with(http(503))  # Google is down

    result = run_cli("-q", "build", "--engine", "gtts", "many.txt")

    assert_clear_error(result, r"gTTS failed after 3 tries: HTTP 503 from Google TTS\.", only_line=False)
    # the four requests in flight when Google went down count as one failure; then one worker retries
    # alone (the others wait) until 3 rounds failed: not 4 workers x 3 tries each
    assert 3 <= len(gtts_standin.requests) <= GTTSEngine.workers + 3 - 1
    assert sum("retrying in" in line for line in result.stderr.splitlines()) == 2


def test_no_network_fails_at_once_and_suggests_the_default_offline_voice(example_project, monkeypatch):
    """Issue 26, item 10: a DNS failure was retried four times over 13 s, then Piper was suggested."""
    import socket
    import time

    from conftest import assert_clear_error, run_cli

    for name in ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    asked = []

    def no_dns(host, *args, **kwargs):  # as offline: no name resolves (and nothing leaves this machine)
        asked.append(host)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    started = time.monotonic()
    result = run_cli("-q", "build", "--voice", "google-en-us")
    assert time.monotonic() - started < 5  # 13 s of retries before
    line = assert_clear_error(result, r"gTTS failed: could not connect \(.*name resolution.*\)\. Probable cause: no network")
    assert line.endswith("or narrate offline with the default offline voice: `--voice heart` for one build, `voice = \"heart\"` in narrate.toml for good")
    assert "piper" not in line
    assert asked and set(asked) == {"translate.google.com"}


def test_an_unknown_voice_suggests_the_close_ones_and_lists_them_all(example_project):
    from conftest import assert_clear_error, run_cli

    line = assert_clear_error(run_cli("-q", "build", "--voice", "Heart"), r"unknown voice 'Heart' \(did you mean 'heart'( or 'af_heart')?\?\); the voices here: ")  # af_heart with the kokoro extra
    for name in ("heart", "en_US-joe-medium", "google-en-us", "google-en-gb"):
        assert name in line
    assert "did you mean" not in assert_clear_error(run_cli("-q", "build", "--voice", "zzz"), r"unknown voice 'zzz'; the voices here")
