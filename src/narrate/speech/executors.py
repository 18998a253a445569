"""Where synthesis runs: an executor from the `narrate.executors` registry.

An executor plug-in is a factory `(workers, address) -> concurrent.futures.Executor`:
`workers` is how many sentences the engine may speak at once in one process, `address`
where a cluster's scheduler listens (None for a local executor). The build submits
`synthesize.speak_pcm(spec, text)` to it, a function of plain values, and stores what comes back.
"""

from __future__ import annotations

from concurrent.futures import Executor, ThreadPoolExecutor

from narrate import plugins
from narrate.errors import ConfigError, PluginError

DEFAULT = "threads"


def threads(workers: int, address: str | None = None) -> Executor:
    """Local threads sharing this process's engine (the default)."""
    if address:
        raise ConfigError("the threads executor runs here: it takes no scheduler address; use --executor dask")
    return ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="speak")


def create(name: str, workers: int, address: str | None = None) -> Executor:
    """The executor registered as `name`.

    Raises:
        ConfigError: no executor has that name, or it cannot take these options.
        PluginError: its plug-in cannot be loaded or did not make an executor.
        NarrateError: the executor could not start (its own message says why).
    """
    registry = plugins.registry("executors")
    try:
        factory = registry[name]
    except KeyError:
        raise ConfigError(f"unknown executor '{name}'; choose one of: {', '.join(registry)}") from None
    made = factory(workers, address)
    if not callable(getattr(made, "submit", None)):
        raise PluginError(f"the executor plug-in '{name}' made a {type(made).__name__}, which has no submit(); update its package")
    return made
