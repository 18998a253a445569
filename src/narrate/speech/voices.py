"""The voices this machine can narrate with: listing, speed measured here, and samples to listen to."""

from __future__ import annotations

import html
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from narrate import engines, fsutil, pages
from narrate.audio import pcm
from narrate.engines import EngineSettings, EngineSpec
from narrate.engines.base import Voice
from narrate.errors import ConfigError, PluginError

log = logging.getLogger(__name__)

# A few seconds of ordinary prose, with a place name: what the speed is measured on and samples say.
SAMPLE_TEXT = (
    "The city of stars shines on two dreamers in Los Angeles, as the music rises and the evening fades into night."
)


@dataclass(frozen=True)
class VoiceReport:
    """One voice as `narrate voices` shows it."""

    voice: Voice
    realtime: float | None  # seconds of speech per second of synthesis on this machine; None: not measured

    @property
    def speed(self) -> str:
        """The speed as what it costs: "37× real time: an hour of book in 2 min"; "network" for a server's voice.

        No "fast" or "slow": whether 5.6× real time (11 minutes for an hour of book) is slow
        depends on the book and the reader's patience; what the number means does not.
        """
        if self.voice.network:
            return "network"
        if self.realtime is None:
            return "not measured"
        times = f"{self.realtime:.0f}" if self.realtime >= 10 else f"{self.realtime:.1f}"
        minutes = 60 / max(self.realtime, 1e-6)
        hour = f"{minutes:.0f} min" if minutes < 90 else f"{minutes / 60:.1f} h"
        pace = "real time" if self.realtime >= 1 else "real time (slower than speech)"
        return f"{times}× {pace}: an hour of book in {hour}"


def available() -> list[Voice]:
    """Every voice an installed engine offers, engine by engine in registry order."""
    found: list[Voice] = []
    for name in engines.ENGINES:
        try:
            factory = engines.ENGINES[name]
        except PluginError as exc:
            log.warning("%s", exc)
            continue
        found.extend(getattr(factory, "voices", tuple)())
    return found


def find(name: str) -> Voice:
    """The installed voice called `name`.

    Raises:
        ConfigError: no installed engine offers it.
    """
    for voice in available():
        if voice.name == name:
            return voice
    known = ", ".join(v.name for v in available())
    raise ConfigError(f"no voice named '{name}' is installed; choose one of: {known} (`narrate voices` lists them)")


def _spec(voice: Voice, speed: float = 1.0) -> EngineSpec:
    """The engine spec that speaks `voice`."""
    return EngineSpec(voice.engine, EngineSettings(voice=voice.name, language=voice.language, speed=speed))


def speak_sample(voice: Voice, text: str = SAMPLE_TEXT, speed: float = 1.0) -> tuple[pcm.AudioSegment, float]:
    """`text` in `voice`, and the seconds its synthesis took (the model loaded and warmed up first)."""
    engine = engines.instance(_spec(voice, speed))
    engine.synthesize("Ready.")  # loads the model: the speed measured is the voice's, not its start-up's
    start = time.perf_counter()
    spoken = pcm.conform(engine.synthesize(text))
    return spoken, time.perf_counter() - start


def _realtime(spoken: pcm.AudioSegment, seconds: float) -> float:
    """Seconds of speech per second of synthesis."""
    return pcm.ms(spoken) / 1000 / max(seconds, 1e-6)


def report(measure: bool = True) -> list[VoiceReport]:
    """Every installed voice; with `measure`, its speed here (one sentence per engine: its voices share a model size).

    Raises:
        EngineError: an engine cannot load its model.
    """
    speeds: dict[str, float] = {}
    rows = []
    for voice in available():
        if measure and not voice.network and voice.engine not in speeds:
            log.info("timing %s on one sentence (its model loads first)", voice.engine)  # seconds each: say so
            speeds[voice.engine] = _realtime(*speak_sample(voice))
            engines.release(_spec(voice))
        rows.append(VoiceReport(voice, speeds.get(voice.engine)))
    return rows


def write_sample(name: str, folder: Path, bitrate: str = "192k") -> Path:
    """Write `folder/voice-NAME.mp3`: the sample sentence in that voice, to listen to before choosing.

    Raises:
        ConfigError: no such voice installed.
        EngineError, SynthesisError: the voice's engine failed.
        OutputError: the file cannot be written.
    """
    return _write_sample(find(name), folder, bitrate)[0]


def _write_sample(voice: Voice, folder: Path, bitrate: str) -> tuple[Path, float]:
    """Write `voice`'s sample into `folder`: its path, and the voice's speed in times real time."""
    spoken, seconds = speak_sample(voice)
    path = folder / f"voice-{voice.name}.mp3"
    with pcm.mp3_writer(path, bitrate) as writer:
        writer.write(spoken)
    return path, _realtime(spoken, seconds)


PAGE = "voices.html"
# What the voices page adds to the shared stylesheet (narrate.pages): a wide table, a smaller type.
_PAGE_CSS = """
body { font-size: 16px; }
main { max-width: 72rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
.sentence { font-size: 1.15rem; font-style: italic; margin: 0 0 1.5rem; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: bold; padding: 0 0 .5rem; }
th, td { text-align: left; vertical-align: middle; padding: .45rem .6rem; border-bottom: 1px solid var(--line); }
thead th { color: var(--soft); font-size: .85rem; letter-spacing: .05em; text-transform: uppercase; }
code { font: .9rem/1.4 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre; }
audio { height: 2.2rem; min-width: 15rem; max-width: 100%; }
.network { color: var(--soft); font-style: italic; }
"""
_COLUMNS = ("voice", "engine", "language", "gender", "licence", "speed here", "in narrate.toml", "listen")


def _cell(text: str) -> str:
    """One escaped table cell."""
    return f"<td>{html.escape(text)}</td>"


def _row(row: VoiceReport, sample: str | None) -> str:
    """The page's table row for one voice: its facts, the line that sets it, and its player."""
    voice = row.voice
    # Two lines, as TOML needs a table's header on its own line; a JSON string is a TOML basic
    # string, so it pastes into narrate.toml as it is, whatever the name.
    setting = f"[voice]\nvoice = {json.dumps(voice.name, ensure_ascii=False)}"
    if sample is None:
        player = '<td class="network">needs the network: no sample here</td>'
    else:
        player = (f'<td><audio controls preload="metadata" src="{html.escape(quote(sample))}" '
                  f'aria-label="{html.escape(f"{voice.name}, sample")}"></audio></td>')
    return "".join((
        "<tr>",
        f'<th scope="row">{html.escape(voice.name)}</th>',
        _cell(voice.engine), _cell(voice.language), _cell(voice.gender or "?"), _cell(voice.licence or "?"),
        _cell(row.speed), f"<td><code>{html.escape(setting)}</code></td>", player,
        "</tr>",
    ))


def render_page(rows: list[VoiceReport], samples: dict[str, str]) -> str:
    """The voices page: a self-contained HTML table of `rows`, each with a player for its sample.

    Args:
        rows: the voices, as `report` gives them.
        samples: voice name -> its sample's file name, relative to the page; a voice without
            one (a network voice) gets no player.

    Returns:
        The page's HTML, every text escaped, with inline CSS and no script.
    """
    header = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in _COLUMNS)
    body = "\n".join(_row(row, samples.get(row.voice.name)) for row in rows)
    return pages.head("en", "The voices installed here", pages.inline_style(_PAGE_CSS)) + f"""<body>
<main>
<h1>The voices installed here</h1>
<p>Each voice reads the same sentence:</p>
<p class="sentence">{html.escape(SAMPLE_TEXT)}</p>
<table>
<caption>Voices, to listen to before choosing one: copy its line into narrate.toml</caption>
<thead><tr>{header}</tr></thead>
<tbody>
{body}
</tbody>
</table>
</main>
</body>
</html>
"""


def write_page(folder: Path, bitrate: str = "192k", measure: bool = True) -> tuple[Path, list[Path]]:
    """Write a sample of every offline voice and `folder/voices.html`, which plays them side by side.

    Network voices are listed on the page without a sample: nothing is sent to a server.

    Args:
        folder: where the samples and the page go (made if need be).
        bitrate: the samples' MP3 bitrate.
        measure: show each engine's speed here, as timed on its first voice's sample
            (else "not measured"; the samples are made either way).

    Returns:
        The page, and the samples it plays (one per offline voice, in the page's order).

    Raises:
        EngineError, SynthesisError: an offline voice's engine failed.
        OutputError, AudioError: a file cannot be written or encoded.
    """
    rows: list[VoiceReport] = []
    samples: dict[str, Path] = {}
    speeds: dict[str, float] = {}
    for voice in available():
        if not voice.network:
            samples[voice.name], realtime = _write_sample(voice, folder, bitrate)
            engines.release(_spec(voice))  # one model in memory at a time: each Kokoro voice loads its own
            if measure:  # the sample's synthesis is the measure: per engine, as `report` gives it
                speeds.setdefault(voice.engine, realtime)
        rows.append(VoiceReport(voice, speeds.get(voice.engine)))
    page = folder / PAGE
    fsutil.write_text(page, render_page(rows, {name: path.name for name, path in samples.items()}))
    return page, list(samples.values())
