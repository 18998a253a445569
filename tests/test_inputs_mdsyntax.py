"""inputs/mdsyntax.py: inline code as a narrator says it, site generators' template tags, HTML inside Markdown."""

from __future__ import annotations

from collections import Counter

import pytest

from narrate.inputs.base import Block
from narrate.inputs.mdsyntax import code_words, html_blocks, template_kind, untemplate_addresses


@pytest.mark.parametrize(
    ("code", "said"),
    [
        ("Option<T>", "Option T"), ("HashMap<K, V>", "HashMap K, V"), ("&mut self", "mut self"), ("#[derive(Debug)]", "derive Debug"),
        ("read_config(&path)", "read_config path"), ("C#", "C#"), ("*", "asterisk"), ("?", "question mark"), ("->", ""),
        ("](", ""),
    ],
)
def test_code_words(code, said):
    assert code_words(code) == said


@pytest.mark.parametrize(
    ("tag", "kind"),
    [
        ('{{< figure src="x.png" >}}', "figures"), ("{{< youtube abc >}}", "shortcodes"), ("{{% notice tip %}}", "shortcodes"),
        ('{{ youtube(id="x") }}', "shortcodes"), ("{% include a.html %}", "shortcodes"), ("{{ site.title }}", "shortcodes"),
        ("{:toc}", "toc"), ('{:target="_blank"}', ""), ("{#intro}", ""),
    ],
)
def test_template_kinds(tag, kind):
    assert template_kind(tag) == kind


def test_template_tags_leave_link_addresses_before_parsing():
    text = "See [the guide]({{ site.baseurl }}/guide/) and [x]({{< ref \"a.md\" >}}).\n[d]: {{ site.url }}/d\n"
    assert untemplate_addresses(text) == "See [the guide](/guide/) and [x]().\n[d]: /d\n"


def test_html_blocks_keep_prose_and_headings_and_set_apart_tables_code_and_figures():
    marks: Counter = Counter()
    html = (
        '<div class="note">\n<h2>A Heading</h2>\n<p>Prose with <a href="https://x.y">a link</a> &amp; more.</p>\n'
        "<!-- hidden comment -->\n<pre>code zorb\n  indented</pre>\n<table><tr><th>Tea</th><th>Minutes</th></tr>"
        "<tr><td>Green</td><td>Two</td></tr></table>\n<figure><img src=\"a.png\" alt=\"altzorb\"><figcaption>capzorb</figcaption>"
        '</figure>\n<img src="b.png"/>\n<iframe src="v">framezorb</iframe>\n<script>scriptzorb()</script>\n</div>\n'
    )
    assert html_blocks(html, marks) == [
        Block(2, "A Heading"),
        Block(0, "Prose with a link & more."),
        Block(0, "code zorb\n  indented", "code"),
        Block(0, "Tea, Minutes.\nGreen, Two.", "tables"),
    ]
    assert marks == Counter({"figures": 2, "html": 2, "link-targets": 1})
