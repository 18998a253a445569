"""executors.py: synthesis runs on the executor a caller passes in, even in other processes."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import pytest

import smallbook
from narrate.errors import ConfigError
from narrate.speech import executors


class CountingThreads(ThreadPoolExecutor):
    submitted = 0

    def submit(self, fn, /, *args, **kwargs):
        CountingThreads.submitted += 1
        return super().submit(fn, *args, **kwargs)


def test_a_build_uses_the_executor_passed_in_and_leaves_it_open(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path)
    with CountingThreads(max_workers=2) as pool:
        report = smallbook.build(root, executor=pool)
        assert CountingThreads.submitted == report.synthesized == len(fake_engine) > 0
        assert pool.submit(int, "7").result() == 7  # still usable: the caller owns it


def test_sentences_spoken_in_other_processes_make_the_same_book(tmp_path, fake_engine):
    """The task is a function of plain values: worker processes build their own engine, the build stores the takes."""
    local = smallbook.build(smallbook.make_project(tmp_path / "local"))
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("fork")) as pool:
        remote = smallbook.build(smallbook.make_project(tmp_path / "remote"), executor=pool)
    assert remote.synthesized == local.synthesized
    assert len(fake_engine) == local.synthesized  # the parent spoke only its own build's sentences
    assert remote.book.read_bytes()[-200_000:] == local.book.read_bytes()[-200_000:]
    assert remote.chapters == local.chapters


def test_unknown_executor_is_a_clear_error():
    with pytest.raises(ConfigError, match=r"unknown executor 'nope'; choose one of: .*threads"):
        executors.create("nope", 1)
