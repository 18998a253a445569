"""The README's promises that a test can hold it to."""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _quick_start() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("## Quick start", 1)[1].split("```", 2)[1]
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_lines_and_ci_runs_the_second_verbatim():
    lines = _quick_start()
    assert len(lines) == 2
    assert "narrate build" in lines[0] and "pytest" in lines[1]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert lines[1] in ci


def test_the_quick_start_build_leaves_the_clones_tracked_files_as_they_are():
    """The example's committed script/book.json records the essay's hash as this narrate computes it, so a
    fresh clone's first build splits nothing again and rewrites no tracked file (it said "wrote 0 script(s)",
    and `git status` showed script/book.json changed). Regenerate it (`narrate split`) when that hash changes."""
    from narrate.project import essay_scripts, essay_sha, open_project
    from narrate.script import essay_changed, load_scripts

    project = open_project(REPO)
    assert not essay_changed(project.script_dir, essay_sha(project))
    assert load_scripts(project.script_dir) == essay_scripts(project)
