"""Every cache key and every version that invalidates one, in one place.

A key is the SHA-256 of everything that changes what it names, so a changed voice, text,
setting or algorithm misses the cache and nothing stale is ever reused. Bump a version when
its stage changes what it makes for the same inputs.
"""

from __future__ import annotations

import hashlib
import json

CACHE_VERSION = 3  # what is stored for a key (trimming, resampling, format; 3: sealed with length and hash)
SECTION_VERSION = 4  # section assembly, levelling and room tone (master.py)
ENCODING_VERSION = 2  # how sections and joints are encoded (stitch.py)
OUTPUT_VERSION = 3  # how tracks and the book are put together (3: album artist, date, narrator)
M4B_VERSION = 2  # how the M4B is made (m4b.py; 2: brand M4B, date, narrator)
COVER_VERSION = 1  # the generated cover (cover.py)
NORMALIZE_VERSION = 3  # what narrate.normalize says for written text: scripts made from an essay are made again
READER_VERSION = 2  # what the input readers take as the main text (2: left-out parts by kind): scripts made again


def make_key(**parts: object) -> str:
    """SHA-256 over the parts, canonically serialized, plus the cache version."""
    blob = json.dumps({"v": CACHE_VERSION, **parts}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def speech_key(engine: str, identity: dict, text: str, take: int = 0) -> str:
    """One sentence as one engine with one voice and its settings says it; `take` above 0 is another take of it."""
    # The first take's key has no "take" part, so every key made before takes were chosen stays valid.
    return make_key(engine=engine, **identity, text=text, **({"take": take} if take else {}))


def section_key(target: str, units: list[tuple[str, int]]) -> str:
    """A mastered section: its sentences' keys with the pause after each, and the sound target."""
    return make_key(kind="section", version=SECTION_VERSION, target=target, units=[list(u) for u in units])


def body_key(section: str, bitrate: str) -> str:
    """A section's encoded MP3 frames."""
    return make_key(kind="body", version=ENCODING_VERSION, section=section, bitrate=bitrate)


def joint_key(name: str, audio_sha: str, bitrate: str) -> str:
    """An encoded joint (head, gap or tail) from the SHA-256 of its audio."""
    return make_key(kind=name, version=ENCODING_VERSION, audio=audio_sha, bitrate=bitrate)


def track_key(**parts: object) -> str:
    """A section track: its section, tags, joints' pauses, bitrate and cover."""
    return make_key(kind="track", version=OUTPUT_VERSION, **parts)


def book_key(**parts: object) -> str:
    """The book MP3: its sections, cue, pauses, tags, bitrate, target and cover."""
    return make_key(kind="book", version=OUTPUT_VERSION, **parts)


def m4b_key(book: str, bitrate: str) -> str:
    """The M4B, made from the book."""
    return make_key(kind="m4b", version=M4B_VERSION, book=book, bitrate=bitrate)


def cover_key(**parts: object) -> str:
    """A cover: the generated one's title and author, or an image's SHA-256."""
    return make_key(kind="cover", version=COVER_VERSION, **parts)


def with_audio(recipe: str, bodies: list[str | None]) -> str:
    """An output's key: its recipe and the SHA-256 of each encoded body it joins.

    Takes of one text can differ (a real voice's do), so a body made again after its cache
    entry was lost may hold other audio under the same section key: the output is then
    written again, and its captions, made from the new body's timings, stay true to it.
    The recipe stays readable in front, so `status` can tell an edit from a repair.
    """
    return f"{recipe}.{make_key(kind='output', bodies=bodies)}"


def recipe_of(key: str | None) -> str | None:
    """The recipe part of an output's key (see `with_audio`)."""
    return key.partition(".")[0] if key else None
