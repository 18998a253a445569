"""lazy.Lazy: one load however many threads ask at once; a failed load is tried again."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from narrate.lazy import Lazy


def test_threads_asking_at_once_share_one_load():
    loads, started, release = [], threading.Event(), threading.Event()

    def load():
        loads.append(1)
        started.set()
        release.wait(5)  # hold the load open until every thread has asked
        return object()

    lazy = Lazy(load)
    with ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(lazy.get) for _ in range(8)]
        assert started.wait(5)
        assert not lazy.loaded
        release.set()
        values = [f.result(5) for f in futures]
    assert len(loads) == 1 and lazy.loaded
    assert all(v is values[0] for v in values)
    assert lazy.get() is values[0]


def test_a_failed_load_is_tried_again():
    outcomes = [RuntimeError("no model"), "model"]

    def load():
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    lazy = Lazy(load)
    with pytest.raises(RuntimeError, match="no model"):
        lazy.get()
    assert not lazy.loaded
    assert lazy.get() == "model" and lazy.get() == "model" and outcomes == []
