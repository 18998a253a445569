"""The recognizer: words compared as the script and a transcript spell them; real Whisper on the real default voice."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import numpy as np
import pytest

from narrate.audio import pcm
from narrate.verify import hearing


def test_words_spell_numbers_and_drop_punctuation_and_phoneme_markup():
    assert hearing.words('"La La Land" isn\'t 2 hours, it\'s 1,234 [Mia](/mˈiə/).') == [
        "la", "la", "land", "isn't", "two", "hours", "it's", "one", "thousand", "two", "hundred", "and", "thirty", "four",
        "mia",
    ]


@pytest.mark.parametrize(
    ("transcript", "heard"),
    [
        ("It's better.", True),  # tiny.en's slip on the example: a letter
        ("", False),  # silence
        ("Emma Stone's Mia", False),  # cut short
        ("And aching.", False),  # another sentence
    ],
)
def test_likeness_separates_slips_from_missing_or_other_speech(transcript, heard):
    expected = "It's bitter." if transcript == "It's better." else "Emma Stone's Mia is more than an aspiring actress."
    assert (hearing.heard(expected, transcript) >= hearing.HEARD) is heard


def test_runs_fill_the_window_and_keep_the_order():
    second = hearing.RATE
    assert hearing._runs([10 * second, 10 * second, 10 * second, 3 * second], 20) == [[0, 1], [2, 3]]
    assert hearing._runs([10 * second, 9 * second, 3 * second], 20, gap_s=0.6) == [[0], [1, 2]]  # gaps count
    assert hearing._runs([40 * second, 1 * second], 20) == [[0], [1]]  # a long sentence has a run of its own


def test_takes_are_converted_in_one_run_and_cut_where_each_went():
    second = pcm.RATE
    tone = (8000 * np.sin(np.arange(second) / 7)).astype(np.int16)
    takes = [tone, tone[:0], tone[: second // 4], tone]  # 1 s, an empty take, 0.25 s, 1 s
    for tempo in (1.0, 2.0):
        lengths = [len(p) for p in hearing._converted(takes, tempo)]
        expected = [hearing.RATE / tempo, 0, hearing.RATE / 4 / tempo, hearing.RATE / tempo]
        assert all(abs(n - e) <= 1 for n, e in zip(lengths, expected)), (tempo, lengths)
    assert len(hearing.to_16k(tone)) == hearing.RATE


@pytest.mark.slow
def test_whisper_gives_each_sentence_its_own_words_and_hears_silence_and_halves_as_such():
    from narrate import engines
    from narrate.engines.base import EngineSettings

    texts = ["Emma Stone's Mia is more than an aspiring actress.", "The door opens onto a hall.", "Light comes through the window."]
    voice = engines.create("hibari", EngineSettings())
    takes = [pcm.samples(pcm.conform(voice.synthesize(t))) for t in texts]
    silent, half = np.zeros(pcm.RATE * 2, np.int16), takes[2][: len(takes[2]) // 2]
    got = hearing.hear([takes[0], silent, takes[1], half, takes[2]], [texts[0], "Nobody answers.", texts[1], texts[2], texts[2]])
    assert [h.ok for h in got] == [True, False, True, False, True], got
    assert got[1].transcript == "" or got[1].score < 0.3


ALIGN_WINDOWS = """
import os
from pathlib import Path

import numpy as np
from narrate.verify import hearing
def rss():
    return int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0]) // 1024
hearing.model()
rng = np.random.default_rng(1)
seen = []
for i in range(60):
    n = int(rng.integers(16000 * 2, 16000 * 8))
    x = (rng.standard_normal(n) * 0.05).astype(np.float32)
    hearing._align_run(x, [n // 2, n - n // 2], ["The city of stars shines on.", "And the evening fades into night."])
    if i in (19, 59):
        seen.append(rss())
print(seen[1] - seen[0])
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the process's memory from /proc")
def test_the_recognizer_does_not_keep_something_for_every_window_it_has_aligned():
    # Each window of a book has its own length; oneDNN kept a compiled kernel for each (verifying
    # Mill's 4 h 41 min: 836 MB). 40 windows more cost a few MB, not 38 as they did.
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "ONEDNN_PRIMITIVE_CACHE_CAPACITY"}
    grown = int(subprocess.run([sys.executable, "-c", ALIGN_WINDOWS], capture_output=True, text=True, check=True, env=env).stdout)
    assert grown < 15, grown


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's arenas")
def test_the_recognizers_workers_share_one_heap():
    """Verifying Mill's 92-minute chapter peaked at 420 MB with an arena per worker thread, 334 MB with one."""
    from test_heap import arenas_after

    assert arenas_after("from narrate.verify import hearing; hearing.model()") == 1
