"""Sanitized rich text: the only HTML from users that a page may render unescaped, and
the one way to read it as plain text (`html_to_text`)."""

import re
import textwrap
from html import unescape

import nh3
from django.db import models

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h3",
    "h4",
    "code",
    "pre",
    "abbr",
    "span",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"}, "span": {"lang"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(value):
    """Keep formatting and links; drop scripts, styles, event handlers and unsafe URLs."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


class RichTextField(models.TextField):
    """A text field whose HTML is sanitized whenever it is saved."""

    def pre_save(self, model_instance, add):
        # Read and write the raw attribute: for a translated field, going through the
        # modeltranslation descriptor would copy a fallback into the active language.
        value = sanitize_html(model_instance.__dict__.get(self.attname))
        model_instance.__dict__[self.attname] = value
        return value


# --- the one HTML-to-text ------------------------------------------------------------------
#
# Sanitized rich text as readable plain text, for mails' plain parts, calendar
# descriptions, feeds and JSON-LD: paragraphs apart, list items as "- " or "1. ", line
# breaks kept, a link's address after its label (unless the label already shows it).
# Sanitized HTML (nh3's output) has well-formed tags, quoted attributes and its text
# escaped, so one regular expression splits it into tags and text, two to three times
# faster than html.parser, which counts when a feed turns thousands of summaries into
# text; tests/core/test_richtext.py checks that both read it alike.

_BLOCKS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "tr"}
)
_TOKENS = re.compile(
    r"""<!--.*?-->|<[!?][^>]*>"""
    r"""|<(/)?([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>"""
    r"""|([^<]+|<)""",
    re.S,
)
_HREF = re.compile(r"""(?:^|[\s/])href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.I)
_SHOWN_SCHEMES = ("http://", "https://", "mailto:")


def _href(attributes):
    found = _HREF.search(attributes)
    if found is None:
        return ""
    return unescape(next(group for group in found.groups() if group is not None))


def text_blocks(html):
    """The blocks of `html` as (prefix, text): prefix "- " or "1. " for list items, else ""."""
    blocks, parts, lists, anchors = [], [], [], []
    prefix = ""

    def flush():
        nonlocal parts, prefix
        lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            blocks.append((prefix, text))
        parts, prefix = [], ""

    for closing, tag, attributes, text in _TOKENS.findall(html or ""):
        if text:
            parts.append(unescape(text))
            continue
        if not tag:  # a comment or a declaration
            continue
        tag = tag.lower()
        if not closing:
            if tag in _BLOCKS or tag == "li":
                flush()
            if tag in ("ul", "ol"):
                lists.append(0 if tag == "ol" else None)
            elif tag == "li":
                if lists and lists[-1] is not None:
                    lists[-1] += 1
                    prefix = f"{lists[-1]}. "
                else:
                    prefix = "- "
            elif tag == "br":
                parts.append("\n")
            elif tag == "a":
                anchors.append((_href(attributes), len(parts)))
            if not attributes.rstrip().endswith("/"):
                continue
        if tag == "a" and anchors:
            href, start = anchors.pop()
            label = "".join(parts[start:]).strip()
            target = href.removeprefix("mailto:")
            if href.startswith(_SHOWN_SCHEMES) and target not in label:
                parts.append(f" <{target}>")
        elif tag in ("ul", "ol") and lists:
            flush()
            lists.pop()
        elif tag in _BLOCKS or tag == "li":
            flush()
    flush()
    return blocks


def html_to_text(html, *, width=None, indent="", limit=None):
    """Readable plain text from sanitized HTML; wrapped at `width` and indented by `indent`
    when given (mails), cut at a word before `limit` characters with "…" when given."""
    out = []
    previous_was_item = False
    for prefix, text in text_blocks(html):
        hanging = indent + " " * len(prefix)
        lines = []
        for n, line in enumerate(text.split("\n")):
            first = indent + prefix if n == 0 else hanging
            if width:
                line = textwrap.fill(
                    line,
                    width=width,
                    initial_indent=first,
                    subsequent_indent=hanging,
                    break_long_words=False,
                    break_on_hyphens=False,
                )
                lines.append(line)
            else:
                lines.append(first + line)
        if out:
            out.append("\n" if (prefix and previous_was_item) else "\n\n")
        out.append("\n".join(lines))
        previous_was_item = bool(prefix)
    text = "".join(out)
    if limit and len(text) > limit:
        cut = text[:limit].rsplit(" ", 1)[0].rstrip(" ,;:.")
        text = f"{cut}…"
    return text
