"""From harvested metadata to the catalogue's record fields.

One mapper reads every Dublin Core flavour: `oai_dc` (required of every source),
and the richer DC-based formats real OER aggregators offer at no extra cost, such as
NSDL's `nsdl_dc` or `qdc` (dc + dcterms: educationLevel, audience, license,
accessRights, created, modified, abstract…). Elements are matched by namespace and local
name, so prefixes declared anywhere (even on the OAI-PMH root, as Gallica does) work.
LOM is not read: its mapping is large and no source in view offers only LOM.

`map_metadata(element)` returns a plain dict of Record fields (see `RECORD_FIELDS`),
never raising on odd content; `MetadataProblem` is raised only when nothing usable is
there (no title), which the harvester reports as a skipped record.
"""

import re
from datetime import date
from functools import cache, lru_cache

from ..licences import read_rights

DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Richer formats read by this mapper, in order of preference, when a source offers them.
RICHER_DC_FORMATS = ("nsdl_dc", "qdc", "oai_qdc", "dcterms")

RECORD_FIELDS = (
    "title",
    "title_language",
    "title_translations",
    "description",
    "description_translations",
    "creators",
    "contributors",
    "publisher",
    "date_created",
    "date_modified",
    "year",
    "languages",
    "subjects",
    "keywords",
    "coverage",
    "learning_resource_type",
    "educational_level",
    "audience",
    "urls",
    "media_format",
    "licence_spdx",
    "licence_url",
    "licence_class",
    "rights_statement",
    "access_rights",
    "accessibility",
    "doi",
)


# dc:coverage and its DCMI Terms refinements.
COVERAGE = ("coverage", "spatial", "temporal")


class MetadataProblem(Exception):
    pass


# Languages: ISO 639-2 (B and T), names, and locale spellings to BCP 47 -----------------

_LANGUAGE_CODES = {
    "ara": "ar", "arabic": "ar", "eng": "en", "english": "en", "spa": "es", "spanish": "es",
    "español": "es", "fre": "fr", "fra": "fr", "french": "fr", "français": "fr",
    "rus": "ru", "russian": "ru", "русский": "ru", "chi": "zh", "zho": "zh",
    "chinese": "zh", "中文": "zh", "ger": "de", "deu": "de", "german": "de", "dut": "nl",
    "nld": "nl", "dutch": "nl", "por": "pt", "portuguese": "pt", "ita": "it",
    "italian": "it", "jpn": "ja", "japanese": "ja", "kor": "ko", "swa": "sw",
    "swahili": "sw", "hin": "hi", "per": "fa", "fas": "fa", "tur": "tr", "pol": "pl",
    "ukr": "uk", "heb": "he", "ind": "id", "vie": "vi", "tha": "th", "amh": "am",
    "hau": "ha", "yor": "yo", "zul": "zu", "afr": "af", "cat": "ca", "gre": "el",
    "ell": "el", "swe": "sv", "fin": "fi", "dan": "da", "nor": "no", "cze": "cs",
    "ces": "cs", "rum": "ro", "ron": "ro", "hun": "hu", "bul": "bg", "srp": "sr",
    "hrv": "hr", "ben": "bn", "urd": "ur", "msa": "ms", "may": "ms", "mul": "mul",
    "und": "und", "zxx": "zxx",
}  # fmt: skip
_BCP47 = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


@lru_cache(maxsize=4096)
def normalize_language(value):
    """A BCP 47 tag ("en", "en-US", "zh-Hans") for what sources write, or ""."""
    text = (value or "").strip().replace("_", "-")
    if not text:
        return ""
    lower = text.lower()
    if lower in _LANGUAGE_CODES:
        return _LANGUAGE_CODES[lower]
    primary, _sep, rest = lower.partition("-")
    primary = _LANGUAGE_CODES.get(primary, primary)
    if not _BCP47.match(lower):
        return ""
    if not rest:
        return primary
    parts = []
    for part in rest.split("-"):
        if len(part) == 2:
            parts.append(part.upper())
        elif len(part) == 4:
            parts.append(part.title())
        else:
            parts.append(part)
    return "-".join([primary, *parts])


# Controlled vocabularies for the facets ----------------------------------------------

RESOURCE_TYPES = {
    # code: words that name it in dc:type / LRMI / HCRT / COAR
    "course": ("course", "curriculum", "module", "mooc"),
    "lesson": ("lesson", "lesson plan", "unit"),
    "textbook": ("textbook", "book", "monograph", "chapter", "bookpart"),
    "article": ("article", "journal", "paper", "preprint", "report", "working paper"),
    "video": ("video", "movingimage", "moving image", "film", "lecture recording"),
    "audio": ("audio", "sound", "podcast"),
    "image": ("image", "stillimage", "still image", "picture", "photograph", "map"),
    "presentation": ("presentation", "slides", "slide"),
    "assessment": ("assessment", "quiz", "exam", "test", "exercise", "problem set"),
    "interactive": ("interactive", "simulation", "interactiveresource", "game", "animation"),
    "software": ("software", "application", "code"),
    "dataset": ("dataset", "data set", "data"),
    "text": ("text", "document", "lecture notes", "notes", "handout", "guide", "thesis"),
}
EDUCATIONAL_LEVELS = {
    "early-childhood": ("early childhood", "pre-school", "preschool", "kindergarten"),
    "primary": ("primary", "elementary", "grade 1", "grade 2", "grade 3", "grade 4"),
    "secondary": ("secondary", "high school", "middle school", "grade 9", "k-12"),
    "higher": ("higher education", "university", "undergraduate", "graduate", "tertiary",
               "postgraduate", "college", "professional"),
    "vocational": ("vocational", "tvet", "technical", "career"),
    "adult": ("adult", "lifelong", "continuing", "informal", "general public"),
}  # fmt: skip


@cache
def _vocabulary_patterns(vocabulary_name):
    vocabulary = {"types": RESOURCE_TYPES, "levels": EDUCATIONAL_LEVELS}[vocabulary_name]
    return [
        (code, re.compile("(?<![a-z])(?:" + "|".join(map(re.escape, words)) + ")(?![a-z])"))
        for code, words in vocabulary.items()
    ]


@lru_cache(maxsize=2048)
def _vocabulary_code_of(value, vocabulary_name):
    lower = value.lower()
    # COAR / eu-repo URIs end with the term itself.
    lower = lower.rsplit("/", 1)[-1].rsplit(":", 1)[-1] if "/" in lower else lower
    for code, pattern in _vocabulary_patterns(vocabulary_name):
        if pattern.search(lower):
            return code
    return ""


def _vocabulary_code(values, vocabulary_name):
    for value in values:
        code = _vocabulary_code_of(value, vocabulary_name)
        if code:
            return code
    return ""


# Identifiers --------------------------------------------------------------------------

_DOI = re.compile(r"(10\.\d{4,9}/[^\s\"<>]+)", re.IGNORECASE)
_ORCID = re.compile(r"(\d{4}-\d{4}-\d{4}-\d{3}[\dX])")
_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)


def extract_doi(values):
    for value in values:
        lower = value.strip()
        if lower.lower().startswith(("doi:", "info:doi/")) or "doi.org/" in lower.lower():
            match = _DOI.search(lower)
            if match:
                return match[1].rstrip(".").lower()
        elif lower.startswith("10."):
            match = _DOI.match(lower)
            if match:
                return match[1].rstrip(".").lower()
    return ""


def _person(text):
    orcid = _ORCID.search(text)
    name = _ORCID.sub("", text) if orcid else text
    name = re.sub(r"\(?\s*(https?://orcid\.org/)?\s*\)?$", "", name).strip(" ;,")
    return {"name": " ".join(name.split()), "orcid": orcid[1] if orcid else ""}


def _parse_date(text):
    """(date or None, year or None) from the date spellings sources use."""
    text = (text or "").strip()
    match = re.match(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text)
    if not match:
        return None, None
    year = int(match[1])
    if not 1000 <= year <= 2999:
        return None, None
    try:
        return date(year, int(match[2] or 1), int(match[3] or 1)), year
    except ValueError:
        return date(year, 1, 1), year


def _unique(values):
    return list(dict.fromkeys(v for v in values if v))


# The mapper ---------------------------------------------------------------------------


_DC_PREFIX = "{" + DC + "}"
_DCTERMS_PREFIX = "{" + DCTERMS + "}"


@lru_cache(maxsize=1024)
def _dc_name(tag):
    """The local name of a DC / DCTERMS tag in Clark notation, or None (kept: a source
    uses a handful of tags, and this runs for every element of every record)."""
    if tag.startswith(_DC_PREFIX):
        return tag[len(_DC_PREFIX) :]
    if tag.startswith(_DCTERMS_PREFIX):
        return tag[len(_DCTERMS_PREFIX) :]
    return None


def _collect(element, nested=False):
    """{local name: [(text, lang)]} of every DC / DCTERMS child, in document order."""
    found = {}
    for child in element.iter() if nested else element:
        tag = child.tag
        if not isinstance(tag, str):
            continue
        name = _dc_name(tag)
        if name is None:
            continue
        raw = child.text if len(child) == 0 else "".join(child.itertext())
        if raw:
            text = " ".join(raw.split())
            if text:
                pair = (text, child.get(XML_LANG, ""))
                pairs = found.get(name)
                if pairs is None:
                    found[name] = [pair]
                else:
                    pairs.append(pair)
    if not found and not nested and len(element):
        # Dublin Core is flat: its elements are the payload's children; a nested
        # wrapper, as some formats have, is looked into.
        return _collect(element, nested=True)
    return found


def _texts(found, *names):
    if len(names) == 1:
        return [text for text, _lang in found.get(names[0], ())]
    return [text for name in names for text, _lang in found.get(name, ())]


def _with_translations(pairs, record_language):
    """The original text (in the record's language when marked) and the others by language."""
    if not pairs:
        return "", "", {}
    original, original_language = pairs[0]
    for text, lang in pairs:
        if normalize_language(lang) == record_language and record_language:
            original, original_language = text, lang
            break
    translations = {}
    for text, lang in pairs:
        code = normalize_language(lang)
        if text is not original and code and code not in translations:
            translations[code] = text
    return original, normalize_language(original_language) or record_language, translations


def map_metadata(element):
    found = _collect(element)
    languages = _unique(normalize_language(v) for v in _texts(found, "language"))
    primary_language = languages[0] if languages else ""
    title, title_language, title_translations = _with_translations(
        found.get("title", []) + found.get("alternative", []), primary_language
    )
    if not title:
        raise MetadataProblem("the record has no title")
    description, _lang, description_translations = _with_translations(
        found.get("description", []) + found.get("abstract", []), title_language
    )
    identifiers = _texts(found, "identifier")
    rights = _texts(found, "rights", "license", "accessRights", "rightsHolder")
    reading = read_rights(rights)
    created, year = None, None
    for text in _texts(found, "created", "issued", "date", "available"):
        created, year = _parse_date(text)
        if created:
            break
    modified, _year = _parse_date(next(iter(_texts(found, "modified")), ""))
    subjects_raw = _texts(found, "subject")
    keywords = _unique(
        part.strip() for value in subjects_raw for part in re.split(r"\s*;\s*", value)
    )
    types = _texts(found, "type")
    levels = _texts(found, "educationLevel", "audience")
    return {
        "title": title[:2000],
        "title_language": title_language,
        "title_translations": title_translations,
        "description": description[:20000],
        "description_translations": description_translations,
        "creators": [_person(text) for text in _unique(_texts(found, "creator"))],
        "contributors": [_person(text) for text in _unique(_texts(found, "contributor"))],
        "publisher": next(iter(_texts(found, "publisher")), "")[:500],
        "date_created": created,
        "date_modified": modified,
        "year": year,
        "languages": languages,
        # dc:subject is kept, split, as keywords (the subject facet falls back on them,
        # search.documents); `subjects` is for a controlled list, which oai_dc lacks.
        "subjects": [],
        "keywords": keywords[:50],
        # dc:coverage is the resource's place or period (DCMI: "spatial or temporal
        # topic"), not a subject: it is kept as coverage, with dcterms' refinements.
        "coverage": [value[:255] for value in _unique(_texts(found, *COVERAGE))][:20],
        "learning_resource_type": _vocabulary_code(types, "types") or ("other" if types else ""),
        "educational_level": _vocabulary_code(levels, "levels"),
        "audience": next(iter(_texts(found, "audience")), "")[:255],
        "urls": _unique(v for v in identifiers if _URL.match(v))[:10],
        "media_format": next(iter(_texts(found, "format")), "")[:255],
        "licence_spdx": reading.spdx,
        "licence_url": reading.url,
        "licence_class": reading.licence_class,
        "rights_statement": reading.statement[:4000],
        "access_rights": reading.access_right[:255],
        "accessibility": " ".join(_texts(found, "accessibility", "accessibilityFeature"))[:4000],
        "doi": extract_doi(identifiers + _texts(found, "relation")),
    }
