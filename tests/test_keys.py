"""keys.py: every cache key changes with what it names, and only with that."""

from __future__ import annotations

import hashlib

from narrate import keys


def test_a_key_is_the_sha256_of_its_parts_in_canonical_json():
    # Written out by hand: sorted keys, no spaces, the text as UTF-8 (not escaped), the cache version.
    blob = '{"engine":"fake","text":"Café.","v":%d,"voice":"x"}' % keys.CACHE_VERSION
    assert keys.speech_key("fake", {"voice": "x"}, "Café.") == hashlib.sha256(blob.encode("utf-8")).hexdigest()
    assert keys.make_key(b=1, a=2) == keys.make_key(a=2, b=1)


def test_the_first_take_keeps_the_key_made_before_takes_existed_and_others_differ():
    first = keys.speech_key("fake", {"voice": "x"}, "Hello.")
    assert first == keys.make_key(engine="fake", voice="x", text="Hello.") == keys.speech_key("fake", {"voice": "x"}, "Hello.", 0)
    others = {keys.speech_key("fake", {"voice": "x"}, "Hello.", t) for t in (1, 2)}
    assert len(others) == 2 and first not in others
    assert first != keys.speech_key("fake", {"voice": "y"}, "Hello.") != keys.speech_key("other", {"voice": "x"}, "Hello.")


def test_a_section_key_follows_its_sentences_their_order_pauses_target_and_version(monkeypatch):
    units = [("a" * 64, 300), ("b" * 64, 600)]
    key = keys.section_key("acx", units)
    assert key == keys.section_key("acx", [tuple(u) for u in units])
    assert key != keys.section_key("acx", units[::-1])
    assert key != keys.section_key("acx", [units[0], ("b" * 64, 601)])
    assert key != keys.section_key("podcast", units)
    monkeypatch.setattr(keys, "SECTION_VERSION", keys.SECTION_VERSION + 1)
    assert keys.section_key("acx", units) != key


def test_a_version_bump_misses_every_key_it_covers(monkeypatch):
    before = keys.speech_key("fake", {}, "Hi."), keys.body_key("s", "64k"), keys.m4b_key("b", "64k")
    monkeypatch.setattr(keys, "CACHE_VERSION", keys.CACHE_VERSION + 1)
    after = keys.speech_key("fake", {}, "Hi."), keys.body_key("s", "64k"), keys.m4b_key("b", "64k")
    assert all(b != a for b, a in zip(before, after))
    assert keys.body_key("s", "64k") != keys.body_key("s", "96k")  # the bitrate is part of an encoding


def test_an_outputs_key_keeps_its_recipe_readable_and_follows_the_audio():
    recipe = keys.book_key(title="T", sections=[["One", "k1"]])
    key = keys.with_audio(recipe, ["d1", "d2"])
    assert keys.recipe_of(key) == recipe and keys.recipe_of(None) is None
    assert key != keys.with_audio(recipe, ["d1", "d3"])  # a body made again with other audio: written again
    assert key != keys.with_audio(recipe, ["d1", None])
    assert keys.track_key(number=1) != keys.book_key(number=1)  # kinds never collide
