"""Long books with long chapters, the default voice: `HOURS=10 python tests/bench/longbook.py`.

Not part of the test run: the 10-hour book takes the better part of an hour on 2 cores. HOURS
scales the book (default 10); its chapters are 10%, 15%, 20%, 25% and 30% of it, so the 10-hour
book's run from 1 to 3 hours and HOURS=1 gives chapters of 6 to 18 minutes. Printed side by side,
in one run:

- peak RSS of the cold build (`narrate -q build`, its own process, as the OS counts it: the
  largest of the process and each ffmpeg it waited for), and its speed as a multiple of real time;
- cold build ÷ (the voice alone + one plain encode): raw hibari speaking the same sentences
  (phonemes, model and DSP as hibari-tts does them, one sentence at a time, every core), then
  one ffmpeg run encoding all of it to MP3 (192 kbps, 44.1 kHz);
- no-op rebuild ÷ cold, and one sentence edited in the longest chapter ÷ cold.

`--example` measures the bundled example instead (ROUNDS pairs of cold build and raw voice,
alternated, medians), where the targets are stated: cold <= 1.3x, no-op <= 0.1x.
`--dir` chooses where books are built (the 10-hour one needs about 10 GB: its cache, and the raw voice's PCM).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from bench import WORDS, run_peak as run  # the same words, and the same peak RSS as bench.py measures

REPO = Path(__file__).resolve().parents[2]
NARRATE = Path(sys.executable).with_name("narrate")
SHARES = (0.10, 0.15, 0.20, 0.25, 0.30)  # each chapter's share of the book
SECONDS_PER_WORD = 0.39  # hibari heart on these sentences, the pause after each included (measured)


def essay(hours: float) -> str:
    """A generated essay of five chapters (SHARES of `hours`) that the default voice reads in about `hours`."""
    rng = np.random.default_rng(7)
    lines = [f"A Book of {hours:g} Hours", ""]
    for number, share in enumerate(SHARES, 1):
        lines += [f"Chapter {number}: The {WORDS[number].title()}", ""]
        words_left = share * hours * 3600 / SECONDS_PER_WORD
        paragraph: list[str] = []
        while words_left > 0:
            words = [WORDS[int(i)] for i in rng.integers(0, len(WORDS), int(rng.integers(10, 19)))]
            paragraph.append(" ".join(words).capitalize() + ".")
            words_left -= len(words)
            if len(paragraph) == 6 or words_left <= 0:
                lines += [" ".join(paragraph), ""]
                paragraph = []
    return "\n".join(lines)


RAW = """
import subprocess, sys, time, zlib
from pathlib import Path
import numpy as np
from hibari import Hibari
from narrate.audio import ffmpeg
from narrate.project import open_project
from narrate.text.script import load_scripts, units
from narrate.text.lexicon import respell
root, out = Path(sys.argv[1]), Path(sys.argv[2])
project = open_project(root)
config = project.config
texts = [respell(u.text, config.lexicon) for s in load_scripts(project.script_dir) for u in units(s.text, config.pauses, config.language)]
import os
started = time.perf_counter()
tts = Hibari(voice="heart", threads=os.cpu_count() or 1)
samples = 0
with open(out / "raw.pcm", "wb") as pcm:
    for text in texts:
        rng = np.random.default_rng(zlib.crc32(text.encode()))
        for ps in tts.phonemize(text):
            wav = tts.from_ids(tts.ids(ps), 1.0, rng)
            samples += len(wav)
            pcm.write((np.clip(wav, -1, 1) * 32767).round().astype(np.int16).tobytes())
voice = time.perf_counter() - started
subprocess.run([ffmpeg.exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "s16le", "-ar", "24000", "-ac", "1",
                "-i", str(out / "raw.pcm"), "-ar", "44100", "-c:a", "libmp3lame", "-b:a", "192k", "-f", "mp3",
                str(out / "raw.mp3")], check=True)
print(voice, time.perf_counter() - started - voice, samples / 24000)
"""


def raw_voice(root: Path) -> tuple[float, float]:
    """(seconds of the voice alone, seconds of the plain encode) for the project's sentences."""
    with tempfile.TemporaryDirectory(dir=root) as scratch:
        proc = subprocess.run([sys.executable, "-c", RAW, str(root), scratch], capture_output=True, text=True, check=True)
    voice, encode, _ = map(float, proc.stdout.split())
    return voice, encode


def audio_seconds(root: Path) -> float:
    from mutagen.mp3 import MP3

    return MP3(next((root / "audio").glob("*.mp3"))).info.length


def edit_longest(root: Path) -> None:
    """Change one sentence in the middle of the longest chapter's script."""
    script = max((root / "script").glob("[0-9]*.txt"), key=lambda p: p.stat().st_size)
    text = script.read_text(encoding="utf-8")
    middle = text.index(". ", len(text) // 2) + 2
    script.write_text(text[:middle] + "Quietly, " + text[middle].lower() + text[middle + 1 :], encoding="utf-8")


def long_book(hours: float, workdir: Path | None) -> None:
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        root = Path(tmp)
        (root / "book.txt").write_text(essay(hours), encoding="utf-8")
        build = [str(NARRATE), "-q", "build", "book.txt", "--engine", "hibari", "--format", "mp3"]
        cold, peak = run(build, root)
        noop, noop_peak = run(build, root)
        edit_longest(root)
        edit, edit_peak = run(build, root)
        length = audio_seconds(root)
        voice, encode = raw_voice(root)
    print(f"long book, HOURS={hours:g}: {length / 3600:.2f} h of audio in {len(SHARES)} chapters "
          f"({', '.join(f'{s * length / 60:.0f}' for s in SHARES)} min)")
    print(f"  {'peak RSS':>9s} {'x real time':>12s} {'cold s':>8s} {'voice+enc s':>12s} {'cold/(voice+enc)':>17s} "
          f"{'no-op/cold':>11s} {'edit/cold':>10s}")
    print(f"  {peak:6.0f} MB {length / cold:12.1f} {cold:8.1f} {voice + encode:12.1f} {cold / (voice + encode):17.2f} "
          f"{noop / cold:11.3f} {edit / cold:10.3f}")
    print(f"  (voice {voice:.1f} s + encode {encode:.1f} s; no-op {noop:.2f} s, {noop_peak:.0f} MB; "
          f"edit {edit:.1f} s, {edit_peak:.0f} MB)")


def example(rounds: int) -> None:
    colds, raws, peaks = [], [], []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            shutil.copy(REPO / "narrate.toml", root)
            (root / "essay").mkdir()
            shutil.copy(REPO / "essay" / "la-la-land.txt", root / "essay")
            build = [str(NARRATE), "-q", "build", "--engine", "hibari"]
            cold, peak = run(build, root)
            if not colds:
                noop, _ = run(build, root)
                script = root / "script" / "03-the-sex-appeal-of-dreams.txt"
                script.write_text(script.read_text(encoding="utf-8").replace("It's bitter.", "It is bitter."), encoding="utf-8")
                edit, _ = run(build, root)
                run(build, root)  # and back: the original takes are cached
            voice, encode = raw_voice(root)
        colds.append(cold)
        raws.append(voice + encode)
        peaks.append(peak)
    ratios = [c / r for c, r in zip(colds, raws)]
    cold = statistics.median(colds)
    print(f"example, hibari heart: {rounds} pairs of cold build and voice alone + plain encode, alternated")
    print(f"  {'peak RSS':>9s} {'cold s':>8s} {'voice+enc s':>12s} {'cold/(voice+enc)':>17s} {'no-op/cold':>11s} {'edit/cold':>10s}")
    print(f"  {max(peaks):6.0f} MB {cold:8.2f} {statistics.median(raws):12.2f} {statistics.median(ratios):17.2f} "
          f"{noop / cold:11.3f} {edit / cold:10.3f}")
    print(f"  (cold/(voice+enc) per pair: {', '.join(f'{r:.2f}' for r in ratios)}; no-op {noop:.2f} s, edit {edit:.2f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--example", action="store_true", help="measure the bundled example instead")
    parser.add_argument("--dir", type=Path, default=None, help="where the long book is built (default: the temp dir)")
    args = parser.parse_args()
    print(f"narrate long-book benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    if args.example:
        example(int(os.environ.get("ROUNDS", "5")))
    else:
        long_book(float(os.environ.get("HOURS", "10")), args.dir)


if __name__ == "__main__":
    main()
