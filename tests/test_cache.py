"""The synthesis cache: content-addressed entries that, once written, never change under a reader."""

from __future__ import annotations

import numpy as np

from narrate import audio
from narrate.cache import Cache


def _tone(n: int) -> audio.AudioSegment:
    return audio.from_int16((np.arange(n) % 100).astype(np.int16))


def test_a_second_writer_of_a_key_keeps_the_first_take(tmp_path):
    cache = Cache(tmp_path)
    cache.put("speech", "ab" * 32, _tone(33000))
    cache.put("speech", "ab" * 32, _tone(28699))
    assert cache.samples("speech", "ab" * 32) == 33000
    assert len(audio.samples(cache.get("speech", "ab" * 32))) == 33000


def test_a_reader_sees_the_same_bytes_on_every_pass_while_another_writes(tmp_path):
    cache = Cache(tmp_path)
    cache.put("speech", "cd" * 32, _tone(5000))
    first = b"".join(c.tobytes() for c in cache.chunks("speech", "cd" * 32, frames=1000))
    with cache.writer("speech", "cd" * 32) as w:  # a late writer, mid-read
        w.writeframes(_tone(7000).raw_data)
    second = b"".join(c.tobytes() for c in cache.chunks("speech", "cd" * 32, frames=1000))
    assert first == second and len(first) == 10000


def test_encoded_entries_are_final_too(tmp_path):
    cache = Cache(tmp_path)
    cache.put_bytes("mp3", "ef" * 32, b"one", ".mp3")
    cache.put_bytes("mp3", "ef" * 32, b"other", ".mp3")
    assert cache.path("mp3", "ef" * 32, ".mp3").read_bytes() == b"one"
