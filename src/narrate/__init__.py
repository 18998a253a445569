"""narrate: turn an essay into a chaptered audiobook.

The library API (see `narrate.api`) is re-exported here and imported on first use, so that
`import narrate` (and the command line's start) stays cheap.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_API = (
    "BuildPlan", "BuildReport", "Hearing", "Pronunciation", "Progress", "ProgressCallback", "Project", "SectionReport",
    "SectionStatus", "Sentence", "Status", "VerifyReport", "book_status", "build_book", "choose_take", "hear_sentences",
    "open_project", "plan_book", "preview_pronunciation", "replace_sentence", "script_sentences", "sentences",
    "set_pronunciation", "speak_sentence", "split_essay", "update_scripts", "verify_book", "voice", "installed_voices",
    "choose_voice", "Voice", "CacheReport", "LeftOut", "cache_status", "left_out", "output_paths", "watch_book",
    "UndoStep", "undo_edit", "undo_history",
)
__all__ = ["__version__", *_API]


def __getattr__(name: str) -> object:
    """The API's names, from narrate.api on first use (PEP 562)."""
    if name in _API:
        return getattr(importlib.import_module("narrate.api"), name)
    raise AttributeError(f"module 'narrate' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
