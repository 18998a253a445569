"""The process's memory: freed heap pages given back to the system after a burst of large, short-lived arrays."""

from __future__ import annotations

import ctypes
import functools

_M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)


@functools.lru_cache(maxsize=1)
def _mallopt():
    """glibc's mallopt, or None where the C library has none."""
    try:
        return ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):
        return None


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    """glibc's malloc_trim, or None where the C library has none (macOS, Windows, musl)."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None


def release() -> None:
    """Give the heap's free pages back to the system.

    glibc keeps what is freed for reuse, per thread: after a model is loaded (its parsing's
    garbage) and after each sentence's arrays on every worker, a process would otherwise keep
    a high-water mark that creeps up with the book. Elsewhere this does nothing.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def limit_arenas(count: int) -> None:
    """Let glibc make at most `count` heaps (arenas) for the threads made from now on.

    glibc gives each thread that contends for the heap an arena of its own (up to 8 per core),
    and each keeps its high-water mark apart: the recognizer's workers, whose windows all have
    their own sizes, grew verifying Mill by over 100 MB that way. Elsewhere this does nothing.
    """
    mallopt = _mallopt()
    if mallopt is not None:
        mallopt(_M_ARENA_MAX, count)
