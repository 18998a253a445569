"""Cover art: generated in type when none is named, a named image converted; embedded in the MP3."""

from __future__ import annotations

import io

import numpy as np
import pytest
from mutagen.id3 import ID3
from PIL import Image

import smallbook
from narrate.audio.cover import SIZE, cover_for
from narrate.errors import ConfigError


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_a_generated_cover_is_a_square_jpeg_the_same_every_time(tmp_path):
    one = cover_for("", tmp_path, "La La Land – When Music Undresses the Soul", "Anonymous")
    again = cover_for("", tmp_path, "La La Land – When Music Undresses the Soul", "Anonymous")
    assert one.key == again.key and one.jpeg() == again.jpeg()
    image = _image(one.jpeg())
    assert (image.format, image.size, image.mode) == ("JPEG", (SIZE, SIZE), "RGB")
    other = cover_for("", tmp_path, "Another Book", "Anonymous")
    assert other.key != one.key and other.jpeg() != one.jpeg()


def test_a_generated_cover_has_type_on_it(tmp_path):
    pixels = _image(cover_for("", tmp_path, "Title", "Author").jpeg()).convert("L")
    # The title's band holds light type on the dark ground: many bright pixels, not a blank square.
    band = pixels.crop((0, int(SIZE * 0.3), SIZE, int(SIZE * 0.55)))
    bright = int((np.asarray(band) > 180).sum())
    assert bright > 2000


def test_a_pillow_without_freetype_still_draws_the_cover(tmp_path, monkeypatch):
    """Without FreeType, Pillow's load_default() gives its bitmap font, which has no getmetrics(): drawing used to raise."""
    from PIL import ImageFont

    from narrate.audio import cover

    monkeypatch.setattr(cover, "_font", lambda size: ImageFont.load_default_imagefont())
    image = _image(cover_for("", tmp_path, "A Title Only This Test Draws", "An Author").jpeg())
    assert (image.format, image.size) == ("JPEG", (SIZE, SIZE))
    band = image.convert("L").crop((0, int(SIZE * 0.3), SIZE, int(SIZE * 0.55)))
    assert int((np.asarray(band) > 180).sum()) > 0  # the title is there, small


def test_a_configured_image_is_converted_and_scaled(tmp_path):
    Image.new("RGBA", (3000, 2000), (200, 30, 30, 128)).save(tmp_path / "art.png")
    cover = cover_for("art.png", tmp_path, "T", "A")
    image = _image(cover.jpeg())
    assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (SIZE, 933))
    assert cover.key != cover_for("", tmp_path, "T", "A").key
    Image.new("RGB", (600, 600), "blue").save(tmp_path / "art.png")
    assert cover_for("art.png", tmp_path, "T", "A").key != cover.key  # keyed on the file's content


def test_a_missing_or_broken_cover_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match=r"book.cover: cannot read .*nope.jpg"):
        cover_for("nope.jpg", tmp_path, "T", "A")
    (tmp_path / "notes.jpg").write_text("not an image", encoding="utf-8")
    with pytest.raises(ConfigError, match="not an image"):
        cover_for("notes.jpg", tmp_path, "T", "A").jpeg()


def test_the_cover_is_embedded_in_the_mp3_and_its_section_tracks(tmp_path, fake_engine):
    root = smallbook.make_project(tmp_path / "book", formats=["mp3", "tracks"])
    report = smallbook.build(root)
    generated = cover_for("", root, report.chapters[0].title, "A. Writer").jpeg()
    tracks = [s.track for s in report.sections if s.track]
    assert tracks
    for path in [report.book, *tracks]:
        pictures = ID3(str(path)).getall("APIC")
        assert len(pictures) == 1 and pictures[0].type == 3 and pictures[0].mime == "image/jpeg"
        assert pictures[0].data == generated

    Image.new("RGB", (800, 800), (10, 120, 90)).save(root / "art.jpg")
    smallbook.make_project(root, formats=["mp3", "tracks"], cover="art.jpg")
    fake_engine.clear()
    report = smallbook.build(root)
    assert report.book_written and fake_engine == []  # a new cover re-tags the book, synthesizes nothing
    data = ID3(str(report.book)).getall("APIC")[0].data
    assert data == cover_for("art.jpg", root, "", "").jpeg()
    assert _image(data).getpixel((400, 400)) == pytest.approx((10, 120, 90), abs=3)
    assert all(ID3(str(t)).getall("APIC")[0].data == data for t in tracks)  # the tracks were re-tagged too
