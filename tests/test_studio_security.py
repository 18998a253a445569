"""The studio's guard, each rule tried against a real server on 127.0.0.1: token, Host, Origin, paths, bodies."""

from __future__ import annotations

import json
import sys

import pytest

from conftest import assert_clear_error, run_cli
from studio_util import project, request, server


@pytest.fixture
def running(tmp_path, fake_engine):
    root = project(tmp_path / "book")
    (tmp_path / "secret.txt").write_text("outside the project", encoding="utf-8")
    with server(root) as studio:
        yield studio


def _error(payload: bytes) -> str:
    return json.loads(payload)["error"]


def test_no_token_or_a_wrong_one_is_refused_and_the_printed_one_becomes_a_strict_cookie(running):
    status, _, body = request(running, "GET", "/api/book", cookie=False)
    assert status == 401 and _error(body) == "no token: open the address `narrate studio` printed, with its token"
    for path, cookie in (("/?token=wrong", None), ("/api/book", "narrate_studio=wrong"), (f"/?token={running.token[:-1]}", None)):
        status, _, body = request(running, "GET", path, cookie=False, headers={"Cookie": cookie})
        assert status == 401 and _error(body).startswith("a wrong token"), path
    status, headers, _ = request(running, "GET", f"/?token={running.token}", cookie=False)
    assert status == 303 and headers["location"] == "/"  # the token leaves the address bar
    assert headers["set-cookie"] == f"narrate_studio={running.token}; HttpOnly; SameSite=Strict; Path=/"
    status, _, body = request(running, "GET", "/api/book")
    assert status == 200 and json.loads(body)["title"] == 'Small Things & Quiet "Rooms"'


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{0}", "127.0.0.1.nip.io", "192.168.1.5", ""])
def test_a_foreign_host_is_refused_even_with_the_token(running, host):
    status, _, body = request(running, "GET", "/api/book", headers={"Host": host.replace(":0", f":{running.port}")})
    assert status == 421 and "answers only at 127.0.0.1 or localhost" in _error(body)
    for name in ("localhost", "[::1]", "127.0.0.1"):  # the loopback names pass
        assert request(running, "GET", "/api/book", headers={"Host": f"{name}:{running.port}"})[0] == 200


@pytest.mark.parametrize("origin", ["http://evil.example", "null", None, "http://localhost:1"])
def test_a_change_from_another_origin_is_refused_and_writes_nothing(running, origin):
    script = next((running.studio.root / "script").glob("02-*.txt"))
    before = script.read_bytes()
    body = {"script": script.name, "index": 1, "old": "Here the floor creaks.", "new": "Here it creaks.", "sha": None}
    status, _, payload = request(running, "POST", "/api/save", body, headers={"Origin": origin})
    assert status == 403 and "cross-site" in _error(payload)
    assert script.read_bytes() == before
    status, _, _ = request(running, "POST", "/api/save", body)  # the page's own origin
    assert status == 200 and b"Here it creaks." in script.read_bytes()


@pytest.mark.parametrize("path", [
    "/files/../narrate.toml", "/files/%2e%2e/narrate.toml", "/files/%2E%2E%2Fnarrate.toml", "/files/..%2f..%2fsecret.txt",
    "/files/%252e%252e/narrate.toml", "/files/sections/../../narrate.toml", "/static/..%2fapp.py", "/static/../__init__.py",
    "/files//etc/passwd", "/files/%2fetc%2fpasswd", "/api/audio/..%2f..%2fnarrate.toml.wav", "/files/..\\narrate.toml",
])
def test_no_path_reaches_a_file_outside_the_built_audio(running, path):
    (running.studio.root / "audio").mkdir(exist_ok=True)
    status, _, body = request(running, "GET", path)
    assert status == 404, (path, status)
    assert b"engine" not in body and b"root:" not in body and b"outside the project" not in body


def test_a_symbolic_link_out_of_the_project_is_not_followed(running, tmp_path):
    audio = running.studio.root / "audio"
    audio.mkdir(exist_ok=True)
    (audio / "out.mp3").symlink_to(tmp_path / "secret.txt")
    (audio / "notes.txt").write_text("inside", encoding="utf-8")
    (audio / "in.txt").symlink_to(audio / "notes.txt")
    status, _, body = request(running, "GET", "/files/out.mp3")
    assert status == 404 and b"outside the project" not in body
    assert request(running, "GET", "/files/in.txt")[::2] == (200, b"inside")  # a link inside is served


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversized_body_is_refused_and_writes_nothing(running, chunked):
    toml = running.studio.root / "narrate.toml"
    before = toml.read_bytes()
    big = json.dumps({"word": "room", "spoken": "x" * 100_000}).encode()
    headers = {"Transfer-Encoding": "chunked"} if chunked else {}
    status, _, body = request(running, "POST", "/api/lexicon", big, headers=headers)
    assert status == 413 and _error(body) == "request too large: at most 64 KiB"
    assert toml.read_bytes() == before


def test_bad_requests_are_4xx_with_a_message_and_write_nothing(running):
    toml = running.studio.root / "narrate.toml"
    before = toml.read_bytes()
    assert request(running, "POST", "/api/lexicon", b"{not json")[::2] == (400, b'{"error":"the request is not JSON"}')
    status, _, body = request(running, "POST", "/api/lexicon", {"word": 3, "spoken": "x"})
    assert status == 400 and _error(body) == "the request's 'word' must be a str"
    status, _, body = request(running, "POST", "/api/speak", {"script": "../narrate.toml", "index": 0})
    assert status == 400 and "no script '../narrate.toml'" in _error(body)
    status, _, body = request(running, "POST", "/api/lexicon", {"word": "room", "spoken": " "})
    assert status == 400 and "needs a word and how to say it" in _error(body)
    assert toml.read_bytes() == before
    assert request(running, "GET", "/api/audio/" + "0" * 64 + ".wav")[0] == 404


def test_the_studio_without_its_extra_is_one_line_naming_the_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn raises ImportError
    monkeypatch.chdir(project(tmp_path / "book"))
    assert_clear_error(run_cli("studio", "--no-browser"), r"narrate studio needs Starlette and uvicorn \(uvicorn is missing\): pip install 'narrate\[studio\]'")
