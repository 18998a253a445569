"""What Markdown essays hold beside CommonMark: site generators' template tags, HTML, inline code to say aloud."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from narrate.inputs.base import Block
from narrate.inputs.html import sentence

# Template tags, never prose: Hugo's {{< figure … >}} and {{% notice %}}, Zola's {{ youtube(…) }}
# and {% quote() %}, Jekyll's Liquid {% include … %} and {{ site.title }}; kramdown's {:toc} and
# attribute lists ({:target="_blank"}); Hugo's heading ids ({#intro}).
_TAG = re.compile(r"\{\{<.*?>\}\}|\{\{%.*?%\}\}|\{%.*?%\}|\{\{.*?\}\}|\{:[^{}\n]*\}|\{[#.][\w\-.:= #\"']*\}", re.DOTALL)
_NAME = re.compile(r"[{<%\s/-]*([\w.-]+)")
_FIGURES = {"figure", "img", "image", "gallery", "picture"}
# Paired tags whose body is code: {% highlight ruby %}…{% endhighlight %}, {{< highlight go >}}…{{< /highlight >}}.
_CODE_OPEN = re.compile(r"^\{(?:%-?\s*(highlight|raw)\b[^\n]*%\}|\{[<%]\s*(highlight|code)\b[^\n]*[>%]\}\})[ \t]*$")


# A template tag in a link's address ([guide]({{ site.baseurl }}/guide/)): the site fills it in before Markdown
# is read, so the address has spaces only until then.
_ADDRESS_TAGS = re.compile(r"(\]\(|^ {0,3}\[[^\]\n]+\]:[ \t]*)(?:(?:\{\{[^\n]*?\}\}|\{%[^\n]*?%\})[ \t]*)+", re.M)


def untemplate_addresses(text: str) -> str:
    """The text with template tags taken out of link addresses, so the links parse as the site's do."""
    return _ADDRESS_TAGS.sub(r"\1", text) if "{" in text else text


def template_kind(tag: str) -> str:
    """The kind a template tag is counted as: "figures" for a figure's shortcode, "toc" for kramdown's, else "shortcodes"."""
    if tag.replace(" ", "") == "{:toc}":
        return "toc"
    if re.match(r"\{[:#.]", tag):
        return ""  # an attribute list: markup, not a part of the text
    name = _NAME.match(tag[1:])
    return "figures" if name and name.group(1).lower() in _FIGURES else "shortcodes"


def _template_inline(state, silent: bool) -> bool:
    """Inline rule: a template tag becomes one `template` token (dropped and counted by the reader)."""
    if state.src[state.pos] != "{":
        return False
    found = _TAG.match(state.src, state.pos, state.posMax)
    if not found:
        return False
    if not silent:
        token = state.push("template", "", 0)
        token.content = found.group(0)
    state.pos = found.end()
    return True


def _template_code(state, start: int, end: int, silent: bool) -> bool:
    """Block rule: a paired highlight tag's body is code, like a fence."""
    if state.is_code_block(start):
        return False
    first = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
    found = _CODE_OPEN.match(first)
    if not found:
        return False
    if silent:
        return True
    name = found.group(1) or found.group(2)
    close = re.compile(r"^\{(?:%-?\s*end" + name + r"\s*-?%\}|\{[<%]\s*/" + name + r"\s*[>%]\}\})[ \t]*$")
    line = start + 1
    while line < end and not close.match(state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]):
        line += 1
    token = state.push("fence", "code", 0)
    token.content = state.getLines(start + 1, line, state.sCount[start], True)
    token.info = name
    token.map = [start, min(line + 1, end)]
    state.line = min(line + 1, end)
    return True


def templates_plugin(md) -> None:
    """Teach a MarkdownIt parser the template tags of Hugo, Zola and Jekyll (markdown-it's public rule API)."""
    md.inline.ruler.before("backticks", "template", _template_inline)
    md.block.ruler.before("fence", "template_code", _template_code, {"alt": ["paragraph", "reference", "blockquote", "list"]})


# --- inline code, said as a narrator says it ------------------------------------

_CODE_MARKS = re.compile(r"[`<>\[\]{}()\\|^*~]|(?<!\w)[#&$@]")
_SYMBOLS = {
    "*": "asterisk", "&": "ampersand", "?": "question mark", "!": "exclamation mark", "#": "hash", "@": "at sign",
    "%": "percent", "$": "dollar", "^": "caret", "~": "tilde", "|": "pipe", "/": "slash", "\\": "backslash",
    "=": "equals", "+": "plus", "-": "minus", "<": "less than", ">": "greater than", "_": "underscore", ".": "dot",
}


def code_words(code: str) -> str:
    """Inline code as a narrator reads it mid-sentence: `Option<T>` "Option T", `*` "asterisk", `->` nothing."""
    words = " ".join(_CODE_MARKS.sub(" ", code).split())
    if any(c.isalnum() for c in words):
        return words
    return _SYMBOLS.get(code.strip(), "")


# --- HTML inside Markdown ----------------------------------------------------------

_SKIP = {"script", "style", "template", "noscript", "svg", "iframe", "video", "audio", "object", "canvas", "math",
         "select", "button", "form", "textarea", "figure", "picture"}
_VOID = {"img", "br", "hr", "input", "source", "track", "wbr", "area", "embed", "param", "meta", "link", "col"}
_BREAKS = {"p", "div", "br", "hr", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "section", "article", "aside",
           "details", "summary", "header", "footer", "main", "center", "table", "tr", "pre", "h1", "h2", "h3", "h4",
           "h5", "h6"}


def skipped_kind(tag: str) -> str:
    """What an HTML element whose content is not read counts as: a figure, or an HTML element."""
    return "figures" if tag in ("img", "figure", "picture") else "html"


class HtmlBlocks(HTMLParser):
    """An HTML block's text as blocks: its prose, its headings, its tables and code apart; skipped elements counted."""

    def __init__(self, marks: Counter) -> None:
        super().__init__(convert_charrefs=True)
        self.marks = marks
        self.blocks: list[Block] = []
        self._text: list[str] = []
        self._level = 0
        self._skip: list[str] = []  # the open element whose content is skipped, nested in itself
        self._kind = ""  # "code" inside <pre>, "tables" inside <table>
        self._rows: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if self._skip:
            self._skip += [tag] if tag == self._skip[0] else []
            return
        if tag in _SKIP or tag == "img" or tag == "embed":
            self.marks[skipped_kind(tag)] += 1
            if tag in _SKIP:
                self._skip = [tag]
            return
        if tag == "a" and dict(attrs).get("href"):
            self.marks["link-targets"] += 1
        if self._kind == "tables":
            if tag == "tr":
                self._rows.append([])
            elif tag in ("td", "th"):
                self._text = []
            return
        if tag in _BREAKS and self._kind != "code":
            self._flush()
            self._level = int(tag[1]) if re.fullmatch(r"h[1-6]", tag) else 0
            self._kind = {"pre": "code", "table": "tables"}.get(tag, "")

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag in self._skip[:1] and len(self._skip) == 1:
            self._skip = []

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            if tag == self._skip[0]:
                self._skip.pop()
            return
        if self._kind == "tables":
            if tag in ("td", "th") and self._rows:
                self._rows[-1].append(" ".join("".join(self._text).split()))
                self._text = []
            elif tag == "table":
                rows = [sentence(", ".join(c for c in row if c)) for row in self._rows]
                self.blocks.append(Block(0, "\n".join(r for r in rows if r), "tables"))
                self._rows, self._kind = [], ""
            return
        if tag in _BREAKS and (self._kind != "code" or tag == "pre"):
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text.append(data)

    def close(self) -> None:
        super().close()
        if self._kind == "tables" and self._rows:
            self.handle_endtag("table")
        self._flush()

    def _flush(self) -> None:
        text = "".join(self._text)
        text = text.strip("\n") if self._kind == "code" else " ".join(text.split())
        if text:
            kind = self._kind if self._kind == "code" else ""
            self.blocks.append(Block(self._level if not kind else 0, text, kind))
        self._text, self._level = [], 0
        if self._kind == "code":
            self._kind = ""


def html_blocks(html: str, marks: Counter) -> list[Block]:
    """The blocks an HTML block of a Markdown file holds (see `HtmlBlocks`)."""
    parser = HtmlBlocks(marks)
    parser.feed(html)
    parser.close()
    return parser.blocks
