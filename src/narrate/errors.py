"""One error hierarchy: every message names the cause and the next step."""


class NarrateError(Exception):
    """Base of every error narrate reports to the user without a traceback."""


class InputError(NarrateError):
    """The essay or a script cannot be read or used."""


class ConfigError(NarrateError):
    """narrate.toml or a command-line option is invalid.

    `setting` ("voice.engine", ...) names the narrate.toml setting at fault, when one is,
    so that the error can point at its line.
    """

    def __init__(self, message: str, setting: str | None = None):
        super().__init__(message)
        self.setting = setting


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


class PluginError(NarrateError):
    """A registered plug-in cannot be loaded or does not fit its interface."""


class ClusterError(NarrateError):
    """The cluster cannot run the synthesis (unreachable, mismatched, or it lost the work)."""


class DoubtfulSpeech(NarrateError):
    """`build --verify --strict`: sentences the recognizer still doubted after every retake."""
