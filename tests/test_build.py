"""The pipeline's bookkeeping, with the recording fake engine: what is redone, what is kept."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

import numpy as np

from narrate import audio, check, engines, master
from narrate import build as pipeline
from narrate import plan as planning
from narrate.errors import ConflictError, InputError
from narrate.tags import read_chapters

from fakes import FakeEngine


def _build(root: Path, **kwargs):
    return pipeline.build(pipeline.open_project(root), engine_name="fake", **kwargs)


def _tracks(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "audio" / "sections").glob("*.mp3"))}


def test_first_build_synthesizes_every_sentence_once(example_project, fake_engine):
    report = _build(example_project)
    assert len(fake_engine) == report.synthesized == sum(s.units for s in report.sections) == 37
    assert len(set(fake_engine)) == len(fake_engine)
    assert report.book == example_project / "audio" / "la-la-land.mp3"
    assert [c.title for c in read_chapters(report.book)][1:3] == [
        "A Fantasy Draped in Flesh and Jazz",
        "Mia & Sebastian: Lust Beneath the Love",
    ]
    assert len(_tracks(example_project)) == 5


def test_a_no_op_rebuild_synthesizes_and_encodes_nothing(example_project, fake_engine):
    _build(example_project)
    book = (example_project / "audio" / "la-la-land.mp3").read_bytes()
    tracks = _tracks(example_project)
    fake_engine.clear()
    report = _build(example_project)
    assert fake_engine == []
    assert not report.book_written and not any(s.track_written for s in report.sections)
    assert (example_project / "audio" / "la-la-land.mp3").read_bytes() == book
    assert _tracks(example_project) == tracks


def test_sections_stored_but_not_yet_encoded_are_encoded_to_the_same_bytes(example_project, fake_engine):
    # A build killed after a section's lossless audio was stored, before its MP3 was: the next
    # build encodes what is stored, and the outputs come out as an uninterrupted build's.
    _build(example_project)
    book = (example_project / "audio" / "la-la-land.mp3").read_bytes()
    tracks = _tracks(example_project)
    cache = example_project / ".narrate" / "cache"
    bodies = [p for p in (cache / "mp3").rglob("*.mp3")]
    stored = list((cache / "sections").rglob("*.wav"))
    assert len(stored) == 6 and len(bodies) > 6  # a body per section, and the joints
    for body in bodies:
        body.unlink()
    for path in [example_project / "audio" / "la-la-land.mp3", *(example_project / "audio" / "sections").glob("*.mp3")]:
        path.unlink()
    fake_engine.clear()
    _build(example_project)
    assert fake_engine == []
    assert (example_project / "audio" / "la-la-land.mp3").read_bytes() == book
    assert _tracks(example_project) == tracks


def test_editing_one_sentence_resynthesizes_only_that_sentence(example_project, fake_engine):
    _build(example_project)
    tracks = _tracks(example_project)
    script = example_project / "script" / "03-the-sex-appeal-of-dreams.txt"
    script.write_text(script.read_text(encoding="utf-8").replace("It's bitter.", "It is bitter."), encoding="utf-8")
    fake_engine.clear()
    report = _build(example_project)
    assert fake_engine == ["It is bitter."]
    assert report.book_written
    after = _tracks(example_project)
    changed = [name for name in tracks if tracks[name] != after[name]]
    assert changed == ["03-the-sex-appeal-of-dreams.mp3"]


def test_changing_the_speed_resynthesizes_everything_and_changing_it_back_nothing(example_project, fake_engine):
    first = _build(example_project)
    config = example_project / "narrate.toml"
    normal = config.read_text(encoding="utf-8")
    config.write_text(normal.replace("speed = 1.0", "speed = 1.5"), encoding="utf-8")
    fake_engine.clear()
    faster = _build(example_project)
    assert len(fake_engine) == 37 == faster.synthesized
    assert faster.engine == "fake (fake-voice, speed 1.5)"
    speech = lambda r: sum(s.duration_ms for s in r.sections)  # noqa: E731
    assert speech(faster) < 0.85 * speech(first)  # sentences 1/1.5 as long; pauses unchanged
    config.write_text(normal, encoding="utf-8")
    fake_engine.clear()
    again = _build(example_project)
    assert fake_engine == [] and again.book_written  # the normal speed's audio was still cached


def test_changing_the_voice_resynthesizes_everything(example_project, fake_engine):
    _build(example_project)
    config = example_project / "narrate.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('voice = ""', 'voice = "other"'), encoding="utf-8")
    fake_engine.clear()
    report = _build(example_project)
    assert len(fake_engine) == 37 == report.synthesized


def test_a_hand_edited_script_survives_an_essay_change(example_project, fake_engine):
    _build(example_project)
    script = example_project / "script" / "01-a-fantasy-draped-in-flesh-and-jazz.txt"
    script.write_text("A Fantasy.\n\nMy own words.\n", encoding="utf-8")
    essay = example_project / "essay" / "la-la-land.txt"
    essay.write_text(essay.read_text(encoding="utf-8").replace("isn’t just a musical", "is not a musical"), encoding="utf-8")
    with pytest.raises(ConflictError, match="01-a-fantasy-draped-in-flesh-and-jazz.txt"):
        _build(example_project)
    assert script.read_text(encoding="utf-8") == "A Fantasy.\n\nMy own words.\n"
    _build(example_project, force=True)
    assert "is not a musical" in script.read_text(encoding="utf-8")


def test_building_an_essay_in_an_empty_folder(tmp_path, monkeypatch, fake_engine):
    essay = tmp_path / "notes.md"
    essay.write_text("# Notes\n\n## One\n\nFirst words.\n\n## Two\n\nSecond words.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = pipeline.build(pipeline.open_project(tmp_path, essay), engine_name="fake")
    assert report.book == tmp_path / "audio" / "notes.mp3"
    assert [c.title for c in read_chapters(report.book)] == ["Notes", "One", "Two"]
    assert sorted(p.name for p in (tmp_path / "script").iterdir()) == ["00-opening.txt", "01-one.txt", "02-two.txt", "book.json", "origin.json"]


def test_nothing_to_build_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="narrate build ESSAY"):
        pipeline.open_project(tmp_path)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_status_tells_what_a_build_would_do_and_does_nothing(example_project, fake_engine):
    project = pipeline.open_project(example_project)
    before = pipeline.status(project, engine_name="fake")
    assert {s.state for s in before.sections} == {"new"} and before.to_synthesize == 37 and before.book_stale
    _build(example_project)
    assert all(s.state == "up to date" for s in pipeline.status(project, engine_name="fake").sections)
    _edit(example_project / "script" / "02-mia-sebastian-lust-beneath-the-love.txt", "They crash into it", "They crash")
    fake_engine.clear()
    after = pipeline.status(project, engine_name="fake")
    states = {s.script: (s.state, s.to_synthesize) for s in after.sections}
    assert states["02-mia-sebastian-lust-beneath-the-love.txt"] == ("changed", 1)
    assert sum(s.state == "up to date" for s in after.sections) == 5
    assert after.tracks_to_encode == ("02-mia-sebastian-lust-beneath-the-love.mp3",) and after.book_stale
    assert fake_engine == []  # status synthesized nothing


def test_sections_added_and_removed_in_the_essay(example_project, fake_engine):
    _build(example_project)
    essay = example_project / "essay" / "la-la-land.txt"
    text = essay.read_text(encoding="utf-8")
    cut = text.index("5. Why We Keep Watching")
    essay.write_text(text[:cut] + "5. Coda\nThe lights come up.\n", encoding="utf-8")
    status = pipeline.status(pipeline.open_project(example_project), engine_name="fake")
    assert status.essay_changed
    assert [s.state for s in status.sections][-1] == "new" and status.removed == ("05-why-we-keep-watching.mp3",)
    fake_engine.clear()
    report = _build(example_project)
    assert fake_engine == ["Coda.", "The lights come up."]
    assert [c.title for c in read_chapters(report.book)][-1] == "Coda"
    assert sorted(_tracks(example_project))[-1] == "05-coda.mp3" and len(_tracks(example_project)) == 5


def test_cache_prune_keeps_what_scripts_use(example_project, fake_engine):
    _build(example_project)
    _edit(example_project / "script" / "04-the-final-look-desire-left-unspoken.txt", "And aching.", "And longing.")
    _build(example_project)
    project = pipeline.open_project(example_project)
    report = pipeline.cache_report(project, prune=True, engine_name="fake")
    assert report.unused_entries == 5  # the old sentence, the old section, its timings, its measurement, its old book piece
    assert pipeline.cache_report(project, engine_name="fake").unused_entries == 0
    fake_engine.clear()
    assert _build(example_project).synthesized == 0 and fake_engine == []


def test_cache_prune_with_auto_keeps_the_audio_of_both_engines(example_project, fake_engine, monkeypatch):
    # Stand-ins named like the real engines: speech keys carry the engine's name.
    for name in ("gtts", engines.OFFLINE):
        monkeypatch.setitem(engines.ENGINES, name, type(name, (FakeEngine,), {"name": name}))
    project = pipeline.open_project(example_project)
    assert project.config.engine == "auto"
    pipeline.build(project, engine_name=engines.OFFLINE)  # as when Google was out of reach
    pipeline.build(project, engine_name="gtts")  # and later, when it answered
    both = pipeline.cache_report(project)
    assert both.unused_entries == 0
    assert pipeline.cache_report(project, engine_name="gtts").unused_entries > 0  # pinned: the offline voice's are unused
    pipeline.cache_report(project, prune=True)
    assert pipeline.cache_report(project).entries == both.entries  # auto pruned nothing


def test_watch_rebuilds_when_a_script_is_saved(example_project, fake_engine):
    reports = []

    def on_build(report):
        reports.append(report)
        if len(reports) == 1:
            _edit(example_project / "script" / "01-a-fantasy-draped-in-flesh-and-jazz.txt", "to burn.", "to shine.")

    deadline = time.monotonic() + 60  # a broken watch fails the test instead of hanging the run
    stop = lambda: len(reports) >= 2 or time.monotonic() > deadline  # noqa: E731
    pipeline.watch(example_project, None, on_build, engine_name="fake", interval=0.05, should_stop=stop)
    assert [r.synthesized for r in reports] == [37, 1]


def test_progress_counts_every_sentence_and_every_encoded_section(example_project, fake_engine):
    steps = []
    pipeline.build(pipeline.open_project(example_project), engine_name="fake", progress=steps.append)
    spoken = [s for s in steps if s.stage == "synthesize"]
    encoded = [s for s in steps if s.stage == "encode"]
    assert [s.done for s in spoken] == list(range(1, 38)) and {s.total for s in spoken} == {37}
    assert [s.done for s in encoded] == list(range(1, 7)) and {s.total for s in encoded} == {6}
    assert {s.section for s in encoded} == {p.name for p in (example_project / "script").glob("*.txt")}

    steps.clear()
    pipeline.build(pipeline.open_project(example_project), engine_name="fake", progress=steps.append)
    assert steps == []  # nothing to do, nothing to show


@pytest.fixture
def speech_engine(fake_engine, monkeypatch):
    """The fake engine with speech-like output (levels behave as a voice's); returns its call list."""
    from fakes import SpeechLikeEngine

    monkeypatch.setitem(engines.ENGINES, "fake", SpeechLikeEngine)
    return fake_engine


def test_switching_the_sound_target_remasters_without_synthesizing(example_project, speech_engine):
    _build(example_project)
    outputs = [example_project / "audio" / "la-la-land.mp3", *sorted((example_project / "audio" / "sections").glob("*.mp3"))]
    acx = [check.check_files([path], "acx")[0] for path in outputs]
    assert all(r.passed for r in acx), check.format_reports(acx)
    acx_bytes = [path.read_bytes() for path in outputs]

    _edit(example_project / "narrate.toml", 'target = "acx"', 'target = "podcast"')
    speech_engine.clear()
    report = _build(example_project)
    assert speech_engine == [] and report.synthesized == 0
    assert report.book_written and all(s.track_written for s in report.sections if s.track)
    podcast = [check.check_files([path], "podcast")[0] for path in outputs]
    assert all(r.passed for r in podcast), check.format_reports(podcast)
    for r in podcast:
        assert abs(r.measurement.loudness_lufs - -16.0) <= 0.5 and r.measurement.true_peak_db <= -1.0
    tracks = [r.measurement.loudness_lufs for r in podcast[1:]]
    assert max(tracks) - min(tracks) <= 0.3  # sections match

    _edit(example_project / "narrate.toml", 'target = "podcast"', 'target = "acx"')
    report = _build(example_project)
    assert speech_engine == [] and [path.read_bytes() for path in outputs] == acx_bytes  # both masters stay cached


@pytest.mark.parametrize("variant", ["opens", "ends", "heading"])
def test_a_sentence_sections_share_is_synthesized_once(tmp_path, monkeypatch, fake_engine, variant):
    from shared_sentences import essay

    (tmp_path / "essay.txt").write_text(essay(variant), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = pipeline.build(pipeline.open_project(tmp_path, Path("essay.txt")), engine_name="fake")
    assert len(fake_engine) == len(set(fake_engine)) == report.synthesized
    assert report.synthesized < sum(s.units for s in report.sections)  # some sentence was shared
    _assert_sections_hold_their_sentences(tmp_path, report)


def _assert_sections_hold_their_sentences(root: Path, report, engine: str = "fake") -> None:
    """Each section's mastered audio is exactly its cached takes plus its pauses (to the sample)."""
    from narrate import captions

    project = pipeline.open_project(root, Path("essay.txt"))
    plan = planning.readonly(project, engine)[1]
    for section, made in zip(plan.sections, report.sections, strict=True):
        lengths = captions.speech_lengths(project.cache, section.speech_keys)
        pauses = sum(int(round(u.pause_ms * audio.RATE / 1000)) for u in section.units)
        assert audio.ms(sum(lengths) + pauses) == made.duration_ms


class _UnevenTakes(FakeEngine):
    """Each new take of the refrain is longer than the last, as a real voice's takes differ."""

    lengths: set[int] = set()  # the refrain's takes, never a multiple of the fake's word length

    def synthesize(self, text):
        from shared_sentences import REFRAIN

        if text != REFRAIN:
            return super().synthesize(text)
        FakeEngine.calls.append(text)
        n = 33000 + 1013 * FakeEngine.calls.count(text)
        _UnevenTakes.lengths.add(n)
        return audio.from_int16((8000 * np.sin(np.arange(n) / 7)).astype(np.int16))


def test_a_later_take_cannot_land_between_the_passes_of_a_section_being_mastered(tmp_path, monkeypatch, fake_engine):
    """The interleaving that crashed, forced: once the first section holding the shared sentence
    has been read for measuring, mastering waits until all planned synthesis is done (a second
    take, if one were planned, lands then), and only then reads it again to write."""
    import threading

    from shared_sentences import REFRAIN, essay

    _UnevenTakes.lengths = set()
    monkeypatch.setitem(engines.ENGINES, "fake", _UnevenTakes)
    all_spoken = threading.Event()
    first = threading.Lock()
    waited = []

    def progress(p):
        if p.stage == "synthesize" and p.done == p.total:
            all_spoken.set()

    real_rechunk = master.rechunk

    def rechunk(pieces):
        seen = []
        for piece in pieces:
            seen.append(piece.size)
            yield piece
        with first:  # two sections may be mastered at once: only the first to get here waits
            if waited or not _UnevenTakes.lengths & set(seen):
                return
            waited.append(None)
        waited[0] = all_spoken.wait(30)

    monkeypatch.setattr(master, "rechunk", lambda pieces: real_rechunk(rechunk(pieces)))
    (tmp_path / "essay.txt").write_text(essay("opens"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = pipeline.build(pipeline.open_project(tmp_path, Path("essay.txt")), engine_name="fake", progress=progress)
    assert waited == [True]
    assert FakeEngine.calls.count(REFRAIN) == 1
    assert len(_UnevenTakes.lengths) == 1
    _assert_sections_hold_their_sentences(tmp_path, report)


class _RecordingPiper:
    """The real Piper voice, recording what it is asked to speak."""

    calls: list[str] = []

    def __new__(cls, settings):
        from narrate.engines.piper import PiperEngine

        engine = PiperEngine(settings)
        speak = engine.synthesize

        def synthesize(text):
            _RecordingPiper.calls.append(text)
            return speak(text)

        engine.synthesize = synthesize
        return engine


@pytest.mark.slow
@pytest.mark.parametrize("variant,builds", [("opens", 2), ("ends", 1), ("heading", 1)])
def test_shared_sentences_with_the_real_voice_build_every_time(tmp_path, monkeypatch, variant, builds):
    """Piper's takes of one text differ in length: the race this guards against crashed 3 builds in 4."""
    import shutil

    from shared_sentences import REFRAIN, essay

    monkeypatch.setitem(engines.ENGINES, "recpiper", _RecordingPiper)
    (tmp_path / "essay.txt").write_text(essay(variant), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for _ in range(builds):
        for made in ("script", "audio", ".narrate"):
            shutil.rmtree(tmp_path / made, ignore_errors=True)
        _RecordingPiper.calls = []
        report = pipeline.build(pipeline.open_project(tmp_path, Path("essay.txt")), engine_name="recpiper")
        calls = _RecordingPiper.calls
        assert len(calls) == len(set(calls)) == report.synthesized
        if variant != "heading":
            assert calls.count(REFRAIN) == 1
        _assert_sections_hold_their_sentences(tmp_path, report, "recpiper")
        # Each section's track holds its section: head + section + tail, to within the LAME runs' padding.
        for section in report.sections[1:]:
            decoded = audio.ms(audio.decode(section.track))
            expected = section.duration_ms + 600 + 2000
            assert expected <= decoded <= expected + 3 * 2 * audio.FRAME_SAMPLES * 1000 / audio.RATE


def test_watch_rebuilds_when_the_essay_narrate_toml_names_is_saved(example_project, fake_engine):
    """Issue 26, item 2: with no essay on the command line, the essay narrate.toml names is watched."""
    reports = []

    def on_build(report):
        reports.append(report)
        if len(reports) == 1:
            _edit(example_project / "essay" / "la-la-land.txt", "Why We Keep Watching", "Why We Keep Looking")

    deadline = time.monotonic() + 60
    stop = lambda: len(reports) >= 2 or time.monotonic() > deadline  # noqa: E731
    pipeline.watch(example_project, None, on_build, engine_name="fake", interval=0.05, should_stop=stop)
    assert len(reports) == 2, reports
    assert reports[1].scripts_written == ("05-why-we-keep-watching.txt", "05-why-we-keep-looking.txt")


def test_a_folder_built_from_an_essay_argument_is_one_book_for_every_later_command(tmp_path, monkeypatch, fake_engine):
    """Issue 26, item 5: after `narrate build ESSAY` in a folder without narrate.toml, `narrate build`
    and `narrate verify` with no argument mean that book, not one named after the folder."""
    from conftest import run_cli
    from narrate import hearing

    folder = tmp_path / "my-folder"
    folder.mkdir()
    (folder / "notes.md").write_text("# Notes\n\n## One\n\nFirst words.\n\n## Two\n\nSecond words.\n", encoding="utf-8")
    monkeypatch.chdir(folder)
    assert run_cli("-q", "build", "notes.md", "--engine", "fake").exit_code == 0
    first = (folder / "audio" / "notes.mp3").read_bytes()
    (folder / "notes.md").write_text("# Notes\n\n## One\n\nFirst words.\n\n## Two\n\nOther words.\n", encoding="utf-8")
    again = run_cli("build", "--json", "--engine", "fake")
    assert again.exit_code == 0, again.stderr
    assert '"book": "' + str(folder / "audio" / "notes.mp3") + '"' in again.stdout and '"synthesized": 1' in again.stdout
    assert sorted(p.name for p in (folder / "audio").glob("*.mp3")) == ["notes.mp3"]  # no my-folder.mp3
    assert (folder / "audio" / "notes.mp3").read_bytes() != first  # the edited essay was read again
    # verify finds that book too (the recognizer stands aside: which file it is given is the question)
    heard = []
    monkeypatch.setattr(hearing, "model", lambda: None)
    monkeypatch.setattr(hearing, "hear_file", lambda path, spans, texts: heard.append(path) or [hearing.Heard(t, 1.0, True) for t in texts])
    result = run_cli("verify", "--engine", "fake")
    assert result.exit_code == 0, result.stderr
    assert heard == [folder / "audio" / "notes.mp3"]


def test_status_predicts_the_hand_edit_conflict_and_the_hand_edits_a_split_keeps(example_project, fake_engine):
    """Issue 26, item 6: status said a build would synthesize where the build stopped on a hand edit,
    and planned the essay's text for a hand-edited script the split keeps."""
    from conftest import run_cli

    essay = example_project / "essay" / "la-la-land.txt"
    edited = example_project / "script" / "02-mia-sebastian-lust-beneath-the-love.txt"
    _build(example_project)
    edited.write_text("Mia and Sebastian.\n\nMy own words.\n", encoding="utf-8")
    _build(example_project)
    _edit(essay, "In one of the most haunting endings", "In one of the most famous endings")
    # the essay changed elsewhere: the split keeps the hand edit, and status plans what the build does
    predicted = pipeline.status(pipeline.open_project(example_project), "fake")
    assert [s.state for s in predicted.sections] == ["up to date"] * 4 + ["changed", "up to date"]
    assert predicted.conflicts == () and predicted.to_synthesize == 1
    fake_engine.clear()
    assert _build(example_project).synthesized == 1 and len(fake_engine) == 1
    # the essay changes the hand-edited section: status says the build would stop, and names the script
    _edit(essay, "Mia & Sebastian: Lust Beneath the Love", "Mia & Sebastian: Love Beneath the Lust")
    result = run_cli("status", "--engine", "fake")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[-1].startswith(
        "a build would stop: the essay changed, and hand-edited script(s) would be overwritten: "
        "02-mia-sebastian-lust-beneath-the-love.txt."
    )
    assert "would synthesize" not in result.stdout
    with pytest.raises(ConflictError, match="02-mia-sebastian-lust-beneath-the-love.txt"):
        _build(example_project)
