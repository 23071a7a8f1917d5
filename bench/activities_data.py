"""Deterministic activities for the activities benchmark, inserted with bulk_create.

Organizations come from the member directory's generator (bench.data); on top of them this
adds activities of every kind, their organizations, action areas, working groups,
languages and coverage rows. `bulk_create` skips `Model.save()`, so the slug it would
derive is set here. Activities are made in numbered slices (`first`, `count`) with a
generator seeded by the slice's position, so the benchmark can measure a small database,
add the rest, and measure again: the same seed and sizes always give the same rows.
"""

import random
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import override

from coalition.activities.models import Activity, Coverage, EventFormat, Kind, State
from coalition.members.models import Organization, WorkingGroup
from coalition.recommendation.models import ActionArea, Language
from coalition.recommendation.regions import Region

from . import data as members_data

BATCH_SIZE = 1000

# What the filtered requests ask for (see bench.activities.scenarios).
BENCH_ACTION_AREA = 2
BENCH_REGION = Region.AFRICA
BENCH_KIND = Kind.PUBLICATION
BENCH_LANGUAGE = "fr"

# Organizers' zones: the seeds' CET webinars, and the Coalition's members around the world,
# with zones that keep daylight-saving time on both hemispheres and odd offsets (India,
# Nepal, Chatham-less New Zealand, Newfoundland).
ZONES = (
    "Europe/Paris",
    "Europe/Paris",
    "Europe/London",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Mexico_City",
    "America/Bogota",
    "America/Sao_Paulo",
    "America/Argentina/Buenos_Aires",
    "America/St_Johns",
    "Africa/Nairobi",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Africa/Cairo",
    "Africa/Casablanca",
    "Asia/Dubai",
    "Asia/Riyadh",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Asia/Bangkok",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "UTC",
)
KIND_WEIGHTS = {  # of the activities that are not events
    Kind.INITIATIVE: 30,
    Kind.PUBLICATION: 40,
    Kind.CALL: 10,
    Kind.NEWS: 20,
}
FORMAT_WEIGHTS = {
    EventFormat.WEBINAR: 60,
    EventFormat.MEETING: 15,
    EventFormat.WORKSHOP: 15,
    EventFormat.CONFERENCE_SESSION: 10,
}
# Languages activities are held or published in: mostly the UN six, some others.
LANGUAGE_WEIGHTS = {
    "en": 60,
    "fr": 20,
    "es": 15,
    "ar": 8,
    "ru": 4,
    "zh": 4,
    "pt": 6,
    "de": 3,
    "sw": 2,
    "hi": 1,
}
# Share of the other kinds still in moderation (never published); events are all published,
# so that the number of events in lists and feeds is the one asked for.
UNPUBLISHED_SHARE = 0.03
TITLE_PATTERNS = {
    Kind.EVENT: ("Webinar: {topic} in {place}", "Webinaire : {topic_fr} à {place}"),
    Kind.INITIATIVE: ("{place} initiative for {topic}", "Initiative {place} pour {topic_fr}"),
    Kind.PUBLICATION: ("Guide to {topic} ({place})", "Guide de {topic_fr} ({place})"),
    Kind.CALL: ("Call for proposals: {topic}", "Appel à propositions : {topic_fr}"),
    Kind.NEWS: ("{place} joins the work on {topic}", "{place} rejoint les travaux sur {topic_fr}"),
}
# Relative to the run's "now": upcoming events within a year, past ones over ten.
UPCOMING_DAYS = 365
PAST_DAYS = 3650


def _weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _place(rng):
    return "".join(rng.choice(members_data.SYLLABLES) for _ in range(rng.randint(2, 3))).title()


class Plan:
    """Which kind each activity number has, and which events are upcoming.

    Fixed by the sizes alone, so that a slice of activities is the same whichever order the
    slices are inserted in.
    """

    def __init__(self, *, activities, events, upcoming):
        if not 0 <= upcoming <= events <= activities:
            raise ValueError("Expected 0 <= upcoming <= events <= activities.")
        self.activities, self.events, self.upcoming = activities, events, upcoming

    def _spread(self, index, count, total):
        # Evenly spread `count` of `total`: item i is chosen when floor(i*count/total) steps.
        return (index + 1) * count // total != index * count // total

    def is_event(self, index):
        return self._spread(index, self.events, self.activities)

    def event_number(self, index):
        return (index + 1) * self.events // self.activities - 1

    def is_upcoming(self, index):
        return self.is_event(index) and self._spread(
            self.event_number(index), self.upcoming, self.events
        )


class Vocabulary:
    def __init__(self):
        self.organizations = list(
            Organization.objects.members().order_by("pk").values_list("pk", "region", "country")
        )
        if not self.organizations:
            raise ValueError("Generate organizations first (bench.data.generate).")
        self.areas = list(ActionArea.objects.order_by("number").values_list("pk", flat=True))
        self.groups = list(WorkingGroup.objects.order_by("pk").values_list("pk", flat=True))
        known = set(Language.objects.values_list("code", flat=True))
        self.languages = {code: w for code, w in LANGUAGE_WEIGHTS.items() if code in known}


def _schedule(rng, upcoming, now):
    zone = rng.choice(ZONES)
    days = rng.randint(1, UPCOMING_DAYS) if upcoming else -rng.randint(1, PAST_DAYS)
    day = (now + timedelta(days=days)).date()
    # Organizers set a wall-clock time in their zone: 08:00-18:00 on the hour or half hour.
    local = datetime(day.year, day.month, day.day, rng.randint(8, 17), rng.choice((0, 30)))
    starts = local.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)
    if rng.random() < 0.08:  # a conference over two or three days
        ends = starts + timedelta(days=rng.randint(1, 2), hours=8)
    else:
        ends = starts + timedelta(minutes=rng.choice((60, 90, 120, 180)))
    return zone, starts, ends


def _activity(rng, index, plan, now):
    is_event = plan.is_event(index)
    kind = Kind.EVENT if is_event else _weighted(rng, KIND_WEIGHTS)
    topic_en, topic_fr, _topic_ar = rng.choice(members_data.TOPICS)
    place = _place(rng)
    en, fr = TITLE_PATTERNS[kind]
    title_en = en.format(topic=topic_en, topic_fr=topic_fr, place=place)
    title_fr = fr.format(topic=topic_en, topic_fr=topic_fr, place=place)
    has_fr = rng.random() < 0.3
    summary_en = "".join(
        f"<p>{sentence}</p>" for sentence in rng.sample(members_data.SENTENCES_EN, 2)
    )
    summary_fr = (
        "".join(f"<p>{sentence}</p>" for sentence in rng.sample(members_data.SENTENCES_FR, 2))
        if has_fr
        else ""
    )
    published = is_event or rng.random() >= UNPUBLISHED_SHARE
    activity = Activity(
        kind=kind,
        slug=f"{slugify(title_en)[:70]}-{index}",
        title=title_en,
        title_en=title_en,
        title_fr=title_fr if has_fr else "",
        summary=summary_en,
        summary_en=summary_en,
        summary_fr=summary_fr,
        state=State.PUBLISHED if published else State.SUBMITTED,
        created_at=now - timedelta(days=rng.randint(1, PAST_DAYS)),
    )
    if is_event:
        activity.event_format = _weighted(rng, FORMAT_WEIGHTS)
        zone, starts, ends = _schedule(rng, plan.is_upcoming(index), now)
        activity.time_zone, activity.starts_at, activity.ends_at = zone, starts, ends
        activity.is_online = activity.event_format == EventFormat.WEBINAR
        activity.location = "" if activity.is_online else f"{place} Conference Centre"
        activity.registration_required = rng.random() < 0.5
        activity.capacity = rng.choice((None, 100, 300, 1000))
        activity.access_url = f"https://meet.example.org/{index}" if activity.is_online else ""
        activity.is_cancelled = rng.random() < 0.02
        activity.sequence = 1 if activity.is_cancelled else rng.choice((0, 0, 0, 1))
        # Published some weeks before the event (and never after it starts).
        activity.published_at = min(starts, now) - timedelta(days=rng.randint(7, 60))
    elif published:
        activity.published_at = now - timedelta(days=rng.randint(0, PAST_DAYS))
    if kind == Kind.CALL:
        activity.deadline = now + timedelta(days=rng.randint(-PAST_DAYS, 90))
    activity.contact_name = "Programme officer"
    activity.contact_email = f"contact{index}@bench.example.org"
    activity.contact_is_public = rng.random() < 0.3
    return activity


def _relations(rng, activities, vocabulary):
    through = {
        "organizations": Activity.organizations.through,
        "action_areas": Activity.action_areas.through,
        "working_groups": Activity.working_groups.through,
        "languages": Activity.languages.through,
    }
    rows = {name: [] for name in through}
    coverage = []
    language_codes = list(vocabulary.languages)
    language_weights = list(vocabulary.languages.values())
    for activity in activities:
        orgs = rng.sample(vocabulary.organizations, rng.choices((1, 2, 3), weights=(75, 20, 5))[0])
        rows["organizations"] += [
            through["organizations"](activity_id=activity.pk, organization_id=pk)
            for pk, _region, _country in orgs
        ]
        rows["action_areas"] += [
            through["action_areas"](activity_id=activity.pk, actionarea_id=number)
            for number in rng.sample(vocabulary.areas, rng.choices((1, 2, 3), (50, 35, 15))[0])
        ]
        rows["working_groups"] += [
            through["working_groups"](activity_id=activity.pk, workinggroup_id=pk)
            for pk in rng.sample(vocabulary.groups, rng.choices((0, 1, 2), (40, 45, 15))[0])
        ]
        languages = set(rng.choices(language_codes, language_weights, k=rng.randint(1, 3)))
        rows["languages"] += [
            through["languages"](activity_id=activity.pk, language_id=code)
            for code in sorted(languages)
        ]
        # Coverage: worldwide (none), the lead organization's region, or its country.
        _pk, region, country = orgs[0]
        choice = rng.random()
        if choice < 0.45 and region:
            coverage.append(Coverage(activity_id=activity.pk, region=region))
        elif choice < 0.8 and country:
            coverage.append(Coverage(activity_id=activity.pk, country=country))
            if rng.random() < 0.3 and region:
                coverage.append(Coverage(activity_id=activity.pk, region=region))
    return rows, through, coverage


def generate_organizations(*, organizations, seed=members_data.SEED):
    """The organizations activities belong to, by the member directory's generator."""
    return members_data.generate(organizations=organizations, people=0, seed=seed)


def generate(*, plan, first=0, count=None, seed=members_data.SEED, now=None):
    """Insert activities number `first` to `first + count - 1` of `plan`; returns timings."""
    now = now or datetime.now(UTC)
    count = plan.activities - first if count is None else count
    vocabulary = Vocabulary()
    timings = {}
    started = time.perf_counter()
    # One generator per slice, seeded by where the slice starts: deterministic in any order.
    rng = random.Random(f"{seed}-{first}")
    with override("en"), transaction.atomic():
        activities = Activity.objects.bulk_create(
            [_activity(rng, index, plan, now) for index in range(first, first + count)],
            batch_size=BATCH_SIZE,
        )
        timings["activities"] = time.perf_counter() - started
        started = time.perf_counter()
        rows, through, coverage = _relations(rng, activities, vocabulary)
        for name, model in through.items():
            model.objects.bulk_create(rows[name], batch_size=BATCH_SIZE)
        Coverage.objects.bulk_create(coverage, batch_size=BATCH_SIZE)
        timings["relations"] = time.perf_counter() - started
    timings["total"] = sum(timings.values())
    return timings


def row_counts():
    """Rows per table, to print beside the figures."""
    models = [
        Organization,
        Activity,
        Activity.organizations.through,
        Activity.action_areas.through,
        Activity.working_groups.through,
        Activity.languages.through,
        Coverage,
    ]
    return {model._meta.db_table: model.objects.count() for model in models}


def event_counts(now=None):
    """Published events in all, upcoming, and in the all-events feed."""
    from coalition.activities import selectors
    from coalition.activities.ical import feeds

    now = now or datetime.now(UTC)
    return {
        "events": Activity.objects.published().filter(kind=Kind.EVENT).count(),
        "upcoming_events": selectors.upcoming_events(now=now).count(),
        "feed_events": min(feeds.feed_events(now=now).count(), feeds.FEED_LIMIT),
        "list_matches": selectors.upcoming_events(
            now=now, action_area=ActionArea.objects.get(pk=BENCH_ACTION_AREA), region=BENCH_REGION
        ).count(),
    }
