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


def test_a_span_far_into_the_stream_holds_a_piece_not_all_before_it():
    """Verifying a book transcribes only its doubtful sentences: one 87 minutes in held the 87 minutes (223 MB)."""
    import tracemalloc

    piece = 16_000  # a second, 64 KB
    stream = (np.full(piece, i, dtype=np.float32) for i in range(600))  # ten minutes
    tracemalloc.start()
    try:
        got = list(hearing_pcm._slices(stream, [(500 * piece + 10, 500 * piece + 20), (599 * piece, 599 * piece + 5)]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [g.tolist() for g in got] == [[500.0] * 10, [599.0] * 5]
    assert peak < 4 * piece * 4  # a few pieces, not the 500 seconds (32 MB) before the first span


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
