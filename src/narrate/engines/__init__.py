"""Speech engines behind one interface, chosen by name from a plain registry."""

from __future__ import annotations

import logging
from typing import Callable

from narrate.engines.base import Engine, EngineSettings
from narrate.errors import ConfigError, EngineError

log = logging.getLogger(__name__)


def _gtts(settings: EngineSettings) -> Engine:
    from narrate.engines.gtts import GTTSEngine

    return GTTSEngine(settings)


def _piper(settings: EngineSettings) -> Engine:
    from narrate.engines.piper import PiperEngine

    return PiperEngine(settings)


# name -> factory; tests add a recording fake here.
ENGINES: dict[str, Callable[[EngineSettings], Engine]] = {"gtts": _gtts, "piper": _piper}
AUTO = "auto"


def create(name: str, settings: EngineSettings) -> Engine:
    """Build the engine registered as `name`.

    Raises:
        ConfigError: no engine has that name.
        EngineError: the engine's backend is missing or unusable.
    """
    try:
        factory = ENGINES[name]
    except KeyError:
        raise ConfigError(
            f"unknown engine '{name}'; choose one of: {', '.join([AUTO, *ENGINES])}", "voice.engine"
        ) from None
    return factory(settings)


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
