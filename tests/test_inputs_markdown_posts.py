"""Markdown posts as Hugo, Jekyll and Zola write them: every word of the main text narrated in order, none of the rest."""

from __future__ import annotations

from conftest import run_cli
from inputs_util import assert_narrated, build, split_scripts

HUGO = """---
title: "The Tea Harvest"
date: 2024-03-09T08:00:00+00:00
draft: false
# author: "Someone Else"
author: ["Ann Brewer", "Ben Kettle"] # multiple authors
tags: ["tea", "farming"]
description: "A metaword summary for the list page"
cover:
    image: "https://example.org/coverzorb.png"
    alt: "Coveralt"
showToc: true
---

Every spring the pickers climb the terraced hills before dawn, when the
leaves are still cold and wet. {{< figure src="/images/terrazorb.jpg" caption="Figcaptionzorb" >}}

<!--more-->

## The First Flush {#flushanchor}

The *first flush* is the most **prized** picking of the year.[^flush] Growers
call it [the spring harvest][spring] and sell it at [auction](https://example.org/hiddenpath).

[spring]: https://example.org/refpath "Reftitlezorb"

[^flush]: Quuxnote: a flush is a new growth of leaves.

{{< youtube vidzorb >}}

| Grade | Leaves |
|-------|--------|
| Tablegold | Tablebud |

{{% notice tip %}}
Pick only the bud and the two leaves below it.
{{% /notice %}}

## Withering and Rolling

Withered leaves are rolled by hand <img src="/images/rollzorb.png" style="width: 70%;"/> which
bruises them gently. The `wither_time` setting and the `Option<T>` type are ours.
![Altzorb leaf](/images/leafzorb.jpg "Imgtitlezorb")

<img src="/images/blockzorb.png"/>

```python
def zorblax(leaves):
    return [leaf for leaf in leaves]  # codecomment
```

{{< highlight go >}}
func gozorb() {}
{{< /highlight >}}

- Rolling breaks the cell walls
- Oxidation darkens the leaf
  - Slowly, over hours

> A good cup of tea is a small ceremony.
"""

HUGO_MAIN = """
The Tea Harvest. By Ann Brewer and Ben Kettle.
Every spring the pickers climb the terraced hills before dawn, when the leaves are still cold and wet.
The First Flush. The first flush is the most prized picking of the year. Growers call it the spring harvest
and sell it at auction. Pick only the bud and the two leaves below it.
Withering and Rolling. Withered leaves are rolled by hand which bruises them gently. The wither time setting
and the Option T type are ours.
Rolling breaks the cell walls. Oxidation darkens the leaf. Slowly, over hours.
A good cup of tea is a small ceremony.
"""

HUGO_LEFT_OUT = [
    "metaword", "coveralt", "coverzorb", "figcaptionzorb", "terrazorb", "flushanchor", "hiddenpath", "refpath",
    "reftitlezorb", "quuxnote", "vidzorb", "grade", "tablegold", "tablebud", "notice", "tip", "rollzorb", "style",
    "altzorb", "leafzorb", "imgtitlezorb", "blockzorb", "zorblax", "codecomment", "python", "gozorb", "func",
    "highlight", "example", "org", "https", "images", "png", "jpg", "img", "src", "more", "draft", "tags", "farming",
]


def test_a_hugo_post_is_narrated_without_its_markup(tmp_path, monkeypatch, fake_engine):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "post.md").write_text(HUGO, encoding="utf-8")
    chapters, scripts, tags = build(tmp_path, "post.md")
    assert chapters == ["The Tea Harvest", "Introduction", "The First Flush", "Withering and Rolling"]
    assert str(tags["TALB"]) == "The Tea Harvest" and str(tags["TPE1"]) == "Ann Brewer and Ben Kettle"
    assert_narrated("\n".join(scripts.values()), HUGO_MAIN, HUGO_LEFT_OUT)
    said = run_cli("split", "post.md").stdout  # up to date: the line comes from book.json
    assert "left out: 2 code blocks, 1 footnote, 4 figures, 1 table, 2 link addresses, 1 note mark, 3 shortcodes" in said


JEKYLL = """---
layout: post
title:  "Notes on the Kettle"
date:   2024-01-05 10:00:00 +0000
categories: [kitchen, teapots]
author: Cora Steam
image: /assets/img/kettlecover.jpg
---

* TOC
{:toc}

A kettle is a simple machine, and yet it rewards attention. This post
collects a few notes on boiling water well.

Heating the Water
-----------------

Bring fresh water to a rolling boil. For green tea, let it rest a
minute before pouring.[^temp] See the [brewing guide]({{ site.baseurl }}/guidezorb/){:target="_blank"}
for more.

{% highlight ruby %}
def rubyzorb(temp)
  puts "Hi, #{temp}"
end
#=> prints 'Hi, hashzorb' to STDOUT.
{% endhighlight %}

    indentzorb = 1

Descaling
=========

> Vinegar dissolves the scale
> in an hour.

{% include liquidzorb.html %}

Check out the [Jekyll docs][jekyll-docs] for more about {{ site.title }} and
<https://autozorb.example.com/x>.

[jekyll-docs]: https://jekyllrb.com/docs/home
[^temp]: Tempnote eighty degrees is enough for green tea.
"""

JEKYLL_MAIN = """
Notes on the Kettle. By Cora Steam.
A kettle is a simple machine, and yet it rewards attention. This post collects a few notes on boiling water well.
Heating the Water. Bring fresh water to a rolling boil. For green tea, let it rest a minute before pouring.
See the brewing guide for more.
Descaling. Vinegar dissolves the scale in an hour. Check out the Jekyll docs for more about and.
"""

JEKYLL_LEFT_OUT = [
    "layout", "kitchen", "teapots", "kettlecover", "toc", "guidezorb", "target", "blank", "baseurl", "rubyzorb",
    "puts", "hashzorb", "stdout", "highlight", "indentzorb", "liquidzorb", "include", "jekyllrb", "tempnote",
    "eighty", "autozorb", "https", "site",
]


def test_a_jekyll_post_is_narrated_without_its_markup(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    scripts, said, _ = split_scripts(tmp_path, "2024-01-05-kettle-notes.md", JEKYLL)
    assert scripts.startswith("Notes on the Kettle.\n\nBy Cora Steam.\n")
    assert "Vinegar dissolves the scale in an hour." in scripts  # a quote's hard-wrapped lines join
    assert_narrated(scripts, JEKYLL_MAIN, JEKYLL_LEFT_OUT)
    assert said.startswith("left out: 1 table of contents, 2 code blocks, 1 footnote, 3 link addresses, 1 note mark, 2 shortcodes (")


ZOLA = """+++
title = "Steeping Time"
date = 2024-02-01
description = "Metazola words for the feed"
draft = false

[taxonomies]
tags = ["brewing"]

[extra]
author = "Dana Leaf"
+++

Steeping is where patience pays. A short steep gives a light cup; a long
one draws out the tannins.

<!-- more -->

## Timing the Steep

{{ youtube(id="zolazorb") }}

Most black teas want about four minutes. Use a timer, not a guess.

{% quote(author="Quoteauthorzorb") %}
Tea is the pause between two thoughts.
{% end %}

A haiku on the cup:

Leaves unfold slowly  
Amber spreads through the water  
Steam carries the spring

<figure>
  <img src="cup.jpg" alt="Figaltzorb">
  <figcaption>Figcapzorb a cup</figcaption>
</figure>

## Keeping Notes

Keep a notebook of each tea with its time and temperature.[^log]

```toml
steepzorb = 4
```

[^log]: Lognotezorb a simple table works.
"""

ZOLA_MAIN = """
Steeping Time. By Dana Leaf.
Steeping is where patience pays. A short steep gives a light cup; a long one draws out the tannins.
Timing the Steep. Most black teas want about four minutes. Use a timer, not a guess.
Tea is the pause between two thoughts. A haiku on the cup:
Leaves unfold slowly Amber spreads through the water Steam carries the spring
Keeping Notes. Keep a notebook of each tea with its time and temperature.
"""

ZOLA_LEFT_OUT = [
    "metazola", "feed", "taxonomies", "brewing", "extra", "zolazorb", "youtube", "quoteauthorzorb", "quote",
    "figaltzorb", "figcapzorb", "jpg", "steepzorb", "toml", "lognotezorb", "more", "end",
]


def test_a_zola_post_with_toml_front_matter_is_narrated_without_its_markup(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    scripts, said, left_out = split_scripts(tmp_path, "steeping.md", ZOLA)
    assert scripts.startswith("Steeping Time.\n\nBy Dana Leaf.\n")  # the title is not "+++"
    assert "Leaves unfold slowly\nAmber spreads through the water\nSteam carries the spring" in scripts  # verse
    assert_narrated(scripts, ZOLA_MAIN, ZOLA_LEFT_OUT)
    assert said.startswith("left out: 1 code block, 1 footnote, 1 figure, 1 note mark, 3 shortcodes (")
    assert {p["kind"]: p["count"] for p in left_out} == {"code": 1, "footnotes": 1, "figures": 1, "note-marks": 1, "shortcodes": 3}
