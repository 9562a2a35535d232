"""Feed titles and descriptions to clean plain text; pure, does no I/O.

Feeds carry HTML (RSS descriptions, Atom ``type="html"``/``"xhtml"``), entities escaped once too
often (the Federal Register's ``&amp;#39;``, Atom titles that come out of feedparser as a literal
``&rsquo;``), control characters and layout whitespace. What we store and classify is plain text
as published: entities decoded, whitespace collapsed, no NFKC (full-width ``２＋２`` stays).
Markup goes through selectolax (the Lexbor HTML5 parser), which is several times faster than
BeautifulSoup or html.parser on the ingestion hot path; text without markup skips the parser.
"""

import html
import re

from selectolax.lexbor import LexborHTMLParser

# Lexbor's tree builder is quadratic in the nesting depth of some elements (100,000 nested
# <div>s take seconds); no stored text needs more markup than this.
MAX_MARKUP_CHARS = 65_536

# Block elements end a run of text: put a space before them, so "<p>a</p><p>b</p>" reads
# "a b" while inline markup ("<a>EAR page</a>.") adds none.
_BLOCK_TAG = re.compile(
    r"<(?=/?(?:address|article|aside|blockquote|br|caption|dd|div|dl|dt|figcaption|figure|"
    r"footer|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|td|th|tr|ul)\b)",
    re.IGNORECASE,
)
_HIDDEN_TAG = re.compile(r"<(?:script|style|noscript|template)\b", re.IGNORECASE)
_HIDDEN_TAGS = ["script", "style", "noscript", "template"]

# An entity reference left in text after decoding means the publisher escaped once too often.
_LEFTOVER_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# C0/C1 controls and non-characters: those Python counts as whitespace become a space (so words
# stay apart), the rest go. U+3000 (ideographic space) is kept inside text as published.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
_CONTROL_TABLE = {
    code: (" " if chr(code).isspace() else None)
    for code in [*range(0x20), *range(0x7F, 0xA0), 0xFEFF, 0xFFFE, 0xFFFF]
}
_SPACE_RUN = re.compile(r"\s+")


def html_to_text(markup: str, *, limit: int) -> str:
    """Visible text of an HTML fragment, cleaned and cut to ``limit`` characters."""
    if "<" not in markup:
        # No tags: decoding entities is all an HTML parser would do.
        return plain_to_text(html.unescape(markup) if "&" in markup else markup, limit=limit)
    tree = LexborHTMLParser(_BLOCK_TAG.sub(" <", markup[:MAX_MARKUP_CHARS]), is_fragment=True)
    if _HIDDEN_TAG.search(markup):
        tree.strip_tags(_HIDDEN_TAGS, recursive=True)
    return plain_to_text(tree.text(), limit=limit)


def plain_to_text(value: str, *, limit: int) -> str:
    """Plain text with leftover entities decoded, controls dropped, whitespace collapsed."""
    if "&" in value:
        value = _LEFTOVER_ENTITY.sub(lambda match: html.unescape(match.group()), value)
    if _CONTROL.search(value):
        value = value.translate(_CONTROL_TABLE)
    # A run of only U+3000 (the ideographic space between Japanese words) stays as published.
    has_ideographic = "\u3000" in value
    value = _SPACE_RUN.sub(_collapse_run, value).strip() if has_ideographic else " ".join(value.split())
    return truncate(value, limit)


def _collapse_run(run: re.Match[str]) -> str:
    return "\u3000" if run.group().strip("\u3000") == "" else " "


def truncate(value: str, limit: int) -> str:
    """``value`` cut to at most ``limit`` characters, at a word break when one is near, with …."""
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    space = cut.rfind(" ", limit - limit // 10)
    return (cut[:space] if space > 0 else cut).rstrip() + "…"
