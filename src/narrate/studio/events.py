"""What the server tells the page as it happens (server-sent events): build progress, files changed on disk."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
from pathlib import Path
from typing import AsyncIterator, Callable, Iterator

_KEEPALIVE_S = 15.0


class Events:
    """One queue per open page; `publish` may be called from any thread."""

    def __init__(self) -> None:
        self._queues: dict[asyncio.Queue, asyncio.AbstractEventLoop] = {}
        self._lock = threading.Lock()
        self.closed = False

    def publish(self, name: str, data: object) -> None:
        """Send one event to every open page."""
        with self._lock:
            queues = list(self._queues.items())
        for queue, loop in queues:
            loop.call_soon_threadsafe(queue.put_nowait, (name, data))

    def close(self) -> None:
        """End every stream (the server is stopping: open streams must not hold it)."""
        self.closed = True
        with self._lock:
            queues = list(self._queues.items())
        for queue, loop in queues:
            loop.call_soon_threadsafe(queue.put_nowait, None)

    async def stream(self) -> AsyncIterator[str]:
        """This page's events, as text/event-stream, until the page goes or the server stops."""
        queue: asyncio.Queue = asyncio.Queue()
        with self._lock:
            self._queues[queue] = asyncio.get_running_loop()
        try:
            yield "retry: 1000\n\n"
            while not self.closed:
                try:
                    item = await asyncio.wait_for(queue.get(), _KEEPALIVE_S)
                except asyncio.TimeoutError:
                    yield ": keep-alive\n\n"
                    continue
                if item is None:
                    break
                yield f"event: {item[0]}\ndata: {json.dumps(item[1], ensure_ascii=False)}\n\n"
        finally:
            with self._lock:
                self._queues.pop(queue, None)


def fingerprint(paths: Callable[[], list[Path]]) -> tuple:
    """(path, mtime, size) of each path: what tells that a file was saved."""
    stamp = []
    for path in paths():
        try:
            st = path.stat()
            stamp.append((str(path), st.st_mtime_ns, st.st_size))
        except OSError:
            stamp.append((str(path), None, None))
    return tuple(stamp)


class Watcher(threading.Thread):
    """Calls `on_change` with the files whose stamp changed, checking every `interval` seconds.

    The studio's own writes are made inside `quiet()`: they are the page's doing, not news to it.
    """

    def __init__(self, paths: Callable[[], list[Path]], on_change: Callable[[list[str]], None], interval: float = 0.5):
        super().__init__(name="studio-watch", daemon=True)
        self.paths, self.on_change, self.interval = paths, on_change, interval
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._last = self._stamps()

    def _stamps(self) -> dict:
        return {p: (m, s) for p, m, s in fingerprint(self.paths)}

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """Changes made inside the block are not reported."""
        with self._lock:
            try:
                yield
            finally:
                self._last = self._stamps()

    def run(self) -> None:
        while not self._stop.wait(self.interval):
            with self._lock:
                now = self._stamps()
                changed = sorted(p for p in set(now) | set(self._last) if now.get(p) != self._last.get(p))
                self._last = now
            if changed:
                self.on_change(changed)

    def stop(self) -> None:
        self._stop.set()
