"""watch.py: what --watch looks at, and that it builds once per save, going on after a failed build."""

from __future__ import annotations

from narrate import build, origin  # noqa: F401 - build first: it imports watch at its end (the cycle of #27)
from narrate.errors import InputError, NarrateError
from narrate.watch import _fingerprint, watch

import smallbook


def _touch(path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_the_fingerprint_follows_scripts_narrate_toml_and_the_essay_not_the_builds_own_record(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path)
    smallbook.build(root)
    first = _fingerprint(root, None)
    origin.update(root, book="renamed")  # written by builds: not an edit
    assert _fingerprint(root, None) == first
    for path, old, new in ((root / "script" / "01-the-first-room.txt", "hall", "hallway"),
                           (root / "narrate.toml", "A. Writer", "A. Writer Jr"), (root / "essay.txt", "empty", "bare")):
        before = _fingerprint(root, None)
        _touch(path, old, new)
        assert _fingerprint(root, None) != before, path
    (root / "other.txt").write_text("Other\n\nWords.\n", encoding="utf-8")
    _touch(root / "narrate.toml", "essay.txt", "other.txt")  # the essay narrate.toml names, read afresh
    assert str(root / "other.txt") in {p for p, *_ in _fingerprint(root, None)}
    (root / "narrate.toml").write_text("[book\n", encoding="utf-8")  # broken: the build reports it, watching goes on
    assert str(root / "other.txt") not in {p for p, *_ in _fingerprint(root, None)}


def test_watch_builds_once_and_again_only_for_a_save(tmp_path, fake_engine):
    """Its own script writes (the first build splits the essay) are not a save; one save is one build."""
    root = smallbook.make_project(tmp_path)
    reports, polls = [], []

    def stop() -> bool:
        polls.append(len(reports))
        if len(polls) == 4:  # three polls after the first build saw nothing to do: now save a script
            _touch(root / "script" / "03-the-last-room.txt", "It is empty.", "It is quite empty.")
        return len(polls) > 8

    watch(root, None, reports.append, engine_name="fake", interval=0, should_stop=stop)
    assert [r.synthesized for r in reports] == [len(fake_engine) - 1, 1] and fake_engine[-1] == "It is quite empty."
    assert reports[0].scripts_written and polls == [0, 1, 1, 1, 2, 2, 2, 2, 2]


def test_a_failed_build_is_reported_and_watching_goes_on(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path)
    smallbook.build(root)
    script = root / "script" / "02-the-second-room.txt"
    text = script.read_text(encoding="utf-8")
    script.write_text("\n", encoding="utf-8")  # an empty script: the build fails
    reports: list = []

    def stop() -> bool:
        if len(reports) == 1 and not script.read_text(encoding="utf-8").strip():
            script.write_text(text.replace("Nobody answers.", "Nobody answers now."), encoding="utf-8")
        return len(reports) == 2

    watch(root, None, reports.append, engine_name="fake", interval=0, should_stop=stop)
    assert isinstance(reports[0], InputError) and "02-the-second-room.txt is empty" in str(reports[0])
    assert not isinstance(reports[1], NarrateError) and reports[1].synthesized == 1
