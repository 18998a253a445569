"""Studio benchmark: `python tests/bench/studio.py` runs `narrate studio --no-browser` as a user would and prints

- save -> playable: from sending an edited sentence of about 20 words to its new take being
  fetched (the script written, the sentence spoken by the default voice, warm), median of REPEAT
  saves (5; the environment variable sets it), with the range;
- time to interactive of the page for a 10-hour book of 6,000 sentences: from navigating to its
  address to every sentence being on the page (Debian's Chromium, headless), and /api/book alone;
- the server's resident memory once idle, with the 10-hour book loaded and its voice warm.

Targets (issue 28): save -> playable <= 0.5 s on 2 cores; time to interactive <= 2 s.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORDS = ("river morning quiet station letter window garden bridge lantern harbor evening winter shadow "
         "paper orchard meadow candle thunder silver painter").split()


class Studio:
    """`narrate studio` in a subprocess, serving `root`; its address, token and process."""

    def __init__(self, root: Path):
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "narrate", "studio", "--no-browser"], cwd=root, stdout=subprocess.PIPE, text=True,
        )
        line = self.proc.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)", line)
        if m is None:
            self.proc.kill()
            raise SystemExit(f"narrate studio printed {line!r}")
        self.url, self.port, self.token = m.group(0), int(m.group(1)), m.group(2)

    def call(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": f"narrate_studio={self.token}", "Origin": f"http://127.0.0.1:{self.port}"}
        data = json.dumps(body).encode() if body is not None else None
        if data is not None:
            headers["Content-Type"] = "application/json"
        conn.request(method, path, data, headers)
        response = conn.getresponse()
        payload = response.read()
        conn.close()
        return response.status, payload

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024

    def stop(self) -> None:
        self.proc.send_signal(2)  # Ctrl-C
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _project(root: Path, essay: str | None = None) -> Path:
    """The example (or `essay`) with the default voice named, so no network is tried."""
    shutil.copy(REPO / "narrate.toml", root / "narrate.toml")
    toml = root / "narrate.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('engine = "auto"', 'engine = "hibari"'), encoding="utf-8")
    (root / "essay").mkdir()
    if essay is None:
        shutil.copy(REPO / "essay" / "la-la-land.txt", root / "essay" / "la-la-land.txt")
    else:
        (root / "essay" / "la-la-land.txt").write_text(essay, encoding="utf-8")
    return root


def _sentence(n: int, words: int) -> str:
    picked = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(words)]
    return " ".join(["The", *picked]) + "."


def save_to_playable(repeat: int) -> list[float]:
    with tempfile.TemporaryDirectory() as tmp:
        studio = Studio(_project(Path(tmp)))
        try:
            book = json.loads(studio.call("GET", "/api/book")[1])
            section = book["sections"][3]
            times = []
            for n in range(repeat + 1):  # the first save also waits for the voice's warm-up: not counted
                target = section["sentences"][5]
                new = _sentence(n, 19)  # 20 words
                began = time.perf_counter()
                status, payload = studio.call("POST", "/api/save", {
                    "script": section["script"], "index": target["index"], "old": target["text"], "new": new, "sha": section["sha"],
                })
                assert status == 200, payload
                done = json.loads(payload)
                key = done["sentences"][done["changed"][0]]["key"]
                status, audio = studio.call("GET", f"/api/audio/{key}.wav")
                assert status == 200 and audio[:4] == b"RIFF"
                if n:
                    times.append(time.perf_counter() - began)
                section["sha"], section["sentences"] = done["sha"], done["sentences"]
        finally:
            studio.stop()
    return times


def ten_hours() -> str:
    """An essay of 60 sections of 100 sentences (12 words each, about 6 s spoken): 6,000 sentences, 10 hours."""
    parts = ["A Long Book", ""]
    n = 0
    for section in range(1, 61):
        parts.append(f"{section}. Part {section}")
        for _ in range(20):
            parts.append(" ".join(_sentence(n := n + 1, 11) for _ in range(5)))
            parts.append("")
    return "\n".join(parts)


def page_and_memory() -> tuple[float, float, int, float]:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        began = time.perf_counter()
        studio = Studio(_project(Path(tmp), ten_hours()))
        print(f"  (the 10-hour book split and served in {time.perf_counter() - began:.1f} s)")
        try:
            studio.call("GET", "/api/book")  # the first listing, like any page's first visit after start
            began = time.perf_counter()
            studio.call("GET", "/api/book")
            listing = time.perf_counter() - began
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--headless", "--no-sandbox", "--disable-gpu"])
                page = browser.new_page()
                page.goto(studio.url)  # the token becomes the cookie
                page.wait_for_selector(".s")
                began = time.perf_counter()
                page.reload()
                page.wait_for_selector(".s[data-g='5999']", timeout=60000)
                page.locator(".s").nth(5999).click()  # it answers: the last sentence is selected
                page.wait_for_selector(".s[aria-current=true]")
                tti = time.perf_counter() - began
                count = page.locator(".s").count()
                browser.close()
            time.sleep(3)  # idle
            rss = studio.rss_mb()
        finally:
            studio.stop()
    return tti, listing, count, rss


def main() -> None:
    repeat = int(os.environ.get("REPEAT", "5"))
    times = save_to_playable(repeat)
    print(f"save -> playable (20 words, hibari heart, warm): median {statistics.median(times):.2f} s "
          f"(range {min(times):.2f}-{max(times):.2f} s, {len(times)} saves)")
    tti, listing, count, rss = page_and_memory()
    print(f"page time to interactive, {count} sentences: {tti:.2f} s (of which /api/book {listing:.2f} s)")
    print(f"server idle RSS (10-hour book, voice warm): {rss:.0f} MB")


if __name__ == "__main__":
    main()
