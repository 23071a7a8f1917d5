"""Serialized calendar components kept in the database, shared by every process.

A feed's VEVENTs and VTIMEZONEs depend only on data the Hub holds (an event's row, its
organizers' names, the feed's language), on tzdata, and on the code that writes them. The
memos of `feeds` and `zones` keep them for one process; this store keeps them for all: a worker
that has just started (after a deploy, a restart, or one more gunicorn worker) builds its
first feed of thousands of events from stored bytes, in a few queries, instead of asking
the library to serialize every event again, which takes seconds.

Each row carries a digest of everything its bytes were made from, so a stale row is never
served: it is rebuilt and replaced. The store is best effort: if a write fails (a database
busy with another writer, an event deleted meanwhile), the feed is answered all the same
and the rows are written by a later build.
"""

import hashlib
import logging
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from zoneinfo import TZPATH

import icalendar
from django.db import DatabaseError, transaction

from ..models import CalendarEntry, CalendarTimeZone

logger = logging.getLogger(__name__)

# The code that writes the bytes: any change to a module of this package (or another
# version of the library) makes every stored row stale, with no version number to remember
# to raise.
_WRITERS = Path(__file__).parent


@lru_cache(maxsize=1)
def writer_version():
    """A digest of the package's modules (each named, in order) and the library's version."""
    source = hashlib.blake2b(icalendar.__version__.encode(), digest_size=8)
    for module in sorted(_WRITERS.glob("*.py")):
        source.update(f"{module.name}:{module.stat().st_size}:".encode())
        source.update(module.read_bytes())
    return source.hexdigest()


def digest(*parts):
    """A short, stable name for `parts` (values whose str() is stable: str, int, datetime…).

    Each part is written with its length before it, so that no two different lists of
    parts read the same; cheaper than repr() for the thousands of events of a feed.
    """
    text = "".join(f"{len(part)}:{part}" for part in map(str, (writer_version(), *parts)))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _bytes(body):
    return bytes(body)  # PostgreSQL gives memoryviews


def _write(model, rows, *, unique_fields):
    try:
        with transaction.atomic():
            model.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=unique_fields,
                update_fields=["digest", "body"],
                batch_size=500,
            )
    except DatabaseError:
        logger.warning(
            "Could not store %s serialized calendar components; a later feed will.",
            len(rows),
            exc_info=True,
        )


# --- VEVENTs, one per event and language ---


def stored_vevents(digests, *, language, among=None):
    """The stored VEVENTs whose digest still matches: {activity pk: bytes}. `among`: the
    ids to look up (a list or a subquery), by default those of `digests`."""
    if not digests:
        return {}
    ids = list(digests) if among is None else among
    rows = CalendarEntry.objects.filter(language=language, activity_id__in=ids)
    return {
        activity_id: _bytes(body)
        for activity_id, found, body in rows.values_list("activity_id", "digest", "body")
        if digests.get(activity_id) == found
    }


def store_vevents(built, *, language):
    """Keep freshly serialized VEVENTs: `built` is [(activity pk, digest, bytes)]."""
    if built:
        rows = [
            CalendarEntry(activity_id=pk, language=language, digest=name, body=body)
            for pk, name, body in built
        ]
        _write(CalendarEntry, rows, unique_fields=["activity", "language"])


# --- VTIMEZONEs, one per zone and span of years ---


def _zone_source(zone_name):
    """The zone's compiled tzdata, as zoneinfo reads it (system first, then the tzdata package)."""
    for root in TZPATH:
        path = os.path.join(root, zone_name)
        if os.path.isfile(path):
            return Path(path).read_bytes()
    try:
        return resources.files("tzdata.zoneinfo").joinpath(*zone_name.split("/")).read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return b""


def vtimezones(spans, build):
    """The VTIMEZONE bytes of each (zone, first year, last year), in order.

    Stored ones are read in one query; the others are made by `build(zone, first, last)`
    and stored for every process after this one.
    """
    if not spans:
        return []
    names = {span: digest("VTIMEZONE", *span, _zone_source(span[0])) for span in spans}
    zones = sorted({zone for zone, _first, _last in spans})
    found = {}
    for zone, first, last, name, body in CalendarTimeZone.objects.filter(
        zone__in=zones
    ).values_list("zone", "first_year", "last_year", "digest", "body"):
        if names.get((zone, first, last)) == name:
            found[(zone, first, last)] = _bytes(body)
    fresh = []
    for span in spans:
        if span not in found:
            found[span] = build(*span)
            fresh.append(
                CalendarTimeZone(
                    zone=span[0],
                    first_year=span[1],
                    last_year=span[2],
                    digest=names[span],
                    body=found[span],
                )
            )
    if fresh:
        _write(CalendarTimeZone, fresh, unique_fields=["zone", "first_year", "last_year"])
    return [found[span] for span in spans]
