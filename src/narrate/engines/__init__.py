"""Speech engines behind one interface, chosen by name from the engines registry."""

from __future__ import annotations

import logging

from narrate import plugins
from narrate.engines.base import Engine, EngineSettings
from narrate.errors import ConfigError, EngineError, PluginError

log = logging.getLogger(__name__)


# name -> factory (an Engine class, or a callable taking EngineSettings), from the
# `narrate.engines` entry points; tests add a recording fake here.
ENGINES = plugins.registry("engines")
AUTO = "auto"


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


def resolve(name: str, settings: EngineSettings) -> Engine:
    """The engine for one whole build: `name`, or for "auto" gTTS when Google answers, else Piper.

    Raises:
        ConfigError, EngineError: as `create`.
    """
    if name != AUTO:
        return create(name, settings)
    from narrate.engines.gtts import probe

    problem = probe(settings)
    if problem is None:
        log.info("Google TTS answered: narrating with gTTS")
        return create("gtts", settings)
    engine = create("piper", settings)
    log.info("Google TTS is not reachable (%s); narrating offline with %s", problem, engine.describe())
    return engine


__all__ = ["AUTO", "ENGINES", "Engine", "EngineError", "EngineSettings", "create", "resolve"]
