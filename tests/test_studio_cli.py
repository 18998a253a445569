"""`narrate studio` as a user runs it: one line with the address and token, Ctrl-C stops it cleanly."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import assert_clear_error, run_cli
from studio_util import project

FAKES = Path(__file__).resolve().parent / "fakes.py"
pytestmark = pytest.mark.slow  # a subprocess


def test_the_command_prints_its_address_serves_it_and_stops_on_ctrl_c(tmp_path):
    pytest.importorskip("starlette", reason="pip install 'narrate[studio]'")
    root = project(tmp_path / "book")
    proc = subprocess.Popen([sys.executable, str(FAKES), "studio", "--no-browser"], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        m = re.fullmatch(r"narrate studio: http://127\.0\.0\.1:(\d+)/\?token=([\w-]{32,})  \(Ctrl-C stops\)\n", line)
        assert m, line
        with socket.create_connection(("127.0.0.1", int(m.group(1))), timeout=10) as conn:
            conn.sendall(f"GET /?token={m.group(2)} HTTP/1.1\r\nHost: 127.0.0.1:{m.group(1)}\r\n\r\n".encode())
            assert conn.recv(100).startswith(b"HTTP/1.1 303")
        assert (root / "script" / "book.json").is_file()  # the scripts the page edits were split
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert out == "narrate studio: stopped; every change is in the project's files\n" and "Traceback" not in err


def test_a_port_in_use_is_one_clear_line(tmp_path, monkeypatch, fake_engine):
    pytest.importorskip("starlette", reason="pip install 'narrate[studio]'")
    monkeypatch.chdir(project(tmp_path / "book"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        assert_clear_error(run_cli("studio", "--no-browser", "--port", str(port)), rf"cannot listen on 127.0.0.1:{port}: .*; choose another port with --port")
    assert not Path("script").exists()  # said before anything was written
