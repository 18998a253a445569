"""Cover art: the image narrate.toml names, or one set in type from the title and author.

Players show a blank square for a book without a cover, so there is always one. The
generated cover is deterministic (the same title and author give the same bytes), and
uses the typeface Pillow embeds, so it looks the same on every machine.
"""

from __future__ import annotations

import functools
import hashlib
import io
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from narrate.errors import ConfigError
from narrate.keys import cover_key

if TYPE_CHECKING:  # Pillow is imported when a cover is drawn
    from PIL import ImageDraw, ImageFont

SIZE = 1400  # Apple Podcasts' minimum; big enough for any player, small as a JPEG

# (background, ink, accent): quiet, dark grounds with light type; one is chosen from the title.
_PALETTES = (
    ((28, 37, 54), (238, 232, 220), (201, 164, 92)),
    ((44, 30, 42), (240, 230, 226), (214, 140, 120)),
    ((24, 46, 44), (232, 238, 230), (150, 196, 170)),
    ((38, 38, 40), (236, 236, 232), (190, 170, 120)),
)


@dataclass(frozen=True)
class Cover:
    """The book's cover: `key` changes whenever its bytes would.

    Attributes:
        key: what the cover is made from (for output keys).
        source: the configured image, or None for a generated cover.
        title: the book's title (for a generated cover).
        author: the book's author (for a generated cover).
    """

    key: str
    source: Path | None
    title: str
    author: str

    def jpeg(self) -> bytes:
        """The cover as JPEG bytes (made once per process).

        Raises:
            ConfigError: the configured image cannot be read as an image.
        """
        return _jpeg(self)


def cover_for(setting: str, root: Path, title: str, author: str) -> Cover:
    """The cover for narrate.toml's `[book] cover` (a path, or "" to generate one).

    Raises:
        ConfigError: the configured file cannot be read.
    """
    if not setting:
        return Cover(cover_key(title=title, author=author), None, title, author)
    path = Path(setting) if Path(setting).is_absolute() else Path(root) / setting
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        raise ConfigError(
            f"book.cover: cannot read {path}: {exc.strerror}; fix the path or remove the line "
            "to get a generated cover",
            "book.cover",
        ) from exc
    return Cover(cover_key(image=digest), path, title, author)


@functools.lru_cache(maxsize=4)
def _jpeg(cover: Cover) -> bytes:
    from PIL import Image

    if cover.source is None:
        image = generate(cover.title, cover.author)
    else:
        try:
            with Image.open(cover.source) as opened:
                opened.load()
                image = _flatten(opened)
        except (OSError, Image.DecompressionBombError, SyntaxError, ValueError) as exc:
            raise ConfigError(
                f"book.cover: {cover.source} is not an image Pillow can read ({exc}); use a JPEG or PNG",
                "book.cover",
            ) from exc
        if max(image.size) > SIZE:
            image.thumbnail((SIZE, SIZE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, optimize=True)
    return out.getvalue()


def _flatten(image):
    """RGB on white, whatever the mode (transparency, palette, CMYK, grey)."""
    from PIL import Image

    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        ground = Image.new("RGB", rgba.size, (255, 255, 255))
        ground.paste(rgba, mask=rgba.getchannel("A"))
        return ground
    return image.convert("RGB")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def _line_height(font: ImageFont.FreeTypeFont | ImageFont.ImageFont) -> int:
    """Ascent plus descent; Pillow without FreeType gives a bitmap font, which only has a box."""
    if hasattr(font, "getmetrics"):
        ascent, descent = font.getmetrics()
        return ascent + descent
    box = font.getbbox("Ag")
    return int(box[3] - box[1])


def _wrap(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> tuple[list[str], ImageFont.FreeTypeFont | ImageFont.ImageFont]:
    """Lines of `text` that fit `width` pixels, shrinking the type until they do (at most 5 lines)."""
    while True:
        font = _font(size)
        chars = max(4, int(width / (size * 0.5)))
        for columns in range(chars, 3, -1):
            lines = textwrap.wrap(text, columns, break_long_words=True) or [""]
            if all(draw.textlength(line, font=font) <= width for line in lines):
                break
        if len(lines) <= 5 or size <= 40:
            return lines, font
        size = int(size * 0.88)


_PLAIN = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2026": "..."})


def _plain(text: str) -> str:
    """Typographic punctuation the embedded typeface lacks, as its plain forms."""
    return " ".join(text.translate(_PLAIN).split())


def _split_title(title: str) -> tuple[str, str]:
    """'Main - Subtitle' or 'Main: Subtitle' as (main, subtitle); the subtitle is set smaller."""
    for separator in (" - ", ": "):
        main, found, subtitle = title.partition(separator)
        if found and main.strip() and subtitle.strip():
            return main.strip(), subtitle.strip()
    return title, ""


def generate(title: str, author: str):
    """A square cover: the title large, a rule, the author smaller; colours chosen from the title.

    Returns:
        A PIL RGB image of SIZE x SIZE pixels.
    """
    from PIL import Image, ImageDraw

    background, ink, accent = _PALETTES[int(hashlib.sha256(title.encode()).hexdigest(), 16) % len(_PALETTES)]
    image = Image.new("RGB", (SIZE, SIZE), background)
    draw = ImageDraw.Draw(image)
    margin = SIZE // 9
    width = SIZE - 2 * margin
    # A thin frame keeps the square from looking unfinished at thumbnail size.
    inset = SIZE // 28
    draw.rectangle((inset, inset, SIZE - inset - 1, SIZE - inset - 1), outline=accent, width=4)

    main, subtitle = _split_title(_plain(title) or "Untitled")
    blocks = [_wrap(draw, main, 118, width)]
    if subtitle:
        blocks.append(_wrap(draw, subtitle, 64, width))
    heights = []
    for lines, font in blocks:
        heights.append((int(_line_height(font) * 1.15), len(lines)))
    gap = SIZE // 30
    block = sum(h * n for h, n in heights) + gap * (len(blocks) - 1)
    top = y = int(SIZE * 0.42) - block // 2
    for (lines, font), (leading, _) in zip(blocks, heights):
        for line in lines:
            draw.text((SIZE // 2, y), line, font=font, fill=ink, anchor="mt")
            y += leading
        y += gap
    rule_y = top + block + SIZE // 28
    draw.line((SIZE // 2 - SIZE // 10, rule_y, SIZE // 2 + SIZE // 10, rule_y), fill=accent, width=5)
    if author:
        author_lines, author_font = _wrap(draw, _plain(author).upper(), 56, width)
        for index, line in enumerate(author_lines[:2]):
            y = rule_y + SIZE // 28 + index * int(_line_height(author_font) * 1.2)
            draw.text((SIZE // 2, y), line, font=author_font, fill=accent, anchor="mt")
    label_font = _font(34)
    draw.text((SIZE // 2, SIZE - margin), "AN AUDIOBOOK", font=label_font, fill=accent, anchor="mb")
    return image
