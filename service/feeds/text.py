"""Feed bytes and markup to clean plain text; pure, does no I/O.

Bytes: the document's own encoding (BOM, then the HTTP charset unless it is a server default
and the XML prolog names one, then the prolog, then UTF-8), with a fallback that keeps the rest
of the text when some bytes do not fit, where feedparser would retry the whole document as
windows-1252 or iso-8859-2 and turn Japanese into mojibake.

Feeds carry HTML (RSS descriptions, Atom ``type="html"``/``"xhtml"``), entities escaped once too
often (the Federal Register's ``&amp;#39;``, Atom titles that come out of feedparser as a literal
``&rsquo;``), control characters and layout whitespace. What we store and classify is plain text
as published: entities decoded, whitespace collapsed, no NFKC (full-width ``２＋２`` stays).
Markup goes through selectolax (the Lexbor HTML5 parser), which is several times faster than
BeautifulSoup or html.parser on the ingestion hot path; text without markup skips the parser.
"""

import codecs
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
    markup = markup[:MAX_MARKUP_CHARS]
    tree = LexborHTMLParser(_BLOCK_TAG.sub(" <", markup), is_fragment=True)
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
    value = (
        _SPACE_RUN.sub(_collapse_run, value).strip() if has_ideographic else " ".join(value.split())
    )
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


_BOMS = (  # and the first bytes of "<?" in BOM-less UTF-16, as XML 1.0 appendix F lists
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE, whose BOM it starts with
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]{0,200}?\sencoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
_LABELS = {"windows-31j": "cp932", "x-sjis": "shift_jis", "x-euc-jp": "euc_jp", "gb2312": "gb18030"}
# Servers add these by default; a document that declares its own encoding knows better.
_SERVER_DEFAULTS = {"ascii", "iso8859-1", "cp1252"}
_WIDE = ("utf-16", "utf-32")
# CP932 (Windows "Shift_JIS") differs from JIS Shift_JIS in six code points; map them back so a
# feed reads the same whether or not today's items happen to need a CP932-only character.
_CP932_TO_JIS = str.maketrans(
    "\uff5e\u2225\uff0d\uffe0\uffe1\uffe2", "\u301c\u2016\u2212\xa2\xa3\xac"
)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    try:
        return codecs.lookup(_LABELS.get(label, label)).name
    except LookupError:
        return None


def to_utf8(body: bytes, content_type: str | None) -> tuple[bytes, str | None]:
    """The document as UTF-8 bytes, and a note when its declared encoding did not fit."""
    candidates = [codec for bom, codec in _BOMS if body.startswith(bom)][:1]
    if not candidates:
        charset = _CHARSET.search(content_type or "")
        prolog = _XML_ENCODING.search(body, 0, 300)
        http = _codec(charset[1]) if charset else None
        declared = _codec(prolog[1].decode()) if prolog else None
        if http in _SERVER_DEFAULTS and declared:
            http = None
        # Without a BOM or NUL bytes up front the document is not UTF-16/32, whatever it says.
        labels = (http, declared, "utf-8")
        candidates = list(dict.fromkeys(c for c in labels if c and not c.startswith(_WIDE)))
    for codec in candidates:
        try:
            text = _decode(body, codec, "strict")
        except (UnicodeDecodeError, LookupError):
            continue
        note = None if codec == candidates[0] else f"declared {candidates[0]}, read as {codec}"
        return (body if codec == "utf-8" else text.encode("utf-8")), note
    text = _decode(body, candidates[0], "replace")
    return text.encode("utf-8"), f"invalid {candidates[0]} byte sequences replaced"


def _decode(body: bytes, codec: str, errors: str) -> str:
    if codec == "shift_jis":
        try:
            return body.decode("shift_jis")
        except UnicodeDecodeError:
            return body.decode("cp932", errors).translate(_CP932_TO_JIS)
    return body.decode(codec, errors)
