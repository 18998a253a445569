"""The synthesis cache: content-addressed entries that, once written, never change under a reader."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from narrate.audio import pcm
from narrate.speech.cache import Cache


def _tone(n: int) -> pcm.AudioSegment:
    return pcm.from_int16((np.arange(n) % 100).astype(np.int16))


def test_a_second_writer_of_a_key_keeps_the_first_take(tmp_path):
    cache = Cache(tmp_path)
    cache.put("speech", "ab" * 32, _tone(33000))
    cache.put("speech", "ab" * 32, _tone(28699))
    assert cache.samples("speech", "ab" * 32) == 33000
    assert len(pcm.samples(cache.get("speech", "ab" * 32))) == 33000


def test_a_reader_sees_the_same_bytes_on_every_pass_while_another_writes(tmp_path):
    cache = Cache(tmp_path)
    cache.put("speech", "cd" * 32, _tone(5000))
    first = b"".join(c.tobytes() for c in cache.chunks("speech", "cd" * 32, frames=1000))
    with cache.writer("speech", "cd" * 32) as w:  # a late writer, mid-read
        w.writeframes(_tone(7000).raw_data)
    second = b"".join(c.tobytes() for c in cache.chunks("speech", "cd" * 32, frames=1000))
    assert first == second and len(first) == 10000


def test_encoded_entries_are_final_too(tmp_path):
    cache = Cache(tmp_path)
    cache.put_bytes("mp3", "ef" * 32, b"one", ".mp3")
    cache.put_bytes("mp3", "ef" * 32, b"other", ".mp3")
    assert cache.path("mp3", "ef" * 32, ".mp3").read_bytes() == b"one"


# Damage as a disk error, an interrupted copy or a sync tool leaves it.
def _truncated(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _emptied(path):
    path.write_bytes(b"")


def _random(path):
    path.write_bytes(np.random.default_rng(7).bytes(max(1000, path.stat().st_size)))


def _wrong_length(path):
    """A well-formed file of the entry's format (WAV in the cache's PCM format, or MP3 frames), but of another length."""
    tone = _tone(pcm.RATE // 3)
    if path.suffix == ".mp3":
        path.write_bytes(pcm.encode_mp3(tone, "64k"))
    else:
        import wave

        with wave.open(str(path), "wb") as w:
            w.setnchannels(pcm.CHANNELS)
            w.setsampwidth(pcm.WIDTH)
            w.setframerate(pcm.RATE)
            w.writeframes(tone.raw_data)


DAMAGE = [_truncated, _emptied, _random, _wrong_length]
KINDS = lambda f: f.__name__.strip("_")  # noqa: E731


@pytest.mark.parametrize("damage", DAMAGE, ids=KINDS)
def test_a_damaged_entry_is_discarded_with_one_warning_and_can_be_written_again(tmp_path, caplog, damage):
    cache, key, tone = Cache(tmp_path), "ab" * 32, _tone(24000)
    cache.put("speech", key, tone)
    cache.put_bytes("mp3", key, pcm.encode_mp3(tone, "64k"), ".mp3")
    assert cache.valid("speech", key) and cache.valid("mp3", key, ext=".mp3")
    damage(cache.path("speech", key))
    damage(cache.path("mp3", key, ".mp3"))
    with caplog.at_level(logging.WARNING, logger="narrate.speech.cache"):
        assert cache.get("speech", key, "'Hello there.' (01-intro.txt)") is None
        assert not cache.valid("mp3", key, "section 01-intro.txt", ".mp3")
    assert [r.getMessage() for r in caplog.records] == [
        "the cached audio of 'Hello there.' (01-intro.txt) was damaged; removed, it will be made again",
        "the cached audio of section 01-intro.txt was damaged; removed, it will be made again",
    ]
    assert not cache.path("speech", key).exists() and not cache.path("mp3", key, ".mp3").exists()
    cache.put("speech", key, tone)  # no longer kept as "the first writer's"
    assert pcm.samples(cache.get("speech", key)).tobytes() == tone.raw_data
    assert cache.samples("speech", key) == 24000


def test_a_sealed_entry_is_still_a_plain_wav_to_other_readers(tmp_path):
    import wave

    cache, tone = Cache(tmp_path), _tone(12345)
    cache.put("speech", "cd" * 32, tone)
    with wave.open(str(cache.path("speech", "cd" * 32)), "rb") as w:
        assert w.getnframes() == 12345 and w.readframes(99999) == tone.raw_data
    assert pcm.decode(cache.path("speech", "cd" * 32)).raw_data == tone.raw_data  # ffmpeg skips the chunk too


def test_the_quick_length_check_catches_a_cut_without_reading_the_audio(tmp_path, caplog):
    cache = Cache(tmp_path)
    cache.put("sections", "ee" * 32, _tone(9000))
    _truncated(cache.path("sections", "ee" * 32))
    with caplog.at_level(logging.WARNING, logger="narrate.speech.cache"):
        assert cache.samples("sections", "ee" * 32) is None
    assert len(caplog.records) == 1 and not cache.path("sections", "ee" * 32).exists()


def test_check_removes_every_damaged_entry_and_keeps_the_whole_ones(tmp_path):
    cache = Cache(tmp_path)
    for i, damage in enumerate(DAMAGE):
        cache.put("speech", f"{i:02d}" * 32, _tone(8000))
        damage(cache.path("speech", f"{i:02d}" * 32))
        cache.put_bytes("mp3", f"{i:02d}" * 32, pcm.encode_mp3(_tone(8000), "64k"), ".mp3")
        damage(cache.path("mp3", f"{i:02d}" * 32, ".mp3"))
    cache.put("sections", "ff" * 32, _tone(9000))
    cache.put_bytes("mp3", "ff" * 32, pcm.encode_mp3(_tone(9000), "64k"), ".mp3")
    expected = [f"{kind}/{f'{i:02d}' * 32}{ext}" for i in range(len(DAMAGE)) for kind, ext in (("speech", ".wav"), ("mp3", ".mp3"))]
    assert sorted(cache.damaged_entries()) == sorted(expected)
    assert sorted(e[:2] for e in cache.entries()) == [("mp3", "ff" * 32 + ".mp3"), ("sections", "ff" * 32 + ".wav")]
    assert cache.damaged_entries() == []


@pytest.mark.parametrize("damage", DAMAGE, ids=KINDS)
def test_a_build_after_damage_remakes_what_was_damaged_and_the_book_is_whole(example_project, fake_engine, caplog, damage):
    """One section's encoded body damaged; a second's body and mastered audio; a third's too, and a sentence of it."""
    from narrate import build as pipeline
    from narrate.plan import readonly

    project = pipeline.open_project(example_project)
    clean = pipeline.build(project, engine_name="fake")
    clean_audio = pcm.decode(clean.book).raw_data
    plan = readonly(project, "fake")[1]
    a, b, c = plan.sections[1], plan.sections[2], plan.sections[3]
    damage(a.body)
    for section in (b, c):
        damage(section.body)
        damage(project.cache.path("sections", section.key))
    damage(project.cache.path("speech", c.speech_keys[0]))
    fake_engine.clear()
    with caplog.at_level(logging.WARNING, logger="narrate.speech.cache"):
        repaired = pipeline.build(pipeline.open_project(example_project), engine_name="fake")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert sorted(warnings) == sorted(
        [f"the cached audio of section {s.script.file} was damaged; removed, it will be made again" for s in (a, b, b, c, c)]
        + [f"the cached audio of {c.units[0].text[:60]!r} ({c.script.file}) was damaged; removed, it will be made again"]
    )
    assert fake_engine == [c.units[0].text] and repaired.synthesized == 1  # that sentence, once; nothing else
    # The fake engine is deterministic: the repaired book is the clean one, to the millisecond, every sentence in it.
    assert [(ch.title, ch.start_ms, ch.end_ms) for ch in repaired.chapters] == [(ch.title, ch.start_ms, ch.end_ms) for ch in clean.chapters]
    assert pcm.decode(repaired.book).raw_data == clean_audio
    assert all(project.cache.valid("speech", k) for s in plan.sections for k in s.speech_keys)


def test_cache_check_reports_and_removes_damaged_entries(example_project, fake_engine):
    from conftest import run_cli
    from narrate import build as pipeline

    project = pipeline.open_project(example_project)
    pipeline.build(project, engine_name="fake")
    victims = sorted((project.cache.root / "speech").glob("*/*.wav"))[:2] + sorted((project.cache.root / "mp3").glob("*/*.mp3"))[:1]
    _truncated(victims[0])
    _emptied(victims[1])
    _random(victims[2])
    result = run_cli("cache", "--check", "--engine", "fake")
    assert result.exit_code == 0, result.stderr
    assert "checked: 3 damaged entries removed" in result.stdout
    assert all(f"{p.parent.parent.name}/{p.name}" in result.stdout for p in victims) and not any(p.exists() for p in victims)
    assert "checked: 0 damaged entries removed" in run_cli("cache", "--check", "--engine", "fake").stdout


# Issue 26, item 1: every kind of entry, damaged or removed, against every output. A build
# makes again whatever an output needs, `status` names that as work, and every output comes
# back whole: with the deterministic fake voice, byte for byte the output of the clean build.
OUTPUTS = {
    "mp3": ["essay.mp3"],
    "tracks": ["sections/01-the-first-room.mp3", "sections/02-the-second-room.mp3", "sections/03-the-last-room.mp3"],
    "m4b": ["essay.m4b"],
    "vtt": ["essay.vtt", "essay.chapters.vtt"],
    "json": ["essay.chapters.json"],
    "cue": ["essay.cue"],
    "html": ["index.html"],
}


def _entries(project, plan, kind: str) -> list:
    """The cache files of one kind of entry, for the second section (and the joints every section shares)."""
    from narrate.audio import stitch

    section, cache = plan.sections[2], project.cache
    if kind == "joints":
        return [stitch.joints(cache, plan.cue, project.config.pauses, project.config.bitrate, encode=False).__dict__[n] for n in ("head", "gap", "tail")]
    return {
        "take": [cache.path("speech", section.speech_keys[1])],
        "mastered": [cache.path("sections", section.key)],
        "timings": [cache.path("sections", section.key, ".json")],
        "body": [section.body],
        "section": [*(cache.path("speech", k) for k in section.speech_keys), cache.path("sections", section.key),
                    cache.path("sections", section.key, ".json"), section.body],
    }[kind]


# Whether some output needs the entry now (else the outputs stand without it, and nothing is done).
NEEDED = {"take": False, "mastered": False, "timings": True, "body": True, "joints": True, "section": True}


@pytest.fixture(scope="module")
def clean_small_book(tmp_path_factory):
    """The small book with every output, built once with the fake voice: (folder, {file: bytes})."""
    import smallbook

    root = smallbook.make_project(tmp_path_factory.mktemp("clean") / "book", formats=list(OUTPUTS))
    with smallbook.fake_registered():
        smallbook.build(root)
    return root, {p.relative_to(root / "audio").as_posix(): p.read_bytes() for p in (root / "audio").rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def repaired(clean_small_book, tmp_path_factory):
    """(kind, how) -> what a copy of the clean book looked like around its repair build, made once per pair."""
    import shutil

    import smallbook
    from narrate import build as pipeline
    from narrate.plan import readonly

    made = {}

    def repair(kind: str, how: str):
        if (kind, how) not in made:
            root = tmp_path_factory.mktemp(f"{kind}-{how}") / "book"
            shutil.copytree(clean_small_book[0], root)
            with smallbook.fake_registered():
                project = pipeline.open_project(root)
                victims = _entries(project, readonly(project, "fake")[1], kind)
                assert all(p.is_file() for p in victims)
                for path in victims:  # one byte flipped mid-file, as a disk or a sync tool does
                    data = bytearray(path.read_bytes())
                    data[len(data) // 2] ^= 0xFF
                    path.write_bytes(bytes(data))
                if how == "removed":  # then `narrate cache --check` removes them, as in the issue
                    assert len(project.cache.damaged_entries()) == len(victims)
                before = pipeline.status(project, "fake")
                report = smallbook.build(root)
                after = pipeline.status(project, "fake")
                again = smallbook.build(root)
            files = {p.relative_to(root / "audio").as_posix(): p.read_bytes() for p in (root / "audio").rglob("*") if p.is_file()}
            made[kind, how] = before, report, after, again, files
        return made[kind, how]

    return repair


@pytest.mark.parametrize("output", list(OUTPUTS))
@pytest.mark.parametrize("how", ["flipped", "removed"])
@pytest.mark.parametrize("kind", list(NEEDED))
def test_a_damaged_or_removed_entry_of_any_kind_leaves_every_output_whole(clean_small_book, repaired, kind, how, output):
    before, report, after, again, files = repaired(kind, how)
    clean = clean_small_book[1]
    for name in OUTPUTS[output]:
        assert files[name] == clean[name], f"{name} differs from the clean build's after the {kind} entry was {how}"
    if output == "html":  # every sentence on the page, with its time
        import json
        import re

        from vtt import read_cues

        page = files["index.html"].decode()
        data = json.loads(re.search(r'<script type="application/json" id="book-data">(.*?)</script>', page, re.S).group(1))
        sentences = read_cues(clean["essay.vtt"].decode())
        assert len(data["cues"]) == len(sentences) > 9
    # status said beforehand that a build had work to do exactly when an output needed the entry
    work = before.to_synthesize or before.tracks_to_encode or before.book_stale or before.joints_to_encode or any(s.state != "up to date" for s in before.sections)
    assert bool(work) == NEEDED[kind], before
    if kind == "joints":
        assert before.joints_to_encode == 3
    elif NEEDED[kind]:
        assert before.sections[2].state == "repair" and [s.state for s in before.sections].count("up to date") == 3
    assert report.synthesized == (before.to_synthesize) == (3 if kind == "section" else 0)
    # and afterwards nothing is left to do: the repair is complete, and a build after it does nothing
    assert after.to_synthesize == 0 and not after.tracks_to_encode and not after.book_stale and not after.joints_to_encode
    assert {s.state for s in after.sections} == {"up to date"}
    assert again.synthesized == 0 and not again.book_written and not again.outputs


def test_a_section_made_again_from_other_takes_rewrites_what_holds_it_and_the_captions_follow(tmp_path, monkeypatch):
    """A real voice's takes of one text differ: when a section must be made again from new takes,
    the book, its track and the M4B are written again, and every caption still starts on its sentence."""
    import json

    import smallbook
    from fakes import FastVoiceEngine
    from narrate import build as pipeline
    from narrate import engines
    from narrate.audio.tags import read_chapters
    from narrate.plan import readonly
    from test_captions import TOLERANCE_MS, _offsets_ms

    class NewTakeEachTime(FastVoiceEngine):
        spoken: dict[str, int] = {}

        def synthesize(self, text):
            takes = NewTakeEachTime.spoken[text] = NewTakeEachTime.spoken.get(text, 0) + 1
            return super().synthesize(text + " again" * (takes - 1))  # one word longer, other noise

    monkeypatch.setitem(engines.ENGINES, "fastvoice", NewTakeEachTime)
    root = smallbook.make_project(tmp_path / "book", formats=list(OUTPUTS))
    project = pipeline.open_project(root)
    pipeline.build(project, engine_name="fastvoice")
    section = readonly(project, "fastvoice")[1].sections[2]
    for path in _entries(project, readonly(project, "fastvoice")[1], "section"):
        path.unlink()
    assert pipeline.status(project, "fastvoice").sections[2].state == "repair"
    report = pipeline.build(project, engine_name="fastvoice")
    assert report.synthesized == len(section.units) and report.book_written
    assert [s.track_written for s in report.sections] == [False, False, True, False]
    assert root / "audio" / "essay.m4b" in report.outputs
    offsets = _offsets_ms(project, "fastvoice")  # every caption against where its sentence is in the book
    assert max(abs(o) for o in offsets) <= TOLERANCE_MS, offsets
    chapters = json.loads((root / "audio" / "essay.chapters.json").read_text())["chapters"]
    assert [round(c["startTime"] * 1000) for c in chapters] == [c.start_ms for c in read_chapters(report.book)]
