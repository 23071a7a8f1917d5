"""One OER, one entry: the keys that tell two records are the same resource.

Two records belong to the same `Work` when they share any of:
- the DOI (lower-cased, from `doi:`, `info:doi/`, `https://doi.org/…` or a bare `10.…`);
- the canonical URL of their first link: scheme-less (http and https are one), host
  lower-cased without `www.`, no fragment, no trailing slash, no tracking parameters
  (`utm_*`), other query parameters sorted;
- the normalized title + first creator's family name + year (accents, case,
  punctuation and spacing ignored), kept as a SHA-1 so the index stays small. No key is
  made when the creator or the year is missing: a title alone is too weak a proof.

The keys are computed here and stored on each record (indexed columns); the grouping
itself happens as records are stored (`services.records.store_items`), where a record
whose keys point at two works merges them (the younger into the elder).
"""

import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit


def fold(text):
    """Lower-case text without accents, punctuation or repeated spaces."""
    from .search.text import fold as search_fold

    return search_fold(text)


def canonical_url(url):
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        return ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return ""
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    if not host or host in ("doi.org", "dx.doi.org"):
        return ""  # a DOI link is compared as a DOI
    port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_")
    )
    path = re.sub(r"/+$", "", parts.path) or ""
    key = f"{host}{port}{path}"
    if query:
        key += "?" + urlencode(query)
    return key[:500]


def family_name(creator_name):
    name = (creator_name or "").strip()
    if "," in name:
        return fold(name.split(",", 1)[0])
    words = fold(name).split()
    return words[-1] if words else ""


def title_key(title, creators, year):
    if not title or not creators or not year:
        return ""
    first = creators[0]["name"] if isinstance(creators[0], dict) else str(creators[0])
    family = family_name(first)
    if not family:
        return ""
    basis = f"{fold(title)}|{family}|{year}"
    return hashlib.sha1(basis.encode(), usedforsecurity=False).hexdigest()


def keys_for(fields):
    """The (doi, canonical_url, title_key) of a record's fields."""
    urls = fields.get("urls") or []
    return (
        fields.get("doi") or "",
        canonical_url(urls[0]) if urls else "",
        title_key(fields.get("title"), fields.get("creators") or [], fields.get("year")),
    )
