"""synthesize.render's memory: what it holds does not grow with the book, nor with a chapter's length."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

BUILD = """
import json, resource, sys
from pathlib import Path
sys.path[:0] = [{tests!r}, {bench!r}]
from bench import _fastvoice, long_essay
from narrate import build as pipeline
root = Path(sys.argv[1]); root.mkdir()
(root / "book.txt").write_text(long_essay(float(sys.argv[2]) / 100, sections=int(sys.argv[2])), encoding="utf-8")
_fastvoice()
report = pipeline.build(pipeline.open_project(root, root / "book.txt"), engine_name="fastvoice", formats=("mp3",))
print(json.dumps([report.chapters[-1].end_ms / 1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))
"""


def _peak(tmp_path: Path, sections: int) -> tuple[float, float]:
    """(audio seconds, peak RSS in MB) of a stand-in build of a book of `sections` 36-second sections, in a fresh process."""
    code = BUILD.format(tests=str(TESTS), bench=str(TESTS / "bench"))
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / f"book-{sections}"), str(sections)],
                          capture_output=True, text=True, check=True)
    return tuple(json.loads(proc.stdout.strip().splitlines()[-1]))


@pytest.mark.slow
def test_peak_memory_does_not_grow_with_the_book(tmp_path):
    short_s, short_mb = _peak(tmp_path, 4)
    long_s, long_mb = _peak(tmp_path, 30)
    assert long_s > 5 * short_s
    # Holding every sentence's PCM (44.1 kHz, 16-bit) would add about 88 kB a second of audio:
    # some 70 MB more for the long book. Allow a third of that for the allocator's noise.
    assert long_mb - short_mb < (long_s - short_s) * 88.2 / 1000 / 3, (short_s, short_mb, long_s, long_mb)


CHAPTER = """
import json, resource, sys
from pathlib import Path
sys.path[:0] = [{tests!r}, {bench!r}]
from bench import long_essay
from fakes import FakeEngine
from narrate import build as pipeline, engines
root = Path(sys.argv[1]); root.mkdir()
(root / "book.txt").write_text(long_essay(float(sys.argv[2]) / 60, sections=1), encoding="utf-8")
engines.ENGINES["fake"] = FakeEngine
report = pipeline.build(pipeline.open_project(root, root / "book.txt"), engine_name="fake", formats=("mp3", "vtt"))
print(json.dumps([report.chapters[-1].end_ms / 1000, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024]))
"""


def _chapter_peak(tmp_path: Path, minutes: float) -> tuple[float, float]:
    """(audio seconds, peak RSS in MB) of a stand-in build of one chapter of about `minutes`, in a fresh process."""
    code = CHAPTER.format(tests=str(TESTS), bench=str(TESTS / "bench"))
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / f"chapter-{minutes}"), str(minutes)],
                          capture_output=True, text=True, check=True)
    return tuple(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_peak_memory_does_not_grow_with_a_chapters_length(tmp_path):
    # The stand-in speaks faster than the generated text's pace: minutes of text are about a third as long in audio.
    short_s, short_mb = _chapter_peak(tmp_path, 12)
    long_s, long_mb = _chapter_peak(tmp_path, 80)
    assert long_s > 6 * short_s > 6 * 200, (short_s, long_s)
    # Holding the chapter once (44.1 kHz, 16-bit) would add 5.3 MB a minute: 100 MB here. The
    # margin is the allocator's noise between two runs.
    assert abs(long_mb - short_mb) < 12, (short_s, short_mb, long_s, long_mb)
