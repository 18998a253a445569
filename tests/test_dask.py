"""The dask executor on a real Dask scheduler and worker processes on 127.0.0.1, started and stopped here.

The workers find the fake engine as an installed plug-in: a .dist-info on their PYTHONPATH
whose entry point names tests/fakes.py.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytestmark = pytest.mark.slow  # a scheduler and worker processes: seconds each

from conftest import run_cli  # noqa: E402
from narrate import build as pipeline  # noqa: E402
from narrate.errors import ClusterError  # noqa: E402
from narrate.publish import catalog  # noqa: E402
from narrate.speech import dask_executor, executors

TESTS = Path(__file__).resolve().parent
DASK = Path(sys.executable).with_name("dask")


def _sentences(n: int, word: str) -> str:
    return " ".join(f"The {word} sentence number {i} is spoken here." for i in range(n))


ESSAYS = {
    "harbour.md": f"# The Harbour\n\n## Morning\n\n{_sentences(4, 'harbour')}\n\n## Evening\n\n{_sentences(3, 'tide')}\n",
    "orchard.txt": f"The Orchard\n\n1. Spring\n{_sentences(5, 'blossom')}\n\n2. Autumn\n{_sentences(4, 'apple')}\n",
    "library.md": f"# A Library\n\n{_sentences(6, 'shelf')}\n",
}


def _catalog(root: Path, essays: dict[str, str] = ESSAYS) -> Path:
    root.mkdir(parents=True)
    # the catalog's title (its folder's name) is in the feed
    for name, text in essays.items():
        (root / name).write_text(text, encoding="utf-8")
    catalog.init(root, base_url="https://example.org/pod/")
    return root


class Cluster:
    """A scheduler and worker processes, each `dask` CLI subprocesses."""

    def __init__(self, folder: Path, **settings: str):
        self.folder, self.file, self.workers = folder, folder / "scheduler.json", []
        plugin = folder / "plugin"
        dist = plugin / "narrate_fake_test-0.1.dist-info"
        dist.mkdir(parents=True)
        (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: narrate-fake-test\nVersion: 0.1\n")
        (dist / "entry_points.txt").write_text("[narrate.engines]\nfake = fakes:FakeEngine\n")
        self.env = {
            **os.environ, "PYTHONPATH": os.pathsep.join([str(plugin), str(TESTS)]), "NARRATE_FAKE_DELAY": "0.03",
            **settings,
        }
        self.scheduler = subprocess.Popen(
            [DASK, "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", self.file],
            env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._wait(lambda: self.file.is_file())
        self.address = json.loads(self.file.read_text())["address"]

    def add_worker(self, *options: str, env: dict[str, str] | None = None) -> subprocess.Popen:
        worker = subprocess.Popen(
            [DASK, "worker", "--scheduler-file", self.file, "--nworkers", "1", "--nthreads", "1",
             "--no-dashboard", "--host", "127.0.0.1", *(options or ("--no-nanny",))],
            env={**self.env, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self.workers.append(worker)
        return worker

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, set_as_default=False) as client:
            client.wait_for_workers(n, timeout=60)

    @staticmethod
    def _wait(ready, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            if time.monotonic() > deadline:
                raise TimeoutError("the Dask scheduler did not start")
            time.sleep(0.1)

    def stop(self) -> None:
        for process in [*self.workers, self.scheduler]:
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers, self.scheduler]:
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    made = Cluster(tmp_path_factory.mktemp("dask"))
    try:
        made.add_worker(), made.add_worker()
        made.wait_for_workers(2)
        yield made
    finally:
        made.stop()


def _speech(root: Path) -> dict[str, bytes]:
    """The catalog's sentence cache: key -> audio bytes."""
    return {p.name: p.read_bytes() for p in (root / ".narrate" / "cache" / "speech").rglob("*.wav")}


def _structure(report) -> list:
    return [(b.slug, [(c.title, round(c.end_ms - c.start_ms)) for c in b.report.chapters]) for b in report.books]


def test_a_catalog_built_on_two_workers_equals_a_local_build(tmp_path, fake_engine, cluster):
    local = catalog.build(_catalog(tmp_path / "local" / "essays"), engine_name="fake")
    spoken_here = len(fake_engine)
    with executors.create("dask", 1, cluster.address) as pool:
        remote = catalog.build(_catalog(tmp_path / "remote" / "essays"), engine_name="fake", executor=pool)
    assert len(fake_engine) == spoken_here  # the workers spoke every sentence, not this process
    assert sum(b.report.synthesized for b in remote.books) == sum(b.report.synthesized for b in local.books) > 20
    assert _speech(tmp_path / "remote" / "essays") == _speech(tmp_path / "local" / "essays")  # the same takes, under the same keys
    assert _structure(remote) == _structure(local) and len(remote.books) == 3
    feeds = [(tmp_path / f / "essays" / "feed.xml").read_text() for f in ("local", "remote")]
    assert feeds[0] == feeds[1]


def test_a_worker_killed_mid_build_does_not_lose_the_build(tmp_path, fake_engine, cluster):
    extra = cluster.add_worker()
    cluster.wait_for_workers(3)
    root = _catalog(tmp_path / "c", {"long.md": "# Long\n\n" + _sentences(60, "long")})
    spoken = []

    def kill_after_a_few(step) -> None:
        spoken.append(step)
        if len(spoken) == 8:
            extra.send_signal(signal.SIGKILL)

    project = catalog.book_project(catalog.load(root), "long.md")
    with executors.create("dask", 1, cluster.address) as pool:
        report = pipeline.build(project, engine_name="fake", executor=pool, progress=kill_after_a_few)
    assert extra.wait(timeout=10) == -signal.SIGKILL
    assert report.synthesized == len(_speech(root)) == 61  # the title and 60 sentences
    assert pipeline.status(project, "fake").to_synthesize == 0


def test_a_worker_with_another_narrate_stops_the_build_with_one_line(tmp_path, fake_engine, cluster, monkeypatch):
    monkeypatch.setattr(dask_executor, "__version__", "0.0.1")  # this client, as if older than its workers
    with executors.create("dask", 1, cluster.address) as pool:
        with pytest.raises(ClusterError, match=r"runs narrate 0\.1\.0 .*this client narrate 0\.0\.1 .*install the same versions"):
            catalog.build(_catalog(tmp_path / "c"), engine_name="fake", executor=pool)
    assert not _speech(tmp_path / "c")


def test_build_scheduler_option_on_the_command_line(tmp_path, fake_engine, cluster, monkeypatch):
    root = _catalog(tmp_path / "c", {"library.md": ESSAYS["library.md"]})
    monkeypatch.chdir(root)
    result = run_cli("-q", "catalog", "build", "--engine", "fake", "--scheduler", cluster.address)
    assert result.exit_code == 0, result.stderr
    assert len(_speech(root)) == 7 and not fake_engine  # the title and 6 sentences, spoken by the workers
    assert (root / "feed.xml").is_file()


def _killed_at(process: subprocess.Popen, after: int):
    """A progress callback that kills `process` once `after` sentences are spoken."""
    spoken = []

    def step(progress) -> None:
        spoken.append(progress)
        if len(spoken) == after:
            process.send_signal(signal.SIGKILL)

    return step


def test_the_scheduler_going_away_stops_the_build_with_one_line_and_keeps_what_was_spoken(tmp_path, fake_engine, monkeypatch):
    own = Cluster(tmp_path / "cluster")  # its own scheduler: this test kills it
    try:
        own.add_worker(), own.wait_for_workers(1)
        root = _catalog(tmp_path / "c", {"long.md": "# Long\n\n" + _sentences(60, "long")})
        monkeypatch.chdir(root)
        project = catalog.book_project(catalog.load(root), "long.md")
        with pytest.raises(ClusterError) as failure:
            with executors.create("dask", 1, own.address) as pool:
                pipeline.build(project, engine_name="fake", executor=pool, progress=_killed_at(own.scheduler, 10))
    finally:
        own.stop()
    assert "\n" not in str(failure.value) and "run the build again" in str(failure.value)
    kept = len(_speech(root))
    assert 9 <= kept < 61  # what finished before the scheduler went is kept (about the 10 spoken) ...
    again = pipeline.build(project, engine_name="fake")  # ... and the next run (here, on threads) does the rest
    assert again.synthesized == 61 - kept and len(_speech(root)) == 61


def test_a_sentence_that_runs_a_worker_out_of_memory_stops_the_build_with_one_line(tmp_path, fake_engine):
    # A worker under a nanny with a memory limit: the nanny restarts it when the engine passes the
    # limit, Dask reschedules the sentence, and after allowed-failures (1 here) gives up on it.
    own = Cluster(tmp_path / "cluster", DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="1", NARRATE_FAKE_HOG_MB="800")
    try:
        own.add_worker("--nanny", "--memory-limit", "400MB"), own.wait_for_workers(1)
        text = _sentences(6, "calm") + " This sentence is a MEMORY HOG for the engine."
        root = _catalog(tmp_path / "c", {"hog.md": "# Hog\n\n" + text})
        project = catalog.book_project(catalog.load(root), "hog.md")
        with pytest.raises(ClusterError, match=r"^Dask workers died running a sentence, again and again \(out of memory\? killed\?\)"):
            with executors.create("dask", 1, own.address) as pool:
                pipeline.build(project, engine_name="fake", executor=pool)
    finally:
        own.stop()
    kept = len(_speech(root))
    assert kept >= 1  # the sentences that finished are kept
    assert pipeline.status(project, "fake").to_synthesize == 8 - kept  # the title, 6 sentences and the hog
