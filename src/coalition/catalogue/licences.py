"""How the Hub reads a rights statement: one canonical licence, and its class.

The licences are data (`data/licences.toml`): canonical licences with SPDX id, URL,
version, class and a reason code; Creative Commons licences are generated from their
families and versions. This module holds the spelling rules:

- URLs: http or https, `www.` or not, trailing slash or not, `/legalcode`, `/deed.xx`,
  jurisdiction ports (`/3.0/de/` reads as the SPDX port CC-BY-3.0-DE where SPDX has one,
  else as the unported 3.0 with the jurisdiction noted), `publicdomain/zero` and `/mark`;
- names: "CC BY-SA 4.0", "CC-BY-NC-ND", "Creative Commons Attribution-ShareAlike 4.0
  International", "Attribution 4.0 International", SPDX ids, aliases from the data file,
  in any case and spacing;
- statements that are not licences: `info:eu-repo/semantics/openAccess` and the COAR
  access rights say who may read, not what one may do (class unknown, reason given);
  "all rights reserved" and a bare copyright notice grant nothing (not open).

Classes follow the Recommendation's definition of OER (re-use, adaptation and
redistribution at no cost): `open`, `open-nc`, `not-open`, `unknown`. Every reading
carries its reason in plain words through gettext (`Reading.reason`).

Public API (also behind the JSON API's rights check and `manage.py licences`):
`read_rights(statements) -> Reading`, `read_statement(text) -> Reading`,
`licence_by_spdx(spdx) -> Licence | None`, `LICENCES` (every canonical licence).
"""

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from .models import LicenceClass

DATA_FILE = Path(__file__).parent / "data" / "licences.toml"

REASONS = {
    "public-domain": _(
        "It is in the public domain: anyone may re-use, adapt and redistribute it at no cost."
    ),
    "permissive": _(
        "The licence lets anyone re-use, adapt and redistribute it at no cost, "
        "with credit to the author."
    ),
    "share-alike": _(
        "The licence lets anyone re-use, adapt and redistribute it at no cost; "
        "adaptations must be shared under the same licence."
    ),
    "non-commercial": _(
        "The licence lets anyone re-use, adapt and redistribute it, "
        "but not for commercial purposes."
    ),
    "no-derivatives": _(
        "The licence does not allow adaptations, which the Recommendation's definition "
        "of open educational resources requires."
    ),
    "all-rights-reserved": _(
        "All rights are reserved: re-use and adaptation need the rights holder's permission."
    ),
    "copyright-only": _(
        "The statement is a copyright notice that names no licence, so no re-use is granted."
    ),
    "access-right-only": _(
        "The statement says who may read the resource (an access right), not what one may "
        "do with it: it names no licence."
    ),
    "unrecognized": _("The Hub does not recognize this rights statement."),
    "none": _("The source gave no rights statement."),
}


@dataclass(frozen=True)
class Licence:
    spdx: str
    name: str
    url: str
    version: str
    licence_class: str
    reason_code: str
    jurisdiction: str = ""

    @property
    def reason(self):
        return REASONS[self.reason_code]


@dataclass(frozen=True)
class Reading:
    """What the Hub made of one or more rights statements."""

    statement: str
    licence: Licence | None
    licence_class: str
    reason_code: str
    access_right: str = ""

    @property
    def spdx(self):
        return self.licence.spdx if self.licence else ""

    @property
    def url(self):
        return self.licence.url if self.licence else ""

    @property
    def reason(self):
        return REASONS[self.reason_code]

    @property
    def class_label(self):
        return LicenceClass(self.licence_class).label

    def as_dict(self):
        """Plain data for the API (reason and class label in the active language)."""
        return {
            "statement": self.statement,
            "spdx": self.spdx,
            "name": self.licence.name if self.licence else "",
            "url": self.url,
            "version": self.licence.version if self.licence else "",
            "jurisdiction": self.licence.jurisdiction if self.licence else "",
            "licence_class": self.licence_class,
            "class_label": str(self.class_label),
            "reason": str(self.reason),
            "access_right": self.access_right,
        }


# Loading the data ----------------------------------------------------------------------


@cache
def _data():
    with DATA_FILE.open("rb") as file:
        return tomllib.load(file)


@cache
def _tables():
    data = _data()
    by_key = {}  # normalized alias, SPDX id or URL → Licence
    licences = []
    for entry in data["licence"]:
        licence = Licence(
            spdx=entry["spdx"],
            name=entry["name"],
            url=entry["url"],
            version=entry["version"],
            licence_class=entry["class"],
            reason_code=entry["reason"],
        )
        licences.append(licence)
        for key in [entry["spdx"], *entry.get("aliases", [])]:
            if key:
                by_key[_normalize(key)] = licence
        by_key[_url_key(entry["url"])] = licence
    cc = data["creative_commons"]
    for family in cc["family"]:
        for version in cc["versions"]:
            licence = _cc_licence(family["code"], version, "")
            licences.append(licence)
            by_key[_normalize(licence.spdx)] = licence
    for spdx in cc["ported"]:
        code, version, jurisdiction = _split_ported(spdx)
        licences.append(_cc_licence(code, version, jurisdiction))
    return by_key, tuple(licences)


def _split_ported(spdx):
    match = re.fullmatch(r"CC-([A-Z-]+)-(\d\.\d)-([A-Z]+)", spdx)
    return match[1].lower(), match[2], match[3].lower()


@cache
def _cc_families():
    return {family["code"]: family for family in _data()["creative_commons"]["family"]}


@cache
def _cc_ported():
    return frozenset(_data()["creative_commons"]["ported"])


def _cc_licence(code, version, jurisdiction):
    family = _cc_families()[code]
    cc = _data()["creative_commons"]
    if not version:
        return Licence(
            spdx="",
            name=f"CC {code.upper()} ({family['name']}, version not stated)",
            url=f"https://creativecommons.org/licenses/{code}/",
            version="",
            licence_class=family["class"],
            reason_code=family["reason"],
        )
    spdx = f"CC-{code.upper()}-{version}"
    url = f"https://creativecommons.org/licenses/{code}/{version}/"
    name = f"Creative Commons {family['name']} {version}"
    if jurisdiction:
        url += f"{jurisdiction}/"
        ported = f"{spdx}-{jurisdiction.upper()}"
        if ported in _cc_ported():
            spdx = ported
            name += f" {jurisdiction.upper()}"
        elif version in cc["port_only_versions"]:
            spdx = ""
    elif version in cc["port_only_versions"]:
        spdx = ""
    if not jurisdiction and version == "4.0":
        name += " International"
    return Licence(spdx, name, url, version, family["class"], family["reason"], jurisdiction)


def licence_by_spdx(spdx):
    return _tables()[0].get(_normalize(spdx or ""))


def all_licences():
    return _tables()[1]


# Spelling rules ------------------------------------------------------------------------


def _normalize(text):
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"\s+", " ", text).strip()
    return text.rstrip(" ./")


def _url_key(url):
    key = _normalize(url)
    key = re.sub(r"^[a-z]+://", "", key)
    key = re.sub(r"^www\.", "", key)
    key = re.sub(r"(\.en)?\.html?$", "", key)
    return key.rstrip("/")


_CC_URL = re.compile(
    r"creativecommons\.org/licen[cs]es/(?P<family>[a-z-]+)/(?P<version>\d\.\d)"
    r"(?:/(?P<jurisdiction>[a-z]{2,3}))?(?=$|[/\s\"'<>),;]|\.?$)"
)
_CC_PUBLIC_DOMAIN_URL = re.compile(r"creativecommons\.org/publicdomain/(?P<kind>zero|mark)/")
_OTHER_URL = re.compile(r"(?:https?://)?(?:www\.)?([a-z0-9.-]+\.[a-z]{2,}/[^\s\"'<>]*)")

# Words of Creative Commons names, in the order a code is written (by, nc, nd, sa).
_CC_WORDS = [
    (r"creative\s*commons", " cc "),
    (r"attribution", " by "),
    (r"share[\s-]*alike", " sa "),
    (r"non[\s-]*commercial", " nc "),
    (r"no[\s-]*deriv(?:ative)?s?(?:\s*works)?", " nd "),
]
_CC_ORDER = ("by", "nc", "nd", "sa")


def _cc_from_url(text):
    match = _CC_URL.search(text)
    if match:
        code = _cc_code(re.split(r"-", match["family"]))
        if code:
            return _cc_licence(code, match["version"], match["jurisdiction"] or "")
    match = _CC_PUBLIC_DOMAIN_URL.search(text)
    if match:
        return licence_by_spdx("CC0-1.0") if match["kind"] == "zero" else _public_domain_mark()
    return None


def _public_domain_mark():
    return _tables()[0][_normalize("public domain mark")]


def _cc_code(parts):
    parts = set(parts)
    if "by" not in parts or not parts <= set(_CC_ORDER) or {"nd", "sa"} <= parts:
        return None
    code = "-".join(part for part in _CC_ORDER if part in parts)
    return code if code in _cc_families() else None


def _cc_from_name(text):
    named_cc = "creative commons" in text or "attribution" in text
    for pattern, replacement in _CC_WORDS:
        text = re.sub(pattern, replacement, text)
    tokens = re.findall(r"\d\.\d|[a-z0-9]+", text)
    # "Attribution" alone is an English word: without "CC" it takes a version to be a name.
    if "cc" not in tokens and not (named_cc and re.search(r"\d\.\d", text)):
        return None
    # The CC elements are the run of by/nc/nd/sa words after "cc" (or "attribution").
    start = tokens.index("cc") + 1 if "cc" in tokens else 0
    parts, rest = [], tokens[start:]
    while rest and rest[0] in _CC_ORDER:
        parts.append(rest.pop(0))
    if not parts and "by" in tokens:  # "Attribution 4.0 …" spelt after other words
        index = tokens.index("by")
        parts, rest = [], tokens[index:]
        while rest and rest[0] in _CC_ORDER:
            parts.append(rest.pop(0))
    code = _cc_code(parts)
    if not code:
        return None
    version = jurisdiction = ""
    if rest and re.fullmatch(r"\d\.\d", rest[0]):
        version = rest.pop(0)
        if rest and (re.fullmatch(r"[a-z]{2}", rest[0]) or rest[0] == "igo"):
            jurisdiction = rest[0]
    if version and version not in _data()["creative_commons"]["versions"] + ["2.1"]:
        version = ""
    return _cc_licence(code, version, jurisdiction)


@cache
def _alias_pattern():
    """Known multi-word names (or ones with "licen") to find inside a longer statement.

    Single words such as "mit" or "gpl" are left out: "MIT OpenCourseWare" is no licence.
    """
    keys = [
        key
        for key in _tables()[0]
        if len(key) >= 6 and "/" not in key and (" " in key or "licen" in key)
    ]
    keys.sort(key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(key) for key in keys) + r")(?!\w)")


def _alias_in(text, by_key):
    match = _alias_pattern().search(text)
    return by_key[match[1]] if match else None


@cache
def _phrase_pattern(phrases):
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(p) for p in phrases) + r")(?!\w)")


def _phrase_in(text, phrases):
    match = _phrase_pattern(tuple(phrases)).search(text)
    return match[1] if match else None


@lru_cache(maxsize=4096)
def read_statement(statement):
    """Read one rights statement (a URL, a name, or free text); statements repeat, so
    readings are kept."""
    statement = statement or ""
    text = _normalize(statement)
    if not text:
        return Reading(statement, None, LicenceClass.UNKNOWN, "none")
    by_key, _licences = _tables()
    licence = (
        by_key.get(text)
        or by_key.get(_url_key(text))
        or _cc_from_url(text)
        or _cc_from_name(text)
        or _known_url_in(text, by_key)
        or _alias_in(text, by_key)
    )
    if licence:
        return Reading(statement, licence, licence.licence_class, licence.reason_code)
    words = _data()["statements"]
    access = _phrase_in(text, words["access_rights"])
    if access:
        return Reading(statement, None, LicenceClass.UNKNOWN, "access-right-only", access)
    if _phrase_in(text, words["all_rights_reserved"]):
        return Reading(statement, None, LicenceClass.NOT_OPEN, "all-rights-reserved")
    if any(word in text for word in words["copyright"]):
        return Reading(statement, None, LicenceClass.NOT_OPEN, "copyright-only")
    return Reading(statement, None, LicenceClass.UNKNOWN, "unrecognized")


def _known_url_in(text, by_key):
    for match in _OTHER_URL.finditer(text):
        licence = by_key.get(_url_key(match[1]))
        if licence:
            return licence
    return None


_PREFERENCE = {"none": 0, "unrecognized": 1, "access-right-only": 2}


def read_rights(statements):
    """Read every rights statement of a record together.

    A named licence wins over everything else (a record often has a copyright line
    beside its licence); then "all rights reserved" and copyright notices; then access
    rights, which are kept beside whatever licence is found.
    """
    if isinstance(statements, str):
        statements = [statements]
    readings = [read_statement(text) for text in statements if text and text.strip()]
    if not readings:
        return Reading("", None, LicenceClass.UNKNOWN, "none")
    access = next((r.access_right for r in readings if r.access_right), "")
    joined = "\n".join(r.statement for r in readings)
    best = next((r for r in readings if r.licence), None)
    if best is None:
        best = max(readings, key=lambda r: _PREFERENCE.get(r.reason_code, 3))
    return Reading(joined, best.licence, best.licence_class, best.reason_code, access)
