"""Web pages for the HTML reader's tests, in the layouts real tools write: a MediaWiki article, a newsletter
post (Substack and Ghost markup), a technical blog post on a personal site (code, permalinks, a licence footer).

Each page comes with its main text (paragraph by paragraph, in reading order: every word must reach the
scripts, in order) and the words only its left-out parts hold (none may reach a script).
"""

from __future__ import annotations

# --- A wiki article, as MediaWiki renders it (mw-parser-output, edit sections, references, navboxes) ---

WIKI_MAIN = [
    "A teapot is a vessel used for steeping tea leaves in boiling water and for serving the infusion at the table.",
    "Teapots are usually made of porcelain or stoneware, and a good one keeps the water hot for the whole pot.",
    "History",
    "The first teapots were made in China during the Yuan dynasty, when brewing loose leaves replaced whisked powder.",
    "Merchants carried them westward along the trade routes, and European potters soon copied their shape.",
    "Design",
    "A teapot has a spout, a lid and a handle; the strainer inside the spout holds the leaves back.",
    "The round body lets the leaves move freely in the water, which is said to give the fullest flavour.",
]
WIKI_LEFT_OUT = [
    "edit", "Jingdezhen", "samovar", "cosy", "porcelain vessels", "leaf press", "isbn", "cane", "museum online",
    "saucer", "kettle", "retrieved", "categories", "contents", "for the song", "brown betty", "six cups",
    "material", "citation", "wikipedia", "donate", "random article", "last edited", "privacy policy", "teaware",
]
WIKI = """<!DOCTYPE html>
<html class="client-nojs" lang="en" dir="ltr"><head><meta charset="UTF-8"><title>Teapot - Wikipedia</title></head>
<body class="mediawiki ltr sitedir-ltr skin-vector action-view">
<div id="mw-page-base" class="noprint"></div>
<div id="content" class="mw-body" role="main">
<h1 id="firstHeading" class="firstHeading" lang="en">Teapot</h1>
<div id="bodyContent" class="vector-body">
<div id="siteSub" class="noprint">From Wikipedia, the free encyclopedia</div>
<div id="mw-content-text" lang="en" dir="ltr" class="mw-content-ltr"><div class="mw-parser-output">
<div role="note" class="hatnote navigation-not-searchable">For the song, see <a href="/wiki/Teapot_(song)">Teapot (song)</a>.</div>
<table class="infobox"><tbody><tr><th colspan="2" class="infobox-above">Teapot</th></tr>
<tr><th scope="row" class="infobox-label">Material</th><td class="infobox-data">Porcelain, clay</td></tr>
<tr><th scope="row" class="infobox-label">Invented</th><td class="infobox-data">Yuan dynasty</td></tr></tbody></table>
<p>A <b>teapot</b> is a vessel used for steeping <a href="/wiki/Tea">tea</a> leaves in boiling water and for serving the infusion at the table.<sup id="cite_ref-brewer_1-0" class="reference"><a href="#cite_note-brewer-1">[1]</a></sup></p>
<p>Teapots are usually made of porcelain or stoneware, and a good one keeps the water hot for the whole pot.<sup class="noprint Inline-Template Template-Fact" style="white-space:nowrap;">[<i><a href="/wiki/Wikipedia:Citation_needed" title="Wikipedia:Citation needed"><span title="This claim needs references to reliable sources.">citation needed</span></a></i>]</sup></p>
<div id="toc" class="toc" role="navigation" aria-labelledby="mw-toc-heading"><input type="checkbox" role="button" id="toctogglecheckbox" class="toctogglecheckbox" style="display:none">
<div class="toctitle" lang="en" dir="ltr"><h2 id="mw-toc-heading">Contents</h2></div>
<ul><li class="toclevel-1 tocsection-1"><a href="#History"><span class="tocnumber">1</span> <span class="toctext">History</span></a></li>
<li class="toclevel-1 tocsection-2"><a href="#Design"><span class="tocnumber">2</span> <span class="toctext">Design</span></a></li>
<li class="toclevel-1 tocsection-3"><a href="#See_also"><span class="tocnumber">3</span> <span class="toctext">See also</span></a></li></ul></div>
<h2><span class="mw-headline" id="History">History</span><span class="mw-editsection"><span class="mw-editsection-bracket">[</span><a href="/w/index.php?title=Teapot&amp;action=edit&amp;section=1" title="Edit section: History">edit</a><span class="mw-editsection-bracket">]</span></span></h2>
<div class="thumb tright"><div class="thumbinner" style="width:222px;"><a href="/wiki/File:Teapot.jpg" class="image"><img alt="" src="//upload.wikimedia.org/teapot.jpg" width="220" height="165" class="thumbimage"></a><div class="thumbcaption"><div class="magnify"><a href="/wiki/File:Teapot.jpg" class="internal" title="Enlarge"></a></div>A porcelain teapot from Jingdezhen</div></div></div>
<p>The first teapots were made in China during the <a href="/wiki/Yuan_dynasty">Yuan dynasty</a>, when brewing loose leaves replaced whisked powder.<sup id="cite_ref-2" class="reference"><a href="#cite_note-2">[2]</a></sup></p>
<p>Merchants carried them westward along the trade routes, and European potters soon copied their shape.</p>
<table class="wikitable"><tbody><tr><th>Style</th><th>Capacity</th></tr><tr><td>Brown Betty</td><td>Six cups</td></tr></tbody></table>
<h2><span class="mw-headline" id="Design">Design</span><span class="mw-editsection"><span class="mw-editsection-bracket">[</span><a href="/w/index.php?title=Teapot&amp;action=edit&amp;section=2" title="Edit section: Design">edit</a><span class="mw-editsection-bracket">]</span></span></h2>
<p>A teapot has a spout, a lid and a handle; the strainer inside the spout holds the leaves back.<sup id="cite_ref-3" class="reference"><a href="#cite_note-3">[a]</a></sup></p>
<p>The round body lets the leaves move freely in the water, which is said to give the fullest flavour.</p>
<h2><span class="mw-headline" id="See_also">See also</span><span class="mw-editsection"><span class="mw-editsection-bracket">[</span><a href="/w/index.php?title=Teapot&amp;action=edit&amp;section=3" title="Edit section: See also">edit</a><span class="mw-editsection-bracket">]</span></span></h2>
<div class="div-col"><ul><li><a href="/wiki/Tea_cosy">Tea cosy</a></li><li><a href="/wiki/Samovar">Samovar</a></li></ul></div>
<h2><span class="mw-headline" id="Notes">Notes</span><span class="mw-editsection"><span class="mw-editsection-bracket">[</span><a href="/w/index.php?title=Teapot&amp;action=edit&amp;section=4" title="Edit section: Notes">edit</a><span class="mw-editsection-bracket">]</span></span></h2>
<div class="reflist reflist-lower-alpha"><div class="mw-references-wrap"><ol class="references">
<li id="cite_note-3"><span class="mw-cite-backlink"><b><a href="#cite_ref-3">^</a></b></span> <span class="reference-text">Some handles are wrapped in cane.</span></li></ol></div></div>
<h2><span class="mw-headline" id="References">References</span><span class="mw-editsection"><span class="mw-editsection-bracket">[</span><a href="/w/index.php?title=Teapot&amp;action=edit&amp;section=5" title="Edit section: References">edit</a><span class="mw-editsection-bracket">]</span></span></h2>
<div class="reflist"><div class="mw-references-wrap"><ol class="references">
<li id="cite_note-brewer-1"><span class="mw-cite-backlink"><b><a href="#cite_ref-brewer_1-0">^</a></b></span> <span class="reference-text"><cite class="citation book cs1">Brewer, Ann (2001). <i>Porcelain Vessels</i>. Leaf Press. p.&#160;12. <a href="/wiki/ISBN_(identifier)" title="ISBN (identifier)">ISBN</a>&#160;<a href="/wiki/Special:BookSources/978-0-14-044913-6"><bdi>978-0-14-044913-6</bdi></a>.</cite></span></li>
<li id="cite_note-2"><span class="mw-cite-backlink"><b><a href="#cite_ref-2">^</a></b></span> <span class="reference-text"><cite class="citation web cs1"><a rel="nofollow" class="external text" href="https://example.org/yuan">"Yuan ceramics"</a>. <i>Clay Quarterly</i>. Retrieved 3 May 2016.</cite></span></li>
</ol></div></div>
<h2><span class="mw-headline" id="External_links">External links</span><span class="mw-editsection"><span class="mw-editsection-bracket">[</span><a href="/w/index.php?title=Teapot&amp;action=edit&amp;section=6" title="Edit section: External links">edit</a><span class="mw-editsection-bracket">]</span></span></h2>
<ul><li><a rel="nofollow" class="external text" href="https://example.org/teapots">Teapot Museum online</a></li></ul>
<div role="navigation" class="navbox" aria-labelledby="Teaware" style="padding:3px"><table class="nowraplinks hlist navbox-inner" style="border-spacing:0;background:transparent;color:inherit"><tbody>
<tr><th scope="col" class="navbox-title" colspan="2"><div id="Teaware" style="font-size:114%;margin:0 4em">Teaware</div></th></tr>
<tr><th scope="row" class="navbox-group">Vessels</th><td class="navbox-list navbox-odd"><div style="padding:0em 0.25em"><ul><li><a href="/wiki/Cup">Cup</a></li><li><a href="/wiki/Saucer">Saucer</a></li><li><a href="/wiki/Kettle">Kettle</a></li></ul></div></td></tr>
</tbody></table></div>
</div></div>
<div class="printfooter">Retrieved from "<a dir="ltr" href="https://en.wikipedia.org/w/index.php?title=Teapot&amp;oldid=1">https://en.wikipedia.org/w/index.php?title=Teapot&amp;oldid=1</a>"</div>
<div id="catlinks" class="catlinks" data-mw="interface"><div id="mw-normal-catlinks" class="mw-normal-catlinks"><a href="/wiki/Help:Category">Categories</a>: <ul><li><a href="/wiki/Category:Teaware">Teaware</a></li></ul></div></div>
</div></div>
<div id="mw-navigation"><h2>Navigation menu</h2><div id="mw-panel"><div class="portal" role="navigation"><ul>
<li><a href="/wiki/Main_Page">Main page</a></li><li><a href="/wiki/Special:Random">Random article</a></li><li><a href="/wiki/Special:Donate">Donate</a></li></ul></div></div></div>
<div id="footer" role="contentinfo"><ul id="footer-info"><li id="footer-info-lastmod"> This page was last edited on 1 May 2026.</li>
<li id="footer-info-copyright">Text is available under the Creative Commons Attribution-ShareAlike License.</li></ul>
<ul id="footer-places"><li><a href="/wiki/Privacy_policy">Privacy policy</a></li></ul></div>
</body></html>"""
WIKI_LEFT_OUT_LINE = (
    "left out: 1 table of contents, 1 navigation block, 1 footnote, 2 references, 1 figure, 2 tables, "
    "4 citation marks, 2 edit links"
)

# --- A newsletter post, as Substack (and Ghost, for its cards) write them ---

NEWSLETTER_MAIN = [
    "Tea has been drunk for thousands of years across the whole world, and its story is long and winding.",
    "The Leaf",
    "Every tea comes from one plant, Camellia sinensis, grown on hillsides in warm and wet places.",
    "Green tea is steamed.",
    "Black tea is oxidized.",
    "Tea is a hug in a cup, as my grandmother used to say every single morning.",
    "The Water",
    "Good water matters as much as the leaf does, and soft water brings out the sweetness.",
    "Hard water dulls the cup, so many brewers filter it before they boil it for their pot.",
]
NEWSLETTER_LEFT_OUT = [
    "subscribe", "sign in", "share", "thanks for reading", "receive new posts", "upgrade", "paid subscribers",
    "discussion", "great post", "collection notice", "start writing", "get the app", "like", "restack",
    "steaming teapot", "mineral content", "privacy", "terms", "leave a comment", "ready for more",
]
NEWSLETTER = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Why Tea Matters - by Ann Brewer</title>
<meta property="og:title" content="Why Tea Matters"><meta name="author" content="Ann Brewer"></head>
<body><div id="entry"><div class="main-menu"><div class="topbar-content"><a href="/" class="navbar-title-link">The Leaf Letter</a>
<button class="button subscribe-btn">Subscribe</button><button class="button sign-in-link">Sign in</button></div></div>
<div class="container"><div class="single-post-container"><article class="typography newsletter-post post">
<div class="post-header"><h1 class="post-title published">Why Tea Matters</h1>
<div class="post-meta"><div class="post-ufi byline-wrapper"><a href="/@ann">Ann Brewer</a> <div class="post-date">Jan 3, 2026</div></div>
<div class="post-ufi-button like-button-container"><button>Like</button></div><div class="post-ufi-button share-button"><button>Share</button></div></div></div>
<div class="available-content"><div dir="auto" class="body markup">
<p>Tea has been drunk for thousands of years across the whole world, and its story is long and winding.</p>
<div class="subscription-widget-wrap-editor"><div class="subscription-widget show-subscribe"><div class="preamble"><p>Thanks for reading! Subscribe for free to receive new posts and support my work.</p></div>
<form class="subscription-widget-subscribe"><input type="email" name="email" placeholder="Type your email..."><input type="submit" value="Subscribe"></form></div></div>
<h2 class="header-anchor-post">The Leaf<div class="pencraft header-anchor-parent"><div class="header-anchor-widget"><a class="header-anchor" href="#the-leaf">#</a></div></div></h2>
<p>Every tea comes from one plant, Camellia sinensis, grown on hillsides in warm and wet places.</p>
<div class="captioned-image-container"><figure><a class="image-link image2" href="https://substack.example/teapot.jpg"><img src="https://substack.example/teapot.jpg" alt="a steaming teapot photograph"></a>
<figcaption class="image-caption">A steaming teapot on a kitchen table</figcaption></figure></div>
<ul><li><p>Green tea is steamed</p></li><li><p>Black tea is oxidized</p></li></ul>
<blockquote><p>Tea is a hug in a cup, as my grandmother used to say every single morning.</p></blockquote>
<h2 class="header-anchor-post">The Water</h2>
<p>Good water matters as much as the leaf does, and soft water brings out the sweetness.<a class="footnote-anchor" data-component-name="FootnoteAnchorToDOM" id="footnote-anchor-1" href="#footnote-1" target="_self">1</a></p>
<div class="kg-card kg-signup-card"><h2 class="kg-signup-card-heading">Ready for more?</h2><p class="kg-signup-card-subheading">Upgrade to get every post; paid subscribers get the archive.</p></div>
<p>Hard water dulls the cup, so many brewers filter it before they boil it for their pot.</p>
<div class="footnote" data-component-name="FootnoteToDOM"><a id="footnote-1" href="#footnote-anchor-1" class="footnote-number" contenteditable="false" target="_self">1</a>
<div class="footnote-content"><p>Soft means a low mineral content, as rain water has.</p></div></div>
</div></div>
<div class="post-footer"><div class="post-ufi"><button class="like-button">Like</button><button class="restack-button">Restack</button><button class="share-button">Share</button></div></div>
</article>
<div id="discussion" class="comments-section"><h4>Discussion about this post</h4><div class="comment"><p>Great post! Loved it.</p></div>
<button>Leave a comment</button></div></div></div>
<div class="footer-wrap publication-footer"><div class="footer">© 2026 Ann Brewer · <a href="/privacy">Privacy</a> · <a href="/tos">Terms</a> · <a href="/ccpa">Collection notice</a></div>
<div class="footer-substack-cta"><a href="/publish">Start Writing</a> <a href="/app">Get the app</a></div></div>
</div></body></html>"""
NEWSLETTER_LEFT_OUT_LINE = "left out: 1 footnote, 1 figure, 1 piece of site furniture, 1 note mark"

# --- A technical blog post on a personal site: code blocks, permalinks, a footer with licence and disclaimers ---

BLOG_MAIN = [
    "Fast Tea Timers",
    "Posted on a Monday by Ann Brewer",
    "Our kitchen timer used to drift by whole seconds over a long steep, which ruined the delicate green teas.",
    "This post explains how we rebuilt it around a single monotonic clock and what we learned on the way.",
    "The loop",
    "We call steep once per cup, and the function returns as soon as the leaves have had their time.",
    "The old version polled the clock in a busy loop, which kept one core awake for the whole brew.",
    "Measuring",
    "Numbers on a quiet laptop show the new timer is never late by more than a millisecond.",
    "The rest of the time goes to waking the thread, which the operating system does for us.",
]
BLOG_LEFT_OUT = [
    "brew_quickly", "duration", "kettle_boil", "sleep_until", "flame graph", "sencha", "ninety", "cold kettle",
    "licensed", "creative commons", "disclaimer", "opinions", "employer", "service mark", "example",
    "submit comments", "previous", "tag cloud", "teaware", "archives",
]
BLOG = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
<html xmlns="http://www.w3.org/1999/xhtml"><head><meta content="text/html; charset=UTF-8" http-equiv="Content-Type" />
<title>Fast Tea Timers</title><meta content="Ann Brewer (https://ann.example.org/)" name="author" /></head>
<body><div id="container"><div id="sidebar"><h2>Archives</h2><ul><li><a href="/2026/">2026</a></li><li><a href="/2025/">2025</a></li></ul>
<h2>Tag Cloud</h2><ol class="tagcloud"><li><a href="/tags/tea">tea</a></li><li><a href="/tags/teaware">teaware</a></li></ol></div>
<div id="contentWithSidebar"><div id="post">
<h1 id="fast-tea-timers">Fast Tea Timers <a class="anchor" href="#fast-tea-timers">#</a></h1>
<p class="topAttributionWithDate">Posted on a Monday by Ann Brewer</p>
<p>Our kitchen timer used to drift by whole seconds over a long steep, which ruined the delicate green teas.</p>
<p>This post explains how we rebuilt it around a single monotonic clock and what we learned on the way.</p>
<h2 id="the-loop">The loop <a class="anchor" href="#the-loop">#</a></h2>
<p>We call <code>steep</code> once per cup, and the function returns as soon as the leaves have had their time.</p>
<pre class="language-rust"><code class="language-rust"><span class="token keyword">fn</span> <span class="token function">steep</span>(cup: &amp;Cup) -&gt; Duration {<br />    brew_quickly(cup)<br />}</code></pre>
<p>The old version polled the clock in a busy loop, which kept one core awake for the whole brew.</p>
<div class="highlight"><pre tabindex="0"><code class="language-python" data-lang="python"><span class="k">def</span> <span class="nf">kettle_boil</span>():
    sleep_until(deadline)</code></pre></div>
<h2 id="measuring">Measuring <a class="anchor" href="#measuring">¶</a></h2>
<p>Numbers on a quiet laptop show the new timer is never late by more than a millisecond.<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref">1</a></sup></p>
<table><thead><tr><th>Tea</th><th>Seconds</th></tr></thead><tbody><tr><td>Sencha</td><td>Ninety</td></tr></tbody></table>
<figure><img src="/img/flame.svg" alt="flame graph" /><figcaption>A flame graph of the brewing loop</figcaption></figure>
<p>The rest of the time goes to waking the thread, which the operating system does for us.</p>
<div class="footnotes" role="doc-endnotes"><hr /><ol><li id="fn:1"><p>Measured on a cold kettle.&#160;<a href="#fnref:1" class="footnote-backref" role="doc-backlink">&#8617;&#65038;</a></p></li></ol></div>
<p class="comments">Submit comments on this post to <a href="mailto:ann@example.org">&lt;ann@example.org&gt;</a>.</p>
<div id="prevlink"><a class="previous" href="/2026/02/kettles.html">&#8592; <strong>Previous</strong>: Kettles</a></div>
</div></div>
<p id="footer"></p><hr /><br />
<p><a href="https://creativecommons.org/licenses/by-sa/4.0/" rel="license"><img alt="Creative Commons License" src="/cc.png" /></a> This website and all documents on it are licensed under a Creative Commons Attribution-Share Alike 4.0 License.</p>
<hr />
<p><code>#include &lt;std/disclaimer.h&gt;</code><br /><code>use Standard::Disclaimer;</code></p>
<p>The opinions here are mine alone and not those of my employer, past or present, nor of anyone I have worked with.</p>
<p align="right">&#8212; ann</p>
<hr />
<p>Leaf<sup>&#8480;</sup> is a service mark of Ann Brewer.</p>
<address><a href="https://ann.example.org/">Ann Brewer</a> <a href="mailto:ann@example.org">&lt;ann@example.org&gt;</a></address>
</div></body></html>"""
BLOG_LEFT_OUT_LINE = (
    "left out: 2 code blocks, 1 footnote, 1 figure, 1 table, 6 pieces of site furniture, "
    "2 link addresses, 1 note mark"
)

# --- Pages whose article is not where the labels look: each must still be read whole ---

_LONG = [
    "The kettle sang on the stove while the leaves waited in the warm pot, and nobody in the kitchen said a word.",
    "Patience is the first ingredient of a good cup, and the second is water that has only just stopped boiling.",
    "When the timer rang we poured slowly, letting the colour deepen from straw to amber before the last drop fell.",
    "Later we agreed that the morning had been worth the wait, and that the next pot would be brewed the same way.",
]

# An old site laid out in a table: the article is in a cell, beside a cell of links.
LAYOUT = f"""<html><head><meta charset="utf-8"><title>Morning Tea</title></head><body>
<table width="100%"><tr><td valign="top"><h1>Morning Tea</h1><p>{_LONG[0]}</p><p>{_LONG[1]}</p>
<h2>Pouring</h2><p>{_LONG[2]}</p><p>{_LONG[3]}</p></td>
<td width="120"><a href="/">Home</a><br><a href="/old">Older posts</a></td></tr></table></body></html>"""

# A list article: a wiki's table is what the page is about.
FILMS = [("Morning Light", "A baker relives the same sunrise until she finally bakes the perfect loaf of bread for her town."),
         ("The Long Steep", "A tea taster is stuck in one afternoon until he names every leaf in the merchant's great cellar."),
         ("Second Cup", "Two strangers meet at a station cafe and wake each day to find the same train has been cancelled.")]
LIST_ARTICLE = """<html><head><meta charset="utf-8"><title>List of films about tea</title></head><body><div id="content">
<h1>List of films about tea</h1><div class="mw-parser-output"><p>These films all turn on a cup of tea.</p>
<table class="wikitable sortable"><tr><th>Film</th><th>Description</th></tr>""" + "".join(
    f"<tr><td>{title}</td><td>{text}</td></tr>" for title, text in FILMS) + "</table></div></div></body></html>"

# An article in two sibling blocks (the first, with the title, is most of it), then the site's footer.
SECTIONS = f"""<html><head><meta charset="utf-8"><title>Brewing at Dawn</title></head><body><div id="wrap">
<div id="part-one"><h1>Brewing at Dawn</h1><p>{_LONG[0]}</p><p>{_LONG[1]}</p><p>{_LONG[2]}</p></div>
<div id="part-two"><p>{_LONG[3]}</p></div></div>
<p id="footer"></p><hr><p>The opinions here are mine alone, not those of anyone who ever paid me for anything at all.</p>
</body></html>"""

# A page whose article container has a class word that names furniture ("figure", "share"): it is still the article.
CLASS_WORDS = f"""<html><head><meta charset="utf-8"><title>Tea Gardens</title></head><body><article>
<h1>Tea Gardens</h1><div class="article-body js-figure-zoom share-tracking"><p>{_LONG[0]}</p><p>{_LONG[1]}</p>
<p>{_LONG[2]}</p></div></article></body></html>"""

# A plain-text document served as HTML (an RFC): its preformatted pages are its text, not code.
RFC = """<html><head><title>The Tea Protocol</title></head><body>""" + "".join(
    f"<pre>Tea Working Group                 The Tea Protocol\n\n   {line}\n   {line}\n</pre>"
    for line in _LONG) + "</body></html>"

# A technical blog whose code blocks are tables (a line-number cell beside the code), as WP-Syntax writes them.
CODE_TABLES = f"""<html><head><meta charset="utf-8"><title>Timers</title></head><body><article><h1>Timers</h1>
<p>{_LONG[0]}</p><div class="wp_syntax"><table><tr><td class="line_numbers"><pre>1\n2\n</pre></td>
<td class="code"><pre class="javascript">setTimeout(pourTea, 240000);\nclearTimeout(kettleTimer);</pre></td></tr></table></div>
<p>{_LONG[1]}</p></article></body></html>"""

UNUSUAL = {
    "layout-table": (LAYOUT, _LONG, ["home", "older posts"], "left out: 1 navigation block", ["Morning Tea", "Introduction", "Pouring"]),
    "list-article": (LIST_ARTICLE, [f"{t}, Description: {d}" for t, d in FILMS], [], "", None),
    "sibling-blocks": (SECTIONS, _LONG, ["opinions"], "left out: 1 piece of site furniture", None),
    "furniture-class-words": (CLASS_WORDS, _LONG[:3], [], "", None),
    "plain-text-rfc": (RFC, _LONG, [], "", None),
    "code-in-tables": (CODE_TABLES, _LONG[:2], ["settimeout", "cleartimeout", "kettletimer"], "left out: 2 code blocks", None),
}
