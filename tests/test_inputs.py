"""Hostile input through the command line: a clear one-line error, or a correct book; never a traceback."""

from __future__ import annotations

import os
import random
import re
import time
from pathlib import Path

import pytest

from conftest import assert_clear_error, run_cli
from gtts_standin import WORD_MS, gtts_standin  # noqa: F401  (gtts_standin is the fixture)
from narrate import build as pipeline
from narrate import engines
from narrate.audio import pcm
from narrate.audio.tags import read_chapters
from narrate.config import Pauses
from narrate.engines.base import EngineSettings
from narrate.engines.gtts import GTTSEngine
from narrate.text.script import units

ESSAY = "Small Book\n\n1. Start\nThe first words.\n\n2. End\nThe last words.\n"


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


# ---------------------------------------------------------------- refused, in one line


def _write(name: str, data: bytes):
    """Make `name` in the folder holding `data`; the argument to pass is its name."""

    def make(d: Path) -> str:
        (d / name).write_bytes(data)
        return name

    return make


def _mkdir(d: Path) -> str:
    (d / "drafts").mkdir()
    return "drafts"


BAD_ESSAYS = [
    # (make the essay argument in folder d, expected error pattern)
    pytest.param(_write("e.txt", b""), r"e\.txt is empty; there is nothing to narrate", id="empty"),
    pytest.param(_write("w.txt", " \n\t\r\n\u00a0\u200b\n".encode()), r"w\.txt is empty", id="whitespace-only"),
    pytest.param(
        _write("cover.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        r"cover\.txt is a binary file, not text", id="binary",
    ),
    pytest.param(
        _write("latin.txt", "Café society\n\nIt was très chic.\n".encode("latin-1")),
        r"latin\.txt is not UTF-8 \(byte 3, on line 1, cannot be decoded\); save it as UTF-8", id="not-utf8",
    ),
    pytest.param(lambda d: "missing.txt", r"essay not found: missing\.txt", id="missing-path"),
    pytest.param(_mkdir, r"drafts is a folder; give the essay's text", id="directory"),
]


@pytest.mark.parametrize(("make", "pattern"), BAD_ESSAYS)
def test_an_unusable_essay_is_one_line_and_nothing_is_written(tmp_path, monkeypatch, fake_engine, make, pattern):
    monkeypatch.chdir(tmp_path)
    essay = make(tmp_path)
    before = {p: (tmp_path / p).read_bytes() for p in _files(tmp_path)}

    for command in ("split", "build"):
        assert_clear_error(run_cli("-q", command, essay, *(["--engine", "fake"] if command == "build" else [])), pattern)

    assert not (tmp_path / "script").exists() and not (tmp_path / "audio").exists()
    assert {p: (tmp_path / p).read_bytes() for p in before} == before  # the essay is untouched
    assert fake_engine == []


def _cue_file(d: Path) -> str:
    (d / "cue.mp3").write_text("this is not audio\n", encoding="utf-8")
    return '[sound]\ncue = "cue.mp3"\n'


BAD_SETTINGS = [
    # (narrate.toml after [book] essay = ..., or a function making files and returning it; extra args; pattern)
    pytest.param('[voice]\nengine = "piper\n', [], r"narrate\.toml: invalid TOML: .*line 5, column 16.*Fix that line", id="toml-syntax"),
    pytest.param('[voice]\nengine = "fake"\npitch = 1.2\n', [], r"narrate\.toml \(line 6\): unknown key 'pitch' in \[voice\]", id="toml-unknown-key"),
    pytest.param('[pauses]\nsentence = "long"\n', [], r"narrate\.toml \(line 5\): pauses\.sentence must be whole milliseconds", id="toml-wrong-type"),
    pytest.param('[voice]\nengine = "espeak"\n', [], r"narrate\.toml \(line 5\): unknown engine 'espeak'; choose one of: auto, gtts, hibari, kokoro, piper", id="unknown-engine-in-toml"),
    pytest.param("", ["--engine", "festival"], r"^Error: unknown engine 'festival'; choose one of", id="unknown-engine-option"),
    pytest.param('[voice]\nengine = "piper"\nvoice = "en_GB-nobody"\n', [], r"narrate\.toml \(line 6\): unknown Piper voice 'en_GB-nobody'; use one of: en_US-joe-medium", id="unknown-voice"),
    pytest.param(_cue_file, ["--engine", "fake"], r"the cue .*cue\.mp3 is not audio narrate can read", id="cue-not-audio"),
    pytest.param('[sound]\ncue = "jingle.wav"\n', ["--engine", "fake"], r"narrate\.toml \(line 5\): cue file not found: .*jingle\.wav; set sound\.cue", id="cue-missing"),
]


@pytest.mark.parametrize(("settings", "args", "pattern"), BAD_SETTINGS)
def test_bad_settings_are_one_line_naming_what_to_fix(tmp_path, monkeypatch, fake_engine, settings, args, pattern):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "e.txt").write_text(ESSAY, encoding="utf-8")
    rest = settings(tmp_path) if callable(settings) else settings
    (tmp_path / "narrate.toml").write_text(f'[book]\nessay = "e.txt"\n\n{rest}', encoding="utf-8")

    assert_clear_error(run_cli("-q", "build", *args), pattern)

    assert not (tmp_path / "audio").exists()
    assert fake_engine == []  # refused before anything was spoken


# ---------------------------------------------------------------- read as meant


@pytest.mark.parametrize(
    "encode",
    [
        pytest.param(lambda t: "\ufeff".encode() + t.encode(), id="byte-order-mark"),
        pytest.param(lambda t: t.replace("\n", "\r\n").encode(), id="crlf"),
        pytest.param(lambda t: t.replace("\n", "\r").encode(), id="cr"),
        pytest.param(lambda t: "\ufeff".encode() + t.replace("\n", "\r\n").encode(), id="bom-and-crlf"),
    ],
)
def test_bom_and_line_endings_split_exactly_like_plain_lf(tmp_path, monkeypatch, encode):
    text = ESSAY + "\n3. Wrapped\nA paragraph that wraps\nover two lines.\n"
    scripts = {}
    for name, data in (("lf", text.encode()), ("other", encode(text))):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "book.txt").write_bytes(data)
        monkeypatch.chdir(folder)
        result = run_cli("split", "book.txt")
        assert result.exit_code == 0, result.stderr
        # script/ is all a build reads: the texts, and book.json with the chapter titles and the essay's hash
        scripts[name] = {p: (folder / "script" / p).read_bytes() for p in sorted(_files(folder / "script"))}

    assert scripts["other"] == scripts["lf"]
    other = {p: data.decode("utf-8") for p, data in scripts["other"].items()}
    assert other["00-opening.txt"] == "Small Book.\n"  # no BOM spoken or in the title
    assert '"title": "Small Book"' in other["book.json"]
    assert other["03-wrapped.txt"] == "Wrapped.\n\nA paragraph that wraps over two lines.\n"
    assert not any("\r" in s or "\ufeff" in s for s in other.values())


LONG_TITLE = "An Extremely Long Heading " * 12  # over 300 characters
HOSTILE_TITLES = [
    "../../etc/passwd",
    "a/b\\c",
    "CON",
    "NUL",
    "$(rm -rf ~); cat x | sh > out & echo $HOME",
    LONG_TITLE.strip(),
]


def test_hostile_heading_titles_stay_chapter_titles_and_never_become_paths(tmp_path, monkeypatch, fake_engine):
    project = tmp_path / "deep" / "down" / "book"  # a traversal would land inside tmp_path, where it is seen
    project.mkdir(parents=True)
    text = "Hostile\n\n" + "".join(f"## {title}\nText {n}.\n\n" for n, title in enumerate(HOSTILE_TITLES, 1))
    (project / "hostile.md").write_text(text, encoding="utf-8")
    monkeypatch.chdir(project)

    result = run_cli("build", "hostile.md", "--engine", "fake")

    assert result.exit_code == 0, result.stderr
    chapters = read_chapters(project / "audio" / "hostile.mp3")
    assert [c.title for c in chapters] == ["Hostile", *HOSTILE_TITLES]
    made = _files(tmp_path)
    outside = [p for p in made if not re.match(r"deep/down/book/(script|audio|\.narrate)/|deep/down/book/hostile\.md$", p)]
    assert outside == []
    scripts = sorted(p.name for p in (project / "script").glob("*.txt"))
    tracks = sorted(p.name for p in (project / "audio" / "sections").iterdir())
    assert len(scripts) == len(HOSTILE_TITLES) + 1 and len(tracks) == len(HOSTILE_TITLES)
    for name in scripts + tracks:
        assert re.fullmatch(r"\d{2}-[a-z0-9]+(-[a-z0-9]+)*\.(txt|mp3)", name) and len(name) <= 3 + 48 + 4
    assert "03-con-section.txt" in scripts and "04-nul-section.txt" in scripts
    assert (project / "script" / "01-etc-passwd.txt").read_text(encoding="utf-8") == "../../etc/passwd.\n\nText one.\n"
    # the over-long heading is a heading: its text is the sixth script's first paragraph, not prose of the fifth
    fifth, sixth = (project / "script" / scripts[5]).read_text(), (project / "script" / scripts[6]).read_text()
    assert "Extremely" not in fifth and sixth.startswith(LONG_TITLE.strip()) and sixth.endswith("Text six.\n")


def test_two_sections_with_one_title_are_two_chapters_and_two_files(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "twice.txt").write_text(
        "Twice\n\n1. Interlude\nThe first interlude.\n\n2. Middle\nBetween them.\n\n3. Interlude\nThe second interlude.\n",
        encoding="utf-8",
    )

    result = run_cli("build", "twice.txt", "--engine", "fake")

    assert result.exit_code == 0, result.stderr
    chapters = read_chapters(tmp_path / "audio" / "twice.mp3")
    assert [c.title for c in chapters] == ["Twice", "Interlude", "Middle", "Interlude"]
    first, second = tmp_path / "script" / "01-interlude.txt", tmp_path / "script" / "03-interlude-2.txt"
    assert first.read_text() == "Interlude.\n\nThe first interlude.\n"
    assert second.read_text() == "Interlude.\n\nThe second interlude.\n"
    tracks = [tmp_path / "audio" / "sections" / n for n in ("01-interlude.mp3", "03-interlude-2.mp3")]
    assert tracks[0].read_bytes() != tracks[1].read_bytes()
    assert "The first interlude." in fake_engine and "The second interlude." in fake_engine
    assert all(c.end_ms - c.start_ms > 1000 for c in (chapters[1], chapters[3]))  # both chapters hold speech
    second.write_text("Interlude.\n\nThe second interlude, edited by hand.\n", encoding="utf-8")
    fake_engine.clear()
    assert run_cli("build", "--engine", "fake").exit_code == 0
    assert fake_engine == ["The second interlude, edited by hand."]  # the twin is untouched
    assert first.read_text() == "Interlude.\n\nThe first interlude.\n"


def test_a_heading_with_no_text_under_it_is_a_chapter_of_its_own(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "gap.md").write_text("# Gap\n\n## Before\nSome text.\n\n## Nothing Here\n\n## After\nMore text.\n", encoding="utf-8")

    result = run_cli("build", "gap.md", "--engine", "fake")

    assert result.exit_code == 0, result.stderr
    chapters = read_chapters(tmp_path / "audio" / "gap.mp3")
    assert [c.title for c in chapters] == ["Gap", "Before", "Nothing Here", "After"]
    assert (tmp_path / "script" / "02-nothing-here.txt").read_text() == "Nothing Here.\n"
    assert "Nothing Here." in fake_engine
    track = pcm.decode(tmp_path / "audio" / "sections" / "02-nothing-here.mp3")
    assert pcm.ms(track) > Pauses().head + Pauses().tail  # the announced heading between head and tail


def _unpunctuated(chars: int = 2000, seed: int = 5) -> str:
    rng = random.Random(seed)
    vocab = (
        "the city hums at night while a piano plays somewhere below and the dancers turn slowly under "
        "yellow lamps as the traffic sighs past the old theatre where dreams are sold cheaply"
    ).split()
    words: list[str] = []
    while len(" ".join(words)) < chars:
        words.append(rng.choice(vocab))
    return " ".join(words)


def test_a_2000_character_sentence_without_punctuation_reaches_the_engine_whole(tmp_path, monkeypatch, fake_engine):
    sentence = _unpunctuated()
    assert len(sentence) >= 2000 and not re.search(r"[.,;:!?]", sentence)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "run-on.txt").write_text(f"Run On\n\n1. Breathless\n{sentence}\n", encoding="utf-8")

    result = run_cli("build", "run-on.txt", "--engine", "fake")

    assert result.exit_code == 0, result.stderr
    spoken = fake_engine[2:]  # after the opening and the heading
    assert fake_engine[:2] == ["Run On.", "Breathless."]
    assert len(spoken) > 1 and all(len(t) <= 280 for t in spoken)
    assert " ".join(spoken).split() == sentence.split()  # every word, once, in order


@pytest.fixture
def gtts_quick(monkeypatch, gtts_standin):
    """The real gTTS engine against the stand-in, with test-sized waits."""
    monkeypatch.setitem(
        engines.ENGINES, "gtts",
        lambda settings: GTTSEngine(settings, attempts=2, backoff=0.01, max_wait=0.05, timeout=(1.0, 2.0)),
    )
    return gtts_standin


def test_a_2000_character_sentence_goes_to_google_in_100_character_requests_and_comes_back_whole(gtts_standin):
    sentence = _unpunctuated()
    engine = GTTSEngine(EngineSettings(), attempts=2, backoff=0.01, max_wait=0.05)
    pieces = units(f"Breathless.\n\n{sentence}\n", Pauses())[1:]  # as a build cuts it: units of at most 280

    spoken_ms = [pcm.ms(engine.synthesize(piece.text)) for piece in pieces]

    requests = gtts_standin.texts
    assert len(requests) >= 20 and all(len(t) <= 100 for t in requests)  # gTTS's own 100-character limit
    assert " ".join(requests).split() == sentence.split()  # every word asked for, once, in order
    # the stand-in speaks WORD_MS per word: every request's answer came back into its unit
    for piece, ms in zip(pieces, spoken_ms):
        assert ms > len(piece.text.split()) * WORD_MS


@pytest.mark.slow
def test_the_offline_voice_speaks_all_of_a_2000_character_sentence():
    from narrate.engines.piper import PiperEngine

    sentence = _unpunctuated()
    engine = PiperEngine(EngineSettings())
    pieces = units(f"Breathless.\n\n{sentence}\n", Pauses())[1:]
    assert " ".join(u.text for u in pieces) == sentence
    seconds = []
    for piece in pieces:
        seconds.append(pcm.ms(engine.synthesize(piece.text)) / 1000)
        rate = len(piece.text.split()) / seconds[-1]
        assert 1.8 < rate < 5.5, (piece.text, seconds[-1])  # words per second of ordinary speech: none cut short
    words_per_second = len(sentence.split()) / sum(seconds)
    assert 2.2 < words_per_second < 4.8


def test_emoji_invisible_spaces_and_right_to_left_text(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mixed.md").write_text(
        "# Signs 😀\n\n"
        "## Smiles 🎉 and\u00a0spaces\n"
        "She laughed 😂👍🏽 at the\u00a0joke.\u2009Really\u202f now. "
        "A flag 🇫🇷, a family 👨\u200d👩\u200d👧 and a keycap 1\ufe0f\u20e3 too. "
        "Zero\u200bwidth and \u2060joiners. \u202eEvil\u202c text.\n\n"
        "שלום עולם means hello world. مرحبا بالعالم too.\n",
        encoding="utf-8",
    )

    result = run_cli("build", "mixed.md", "--engine", "fake")

    assert result.exit_code == 0, result.stderr
    assert [c.title for c in read_chapters(tmp_path / "audio" / "mixed.mp3")] == ["Signs 😀", "Smiles 🎉 and spaces"]
    spoken = " ".join(fake_engine)
    assert re.search(r"[\u00a0\u2009\u202f\u200b-\u200f\u2060\u202a-\u202e\ufe0f\u20e3\U0001f000-\U0001faff]", spoken) is None
    assert fake_engine[:2] == ["Signs.", "Smiles and spaces."]
    assert "She laughed at the joke." in fake_engine and "Really now." in fake_engine
    assert "Zerowidth and joiners." in fake_engine and "Evil text." in fake_engine
    assert "שלום עולם means hello world." in fake_engine and "مرحبا بالعالم too." in fake_engine  # intact, in order


def _big_essay(target: int = 1_000_000) -> tuple[str, int]:
    rng = random.Random(11)
    vocab = "the quick brown fox jumps over the lazy dog while music plays softly in the night and lights glow".split()
    parts, sections = ["A Very Long Essay", ""], 0
    while sum(len(p) + 1 for p in parts) < target:
        sections += 1
        parts.append(f"## Part {sections}")
        for _ in range(8):
            sentences = [" ".join(rng.choices(vocab, k=rng.randint(6, 24))).capitalize() + "." for _ in range(6)]
            parts += [" ".join(sentences), ""]
    return "\n".join(parts), sections


def test_a_1mb_essay_is_split_and_planned_in_seconds(tmp_path, monkeypatch, fake_engine):
    text, sections = _big_essay()
    assert len(text.encode()) >= 1_000_000
    monkeypatch.chdir(tmp_path)
    (tmp_path / "big.md").write_text(text, encoding="utf-8")

    started = time.monotonic()
    split = run_cli("-q", "split", "big.md")
    status = run_cli("status", "big.md", "--engine", "fake")
    elapsed = time.monotonic() - started

    assert split.exit_code == 0 and status.exit_code == 0, (split.stderr, status.stderr)
    assert elapsed < 20  # about one second here; quadratic work on 1 MB would take minutes
    scripts = sorted((tmp_path / "script").glob("*.txt"))
    assert len(scripts) == sections + 1
    assert sum(len(p.read_text(encoding="utf-8")) for p in scripts) > 900_000
    planned = int(re.search(r"a build would synthesize (\d+) sentence", status.stdout).group(1))
    assert planned == sections * 8 * 6 + sections + 1  # every sentence, every heading, the opening
    assert fake_engine == []


def test_a_scene_break_of_punctuation_alone_is_silence_not_a_failure(tmp_path, gtts_quick):
    (tmp_path / "breaks.txt").write_text("Breaks\n\n1. Scene\nBefore the break.\n\n...\n\n()\n\nAfter the break.\n", encoding="utf-8")

    report = pipeline.build(pipeline.open_project(tmp_path, tmp_path / "breaks.txt"), engine_name="gtts")

    assert sorted(gtts_quick.texts) == sorted(["Breaks.", "Scene.", "Before the break.", "After the break."])
    assert [c.title for c in read_chapters(report.book)] == ["Breaks", "Scene"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_refused_with_one_line_not_read_as_a_string(tmp_path):
    """A path that is neither a file nor a folder (a pipe, `<(cat essay.txt)`): read() returned the text as a str."""
    import threading

    from narrate import inputs
    from narrate.errors import InputError

    fifo = tmp_path / "essay.txt"
    os.mkfifo(fifo)

    def write() -> None:
        try:
            with open(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK), "w") as pipe:
                pipe.write("Title\n\nA sentence.\n")
        except OSError:  # nobody opened it to read: the refusal came first
            pass

    writer = threading.Timer(0.5, write)
    writer.start()
    try:
        with pytest.raises(InputError, match="not a regular file"):
            inputs.read(fifo)
        with pytest.raises(InputError, match="not a regular file"):
            inputs.fingerprint(fifo)
    finally:
        writer.cancel()
        writer.join()
