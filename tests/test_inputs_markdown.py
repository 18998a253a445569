"""inputs/markdown.py: front matter feeds the book, the title and heading rules, kinds read when asked, and no Markdown syntax ever reaches a script."""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from conftest import assert_clear_error, run_cli
from inputs_util import assert_clean, build, split_scripts, words
from narrate.inputs.base import Document
from narrate.inputs.text import TextReader
from narrate.script import plan_scripts

ESSAY_TXT = Path(__file__).resolve().parent.parent / "essay" / "la-la-land.txt"

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


# --- posts as Hugo, Jekyll and Zola write them -------------------------------------------

# --- the title, and what the parser must not change -------------------------------------------


def test_front_matter_title_keeps_the_first_line_of_a_hard_wrapped_first_paragraph(tmp_path, monkeypatch):
    # issue 24: the first line became the title (then lost to the front matter's) or vanished
    monkeypatch.chdir(tmp_path)
    text = '---\ntitle: "T"\n---\n\nTo help bring our vision to fruition, the subteams are\nlaunching initiatives.\n\n## Part\n\nText.\n'
    scripts, _, _ = split_scripts(tmp_path, "e.md", text)
    assert scripts == "T.\n\nIntroduction.\n\nTo help bring our vision to fruition, the subteams are launching initiatives.\n\nPart.\n\nText.\n"


def test_a_first_line_of_its_own_is_the_title_and_a_wrapped_one_is_not(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    scripts, _, _ = split_scripts(tmp_path, "a.md", "My Title\n\nSome *prose* here.\n\n## Part\n\nText.\n")
    assert scripts.startswith("My Title.\n\nIntroduction.\n\nSome prose here.\n")
    (tmp_path / "script").rename(tmp_path / "old")
    scripts, _, _ = split_scripts(tmp_path, "b.md", "A wrapped first line\nof *prose* here.\n\n## Part\n\nText.\n")
    assert scripts.startswith("B.\n\nIntroduction.\n\nA wrapped first line of prose here.\n")


def test_the_example_essay_forced_through_the_parser_splits_as_plain_text(tmp_path, monkeypatch):
    # front matter makes it Markdown: "1. Title" above prose stays a heading, not an ordered list
    monkeypatch.chdir(tmp_path)
    plain = ESSAY_TXT.read_text(encoding="utf-8")
    scripts, _, _ = split_scripts(tmp_path, "la-la-land.md", "---\nauthor: Anonymous\n---\n" + plain)
    committed = "\n".join(p.read_text(encoding="utf-8") for p in sorted((ESSAY_TXT.parent.parent / "script").glob("*.txt")))
    assert scripts == committed


def test_numbered_steps_stay_a_list_and_a_numbered_line_alone_above_prose_is_a_heading(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = (
        "# Brewing\n\n1. Method\n\nWe measured every cup.\n\n1. Boil the water\n2. Pour it over the leaves\n"
        "   slowly, in circles\n\nIV. Results\nThe tea was good.\n"
    )
    scripts, _, _ = split_scripts(tmp_path, "steps.md", text)
    assert scripts == (
        "Brewing.\n\nMethod.\n\nWe measured every cup.\n\nBoil the water.\n\nPour it over the leaves slowly, in circles.\n\n"
        "Results.\n\nThe tea was good.\n"
    )


def test_indented_lines_are_code_in_a_markdown_file_and_a_paragraph_in_a_text_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = "# Notes\n\n## One\n\n    An indented paragraph of prose.\n\nMore `prose`.\n"
    md, said, _ = split_scripts(tmp_path, "notes.md", text)
    assert "indented" not in md and said.startswith("left out: 1 code block (")
    (tmp_path / "script").rename(tmp_path / "old")
    txt, said, _ = split_scripts(tmp_path, "notes.txt", text)
    assert "An indented paragraph of prose.\n\nMore prose." in txt and said == ""


def test_a_kind_asked_for_is_read_where_it_falls(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "narrate.toml").write_text('[input]\nread = ["footnotes", "code", "tables"]\n', encoding="utf-8")
    text = (
        "# Notes\n\nThe first mark.[^a] More words.\n\n| Tea | Minutes |\n|---|---|\n| Green | Two |\n\n"
        "```\nprint zorb\n```\n\nLast words.\n\n[^a]: The note itself.\n"
    )
    scripts, said, _ = split_scripts(tmp_path, "notes.md", text)
    assert scripts == (
        "Notes.\n\nNotes.\n\nThe first mark. More words.\n\nThe note itself.\n\nTea, Minutes.\nGreen, Two.\n\nprint zorb\n\n"
        "Last words.\n"
    )
    assert said.startswith("left out: 1 note mark (")


def test_broken_toml_front_matter_is_one_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tea.md").write_text('+++\ntitle = "unclosed\n+++\nText.\n', encoding="utf-8")
    assert_clear_error(run_cli("-q", "split", "tea.md"), r"tea\.md: the front matter \(between the \+\+\+ lines\) is not valid TOML")
    assert not (tmp_path / "script").exists()


# --- property: whatever Markdown a document holds, its scripts hold none --------------------------

WORDS = ["tea", "leaf", "Water", "cup", "kettle's", "green,", "steep.", "slowly!", "why?", "(brew)", "pot:", "a", "x_y"]
CODE = ["Option<T>", "*", "](", "[^1]", "---", "+++", "<div>", "a`b", "x = [1](2)", "{{ y }}", "&i32", "#[derive]"]
word = st.sampled_from(WORDS)
text = st.lists(word, min_size=1, max_size=5).map(" ".join)


@st.composite
def inline(draw) -> str:
    """A run of inline Markdown; returns the source, definitions it needs appended to the document by the caller."""
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        t = draw(text)
        form = draw(st.sampled_from([
            "{}", "*{}*", "**{}**", "_{}_", "~~{}~~", "***{}***", "[{}](https://example.org/p?q=1)", "[{}][ref]",
            "[{}][missing]", "[{}](a b)", "{}[^n]", "{}[^nowhere]", "^[{} inline note]", "<https://auto.example/x>",
            "![{}](pic.png)", "<img src=\"pic.png\" style=\"w\"/> {}", "<span>{}</span>", "{}<br>{}", "<!-- {} -->",
            "{{< figure src=\"f.png\" >}} {}", "{% tag %} {}", "{{ site.title }} {}", "{}{:target=\"_blank\"}",
            "<sup>1</sup>{}", "<iframe src=\"v\">{}</iframe>",
        ]))
        parts.append(form.replace("{}", t, 1).replace("{}", t))
        if draw(st.booleans()):
            parts.append("`" + draw(st.sampled_from(CODE)) + "`" if "`" not in parts[-1][-1:] else "``a`b``")
    return draw(st.sampled_from([" ", "\n"])).join(parts)


@st.composite
def block(draw) -> str:
    line, code = draw(inline()), draw(st.sampled_from(CODE))
    return draw(st.sampled_from([
        line, line, "# " + line, "### " + line + " ###", "## " + line + " {#anchor}", line.replace("\n", " ") + "\n===",
        line.replace("\n", " ") + "\n---", f"```rust\n{code}\n# not a heading\n```", f"    {code}\n    ---",
        "> " + line.replace("\n", "\n> "), f"- {line}\n- {line}\n  - {line}", f"1. {line}\n2. {line}",
        f"3) {line}\n\n   {line}", f"| {code.replace('|', '')} | b |\n|---|---|\n| {line.replace(chr(10), ' ')} | `c` |",
        f"<div>\n{line}\n</div>", '<img src="a.png"/>', "<figure><img src=\"b.png\"><figcaption>cap</figcaption></figure>",
        "---", "***", f"[^n]: {line}", f"{{% highlight ruby %}}\n{code}\n{{% endhighlight %}}", "{{< youtube x >}}",
        "* TOC\n{:toc}", f"- [ ] {line}\n- [x] {line}",
    ]))


@st.composite
def documents(draw) -> str:
    front = draw(st.sampled_from(["", '---\ntitle: "Tea"\ntags: [a, b]\n---\n', '+++\ntitle = "Tea"\n[extra]\nx = 1\n+++\n']))
    blocks = [draw(text), *draw(st.lists(block(), min_size=1, max_size=8))]
    return front + "\n\n".join(blocks) + "\n\n[ref]: https://example.org/ref\n"


MARKUP_SYNTAX = re.compile(r"\]\(|\[\^|`|<[A-Za-z/!]|\+\+\+|---|\{\{|\{%|\{:")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_no_markdown_syntax_reaches_the_scripts(document):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "post.md"
        path.write_text(document, encoding="utf-8")
        found = TextReader().read(path)
        essay = found.essay(path) if isinstance(found, Document) else found
    scripts = [s.text for s in plan_scripts(essay)]
    for script in scripts:
        assert not MARKUP_SYNTAX.search(script), (MARKUP_SYNTAX.search(script).group(0), script)
    first = document.split("\n\n")[0].split("\n")[-1]  # the opening words (after any front matter) are read
    assert " ".join(words(first)) in " ".join(words(" ".join(scripts)))
