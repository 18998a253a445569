"""WebVTT files read back with webvtt-py, a reader independent of the writer in narrate.outputs.captions."""

from __future__ import annotations

import html

import webvtt

from narrate.outputs.captions import Caption


def read_cues(text: str) -> list[Caption]:
    """The cues of a WebVTT file, times in ms and text with its character references decoded."""
    return [
        Caption(c.start_time.in_milliseconds(), c.end_time.in_milliseconds(), html.unescape(c.text))
        for c in webvtt.from_string(text)
    ]
