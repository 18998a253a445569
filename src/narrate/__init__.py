"""narrate: turn an essay into a chaptered audiobook."""

__version__ = "0.1.0"
