"""Times as people and file formats write them, from milliseconds: one function per format."""

from __future__ import annotations

_CD_FRAMES = 75  # a cue sheet counts time in CD frames: 75 per second


def minutes_seconds(ms: float) -> str:
    """M:SS, whole seconds (floored); the minutes go on past 59."""
    seconds = int(ms // 1000)
    return f"{seconds // 60}:{seconds % 60:02d}"


def minutes_tenths(ms: float) -> str:
    """M:SS.s, rounded to a tenth of a second; the minutes go on past 59."""
    minutes, tenths = divmod(int(round(ms / 100)), 600)  # rounded first: 59.96 s is 1:00.0, not 0:60.0
    return f"{minutes}:{tenths // 10:02d}.{tenths % 10}"


def hours_minutes_seconds(ms: float) -> str:
    """H:MM:SS, whole seconds (floored)."""
    seconds = int(ms // 1000)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def player_time(ms: float) -> str:
    """M:SS under an hour, H:MM:SS from an hour on: as a media player shows a position."""
    return hours_minutes_seconds(ms) if ms >= 3_600_000 else minutes_seconds(ms)


def chapter_time(ms: float) -> str:
    """H:MM:SS.mmm, rounded to the millisecond, as chapter lists show times."""
    hours, rest = divmod(int(round(ms)), 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def webvtt_time(ms: float) -> str:
    """HH:MM:SS.mmm, rounded to the millisecond: a WebVTT timestamp."""
    whole = int(round(ms))
    hours, rest = divmod(whole, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def cue_sheet_time(ms: float) -> str:
    """MM:SS:FF (75 frames per second, rounded), a cue sheet's INDEX time; the minutes go on past 59."""
    frames = int(round(ms * _CD_FRAMES / 1000))
    minutes, rest = divmod(frames, 60 * _CD_FRAMES)
    seconds, frame = divmod(rest, _CD_FRAMES)
    return f"{minutes:02d}:{seconds:02d}:{frame:02d}"
