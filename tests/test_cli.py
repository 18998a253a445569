"""The command line: one call per command, errors as one line without a traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from narrate.cli import cli

from conftest import example_sentences


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output


def test_build_then_chapters(example_project, fake_engine):
    result = run("build", "--engine", "fake")
    assert result.exit_code == 0, result.output
    assert "6 chapters" in result.output and f"{example_sentences()} sentence(s) synthesized" in result.output
    listed = run("chapters", "audio/la-la-land.mp3")
    assert listed.exit_code == 0
    lines = listed.output.strip().splitlines()
    assert len(lines) == 6 and lines[1].endswith("A Fantasy Draped in Flesh and Jazz")
    assert lines[0].startswith("0:00:00.000")


def test_quiet_success_is_silent(example_project, fake_engine):
    result = CliRunner(mix_stderr=False).invoke(cli, ["-q", "build", "--engine", "fake"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == result.stderr == ""
    assert (example_project / "audio" / "la-la-land.mp3").is_file()
    split = CliRunner(mix_stderr=False).invoke(cli, ["-q", "split"])
    assert split.exit_code == 0 and split.stdout == split.stderr == ""


def test_build_json_is_a_machine_readable_summary(example_project, fake_engine):
    def run_json(*args):
        result = CliRunner(mix_stderr=False).invoke(cli, list(args))
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    first = run_json("build", "--engine", "fake", "--json")
    assert first["book_written"] and first["synthesized"] == example_sentences() and len(first["chapters"]) == 6
    assert [s["track_written"] for s in first["sections"]] == [False, True, True, True, True, True]
    assert first["duration_ms"] == first["chapters"][-1]["end_ms"] > 0
    assert all(s["track_bytes"] > 0 for s in first["sections"] if s["track"])
    again = run_json("build", "--engine", "fake", "--json")
    assert not again["book_written"] and again["synthesized"] == 0


def test_build_sums_up_in_a_table(example_project, fake_engine):
    output = run("build", "--engine", "fake").output
    lines = output[output.index("  script  ") :].splitlines()
    rows = [re.split(r"\s{2,}", line.strip()) for line in lines[1:7]]
    assert [r[0] for r in rows] == sorted(p.name for p in (example_project / "script").glob("*.txt"))
    assert rows[0][2:] == ["2", "2 synthesized", "-"]  # the opening has no track of its own
    assert all(r[3].endswith("synthesized") and r[4].endswith("MB (new)") for r in rows[1:])
    again = run("build", "--engine", "fake").output
    assert sum(" cached " in line for line in again.splitlines()) == 6


def test_a_mistyped_option_gets_a_suggestion():
    result = run("build", "--wacth")
    assert result.exit_code == 2 and "Did you mean --watch?" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["build", "missing.txt"], "essay not found"),
        (["build", "."], "is a folder"),
        (["build", "--engine", "nope"], "unknown engine 'nope'"),
        (["split"], "nothing to narrate"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    if args[:2] == ["build", "--engine"]:
        (tmp_path / "e.txt").write_text("Title\n\nSome words.\n", encoding="utf-8")
        args = [*args, "e.txt"]
    result = run(*args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_invalid_config_points_at_the_line(example_project):
    (example_project / "narrate.toml").write_text('[voice]\nengine = "piper"\npitch = "high"\n', encoding="utf-8")
    result = run("build")
    assert result.exit_code == 1
    assert "line 3" in result.output and "unknown key 'pitch'" in result.output


@pytest.mark.slow  # narrate in its own process
def test_python_dash_m_works():
    out = subprocess.run([sys.executable, "-m", "narrate", "--version"], capture_output=True, text=True, check=True)
    assert "narrate" in out.stdout


@pytest.mark.slow
def test_shell_completion_as_the_readme_says():
    env = {**os.environ, "_NARRATE_COMPLETE": "bash_complete", "COMP_WORDS": "narrate bu", "COMP_CWORD": "1"}
    out = subprocess.run([sys.executable, "-m", "narrate"], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["plain,build"]


def _on_a_terminal(args: list[str], cwd, env: dict) -> tuple[int, str, str]:
    """Run narrate (with the fake engine) with stderr on a pseudo-terminal: (status, stdout, stderr as sent)."""
    import pty

    main, side = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, os.path.join(os.path.dirname(__file__), "fakes.py"), *args], cwd=cwd,
        env={**os.environ, **env}, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=side,
    )
    os.close(side)
    sent = []
    while True:
        try:
            data = os.read(main, 1 << 16)
        except OSError:  # the other side closed
            break
        if not data:
            break
        sent.append(data)
    out = proc.stdout.read().decode()
    proc.wait(60)
    os.close(main)
    return proc.returncode, out, b"".join(sent).decode()


def _screen(sent: str) -> list[str]:
    """The lines a terminal shows for `sent` (carriage return, erase to end of line, newline)."""
    lines, line, col, i = [], [], 0, 0
    while i < len(sent):
        if sent.startswith("\x1b[K", i):
            del line[col:]
            i += 3
            continue
        if sent.startswith("\x1b[?25", i):  # cursor shown or hidden
            i += 6
            continue
        c = sent[i]
        if c == "\r":
            col = 0
        elif c == "\n":
            lines.append("".join(line))
            line, col = [], 0
        else:
            line[col:col + 1] = [c]
            col += 1
        i += 1
    return lines + (["".join(line)] if line else [])


@pytest.mark.slow
def test_on_a_terminal_log_lines_go_above_the_progress_line_and_files_are_listed_once(example_project):
    """Issue 26, item 8: 'Synthesizing [#---] 2/37 00-opening.txt00-opening.txt: 2 of 2…', and every file twice."""
    status, out, sent = _on_a_terminal(["build", "--engine", "fake"], example_project, {"NARRATE_FAKE_DELAY": "0.02"})
    assert status == 0, sent
    shown = _screen(sent)
    bar = re.compile(r"^(Synthesizing|Encoding) +\[[#-]+\] +\d+/\d+ ")
    logged = re.compile(r"^\S+\.txt: \d+ of \d+ sentence\(s\) synthesized$")
    assert any(bar.match(line) for line in shown) and sum(bool(logged.match(line)) for line in shown) == 6, shown
    assert all(bar.match(line) or logged.match(line) for line in shown), shown  # never one run into the other
    assert bar.match(shown[-1]) and "Encoding" in shown[-1] and " 6/6 " in shown[-1]  # the last state stays
    everything = out + "\n".join(shown)
    for name in ("la-la-land.vtt", "la-la-land.chapters.json", "index.html"):
        assert everything.count(name) == 1, everything
    assert out.splitlines()[0] == "split the essay: 6 script(s) written or removed in script/"


def test_split_says_once_what_it_wrote_and_an_unchanged_split_says_nothing_of_scripts(example_project, fake_engine):
    from conftest import run_cli

    result = run_cli("split")
    assert (result.stdout, result.stderr) == ("6 script(s) written or removed in script/\n", "")
    manifest = example_project / "script" / "book.json"  # as after a new narrate: the same scripts, split again
    manifest.write_text(re.sub(r'"essay_sha256": "\w+"', '"essay_sha256": "0"', manifest.read_text()), encoding="utf-8")
    result = run_cli("build", "--engine", "fake")
    assert result.exit_code == 0 and "script(s)" not in result.stdout + result.stderr, result.stdout + result.stderr


@pytest.mark.parametrize("address", ["http://127.0.0.1:9/post", "https://127.0.0.1:9/post", "HTTP://127.0.0.1:9/post"])
def test_an_essay_argument_with_a_scheme_goes_to_the_fetcher(tmp_path, monkeypatch, address):
    from conftest import assert_clear_error, run_cli

    monkeypatch.chdir(tmp_path)  # port 9 on this machine is closed: the fetcher's own error, nothing written
    assert_clear_error(run_cli("-q", "split", address), rf"^Error: cannot fetch {re.escape(address)} \(.*\); check the address")
    assert not any(tmp_path.iterdir())


def test_a_bare_domain_is_a_file_name_as_before(tmp_path, monkeypatch):
    from conftest import assert_clear_error, run_cli

    monkeypatch.chdir(tmp_path)  # no scheme: not an address (is_url needs http or https)
    assert_clear_error(run_cli("-q", "split", "example.com/post.md"), r"^Error: essay not found: example\.com/post\.md\. ")
    (tmp_path / "example.com").mkdir()
    (tmp_path / "example.com" / "post.md").write_text("# A Post\n\n## One\n\nWords of the post.\n", encoding="utf-8")
    result = run_cli("-q", "split", "example.com/post.md")
    assert result.exit_code == 0, result.stderr
    assert "Words of the post." in "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "script").glob("*.txt"))


def test_a_file_argument_does_not_load_the_fetcher(tmp_path):
    """A file is taken as it is: the fetcher (requests, the normalizer it loads) stays unimported (no-op speed)."""
    (tmp_path / "e.txt").write_text("Title\n\n1. One\nSome words.\n", encoding="utf-8")
    code = (
        "import sys; from narrate.cli import cli\n"
        "try:\n    cli(['-q', 'split', 'e.txt'])\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
        "print(sorted(m for m in ('narrate.inputs.fetch', 'requests') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr
    assert (tmp_path / "script").is_dir()
