"""Markdown front matter: title, author, date and cover feed the book; narrate.toml wins when it sets them."""

from __future__ import annotations

import io

from PIL import Image

from conftest import assert_clear_error, run_cli
from inputs_util import assert_clean, build

ESSAY = """---
title: "Tea: A Short History"
author: Ann Brewer
date: 2026-01-03
cover: art/cup.png
---
## The Leaf

Every tea comes from one plant.

## The Water

Soft water brings out the sweetness.
"""


def test_front_matter_feeds_title_author_and_cover(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "writing" / "art").mkdir(parents=True)
    Image.new("RGB", (64, 48), (200, 20, 20)).save(tmp_path / "writing" / "art" / "cup.png")
    (tmp_path / "writing" / "tea.md").write_text(ESSAY, encoding="utf-8")
    chapters, scripts, tags = build(tmp_path, "writing/tea.md")

    assert chapters == ["Tea: A Short History", "The Leaf", "The Water"]
    assert str(tags["TALB"]) == "Tea: A Short History" and str(tags["TPE1"]) == "Ann Brewer"
    cover = Image.open(io.BytesIO(tags.getall("APIC")[0].data)).convert("RGB")
    r, g, b = cover.getpixel((cover.width // 2, cover.height // 2))
    assert r > 150 and g < 80 and b < 80  # the essay's own red cover, not a generated one
    assert scripts["00-opening.txt"].startswith("Tea: A Short History.\n\nBy Ann Brewer.")
    assert_clean(scripts, ["2026", "cup.png", "---"])


def test_narrate_toml_wins_over_front_matter(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tea.md").write_text(ESSAY.replace("cover: art/cup.png\n", ""), encoding="utf-8")
    (tmp_path / "narrate.toml").write_text('[book]\ntitle = "Set Title"\nauthor = "Set Author"\n', encoding="utf-8")
    chapters, _, tags = build(tmp_path, "tea.md")
    assert chapters[0] == "Set Title" and str(tags["TPE1"]) == "Set Author"


def test_broken_front_matter_is_one_line(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tea.md").write_text("---\ntitle: [unclosed\n---\nText.\n", encoding="utf-8")
    assert_clear_error(run_cli("-q", "build", "tea.md", "--engine", "fake"), r"tea\.md: the front matter .* is not valid YAML")
    assert not (tmp_path / "script").exists()
