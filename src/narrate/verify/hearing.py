"""The recognizer: Whisper tiny.en (faster-whisper), whose weights ship in a pinned package, checked before use.

It scores how much of the text sent to the engine is heard in each sentence, in two passes.
First every sentence is aligned: speech played twice as fast, sentences heard together in short
windows, and the model asked how likely each word of the script is in what it hears (one
encoder pass and one scoring pass per window, no decoding, so about a third of a second per
minute of speech). A sentence whose words it finds is heard. Only a sentence it doubts is then
transcribed (at a slower tempo, with the model decoding freely, a window at a time and then
alone) and compared letter by letter with the script before it is called doubtful.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import logging
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from narrate.engines.base import plain_text
from narrate.verify.hearing_pcm import RATE, _at, _converted, _decoded, _faster, _grouped, _runs, _slices, to_16k  # noqa: F401
from narrate.verify.whisper import RecognizerError, model  # noqa: F401  (hearing's callers name them here)

log = logging.getLogger(__name__)

# Below this share of its letters heard a sentence is doubtful: tiny.en mishears a letter or a
# short word of a clear sentence (0.78 and up on the example: Piper's "And aching." heard as "And
# taking."), while a sentence cut in half keeps about half its letters (0.65 at most in the tests)
# and a silent or replaced one far fewer.
HEARD = 0.75
# The aligned pass: a word is found when the model gives its tokens this likelihood (a clear
# take's words score 0.3 to 1, a missing word under 0.02), and a sentence is heard when this
# share of its letters is found (0.86 and up on the example's clear takes, 0.69 at most for a
# take cut in half, under 0.3 for silence or another sentence). Below it, it is transcribed.
_FOUND = 0.05
_ALIGNED = 0.8
_ALIGN_TEMPO = 2.0  # aligning needs less than transcribing: twice as fast, half the model's work
_ALIGN_WINDOW_S = 20.0  # speech aligned together: the encoder's cost grows faster than the window
_FRAME = 320  # samples per encoder frame (20 ms)
_SLACK = 5  # encoder frames a word may begin outside its sentence's span: the alignment's own imprecision
_MAX_TOKENS = 440  # the decoder's 448 positions, less the start of transcript
TEMPO = 1.5  # how much faster the recognizer transcribes speech than it was spoken
_WINDOW_S = 28.0  # speech transcribed together, at TEMPO: under Whisper's 30 s window, so each run is one pass
_GAP_S = 0.4  # silence put between sentences transcribed together, so a word's timestamp says whose it is


@dataclass(frozen=True)
class Heard:
    """What the recognizer heard of one sentence, how alike it is to the text (0 to 1), and the verdict."""

    transcript: str
    score: float
    ok: bool


def _said(fast: np.ndarray, beam_size: int) -> str:
    """What Whisper transcribes in audio already at TEMPO."""
    segments, _ = model().transcribe(
        fast, language="en", beam_size=beam_size, without_timestamps=True, condition_on_previous_text=False, vad_filter=False,
    )
    return " ".join(s.text.strip() for s in segments).strip()


def words(text: str) -> list[str]:
    """Lower-case words, numbers spelled out, punctuation dropped (how a transcript and a script compare)."""
    from num2words import num2words

    text = re.sub(r"(?<=\d),(?=\d{3})", "", plain_text(text).lower())
    text = re.sub(r"\d+(\.\d+)?", lambda m: f" {num2words(float(m[0]) if m[1] else int(m[0]))} ", text)
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.replace("-", " "))


def heard(expected: str, transcript: str) -> float:
    """The share of the expected letters found, in order, in the transcript (0 to 1).

    Letters, not words: tiny.en's slips ("bitter" as "better") cost a letter, not half of a
    two-word sentence.
    """
    # Spaces dropped: tiny.en splits and joins words freely ("and aching" as "endaking").
    want, got = "".join(words(expected)), "".join(words(transcript))
    if not want:
        return 1.0
    matched = difflib.SequenceMatcher(a=want, b=got, autojunk=False).get_matching_blocks()
    return sum(block.size for block in matched) / len(want)


# ---- the aligned pass

_QUOTES = str.maketrans("", "", '"“”‘')  # Whisper seldom writes quotes; apostrophes (’) stay


@dataclass(frozen=True)
class _Word:
    """One word of a script as the aligner scores it: its letters' tokens, then its punctuation's."""

    text: str
    letters: int
    tokens: tuple[int, ...]
    punctuation: tuple[int, ...]


@functools.cache
def _tokenizer():
    from faster_whisper.tokenizer import Tokenizer

    whisper = model()
    return Tokenizer(whisper.hf_tokenizer, whisper.model.is_multilingual, task="transcribe", language="en")


def _script_words(text: str, cased: bool) -> list[_Word]:
    """A script's words for the aligner; not `cased`: in sentence case, as Whisper writes a heading."""
    tokenizer, found = _tokenizer(), []
    for n, word in enumerate(plain_text(text).translate(_QUOTES).split()):
        if not cased:
            word = word.lower() if n else word[:1].upper() + word[1:].lower()
        parts = re.fullmatch(r"(\W*)(.*?)(\W*)", word)
        assert parts is not None  # matches any word split() gives
        lead, core, tail = parts.groups()
        found.append(_Word(
            word, len(re.sub(r"\W", "", core)), tuple(tokenizer.encode(" " + lead + core)) if core else (),
            tuple(tokenizer.encode(tail)) if tail else (),
        ))
    return found


def _likelihoods(encoded, frames: int, sentences: list[list[_Word]], spans: list[tuple[int, int]]) -> list[list[float]] | None:
    """How likely the model finds each word in the encoded audio, where its sentence is.

    A word's likelihood is its letters' tokens' (geometric mean); a word the alignment puts
    outside its sentence's span (in encoder frames) counts as not found, so a sentence cannot be
    heard in a neighbour that says the same words.
    """
    sequence = [t for words in sentences for w in words for t in w.tokens + w.punctuation]
    if not sequence:
        return [[1.0] * len(words) for words in sentences]
    if len(sequence) > _MAX_TOKENS:
        return None
    whisper, tokenizer = model(), _tokenizer()
    result = whisper.model.align(encoded, tokenizer.sot_sequence, [sequence], frames)[0]
    probs = np.asarray(result.text_token_probs)
    when = np.full(len(sequence) + 1, frames // 2)  # the frame where each token begins (and the end of transcript)
    for token, frame in reversed(result.alignments):
        if 0 <= token < len(when):
            when[token] = frame
    found: list[list[float]] = []
    k = 0
    for words, (start, end) in zip(sentences, spans):
        found.append([])
        for w in words:
            n = len(w.tokens)
            # where it begins, and where what follows it begins, both in its sentence's span
            inside = not n or (start - _SLACK <= when[k] and when[k + n] <= end + _SLACK)
            likely = float(np.exp(np.mean(np.log(np.maximum(probs[k : k + n], 1e-9))))) if n and inside else float(inside)
            found[-1].append(likely)
            k += n + len(w.punctuation)
    return found


def _share(words: list[_Word], likelihoods: list[float]) -> float:
    """The share of the words' letters in words found (likelihood at least _FOUND)."""
    letters = sum(w.letters for w in words)
    return sum(w.letters for w, p in zip(words, likelihoods) if p >= _FOUND) / letters if letters else 1.0


def _align_run(fast: np.ndarray, lengths: Sequence[int], texts: Sequence[str]) -> list[Heard]:
    """The aligned pass over one window: sentences' audio (at _ALIGN_TEMPO, joined), their lengths in it, their texts."""
    import ctranslate2

    whisper = model()
    fast = np.pad(fast, (0, max(0, 2 * _FRAME - len(fast))))  # an empty take still has a frame to look at
    features = whisper.feature_extractor(fast)[:, :3000]  # Whisper's longest window; unpadded, so shorter costs less
    encoded = whisper.model.encode(ctranslate2.StorageView.from_array(np.ascontiguousarray(features[None], np.float32)), to_cpu=False)
    bounds = np.cumsum([0, *lengths]) // _FRAME
    spans = list(itertools.pairwise(bounds))
    cased = [_script_words(t, True) for t in texts]
    best = _likelihoods(encoded, features.shape[1], cased, spans)
    if best is None:  # longer than the decoder reads: left to the transcribing pass
        return [Heard("", 0.0, False) for _ in texts]
    # A heading is in title case, which Whisper never writes: its sentence-case words are scored
    # too, and each word keeps the likelier spelling.
    if any(_share(w, p) < _ALIGNED for w, p in zip(cased, best)):
        lower = [_script_words(t, False) for t in texts]
        other = _likelihoods(encoded, features.shape[1], lower, spans)
        if other is not None:
            best = [[max(a, b) for a, b in zip(p, q)] for p, q in zip(best, other)]
    shares = [_share(words, p) for words, p in zip(cased, best)]
    return [
        Heard(" ".join(w.text for w, q in zip(words, p) if q >= _FOUND), share, share >= _ALIGNED)
        for words, p, share in zip(cased, best, shares)
    ]


def _align(fast: Iterable[np.ndarray], texts: Sequence[str]) -> list[Heard]:
    """The aligned pass over every sentence (its audio at _ALIGN_TEMPO, in order), a window at a time.

    Windows are made as the sentences come (as `_runs` groups them) and aligned a few at once:
    only those being aligned are held, however long the book.
    """
    workers = model().model.num_workers
    found: list[list[Heard]] = []
    pending: deque[tuple[int, Future]] = deque()
    # CTranslate2 runs as many calls at once as the model has workers, releasing the GIL.
    with ThreadPoolExecutor(max_workers=workers) as pool:

        def submit(run: list[np.ndarray], first: int) -> None:
            while len(pending) > workers:
                index, future = pending.popleft()
                found[index] = future.result()
            found.append([])
            pending.append((len(found) - 1, pool.submit(
                _align_run, np.concatenate(run), [len(p) for p in run], list(texts[first : first + len(run)]),
            )))

        for run in _grouped(enumerate(fast), lambda item: len(item[1]) * _ALIGN_TEMPO / RATE, _ALIGN_WINDOW_S):
            submit([piece for _, piece in run], run[0][0])
        for index, future in pending:
            found[index] = future.result()
    return [heard for heard_run in found for heard in heard_run]


# ---- the transcribing pass


def _hear_run(pieces: Sequence[np.ndarray]) -> list[str]:
    """One pass over sentences (at TEMPO) joined with short gaps; each word goes to the sentence it starts in.

    Its start, not its middle: the last word before a silence often ends late, inside it.
    """
    gap = np.zeros(int(_GAP_S * RATE), np.float32)
    bounds, start = [], 0
    for piece in pieces:
        bounds.append((start, start + len(piece)))
        start += len(piece) + len(gap)
    segments, _ = model().transcribe(
        np.concatenate([x for piece in pieces for x in (piece, gap)]), language="en", beam_size=1, word_timestamps=True,
        condition_on_previous_text=False, vad_filter=False,
    )
    said: list[list[str]] = [[] for _ in pieces]
    for word in (w for s in segments for w in s.words or ()):
        begins = word.start * RATE
        # the sentence whose span is nearest the word's start (inside it, distance 0)
        owner = min(range(len(bounds)), key=lambda i: max(bounds[i][0] - begins, begins - bounds[i][1], 0))
        said[owner].append(word.word.strip())
    return [" ".join(w) for w in said]


def _verdict(text: str, transcript: str) -> Heard:
    score = heard(text, transcript)
    return Heard(transcript, score, score >= HEARD)


def _transcribed(pieces: Iterable[np.ndarray], texts: Sequence[str]) -> list[Heard]:
    """The transcribing pass over sentences at TEMPO (in order): a run at a time, and a doubtful one again, alone.

    Runs are made as the sentences come (as `_runs` groups them), so only one is held.
    """
    found: list[Heard] = []

    def hear_run(run: list[np.ndarray]) -> None:
        for piece, transcript in zip(run, _hear_run(run)):
            first = _verdict(texts[len(found)], transcript)
            tries = [first]
            if not first.ok:  # a second, slower listen before calling a sentence doubtful
                for beam in (1, 5):
                    tries.append(_verdict(texts[len(found)], _said(piece, beam)))
                    if tries[-1].ok:
                        break
            found.append(max(tries, key=lambda h: h.score))

    for run in _grouped(pieces, lambda piece: len(piece) / RATE + _GAP_S, _WINDOW_S):
        hear_run(run)
    return found


def _verdicts(
    fast: Iterable[np.ndarray], texts: Sequence[str], slow: Callable[[list[int]], Iterable[np.ndarray]]
) -> list[Heard]:
    """Aligned, then the doubted sentences transcribed from `slow(indices)`: their audio at TEMPO, in order."""
    found = _align(fast, texts)
    doubted = [i for i, h in enumerate(found) if not h.ok]
    if doubted:
        for i, second in zip(doubted, _transcribed(slow(doubted), [texts[i] for i in doubted])):
            found[i] = second
    return found


def hear(takes: Sequence[np.ndarray], texts: Sequence[str]) -> list[Heard]:
    """What the recognizer hears of each take: aligned with its text, and a doubtful one transcribed.

    Args:
        takes: each sentence's audio: narrate's int16 samples at audio.RATE, as the engines and
            the cache give them.
        texts: the text each was made from, as sent to the engine.

    Returns:
        One Heard per sentence, in order: for a sentence heard, the script's words the aligner
        found; for one it doubts, what was transcribed.

    Raises:
        AudioError: ffmpeg cannot resample them.
        RecognizerError: the recognizer is not installed.
    """
    if not takes:
        return []
    return _verdicts(_converted(takes, _ALIGN_TEMPO), texts, lambda indices: _converted([takes[i] for i in indices], TEMPO))


def hear_file(path: Path, spans: Sequence[tuple[float, float]], texts: Sequence[str]) -> list[Heard]:
    """What the recognizer hears of each sentence of an audio file, as `hear` does.

    The file is decoded once, straight to the aligner's tempo; again, at TEMPO, only when a
    sentence must be transcribed.

    Args:
        path: an audio file ffmpeg reads.
        spans: each sentence's (start, end) in the file, in seconds.
        texts: the text each was made from, as sent to the engine.

    Raises:
        AudioError: ffmpeg cannot decode the file.
        RecognizerError: the recognizer is not installed.
    """
    fast = _slices(_decoded(path, _ALIGN_TEMPO), [(_at(a / _ALIGN_TEMPO), _at(b / _ALIGN_TEMPO)) for a, b in spans])

    def slow(indices: list[int]) -> Iterator[np.ndarray]:
        return _slices(_decoded(path, TEMPO), [(_at(spans[i][0] / TEMPO), _at(spans[i][1] / TEMPO)) for i in indices])

    return _verdicts(fast, texts, slow)
