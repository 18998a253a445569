"""The four registries narrate is extended through: inputs, engines, outputs, executors.

Each is filled from entry points (groups `narrate.inputs`, `narrate.engines`,
`narrate.outputs`, `narrate.executors`). narrate's own built-ins are declared in its
pyproject.toml exactly as a third-party package declares its plug-ins, so a package that
a user `pip install`s is picked up with no change to narrate. Entries are loaded only
when used: a broken plug-in stops only what asks for it, with one line naming its package.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from narrate.errors import PluginError

log = logging.getLogger(__name__)

GROUPS = ("inputs", "engines", "outputs", "executors")


@dataclass(frozen=True)
class Entry:
    """One registered plug-in: its name, what it points at, and the package that declared it."""

    group: str
    name: str
    target: str  # "module:attribute", or the object's repr when registered in process
    package: str  # the distribution that declared it, "(in process)" for one added at run time


class Registry(MutableMapping[str, Any]):
    """Name -> plug-in object for one group: entry points, loaded on first use.

    Items set in process (a test's fake engine) shadow entry points of the same name.
    """

    def __init__(self, group: str):
        self.group = group
        self._points: dict[str, metadata.EntryPoint] | None = None
        self._loaded: dict[str, Any] = {}
        self._local: dict[str, Any] = {}

    def _entry_points(self) -> dict[str, metadata.EntryPoint]:
        if self._points is None:
            found = metadata.entry_points(group=f"narrate.{self.group}")
            # Two packages declaring one name: the first wins, as pip lists them (it is logged).
            self._points = {}
            for point in found:
                if point.name in self._points:
                    log.warning("two plug-ins named %r in narrate.%s; using %s", point.name, self.group,
                                _package(self._points[point.name]))
                    continue
                self._points[point.name] = point
        return self._points

    def __getitem__(self, name: str) -> Any:
        if name in self._local:
            return self._local[name]
        if name not in self._loaded:
            point = self._entry_points()[name]  # KeyError: unknown, for the caller to word
            try:
                self._loaded[name] = point.load()
            except Exception as exc:  # any import-time failure of a third party's code
                raise PluginError(
                    f"the {self.group[:-1]} plug-in '{name}' from package {_package(point)} cannot be loaded "
                    f"({type(exc).__name__}: {exc}); reinstall or uninstall that package"
                ) from exc
        return self._loaded[name]

    def __setitem__(self, name: str, value: Any) -> None:
        if self._loaded.get(name) is value:  # putting an entry point's own object back (a test's undo)
            self._local.pop(name, None)
        else:
            self._local[name] = value

    def __delitem__(self, name: str) -> None:
        del self._local[name]

    def __iter__(self) -> Iterator[str]:
        yield from self._entry_points()
        yield from (n for n in self._local if n not in self._entry_points())

    def __len__(self) -> int:
        return len(set(self._local) | set(self._entry_points()))

    def __contains__(self, name: object) -> bool:
        return name in self._local or name in self._entry_points()

    def entries(self) -> list[Entry]:
        """What is registered, without loading any of it."""
        found = [Entry(self.group, n, repr(v), "(in process)") for n, v in self._local.items()]
        found += [
            Entry(self.group, n, p.value, _package(p)) for n, p in self._entry_points().items() if n not in self._local
        ]
        return found


def _package(point: metadata.EntryPoint) -> str:
    dist = getattr(point, "dist", None)
    return f"{dist.name} {dist.version}" if dist is not None else "(unknown package)"


_REGISTRIES = {group: Registry(group) for group in GROUPS}


def registry(group: str) -> Registry:
    """The registry of `group` (one of GROUPS)."""
    return _REGISTRIES[group]


def refresh() -> None:
    """Look the entry points up again (after a package was installed into this process's environment)."""
    for reg in _REGISTRIES.values():
        reg._points = None
        reg._loaded.clear()


def listing() -> list[Entry]:
    """Every registered plug-in of every group, for `narrate plugins`."""
    return [entry for group in GROUPS for entry in _REGISTRIES[group].entries()]
