"""A value loaded on first use, once, however many threads ask for it at the same time (models: large, slow to load)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Lazy(Generic[T]):
    """`load()`'s value, made on the first `get()` under a lock; a load that raised is tried again on the next `get()`."""

    def __init__(self, load: Callable[[], T]) -> None:
        self._load = load
        self._lock = threading.Lock()
        self._value: T | None = None
        self._done = False

    @property
    def loaded(self) -> bool:
        """True once the value is made."""
        return self._done

    def get(self) -> T:
        """The value, loading it first if no call has yet (the others wait for that load)."""
        if not self._done:  # the value is set before the flag: a reader who sees the flag sees the value
            with self._lock:
                if not self._done:
                    self._value = self._load()
                    self._done = True
        return self._value  # type: ignore[return-value]
