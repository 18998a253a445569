"""hearing_pcm.py: a decoded file cut into sentences as it streams, as slicing the whole would, holding little."""

from __future__ import annotations

import numpy as np

from narrate.verify import hearing_pcm


def _pieces(x: np.ndarray, size: int, taken: list[int]):
    for i in range(0, x.size, size):
        taken.append(i)
        yield x[i : i + size]


def test_slices_of_a_stream_are_the_slices_of_the_whole():
    x = np.arange(100_000, dtype=np.float32)
    bounds = [(0, 10), (5, 3000), (2990, 2995), (40_000, 41_000), (40_500, 60_000), (99_990, 100_500), (100_600, 100_700)]
    taken: list[int] = []
    got = list(hearing_pcm._slices(_pieces(x, 4096, taken), bounds))
    assert [g.tolist() for g in got] == [x[a:b].tolist() for a, b in bounds]


def test_a_stream_is_read_only_as_far_as_the_next_sentence_needs():
    x = np.zeros(10 * 16000, dtype=np.float32)
    taken: list[int] = []
    slices = hearing_pcm._slices(_pieces(x, 16000, taken), [(0, 8000), (20000, 30000), (150000, 152000)])
    next(slices)
    assert taken == [0]  # the first second, no more
    next(slices)
    assert taken == [0, 16000]
    assert next(slices).size == 2000 and len(taken) == 10


def test_windows_are_made_as_the_sentences_come():
    second = hearing_pcm.RATE
    seen: list[int] = []

    def lengths():
        for n in (10, 9, 3, 40, 1):
            seen.append(n)
            yield n * second

    runs = hearing_pcm._grouped(lengths(), lambda n: n / second, 20)
    assert next(runs) == [10 * second, 9 * second] and seen == [10, 9, 3]  # closed by the one that did not fit
    assert list(runs) == [[3 * second], [40 * second], [1 * second]]
