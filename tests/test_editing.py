"""The book sentence by sentence: listing, speaking one, choosing its take, replacing its text in its script."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from narrate import build as pipeline
from narrate import editing as sent
from narrate import plan as planning
from narrate.audio import pcm
from narrate.errors import ConflictError, InputError
from vtt import read_cues
from narrate.speech import chosen
from narrate.text.script import load_scripts, paragraph_units
from conftest import example_sentences


def _project(root: Path):
    return pipeline.open_project(root)


def _setup(root: Path):
    """The example split into scripts, and the fake voice's spec."""
    project = _project(root)
    pipeline.split(project)
    return project, planning.engine_spec(project, "fake")


def _book(root: Path):
    return pipeline.build(_project(root), engine_name="fake")


def test_sentences_are_the_plans_units_with_their_keys_paragraphs_and_takes(example_project, fake_engine):
    project, spec = _setup(example_project)
    found = sent.sentences(project, spec)
    plan = planning.make_plan(project, load_scripts(project.script_dir), spec)
    assert [s.key for s in found] == [k for section in plan.sections for k in section.speech_keys]
    assert [s.spoken for s in found] == [u.text for section in plan.sections for u in section.units]
    assert len(found) == example_sentences() == sum(len(s.units) for s in plan.sections)
    # The script's words, the voice's respelling: narrate.toml says Chazelle = "Shuh-zell".
    chazelle = [s for s in found if "Chazelle" in s.text]
    assert len(chazelle) == 1 and "Shuh-zell" in chazelle[0].spoken and "Chazelle" not in chazelle[0].spoken
    # Index and paragraph within each script, as paragraph_units groups them.
    first = [s for s in found if s.script == "01-a-fantasy-draped-in-flesh-and-jazz.txt"]
    groups = paragraph_units((project.script_dir / first[0].script).read_text(encoding="utf-8"), project.config.pauses)
    assert [(s.index, s.paragraph, s.text) for s in first] == [
        (i, p, u.text) for i, (p, u) in enumerate((p, u) for p, units in enumerate(groups) for u in units)
    ]
    assert not any(s.cached for s in found) and all(s.take == 0 for s in found)
    _book(example_project)
    assert all(s.cached for s in sent.sentences(project, spec))


def test_every_sentence_of_scripts_narrate_wrote_is_found_exactly(example_project, fake_engine):
    project, spec = _setup(example_project)
    for path in sorted(project.script_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        units = [u.text for p in paragraph_units(text, project.config.pauses) for u in p]
        spans = sent.unit_spans(text, units)
        assert None not in spans, path.name
        # The spans, in order, cover the file but for the whitespace between them.
        at = 0
        for (start, end), unit in zip(spans, units, strict=True):
            assert text[at:start].strip() == "" and " ".join(text[start:end].split()) == unit
            at = end
        assert text[at:].strip() == ""


def test_a_sentence_narrate_reads_differently_is_not_found_and_its_neighbours_are():
    text = "Title.\n\nOne sentence here. It cost $5 then. The last one.\n"
    units = ["Title.", "One sentence here.", "It cost five dollars then.", "The last one."]
    spans = sent.unit_spans(text, units)
    assert spans[2] is None
    assert [text[a:b] for a, b in (spans[0], spans[1], spans[3])] == ["Title.", "One sentence here.", "The last one."]
    # A line wrapped in the middle of a sentence is still that sentence.
    wrapped = "Title.\n\nOne sentence\nhere. Two.\n"
    assert [wrapped[a:b] for a, b in sent.unit_spans(wrapped, ["Title.", "One sentence here.", "Two."])] == [
        "Title.", "One sentence\nhere.", "Two."
    ]


def _only_changed(before: bytes, after: bytes, old: bytes, new: bytes) -> bool:
    """`after` is `before` with one occurrence of `old` replaced by `new`, nothing else."""
    return before.count(old) == 1 and before.replace(old, new) == after


def test_replacing_a_sentence_changes_only_its_bytes_and_a_build_speaks_only_it(example_project, fake_engine):
    project, spec = _setup(example_project)
    _book(example_project)
    found = sent.sentences(project, spec)
    target = next(s for s in found if s.text == "It's bitter.")
    path = project.script_dir / target.script
    before = path.read_bytes()
    result = sent.replace_sentence(project, spec, target.script, target.index, target.text, "  It is\nbitter indeed. ", target.script_sha)
    assert _only_changed(before, path.read_bytes(), b"It's bitter.", b"It is bitter indeed.")
    assert result[target.index].text == "It is bitter indeed." and not result[target.index].cached
    assert [s.text for s in result if s.index != target.index] == [s.text for s in found if s.script == target.script and s.index != target.index]
    assert all(s.script_sha == sent.file_sha(path.read_bytes()) for s in result)
    fake_engine.clear()
    _book(example_project)
    assert fake_engine == ["It is bitter indeed."]


def test_a_script_with_windows_line_endings_and_a_bom_keeps_them(example_project, fake_engine):
    project, spec = _setup(example_project)
    path = next(project.script_dir.glob("05-*.txt"))
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    target = next(s for s in sent.sentences(project, spec) if s.text == "It's a warning.")
    before = path.read_bytes()
    sent.replace_sentence(project, spec, target.script, target.index, target.text, "It is a warning.", target.script_sha)
    assert _only_changed(before, path.read_bytes(), b"It's a warning.", b"It is a warning.")


def test_a_stale_save_is_refused_and_writes_nothing(example_project, fake_engine):
    project, spec = _setup(example_project)
    target = next(s for s in sent.sentences(project, spec) if s.text == "It's bitter.")
    path = project.script_dir / target.script
    # Another editor saved the file meanwhile (another sentence of it).
    path.write_text(path.read_text(encoding="utf-8").replace("Love isn't sweet here.", "Love is not sweet here."), encoding="utf-8")
    edited = path.read_bytes()
    with pytest.raises(ConflictError, match=r"changed on disk since the page read it; your text is not saved: reload"):
        sent.replace_sentence(project, spec, target.script, target.index, target.text, "It is bitter.", target.script_sha)
    # Without the hash, the sentence itself is compared: its text changed, so it is refused too.
    path.write_text(path.read_text(encoding="utf-8").replace("It's bitter.", "So bitter."), encoding="utf-8")
    edited = path.read_bytes()
    with pytest.raises(ConflictError, match=r"is no longer \"It's bitter.\"|is no longer 'It.s bitter.'"):
        sent.replace_sentence(project, spec, target.script, target.index, target.text, "It is bitter.")
    assert path.read_bytes() == edited


def test_a_replacement_that_would_change_its_neighbours_or_is_empty_is_refused(example_project, fake_engine):
    project, spec = _setup(example_project)
    target = next(s for s in sent.sentences(project, spec) if s.text == "It's bitter.")
    path = project.script_dir / target.script
    before = path.read_bytes()
    with pytest.raises(InputError, match=r"would change the sentences around it .* end it as a sentence"):
        sent.replace_sentence(project, spec, target.script, target.index, target.text, "it is bitter and", target.script_sha)
    with pytest.raises(InputError, match=r"is empty; write what it should say"):
        sent.replace_sentence(project, spec, target.script, target.index, target.text, " \n ", target.script_sha)
    with pytest.raises(InputError, match=r"no script '../narrate.toml'"):
        sent.replace_sentence(project, spec, "../narrate.toml", 0, "x", "y")
    assert path.read_bytes() == before


def test_a_hand_written_sentence_that_cannot_be_placed_is_a_clear_error(example_project, fake_engine):
    project, spec = _setup(example_project)
    path = next(project.script_dir.glob("05-*.txt"))
    path.write_text(path.read_text(encoding="utf-8").replace("It's a warning.", "It's 2 warnings."), encoding="utf-8")
    found = [s for s in sent.sentences(project, spec) if s.script == path.name]
    spelled = next(s for s in found if s.text == "It's two warnings.")
    before = path.read_bytes()
    with pytest.raises(InputError, match=r"cannot tell where .* narrate reads it differently .* edit 05-why-we-keep-watching.txt in a text editor"):
        sent.replace_sentence(project, spec, spelled.script, spelled.index, spelled.text, "It is a warning.")
    assert path.read_bytes() == before
    after = found[spelled.index + 1]  # the next sentence is still placed
    sent.replace_sentence(project, spec, after.script, after.index, after.text, "A lovely, dangerous reminder.")
    assert b"A lovely, dangerous reminder." in path.read_bytes() and b"It's 2 warnings." in path.read_bytes()


def _pitch(samples: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(samples.astype(float)))
    return float(np.argmax(spectrum) * pcm.RATE / len(samples))


def test_a_build_after_choosing_take_two_uses_take_twos_audio(example_project, fake_engine):
    project, spec = _setup(example_project)
    _book(example_project)
    target = next(s for s in sent.sentences(project, spec) if s.text == "It tastes like regret.")
    first = pcm.samples(project.cache.get("speech", target.key))
    fake_engine.clear()
    second = sent.speak(project, spec, target, take=2)
    assert fake_engine == ["It tastes like regret."] and second.key != target.key and second.take == 2
    assert not (project.script_dir / chosen.TAKES).exists()  # speaking a take does not choose it
    take2 = pcm.samples(project.cache.get("speech", second.key))
    assert abs(_pitch(take2) - _pitch(first)) > 20
    picked = sent.choose_take(project, spec, target, 2)
    assert picked.key == second.key and picked.cached
    assert json.loads((project.script_dir / chosen.TAKES).read_text())["takes"] == {target.script: {target.text: 2}}
    fake_engine.clear()
    report = _book(example_project)
    assert fake_engine == [] and report.book_written  # take 2 was made already; the book is made with it
    # Where the sentence is in the book, the book sounds at take 2's pitch.
    cue = next(c for c in read_cues((example_project / "audio" / "la-la-land.vtt").read_text()) if c.text == target.text)
    book = pcm.samples(pcm.decode(report.book))
    inside = book[int((cue.start_ms + 40) * pcm.RATE / 1000) : int((cue.end_ms - 40) * pcm.RATE / 1000)]
    assert _pitch(inside) == pytest.approx(_pitch(take2), abs=5)
    # Back to the first take: its audio is still cached, so nothing is spoken.
    sent.choose_take(project, spec, picked, 0)
    assert not (project.script_dir / chosen.TAKES).exists()
    fake_engine.clear()
    assert _book(example_project).synthesized == 0 and fake_engine == []


def test_speaking_a_cached_take_reuses_it(example_project, fake_engine):
    project, spec = _setup(example_project)
    target = sent.sentences(project, spec)[3]
    spoken = sent.speak(project, spec, target)
    assert fake_engine == [target.spoken] and spoken.key == target.key and spoken.cached
    sent.speak(project, spec, target)
    assert fake_engine == [target.spoken]


def test_a_preview_speaks_the_word_alone_and_in_its_sentence_and_writes_only_the_cache(example_project, fake_engine):
    project, spec = _setup(example_project)
    toml = (example_project / "narrate.toml").read_bytes()
    target = next(s for s in sent.sentences(project, spec) if "Gosling" in s.text)
    alone, inside = sent.preview(project, spec, "Gosling", "Goz-ling", target)
    assert fake_engine == ["Goz-ling", target.text.replace("Gosling", "Goz-ling")]
    assert alone.cached and inside.cached and inside.key != target.key
    assert (example_project / "narrate.toml").read_bytes() == toml and not (example_project / "script" / "takes.json").exists()
    # Applying the entry finds the sentence's take made already.
    from narrate import api

    change = api.set_pronunciation(project, spec, "Gosling", "Goz-ling")
    assert [s.key for s in change.sentences] == [inside.key] and change.sentences[0].cached


class _SilentOnCue:
    """Mixed into the default voice: silence for one sentence's first take, the real voice otherwise."""

    name = "silent-on-cue"
    cue = "Nobody answers."

    def synthesize(self, text: str):
        return pcm.silence(1500) if text == self.cue else super().synthesize(text)  # retakes are the voice's own


@pytest.mark.slow
def test_the_recognizer_doubts_exactly_the_silent_sentence_and_hears_its_retake(tmp_path, monkeypatch):
    import smallbook
    from narrate import engines
    from narrate.engines.hibari import HibariEngine

    monkeypatch.setitem(engines.ENGINES, "silent-on-cue", type("SilentOnCue", (_SilentOnCue, HibariEngine), {}))
    root = smallbook.make_project(tmp_path / "book")
    project = _project(root)
    pipeline.build(project, engine_name="silent-on-cue")
    spec = planning.engine_spec(project, "silent-on-cue")
    found = sent.sentences(project, spec)
    heard = sent.hear(project, found)
    assert [h.sentence.text for h in heard if not h.heard] == ["Nobody answers."], [(h.sentence.text, h.transcript) for h in heard]
    assert len(heard) == len(found) == 12
    silent = next(h.sentence for h in heard if not h.heard)
    again = sent.choose_take(project, spec, sent.speak(project, spec, silent, 1), 1)
    assert [h.heard for h in sent.hear(project, [again])] == [True]
