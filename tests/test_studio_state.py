"""studio/state.py: the page's build and review run one at a time, and the studio is idle when the page hears one end."""

from __future__ import annotations

import threading

import pytest

from narrate.errors import InputError
from narrate.studio.state import Studio
from studio_util import project


def _recording(studio: Studio) -> tuple[list, threading.Event]:
    """Every event published, with whether the studio said it was busy as it went out; set once a build or review ends."""
    seen: list = []
    ended = threading.Event()

    def publish(name, data):
        seen.append((name, data.get("state"), studio.busy, studio.building))
        if name in ("build", "review") and data.get("state") != "started":
            ended.set()

    studio.events.publish = publish
    return seen, ended


def test_the_studio_is_idle_when_the_page_hears_the_build_end(tmp_path, fake_engine):
    # The page reloads the book when it hears "done", and the book says whether a build runs:
    # still "building" then, it turned the Review button off again for good.
    studio = Studio(project(tmp_path / "book"))
    seen, ended = _recording(studio)
    studio.start_build()
    with pytest.raises(InputError, match="a build or a review is running"):
        studio.start_review()
    assert ended.wait(60)
    ends = [s for s in seen if s[0] == "build"]
    assert ends[0] == ("build", "started", True, True)
    assert ends[-1] == ("build", "done", False, False)
    assert fake_engine  # it spoke


def test_a_failed_build_leaves_the_studio_idle_too(tmp_path, fake_engine):
    studio = Studio(project(tmp_path / "book"))
    (tmp_path / "book" / "narrate.toml").write_text("[voice\n", encoding="utf-8")  # unreadable: the build fails
    seen, ended = _recording(studio)
    studio.start_build()
    assert ended.wait(60)
    assert seen[-1][:3] == ("build", "failed", False)
    # Cleared before the start: the second build fails at once and may end before start_build returns.
    ended.clear()
    studio.start_build()  # and another can start
    assert ended.wait(60)
    assert seen[-1][:3] == ("build", "failed", False)
