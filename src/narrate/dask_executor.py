"""The `dask` executor: sentences spoken on a Dask distributed cluster.

With an address (`--scheduler tcp://HOST:PORT`) it joins an existing cluster; without one it
starts a LocalCluster of worker processes here and stops it on shutdown. Tasks are
submitted pure, so their key is a hash of the engine spec and the text (content-addressed:
a task that runs twice gives the same take). The build stores every take itself, so the
workers need no shared disk. Before a spec's first sentence, every worker reports its
narrate version and the engine's identity; a mismatch stops the build with one line.

Dask reschedules the tasks of a worker that dies (killed, or out of memory and restarted
by its nanny) up to `distributed.scheduler.allowed-failures` times; past that, or when the
scheduler goes away, the sentence's future fails with a ClusterError naming the cause.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import os
import threading

from narrate import __version__, engines
from narrate.config import env_count
from narrate.engines import EngineSpec
from narrate.errors import ClusterError, NarrateError

log = logging.getLogger(__name__)

_EXTRA = "pip install 'narrate[dask]'"


def _identity(spec: EngineSpec) -> tuple[str, dict]:
    """On a worker: narrate's version and the engine's identity for `spec`."""
    return __version__, engines.instance(spec).identity()


class DaskExecutor(cf.Executor):
    """A concurrent.futures executor over a Dask client; failures arrive as ClusterError."""

    def __init__(self, client, cluster=None):
        self._client, self._cluster = client, cluster
        self._executor = client.get_executor(pure=True)
        self._checked: set[EngineSpec] = set()
        self._lock = threading.Lock()

    def _check(self, spec: EngineSpec) -> None:
        """Every worker runs this narrate and speaks `spec` as this process would."""
        with self._lock:
            if spec in self._checked:
                return
            mine = (__version__, engines.instance(spec).identity())
            try:
                theirs = self._client.run(_identity, spec)
            except Exception as exc:  # an import or engine error on a worker
                raise ClusterError(f"a Dask worker cannot make the {spec.name} engine ({exc}); install narrate and the engine there") from None
            for worker, (version, identity) in sorted(theirs.items()):
                if (version, identity) != (mine[0], mine[1]):
                    raise ClusterError(
                        f"Dask worker {worker} runs narrate {version} with engine {identity}, this client "
                        f"narrate {mine[0]} with {mine[1]}; install the same versions on every worker"
                    )
            self._checked.add(spec)

    def submit(self, fn, /, *args, **kwargs) -> cf.Future:
        """Run `fn(*args)` on the cluster; its future fails with ClusterError if the cluster loses it."""
        if args and isinstance(args[0], EngineSpec):
            self._check(args[0])
        inner = self._executor.submit(fn, *args, **kwargs)
        outer: cf.Future = cf.Future()

        def relay(done: cf.Future) -> None:
            try:
                if done.cancelled():
                    outer.set_exception(ClusterError(
                        "the Dask scheduler dropped a sentence (it went away or restarted); "
                        "finished sentences are kept: run the build again"
                    ))
                elif isinstance(done.exception(), NarrateError):
                    outer.set_exception(done.exception())
                elif done.exception() is not None:
                    outer.set_exception(ClusterError(_explain(done.exception())))
                else:
                    outer.set_result(done.result())
            except cf.InvalidStateError:  # the build cancelled it meanwhile
                pass

        inner.add_done_callback(relay)
        outer.add_done_callback(lambda f: inner.cancel() if f.cancelled() else None)
        return outer

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Close the client, and the cluster when this executor started it."""
        self._executor.shutdown(wait=wait and not cancel_futures)
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def _explain(exc: BaseException) -> str:
    """One line for a task's failure on the cluster."""
    from distributed.scheduler import KilledWorker

    if isinstance(exc, KilledWorker):
        return (
            "Dask workers died running a sentence, again and again (out of memory? killed?); "
            "finished sentences are kept: fix the workers and run the build again"
        )
    return f"a sentence failed on the Dask cluster: {type(exc).__name__}: {exc}; finished sentences are kept, run again"


def dask(workers: int, address: str | None = None) -> DaskExecutor:
    """The `narrate.executors` plug-in: join the cluster at `address`, or start a LocalCluster.

    Args:
        workers: threads per worker process for a LocalCluster (an engine's own limit).
        address: the scheduler (tcp://HOST:PORT); None starts worker processes here,
            as many as this machine has cores (NARRATE_DASK_WORKERS overrides).

    Raises:
        ClusterError: Dask is not installed, or the scheduler cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError(f"the dask executor needs Dask distributed: {_EXTRA}") from None
    if address:
        try:
            client = Client(address, timeout="10s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {address} ({exc}); start it, or check the address") from None
        log.info("synthesizing on the Dask cluster at %s (%d workers)", address, len(client.scheduler_info()["workers"]))
        return DaskExecutor(client)
    count = env_count("NARRATE_DASK_WORKERS", os.cpu_count() or 1)
    cluster = LocalCluster(
        n_workers=count, threads_per_worker=max(1, workers), processes=True, host="127.0.0.1", dashboard_address=None,
    )
    log.info("synthesizing on a local Dask cluster of %d worker process(es)", count)
    return DaskExecutor(Client(cluster, set_as_default=False), cluster)
