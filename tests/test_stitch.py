"""Books joined from MP3 runs: exact chapter times on a long book, and re-stitching after an edit."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from fakes import FastVoiceEngine
from measure import chapter_errors_ms

from narrate import audio, engines, master, mp3frames, stitch
from narrate import build as pipeline
from narrate.tags import read_chapters

WORDS = "night light music dream piano song dance star road summer heart voice film story jazz".split()


def _essay(sections: int, sentences: int) -> str:
    rng = np.random.default_rng(3)
    lines = ["A Long Book", ""]
    for number in range(1, sections + 1):
        lines += [f"Chapter {number}: Part {number}", ""]
        for _ in range(0, sentences, 4):
            lines += [" ".join(" ".join(rng.choice(WORDS, 12)).capitalize() + "." for _ in range(4)), ""]
    return "\n".join(lines)


@pytest.fixture
def fastvoice(monkeypatch):
    monkeypatch.setitem(engines.ENGINES, "fastvoice", FastVoiceEngine)


def _build(root, essay_text=None):
    if essay_text is not None:
        (root / "book.txt").write_text(essay_text, encoding="utf-8")
    return pipeline.build(pipeline.open_project(root, root / "book.txt"), engine_name="fastvoice")


def test_every_chapter_of_a_long_book_starts_on_its_audio(tmp_path, fastvoice):
    """40 chapters, 20 minutes: each mark within 1 ms of where its section's audio is in the decoded book."""
    report = _build(tmp_path, _essay(sections=40, sentences=8))
    chapters = read_chapters(report.book)
    assert len(chapters) == 41 and chapters[-1].end_ms > 18 * 60 * 1000
    assert all(a.end_ms == b.start_ms for a, b in zip(chapters, chapters[1:]))
    decoded_ms = audio.ms(audio.decode(report.book))
    assert abs(decoded_ms - chapters[-1].end_ms) <= 1  # the last chapter ends where the audio ends

    errors = chapter_errors_ms(pipeline.open_project(tmp_path, tmp_path / "book.txt"), report.book, "fastvoice")
    assert len(errors) == 40 and max(errors) <= 1.0, max(errors)  # ms rounding (0.5) and a sample or two


def test_a_book_restitched_after_an_edit_equals_a_clean_build(tmp_path, fastvoice):
    edited_root, clean_root = tmp_path / "edited", tmp_path / "clean"
    edited_root.mkdir()
    text = _essay(sections=6, sentences=4)
    before = read_chapters(_build(edited_root, text).book)
    script = sorted((edited_root / "script").glob("03-*.txt"))[0]
    script.write_text(script.read_text(encoding="utf-8").replace(".", ", and then more.", 1), encoding="utf-8")

    FastVoiceEngine.seconds = 0.0
    restitched = _build(edited_root)
    assert restitched.book_written and restitched.synthesized == 1
    assert [s.track_written for s in restitched.sections if s.track] == [False, False, True, False, False, False]

    # The same scripts built from nothing, in another folder with no cache.
    shutil.copytree(edited_root / "script", clean_root / "script")
    shutil.copy(edited_root / "book.txt", clean_root / "book.txt")
    clean = pipeline.build(pipeline.open_project(clean_root), engine_name="fastvoice")

    assert restitched.book.read_bytes() == clean.book.read_bytes()
    assert np.array_equal(audio.samples(audio.decode(restitched.book)), audio.samples(audio.decode(clean.book)))
    after = read_chapters(restitched.book)
    assert after[:3] == before[:3] and after[4].start_ms > before[4].start_ms  # the edit moved the later chapters


@pytest.mark.skipif(shutil.which("ffprobe") is None, reason="Debian's ffprobe is not installed (CI installs it)")
def test_joined_file_has_an_info_frame_that_readers_trust(tmp_path):
    import subprocess

    import mutagen.mp3

    runs = []
    for i, n in enumerate([30000, 50000, 20000]):
        tone = (np.sin(np.arange(n) * 0.05) * 8000).astype(np.int16)
        run = tmp_path / f"r{i}.mp3"
        run.write_bytes(audio.encode_mp3(audio.from_int16(tone), "192k"))
        runs.append(run)
    out = tmp_path / "book.mp3"
    stitch._join(out, b"", runs)
    frames = sum(mp3frames.frame_count(r.read_bytes()) for r in runs)
    info = out.read_bytes()[:1000]
    assert int.from_bytes(info[29:33], "big") == frames
    probe = subprocess.run(
        ["ffprobe", "-v", "warning", "-show_entries", "format=duration", "-of", "csv=p=0", str(out)],
        capture_output=True, text=True, check=True,
    )
    assert "Estimating" not in probe.stderr
    decoded = len(audio.samples(audio.decode(out)))  # ffmpeg honours the declared delay
    assert decoded == frames * audio.FRAME_SAMPLES - audio.mp3_delay()
    assert abs(float(probe.stdout) * audio.RATE - decoded) < audio.FRAME_SAMPLES
    assert mutagen.mp3.MP3(out).info.bitrate_mode == mutagen.mp3.BitrateMode.CBR


def test_a_section_is_measured_again_when_one_of_its_takes_is_made_again(tmp_path):
    from narrate.cache import Cache

    cache = Cache(tmp_path)
    takes = {"aa" * 32: 0.4, "bb" * 32: 0.2}
    for key, amplitude in takes.items():
        cache.put("speech", key, audio.from_samples(amplitude * np.sin(np.arange(30000) / 3)))
    pieces = lambda: (audio.samples(cache.get("speech", k)) for k in takes)  # noqa: E731
    first = stitch.encode_body(cache, "cc" * 32, "192k", "acx", pieces, list(takes))
    measured = sorted((tmp_path / "levels").rglob("*.f64"))
    assert len(measured) == 1
    # the same section key, a take made again louder (as after damage): the old measurement does not apply
    for path in (first, tmp_path / "sections" / "cc" / f"{'cc' * 32}.wav", tmp_path / "speech" / "bb" / f"{'bb' * 32}.wav"):
        path.unlink()
    cache.put("speech", "bb" * 32, audio.from_samples(0.9 * np.sign(np.sin(np.arange(30000) / 3))))
    stitch.encode_body(cache, "cc" * 32, "192k", "acx", pieces, list(takes))
    again = sorted((tmp_path / "levels").rglob("*.f64"))
    assert len(again) == 2
    mastered = audio.samples(cache.get("sections", "cc" * 32)).astype(np.float64)
    assert np.abs(mastered).max() <= 32768 * 10 ** (-4.0 / 20) + 64  # the ceiling, and the room tone under it
    rms_db = 20 * np.log10(np.sqrt(np.mean(mastered**2)) / 32768)
    assert abs(rms_db - master.TARGET_RMS_DBFS) < 0.1, rms_db  # levelled for what it holds now
