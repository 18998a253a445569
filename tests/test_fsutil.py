"""Atomic writes: whole files or none, with the permissions a plain write would give."""

from __future__ import annotations

import errno
import os
import stat

import pytest

from narrate import fsutil
from narrate.errors import OutputError


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_mode_a_plain_write_gives_not_a_private_one(tmp_path):
    (tmp_path / "plain.txt").write_text("Hello.\n")  # open(): 0666 less the umask (0644 here; mkstemp gives 0600)

    fsutil.write_text(tmp_path / "script.txt", "Hello.\n")

    assert _mode(tmp_path / "script.txt") == _mode(tmp_path / "plain.txt")


def test_a_rewrite_keeps_the_files_own_mode(tmp_path):
    path = tmp_path / "01-start.txt"
    path.write_text("old\n")
    path.chmod(0o640)

    fsutil.write_text(path, "new\n")

    assert path.read_text() == "new\n" and _mode(path) == 0o640


@pytest.mark.parametrize(
    "error, message",
    [(errno.ENOSPC, "the disk is full"), (errno.EACCES, "permission denied"), (errno.EIO, "Input/output error")],
)
def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch, error, message):
    path = tmp_path / "book.mp3"
    path.write_bytes(b"the last good book")

    def fsync(fd):
        raise OSError(error, os.strerror(error))

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OutputError, match=f"cannot write {path}: {message}"):
        fsutil.write_bytes(path, b"half a new book")

    assert path.read_bytes() == b"the last good book"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.mp3"]


def test_a_file_where_a_folder_should_be_is_named(tmp_path):
    (tmp_path / "audio").write_text("notes\n")

    with pytest.raises(OutputError, match=rf"{tmp_path}/audio is a file where a folder should be; move or rename it"):
        fsutil.write_bytes(tmp_path / "audio" / "sections" / "01-start.mp3", b"x")

    assert (tmp_path / "audio").read_text() == "notes\n"


def test_keep_existing_leaves_the_first_file_and_no_temporary_behind(tmp_path):
    path = tmp_path / "entry.wav"
    with fsutil.atomic_path(path, keep_existing=True) as tmp:
        tmp.write_bytes(b"first")
    with fsutil.atomic_path(path, keep_existing=True) as tmp:
        tmp.write_bytes(b"second, longer")
    assert path.read_bytes() == b"first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry.wav"]


def test_write_if_changed_writes_new_and_different_content_and_leaves_the_same_alone(tmp_path):
    path = tmp_path / "sub" / "page.html"
    assert fsutil.write_if_changed(path, "héllo\n") is True
    assert path.read_bytes() == "héllo\n".encode("utf-8")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert fsutil.write_if_changed(path, "héllo\n") is False
    assert fsutil.write_if_changed(path, "héllo\n".encode("utf-8")) is False
    assert path.stat().st_mtime_ns == 1_000_000_000  # untouched: a watcher sees no change
    assert fsutil.write_if_changed(path, "héllo\r\n") is True  # bytes compared, not text read with newline translation
    assert path.read_bytes() == b"h\xc3\xa9llo\r\n"
    assert [p.name for p in path.parent.iterdir()] == ["page.html"]  # no temporary left behind
