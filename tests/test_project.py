"""project.py: opening a project folder, its book's name, one build at a time, leftovers, split."""

from __future__ import annotations

import json

import pytest

from narrate import origin
from narrate.errors import InputError, NarrateError, OutputError
from narrate.project import essay_sha, lock, open_project, read_essay, remove_leftovers, split

import smallbook


def test_a_folder_with_nothing_to_narrate_says_what_to_run(tmp_path):
    with pytest.raises(InputError, match=r"nothing to narrate in .*run `narrate build ESSAY`"):
        open_project(tmp_path)


def test_the_essay_comes_from_the_argument_then_narrate_toml_then_the_last_build(tmp_path):
    root = smallbook.make_project(tmp_path)
    assert open_project(root).essay == root / "essay.txt"
    (root / "other.txt").write_text("Other\n\nWords.\n", encoding="utf-8")
    assert open_project(root, root / "other.txt").essay == root / "other.txt"
    (root / "narrate.toml").unlink()
    with pytest.raises(InputError):
        open_project(root)
    split(open_project(root, root / "other.txt"))  # `narrate split other.txt` remembers it
    assert json.loads((root / "script" / origin.NAME).read_text())["essay"] == "other.txt"
    project = open_project(root)
    assert project.essay == root / "other.txt" and project.book_path == root / "audio" / "other.mp3"


def test_a_voice_argument_picks_its_own_engine_over_narrate_toml(tmp_path):
    root = smallbook.make_project(tmp_path)
    assert open_project(root).config.engine == "fake"
    project = open_project(root, voice="heart")
    assert (project.config.voice, project.config.engine) == ("heart", "auto")
    assert not {"voice.voice", "voice.engine"} & {o[0] for o in project.config.origins}  # errors do not blame narrate.toml


def test_a_second_build_in_the_folder_is_refused_until_the_first_ends(tmp_path):
    project = open_project(smallbook.make_project(tmp_path))
    with lock(project):
        with pytest.raises(NarrateError, match="another narrate build is running in this folder"):
            with lock(project):
                pass
    with lock(project):  # released with the block
        pass


def test_a_folder_narrate_cannot_write_in_is_a_clear_error(tmp_path):
    project = open_project(smallbook.make_project(tmp_path))
    (tmp_path / ".narrate").write_text("a file where the folder goes")
    with pytest.raises(OutputError, match=r"cannot write in .*; build in a writable folder"):
        with lock(project):
            pass


def test_leftovers_of_a_killed_build_are_removed_and_nothing_else(tmp_path):
    project = open_project(smallbook.make_project(tmp_path))
    parts = [tmp_path / ".narrate" / "cache" / "speech" / "ab" / ".x.wav.123.part", tmp_path / "audio" / ".book.mp3.9.part",
             tmp_path / "script" / ".01-a.txt.1.part"]
    kept = [tmp_path / "audio" / "book.mp3", tmp_path / "script" / "notes.part", tmp_path / "essay.txt"]
    for path in parts + kept[:2]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    remove_leftovers(project)
    assert [p for p in parts if p.exists()] == [] and all(p.exists() for p in kept)


def test_split_writes_the_scripts_and_needs_an_essay(tmp_path):
    from dataclasses import replace

    project = open_project(smallbook.make_project(tmp_path))
    written = split(project)
    assert sorted(written) == sorted(p.name for p in (tmp_path / "script").glob("*.txt"))
    assert len(written) == 4  # the opening and the essay's three sections
    with pytest.raises(InputError, match="no essay to split"):
        split(replace(project, essay=None))


def test_the_essays_fingerprint_follows_what_the_scripts_are_made_from(tmp_path):
    from dataclasses import replace

    project = open_project(smallbook.make_project(tmp_path))
    sha = essay_sha(project)
    assert essay_sha(open_project(tmp_path)) == sha
    for change in ({"title": "Another"}, {"author": "B. Other"}, {"language": "fr"}, {"read": ("code",)}):
        assert essay_sha(replace(project, config=replace(project.config, **change))) != sha, change
    assert essay_sha(replace(project, config=replace(project.config, language="en-GB"))) == sha  # English is English
    essay = tmp_path / "essay.txt"
    essay.write_text(essay.read_text(encoding="utf-8").replace("It is empty.", "It is bare."), encoding="utf-8")
    assert essay_sha(project) != sha
    assert "It is bare." in " ".join(read_essay(project).sections[-1].paragraphs)  # read again, not the version read before
