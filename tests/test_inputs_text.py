"""inputs/text.py: front matter (YAML and TOML, as Hugo, Jekyll and Zola write it), and Markdown told from plain text."""

from __future__ import annotations

from pathlib import Path

import pytest

from narrate.errors import InputError
from narrate.inputs.text import TextReader, front_matter, is_markdown
from narrate.text.split import read_essay_text, split_essay

ESSAY = Path(__file__).resolve().parent.parent / "essay" / "la-la-land.txt"

FRONT = [
    pytest.param(
        '---\ntitle: "Pandas Tutor"\ndate: 2022-05-12T08:00:00+00:00\n# author: "Me"\nauthor: ["Sam Lau", "Philip Guo"] # two\n'
        "tags: [a, b]\ncover:\n    image: art/cup.png\n---\nText.\n",
        {"title": "Pandas Tutor", "author": "Sam Lau and Philip Guo", "date": "2022-05-12", "cover": "art/cup.png"},
        id="hugo-yaml-comments-lists-cover-image",
    ),
    pytest.param(
        '---\nlayout: post\ntitle:  "Notes"\ndate:   2024-01-05 10:00:00 +0000\nauthor: Cora Steam\nimage: /assets/x.jpg\n---\nText.\n',
        {"title": "Notes", "author": "Cora Steam", "date": "2024-01-05"},
        id="jekyll-yaml",
    ),
    pytest.param(
        '+++\npath = "2017/03/02/x"\ntitle = "Rust\'s ergonomics"\nauthors = ["Aaron Turon"]\ndate = 2017-03-02\n+++\nText.\n',
        {"title": "Rust's ergonomics", "author": "Aaron Turon", "date": "2017-03-02"},
        id="zola-toml-authors",
    ),
    pytest.param(
        '+++\ntitle = "T"\n[extra]\nauthor = ["A", "B", "C"]\ncover = "https://example.org/c.png"\n+++\nText.\n',
        {"title": "T", "author": "A, B and C"},
        id="toml-extra-author-list",
    ),
    pytest.param('---\ncover: "https://example.org/c.png"\n---\nText.\n', {}, id="remote-cover-is-the-sites"),
    pytest.param("---\n---\nText.\n", {}, id="empty"),
]


@pytest.mark.parametrize(("text", "fields"), FRONT)
def test_front_matter_fields(text, fields):
    found, body, fenced = front_matter(text, Path("post.md"))
    assert (found, body, fenced) == (fields, "Text.\n", True)


def test_a_rule_that_opens_an_essay_is_not_front_matter():
    text = "---\nJust a line of prose.\n---\nText.\n"
    assert front_matter(text, Path("e.md")) == ({}, text, False)


@pytest.mark.parametrize("fence", ["---", "+++"])
def test_broken_front_matter_names_its_format(fence):
    text = f"{fence}\ntitle: [unclosed\n{fence}\nText.\n" if fence == "---" else '+++\ntitle = "x\n+++\nText.\n'
    with pytest.raises(InputError, match="YAML" if fence == "---" else "TOML"):
        front_matter(text, Path("e.md"))


SIGNS = [
    "# Title\n\nText.", "Text.\n\n```\ncode\n```", "Title\n=====\n\nText.", "See [the film](https://x.y).",
    "See [the film][1].\n\n[1]: https://x.y", "A note.[^1]", "| a | b |\n|---|---|\n| 1 | 2 |", "Run `narrate`.",
    'An <img src="x.png"> here.', "<!-- more -->", "See <https://x.y>.", "{{< youtube x >}}", "{% include x.html %}",
]


@pytest.mark.parametrize("text", SIGNS)
def test_markdown_is_told_by_its_structure(text):
    assert is_markdown(text)


@pytest.mark.parametrize(
    "text",
    [ESSAY.read_text(encoding="utf-8"), "My Essay\n\n1. First\n*Soft* words - and _more_.\n\n> quoted\n- a list\n", "C# and F#, 2 < 3."],
    ids=["example", "emphasis-lists-quotes", "symbols"],
)
def test_plain_text_is_not_markdown(text):
    assert not is_markdown(text)


def test_a_plain_text_essay_splits_as_split_essay_does(tmp_path):
    essay = TextReader().read(ESSAY)
    assert essay == split_essay(read_essay_text(ESSAY), fallback_title="La La Land")
    plain = tmp_path / "marks.txt"
    plain.write_text("**My** Essay\n\n1. First\n*Soft* words.\n- a listed line\n", encoding="utf-8")
    essay = TextReader().read(plain)
    assert essay.title == "My Essay" and essay.sections[0].paragraphs == ("Soft words.", "a listed line")
