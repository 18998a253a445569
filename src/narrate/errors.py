"""One error hierarchy: every message names the cause and the next step."""


class NarrateError(Exception):
    """Base of every error narrate reports to the user without a traceback."""


class InputError(NarrateError):
    """The essay or a script cannot be read or used."""


class ConfigError(NarrateError):
    """narrate.toml or a command-line option is invalid."""


class EngineError(NarrateError):
    """A speech engine is missing, misconfigured or failed."""


class SynthesisError(EngineError):
    """An engine failed on a piece of text after its retries."""


class AudioError(NarrateError):
    """Audio could not be decoded, encoded or tagged."""


class ConflictError(NarrateError):
    """Hand-edited scripts would be overwritten."""


class OutputError(NarrateError):
    """An output folder or file cannot be written."""
