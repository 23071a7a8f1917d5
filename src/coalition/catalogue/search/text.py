"""Text as the search indexes and queries it, the same way on every engine.

- Case and compatibility forms folded (NFKC, casefold); accents and other combining
  marks dropped (é → e), which also drops Arabic harakat, so Arabic is found with or
  without diacritics; tatweel removed and alef forms (أ إ آ ٱ) read as ا, as readers type them.
- Chinese, Japanese and Korean have no spaces between words: each run of such
  characters becomes its overlapping two-character pieces ("开放教育" → "开放 放教 教育"),
  so a two-character word is found inside a longer run, and a longer query becomes a
  phrase of its pieces (Lucene's CJK analyzer does the same).
- Queries: `parse_query` reads words, "quoted phrases", a trailing * for a prefix,
  and a leading - to exclude; every other character is a separator. Input is cut to
  `MAX_QUERY_CHARS` and `MAX_TERMS`, NULs and controls dropped: no query can raise.
"""

import re
import unicodedata
from dataclasses import dataclass

MAX_QUERY_CHARS = 500
MAX_TERMS = 16

_CJK = (
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # CJK ideographs
    "\uac00-\ud7af"  # Hangul syllables
)
_CJK_RUN = re.compile(f"[{_CJK}]+")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ـ": None})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WORD = re.compile(r"\w+", re.UNICODE)

# PostgreSQL text search configurations by primary language subtag.
PG_CONFIGS = {
    "en": "english",
    "fr": "french",
    "es": "spanish",
    "ru": "russian",
    "ar": "arabic",
    "de": "german",
    "pt": "portuguese",
    "it": "italian",
    "nl": "dutch",
    "tr": "turkish",
    "sv": "swedish",
    "da": "danish",
    "fi": "finnish",
    "hu": "hungarian",
    "ro": "romanian",
    "id": "indonesian",
    "el": "greek",
    "hi": "hindi",
}
# Queries are stemmed in each UN language PostgreSQL has a configuration for.
PG_QUERY_CONFIGS = ("english", "french", "spanish", "russian", "arabic")


def pg_config(language):
    return PG_CONFIGS.get((language or "").split("-")[0].lower(), "simple")


def _bigrams(match):
    run = match.group(0)
    if len(run) == 1:
        return f" {run} "
    return " " + " ".join(run[i : i + 2] for i in range(len(run) - 1)) + " "


# Diacritics readers ignore: Latin, Greek and Cyrillic accents, Hebrew points, Arabic
# harakat, Quranic marks and the superscript alef. Indic vowel signs are letters, not
# accents, and are kept. One regex pass (C speed) instead of a loop over characters.
_DIACRITICS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670"
    "\u06d6-\u06ed\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"
)


def fold(text):
    """Text folded for matching (see the module notes), CJK runs as bigrams."""
    text = text or ""
    if text.isascii():
        # Nothing to decompose, strip or pair: the same words at a fifth of the cost
        # (most titles and descriptions a harvest reads).
        return " ".join(_WORD.findall(text.lower()))
    text = unicodedata.normalize("NFKD", text.casefold())
    text = unicodedata.normalize("NFC", _DIACRITICS.sub("", text)).translate(_ALEF)
    if _CJK_RUN.search(text):
        text = _CJK_RUN.sub(_bigrams, text)
    return " ".join(_WORD.findall(text))


@dataclass(frozen=True)
class Term:
    words: tuple  # folded words; more than one makes a phrase
    prefix: bool = False
    exclude: bool = False
    original: str = ""  # as typed (for the stemmed configurations)


def parse_query(text):
    text = _CONTROL.sub(" ", (text or "")[:MAX_QUERY_CHARS])
    terms = []
    for match in re.finditer(r'(-?)"([^"]*)"?|(-?)(\S+)', text):
        if match.group(2) is not None:
            exclude, raw, prefix = match.group(1) == "-", match.group(2), False
        else:
            exclude, raw = match.group(3) == "-", match.group(4)
            prefix = raw.endswith("*") and len(raw.rstrip("*")) >= 2
        words = tuple(fold(raw).split())
        if not words:
            continue
        if len(words) == 1 and len(words[0]) == 1 and _CJK_RUN.match(words[0]):
            prefix = True  # one character: found at the start of the indexed pairs
        # A CJK run folds to several bigrams: it is a phrase, even unquoted.
        terms.append(Term(words, prefix and len(words) == 1, exclude, " ".join(_WORD.findall(raw))))
        if len(terms) >= MAX_TERMS:
            break
    if terms and all(term.exclude for term in terms):
        return []  # "-x" alone would list everything but x: read as no query
    return terms
