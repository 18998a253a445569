"""Editing the book sentence by sentence: list them, speak one, choose its take, replace its text in its script.

A sentence here is one synthesis unit of a script (see `script.paragraph_units`): what the
voice says in one call, as the page shows it. Its text is the script's, normalized; what the
engine is sent is that text through the lexicon; its speech key names its audio in the cache.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from narrate import engines, keys, undo
from narrate.audio import pcm
from narrate.engines import EngineSpec
from narrate.errors import ConflictError, InputError
from narrate.fsutil import write_bytes
from narrate.project import Project
from narrate.speech import chosen
from narrate.speech.synthesize import speak_pcm
from narrate.text.lexicon import respell
from narrate.text.script import MANIFEST, Script, load_scripts, paragraph_units

log = logging.getLogger(__name__)

_HEAR_BATCH = 16  # sentences the recognizer hears between two progress reports


@dataclass(frozen=True)
class Sentence:
    """One sentence of the book.

    Attributes:
        script: its script's file name in script/.
        index: its place among the script's sentences (0 is the heading's first).
        paragraph: its paragraph in the script (0 is the heading).
        text: the text as the script says it (normalized, before the lexicon).
        spoken: the text sent to the engine (after the lexicon).
        key: the speech key of its chosen take: its audio in the cache.
        cached: whether that audio is in the cache (the file is there; a build checks it).
        take: its chosen take (0: the voice's first).
        script_sha: SHA-256 of the script file's bytes when it was read (for `replace_sentence`).
    """

    script: str
    index: int
    paragraph: int
    text: str
    spoken: str
    key: str
    cached: bool
    take: int
    script_sha: str


def file_sha(raw: bytes) -> str:
    """SHA-256 of a script file's bytes, as `Sentence.script_sha` holds it."""
    return hashlib.sha256(raw).hexdigest()


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read script {path}: {exc.strerror}; restore it, or run `narrate split --force`") from exc


def _decode(path: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read script {path}: {exc}. Save it as UTF-8 text") from exc


def _normalized(raw_text: str) -> str:
    """A script's text as narrate reads it (script._read_script_text): no BOM, LF line endings."""
    return raw_text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


@functools.lru_cache(maxsize=1024)
def _units(text: str, pauses, language: str) -> tuple[tuple[int, str], ...]:
    """(paragraph, text) of each of a script's units: normalizing is the costly part of listing a book, done once per text."""
    return tuple((number, unit.text) for number, paragraph in enumerate(paragraph_units(text, pauses, language)) for unit in paragraph)


@functools.lru_cache(maxsize=65536)
def _key(engine: str, identity: str, spoken: str, take: int) -> str:
    """keys.speech_key, remembered (the identity as JSON, to be hashable)."""
    return keys.speech_key(engine, json.loads(identity), spoken, take)


def _script_sentences(project: Project, script: Script, raw: bytes, spec: EngineSpec, choices: chosen.Choices) -> list[Sentence]:
    config, speech = project.config, str(project.cache.root / "speech")
    engine = engines.instance(spec)
    identity, sha, picks = json.dumps(engine.identity(), sort_keys=True), file_sha(raw), choices.get(script.file, {})
    found: list[Sentence] = []
    for number, text in _units(script.text, config.pauses, config.language):
        spoken, take = respell(text, config.lexicon), picks.get(text, 0)
        key = _key(engine.name, identity, spoken, take)
        # os.path, not Path: for a long book, this check is most of what listing costs.
        cached = os.path.isfile(os.path.join(speech, key[:2], f"{key}.wav"))
        found.append(Sentence(script.file, len(found), number, text, spoken, key, cached, take, sha))
    return found


def sentences(project: Project, spec: EngineSpec) -> list[Sentence]:
    """Every sentence of the book's scripts as they are on disk, in book order.

    Args:
        project: from `open_project`.
        spec: the voice (see `narrate.api.voice`): its name and settings are part of every key.

    Returns:
        The sentences, script by script.

    Raises:
        InputError: no scripts, or one cannot be read; takes.json is damaged.
    """
    choices = chosen.load(project.script_dir)
    found: list[Sentence] = []
    for script in load_scripts(project.script_dir):
        raw = _read_bytes(project.script_dir / script.file)
        # The text and its hash from the same read, so a save can tell what it was made against.
        script = replace(script, text=_normalized(_decode(project.script_dir / script.file, raw)))
        found += _script_sentences(project, script, raw, spec, choices)
    return found


def script_sentences(project: Project, spec: EngineSpec, file: str) -> list[Sentence]:
    """The sentences of one script, as `sentences` lists them."""
    script = _script(project, file)
    raw = _read_bytes(project.script_dir / file)
    script = replace(script, text=_normalized(_decode(project.script_dir / file, raw)))
    return _script_sentences(project, script, raw, spec, chosen.load(project.script_dir))


def _script(project: Project, file: str) -> Script:
    """The script named `file` in the manifest (never a path the caller made up)."""
    for script in load_scripts(project.script_dir):
        if script.file == file:
            return script
    raise InputError(f"no script {file!r} in {project.script_dir / MANIFEST}; reload the list of sentences")


def speak(project: Project, spec: EngineSpec, sentence: Sentence, take: int | None = None) -> Sentence:
    """Synthesize one sentence with the voice (warm after its first use) and store it in the cache.

    Args:
        project: from `open_project`.
        spec: the voice.
        sentence: from `sentences`.
        take: which take (`Engine.retake`); None: its chosen one. An existing entry is kept, not made again.

    Returns:
        The sentence with that take's key, cached (its chosen take is not changed: see `choose_take`).

    Raises:
        SynthesisError: the voice failed on it.
    """
    take = sentence.take if take is None else take
    engine = engines.instance(spec)
    key = keys.speech_key(engine.name, engine.identity(), sentence.spoken, take)
    if not project.cache.valid("speech", key, f"{sentence.text[:60]!r} ({sentence.script})"):
        project.cache.put("speech", key, pcm.segment(speak_pcm(spec, sentence.spoken, take)))
        log.info("%s: spoke %r (take %d)", sentence.script, sentence.text[:60], take)
    return replace(sentence, key=key, cached=True, take=take)


def choose_take(project: Project, spec: EngineSpec, sentence: Sentence, take: int) -> Sentence:
    """Record `take` as the one a build uses for this sentence (script/takes.json).

    Returns:
        The sentence with its new take and key (`cached` says whether that take exists yet).
    """
    before = chosen.load(project.script_dir).get(sentence.script, {}).get(sentence.text, 0)
    chosen.record(project.script_dir, sentence.script, sentence.text, take)
    if before != take:  # undoable: `undo.undo` chooses the previous take again
        sha = file_sha(_read_bytes(project.script_dir / sentence.script))
        undo.record(project.root, undo.Step("take", sentence.script, sentence.index, sentence.text, sentence.text, sha,
                                            takes_before=((sentence.text, before),), takes_after=((sentence.text, take),)))
    engine = engines.instance(spec)
    key = keys.speech_key(engine.name, engine.identity(), sentence.spoken, take)
    return replace(sentence, key=key, take=take, cached=project.cache.path("speech", key).is_file())


# --- where each sentence is in its script's text ---------------------------


def unit_spans(raw_text: str, texts: list[str]) -> list[tuple[int, int] | None]:
    """Where each sentence (in order) is in a script's text, as (start, end) character offsets; None where unknown.

    A sentence is found word for word, any whitespace between its words (a script's line
    wrapping). Between two sentences found in a row there must be only whitespace; a sentence
    narrate's reading changed (digits it spells out, a word it cut) is not found, and is None.
    Sentences found after such a one are checked backwards from the end the same way, so one
    unknown sentence leaves its neighbours editable.
    """
    patterns = [re.compile(r"\s+".join(re.escape(w) for w in text.split())) if text.split() else None for text in texts]
    spans: list[tuple[int, int] | None] = [None] * len(texts)
    position, i = 0, 0
    while i < len(texts):  # forwards, while every gap is whitespace
        pattern = patterns[i]
        m = pattern.search(raw_text, position) if pattern else None
        if m is None or raw_text[position : m.start()].strip("\ufeff \t\r\n"):
            break
        spans[i], position, i = (m.start(), m.end()), m.end(), i + 1
    first_unknown, end = i, len(raw_text)
    for j in range(len(texts) - 1, first_unknown, -1):  # backwards from the end, the same way
        pattern = patterns[j]
        matches = [m for m in pattern.finditer(raw_text, position, end)] if pattern else []
        if not matches or raw_text[matches[-1].end() : end].strip(" \t\r\n"):
            break
        spans[j], end = (matches[-1].start(), matches[-1].end()), matches[-1].start()
    return spans


def replace_sentence(project: Project, spec: EngineSpec, script: str, index: int, old_text: str, new_text: str,
                     script_sha: str | None = None) -> list[Sentence]:
    """Replace one sentence's text in its script, leaving every other byte of the file as it was.

    Args:
        project: from `open_project`.
        spec: the voice (for the new sentences' keys).
        script: the script's file name, as `Sentence.script`.
        index: the sentence's index, as `Sentence.index`.
        old_text: the sentence's text as the caller read it (`Sentence.text`).
        new_text: what it should say; whitespace runs become one space.
        script_sha: the script's hash as the caller read it (`Sentence.script_sha`): any change
            of the file since then refuses the save. None: only the sentence itself is compared.

    Returns:
        The script's sentences after the change (the new text may be one sentence or several).

    Raises:
        ConflictError: the script changed on disk since the caller read it.
        InputError: the new text is empty or would change other sentences, or narrate cannot
            tell where the sentence is in the file (edit the script in a text editor then).
    """
    _script(project, script)  # one of the manifest's, never another path
    path = project.script_dir / script
    raw = _read_bytes(path)
    if script_sha is not None and file_sha(raw) != script_sha:
        raise ConflictError(f"{script} changed on disk since the page read it; your text is not saved: reload, then edit again")
    raw_text = _decode(path, raw)
    config = project.config
    before = [text for _, text in _units(_normalized(raw_text), config.pauses, config.language)]
    if not 0 <= index < len(before) or before[index] != old_text:
        raise ConflictError(f"sentence {index + 1} of {script} is no longer {old_text[:60]!r}: it changed on disk; reload, then edit again")
    new = " ".join(new_text.split())
    if not new:
        raise InputError(f"the new text of sentence {index + 1} of {script} is empty; write what it should say (to remove it, edit {script})")
    span = unit_spans(raw_text, before)[index]
    if span is None:
        raise InputError(
            f"cannot tell where {old_text[:60]!r} is in {path}: narrate reads it differently from how it is written "
            f"(numbers or symbols said as words); edit {script} in a text editor"
        )
    changed = raw_text[: span[0]] + new + raw_text[span[1] :]
    if changed == raw_text:  # saved as it was: nothing to write, nothing to undo
        return script_sentences(project, spec, script)
    after = [text for _, text in _units(_normalized(changed), config.pauses, config.language)]
    tail = len(before) - index - 1
    if after[:index] != before[:index] or after[len(after) - tail :] != before[index + 1 :] or len(after) - tail <= index:
        raise InputError(
            f"{new[:60]!r} would change the sentences around it in {script} (does it end with . ! or ?); "
            "end it as a sentence, or edit the script in a text editor"
        )
    if _read_bytes(path) != raw:  # changed while we worked: the last moment to refuse
        raise ConflictError(f"{script} changed on disk while saving; your text is not saved: reload, then edit again")
    data = changed.encode("utf-8")
    write_bytes(path, data)
    take = chosen.load(project.script_dir).get(script, {}).get(old_text, 0)
    gone = old_text not in after
    if gone:  # its chosen take goes with its text
        chosen.record(project.script_dir, script, old_text, 0)
    undo.record(project.root, undo.Step(
        "text", script, index, old_text, new, file_sha(data), span[0], raw_text[span[0] : span[1]], new,
        takes_before=((old_text, take),) if gone and take else (), takes_after=((old_text, 0),) if gone and take else (),
    ))
    log.info("%s: sentence %d now reads %r", script, index + 1, new[:60])
    return script_sentences(project, spec, script)


# --- hearing a word before it is written, and the recognizer's review ---------


def preview(project: Project, spec: EngineSpec, word: str, spoken: str, sentence: Sentence | None = None) -> tuple[Sentence, Sentence | None]:
    """Speak a word as a lexicon entry would have it, alone and in `sentence`, writing nothing but the cache.

    Args:
        project: from `open_project`.
        spec: the voice.
        word: the word as the scripts write it.
        spoken: how to say it (a respelling, or phonemes between slashes).
        sentence: a sentence containing the word, to hear it in (None: the word alone).

    Returns:
        (the word alone, the sentence), each spoken and cached; applying the entry later finds the sentence's take made.
    """
    lexicon = ((word, spoken), *(e for e in project.config.lexicon if e[0] != word))
    trial = replace(project, config=replace(project.config, lexicon=lexicon))
    alone = Sentence("", -1, 0, word, respell(word, lexicon), "", False, 0, "")
    heard = speak(trial, spec, alone)
    return heard, speak(trial, spec, replace(sentence, spoken=respell(sentence.text, lexicon))) if sentence is not None else None


@dataclass(frozen=True)
class Hearing:
    """What the recognizer heard of one sentence's chosen take."""

    sentence: Sentence
    heard: bool
    transcript: str
    score: float


def hear(project: Project, found: list[Sentence], progress: Callable[[int, int], None] | None = None) -> list[Hearing]:
    """The recognizer's verdict on each cached sentence's take (those not in the cache are left out).

    Args:
        project: from `open_project`.
        found: the sentences to hear (from `sentences`; speak the uncached ones first to hear them all).
        progress: called with (sentences heard, sentences to hear) as the recognizer goes.

    Raises:
        RecognizerError: the recognizer is not installed (`pip install 'narrate[verify]'`).
    """
    from narrate.verify import hearing

    hearing.model()  # a missing recognizer is said before any work
    takes, kept = [], []
    for s in found:
        seg = project.cache.get("speech", s.key, f"{s.text[:60]!r} ({s.script})") if s.cached else None
        if seg is not None:
            takes.append(pcm.samples(seg))
            kept.append(s)
    verdicts = []
    for start in range(0, len(kept), _HEAR_BATCH):  # in batches, so progress can be told; each a few aligner windows
        verdicts += hearing.hear(takes[start : start + _HEAR_BATCH], [s.spoken for s in kept[start : start + _HEAR_BATCH]])
        if progress is not None:
            progress(len(verdicts), len(kept))
    return [Hearing(s, h.ok, h.transcript, h.score) for s, h in zip(kept, verdicts, strict=True)]
