"""The activities demo: the TOML files beside this module, loaded through the services.

`seeds.toml` holds the items of the seed documents (the March 2023 Update, the OE Global
2021 webinar) with their own texts, dates and people; `events.toml`, `calls.toml`,
`publications.toml`, `initiatives.toml` and `news.toml` about three hundred more of every
kind, action area, region and language, written once from a seeded generator;
`moderation.toml` the Madagascar focal point's submissions waiting for the secretariat.

Seed items keep their historic dates. The others are placed relative to the day of loading
(`{day, hour, minute}` in the activity's zone), so that lists of upcoming events and open
calls are never empty however late someone runs `make run`.

Everything is made as people would make it: the organization's account submits, the
secretariat approves, requests changes or declines, organizers build the programme and
share materials, people register (or, for events that no longer take registrations, the
organizer imports the sign-up sheet), members post. Nobody is e-mailed (`core.queue.held`),
and each row is then dated back to when it happened. An activity whose slug exists is left
alone, with everything it owns.
"""

import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone, translation

from coalition.core.page_cache import batched
from coalition.core.queue import held
from coalition.members import demo as members_demo
from coalition.members.models import Organization, Person, User, WorkingGroup
from coalition.recommendation.models import Language

from ..clocks import to_utc
from ..models import Activity, Kind, ModerationEntry, Registration, Submission
from ..services import discussion, materials, programme
from ..services import moderation as services
from ..services import registration as registrations
from ..snapshot import translated_columns

DATA = Path(__file__).parent
FILES = ("seeds", "events", "calls", "publications", "initiatives", "news", "moderation")
CONTENT_LANGUAGES = ("en", "fr", "ar", "es", "ru", "zh-hans")
SECRETARIAT = members_demo.SECRETARIAT


@cache
def dataset():
    """Every demo activity as its file holds it, in loading order."""
    specs = []
    for name in FILES:
        specs += tomllib.loads((DATA / f"{name}.toml").read_text("utf-8"))["activity"]
    return specs


# --- From the data to dates -----------------------------------------------------------------


@dataclass(frozen=True)
class Moments:
    starts_at: datetime | None
    ends_at: datetime | None
    deadline: datetime | None
    published_at: datetime | None
    submitted_at: datetime | None


def _dst_base(zone_name, today, direction):
    """The day before the zone's nearest clock change (after or before today): a 3-day event
    starting then spans the change."""
    zone = ZoneInfo(zone_name)

    def offset(day):
        return datetime.combine(day, time(12), zone).utcoffset()

    step = 1 if direction == "next" else -1
    day = today + timedelta(days=14 * step)
    for _ in range(400):
        following = day + timedelta(days=step)
        if offset(day) != offset(following):
            return max(day, following) - timedelta(days=1)
        day = following
    return today + timedelta(days=30 * step)  # a zone without daylight-saving time


def _weekday_shift(day, upcoming):
    """Moves a generated event off the weekend: forwards if upcoming, back if past."""
    if day.weekday() < 5:
        return 0
    return (7 - day.weekday()) if upcoming else (4 - day.weekday())


def _wall(rel, zone, base, shift=0):
    local = datetime.combine(
        base + timedelta(days=rel["day"] + shift), time(rel["hour"], rel["minute"])
    )
    return to_utc(local, zone)


def moments(spec, today):
    """The spec's dates for a load on `today`."""
    zone = spec.get("time_zone") or "UTC"
    start, end = spec.get("start"), spec.get("end")
    starts_at = ends_at = None
    if isinstance(start, datetime):
        starts_at, ends_at = start, end
    elif start is not None:
        dst = spec.get("dst", "")
        base = _dst_base(zone, today, dst) if dst else today
        shift = 0
        if not dst:
            shift = _weekday_shift(base + timedelta(days=start["day"]), spec.get("upcoming"))
        starts_at = _wall(start, zone, base, shift)
        ends_at = _wall(end, zone, base, shift)
    deadline = spec.get("deadline")
    if isinstance(deadline, dict):
        deadline = _wall(deadline, zone, today)
    published = spec.get("published")
    if isinstance(published, dict):
        published = _wall(published, "UTC", today)
    elif isinstance(published, int):  # days before the start
        day = min(starts_at.date() - timedelta(days=published), today - timedelta(days=1))
        published = datetime.combine(day, time(7 + published % 9, 30), UTC)
    submitted = published - timedelta(hours=spec["review_hours"]) if published else None
    return Moments(starts_at, ends_at, deadline, published, submitted)


# --- Loading ------------------------------------------------------------------------------


@dataclass
class ActivitiesSummary:
    created: dict
    totals: dict

    def __str__(self):
        t = self.totals
        return (
            f"Demo activities: {t['activities']} activities ({t['events']} events, "
            f"{t['upcoming']} upcoming), {t['queue']} awaiting moderation, "
            f"{t['registrations']} registrations; {sum(self.created.values())} objects created."
        )


class _References:
    """The members demo's rows, by slug and e-mail, as the database holds them now."""

    def __init__(self, specs):
        slugs = {slug for spec in specs for slug in spec["organizations"]}
        slugs |= {spec["shared_for"] for spec in specs if "shared_for" in spec}
        self.orgs = {o.slug: o for o in Organization.objects.filter(slug__in=slugs)}
        slugs = {r["person"] for s in specs for r in s.get("registrations", ())}
        slugs |= {r["person"] for s in specs for r in s.get("programme", ())}
        self.people = {p.slug: p for p in Person.objects.filter(slug__in=slugs)}
        self.accounts = {
            u.email: u for u in User.objects.filter(email__in=members_demo.DEMO_ACCOUNTS.values())
        }
        self.groups = dict(WorkingGroup.objects.values_list("slug", "pk"))
        self.languages = {language.code: language for language in Language.objects.all()}
        members = members_demo.dataset()
        org_names = {
            o["slug"]: o["name"].get("en") or next(iter(o["name"].values()))
            for o in members.organizations
        }
        # What a person writes in a registration form's "organization" field: their first.
        self.organization_name = {
            p["slug"]: org_names[p["affiliations"][0]["organization"]]
            for p in members.people
            if p.get("affiliations")
        }

    @property
    def secretariat(self):
        return self.accounts[SECRETARIAT]

    def account(self, email):
        return self.accounts.get(email) or self.secretariat


def _link(link):
    """A link of the data as a snapshot's: its label one text, or texts by language."""
    label = link["label"]
    if isinstance(label, str):
        return {"label": label, "url": link["url"]}
    base = label.get("en") or next(iter(label.values()))
    return {"label": base, "labels": dict(label), "url": link["url"]}


def snapshot(spec, refs, when):
    """The spec as a Submission snapshot, in the format of snapshot.snapshot_of()."""
    data = {}
    for column in translated_columns():
        name, _, code = column.partition("_")
        texts = spec.get(name, {})
        data[column] = texts.get(code.replace("_", "-"), "")
    data.update(
        kind=spec["kind"],
        event_format=spec.get("format", ""),
        time_zone=spec.get("time_zone", ""),
        location=spec.get("location", ""),
        is_online=spec.get("is_online", False),
        registration_required=spec.get("registration_required", False),
        registration_open=spec.get("registration_open", True),
        capacity=spec.get("capacity"),
        access_url=spec.get("access_url", ""),
        contact_name=spec.get("contact_name", ""),
        contact_email=spec.get("contact_email", ""),
        contact_is_public=spec.get("contact_is_public", False),
        starts_at=when.starts_at.isoformat() if when.starts_at else None,
        ends_at=when.ends_at.isoformat() if when.ends_at else None,
        deadline=when.deadline.isoformat() if when.deadline else None,
        organizations=sorted(refs.orgs[s].pk for s in spec["organizations"] if s in refs.orgs),
        action_areas=sorted(spec.get("action_areas", ())),
        working_groups=sorted(
            refs.groups[s] for s in spec.get("working_groups", ()) if s in refs.groups
        ),
        languages=sorted(code for code in spec.get("languages", ()) if code in refs.languages),
        countries=sorted(spec.get("countries", ())),
        regions=sorted(spec.get("regions", ())),
        links=[_link(link) for link in spec.get("links", ())],
    )
    return data


def title_language(spec):
    """The language apply_snapshot() takes the base title from: English, else the first."""
    titles = spec["title"]
    if titles.get("en"):
        return "en"
    return next(code for code in CONTENT_LANGUAGES if titles.get(code))


def load_demo_activities(today=None):
    """Create whatever part of the demo activities is missing, in one transaction.

    The members demo is loaded first (it is idempotent too): activities need its
    organizations, people and accounts.
    """
    members_demo.load_demo_data()
    today = today or timezone.localdate()
    now = timezone.now()
    specs = dataset()
    created = Counter()
    with translation.override("en"), transaction.atomic(), held(), batched():
        refs = _References(specs)
        existing = set(
            Activity.objects.filter(slug__in=[s["slug"] for s in specs]).values_list(
                "slug", flat=True
            )
        )
        for spec in specs:
            if spec["slug"] in existing or _shared_for(spec) not in refs.orgs:
                continue
            when = moments(spec, today)
            if spec.get("flow", "published") == "published":
                activity = _publish(spec, refs, when, created)
            else:
                activity, when = _submit_moderated(spec, refs, when, now, created)
            _programme(spec, activity, when, refs, created)
            _registrations(spec, activity, when, refs, today, created)
            _posts(spec, activity, refs, today, created)
            if spec.get("is_cancelled"):
                _cancel(activity, when, refs, today)
    return ActivitiesSummary(created=dict(created), totals=_totals(specs, now))


def _shared_for(spec):
    """The organization the item is submitted for: `shared_for`, else its first organizer."""
    return spec.get("shared_for") or spec["organizations"][0]


def _date_back(model, pk, **moments):
    """A row made through a service today, dated to when the demo's history has it."""
    model.objects.filter(pk=pk).update(**moments)


def _submit(spec, refs, data):
    """The organization's account (or the secretariat) submits the activity."""
    user = refs.account(spec.get("submitter", SECRETARIAT))
    organization = refs.orgs[_shared_for(spec)]
    # apply_snapshot() writes the base title through the active language: activate the
    # one it takes the title from, so that no other language's column receives a copy.
    with translation.override(title_language(spec)):
        activity = services.submit_activity(user=user, organization=organization, data=data)
    # The service names it from its title; the demo's links name it as the data does.
    Activity.objects.filter(pk=activity.pk).update(slug=spec["slug"])
    activity.slug = spec["slug"]
    return activity, user, organization


def _publish(spec, refs, when, created):
    """Submitted, then approved by the secretariat: published as any shared item is."""
    activity, _user, _organization = _submit(spec, refs, snapshot(spec, refs, when))
    submission = activity.submissions.get()
    with translation.override(title_language(spec)):
        activity = services.approve_submission(submission, by=refs.secretariat)
    _date_back(Activity, activity.pk, created_at=when.submitted_at, published_at=when.published_at)
    _date_back(
        Submission, submission.pk, submitted_at=when.submitted_at, decided_at=when.published_at
    )
    submitted, approved = activity.log.order_by("pk")
    _date_back(ModerationEntry, submitted.pk, at=when.submitted_at)
    _date_back(ModerationEntry, approved.pk, at=when.published_at)
    activity.published_at = when.published_at
    created["activities"] += 1
    return activity


def _edited(data, edit):
    data = dict(data)
    if minutes := edit.get("shift_minutes"):
        for name in ("starts_at", "ends_at"):
            moment = datetime.fromisoformat(data[name]) + timedelta(minutes=minutes)
            data[name] = moment.isoformat()
    if "links" in edit:
        data["links"] = [_link(link) for link in edit["links"]]
    return data


def _submit_moderated(spec, refs, when, now, created):
    """The moderation queue: submitted, and for some sent back, declined, or published and
    then edited, as the focal point and the secretariat did it."""
    secretariat = refs.secretariat
    data = snapshot(spec, refs, when)
    activity, user, organization = _submit(spec, refs, data)
    first = activity.submissions.get()
    asked = now - timedelta(hours=spec["asked_hours"])
    times, second, flow = [asked], None, spec["flow"]
    with translation.override(title_language(spec)):
        if flow == "changes-requested":
            services.request_changes(first, by=secretariat, message=spec["message"])
            times.append(asked + timedelta(hours=30))
        elif flow == "declined":
            services.decline_submission(first, by=secretariat, reason=spec["message"])
            times.append(asked + timedelta(hours=30))
        elif flow == "pending-edit":
            services.approve_submission(first, by=secretariat)
            published = asked - timedelta(days=40)
            times = [published - timedelta(hours=spec["review_hours"]), published, asked]
            second = services.propose_change(
                activity, user=user, organization=organization, data=_edited(data, spec["edit"])
            )
    _date_back(
        Submission,
        first.pk,
        submitted_at=times[0],
        decided_at=times[1] if len(times) > 1 else None,
    )
    if second is not None:
        _date_back(Submission, second.pk, submitted_at=times[2])
    for entry, at in zip(activity.log.order_by("pk"), times, strict=True):
        _date_back(ModerationEntry, entry.pk, at=at)
    published_at = times[1] if flow == "pending-edit" else None
    _date_back(Activity, activity.pk, created_at=times[0], published_at=published_at)
    activity.refresh_from_db()
    created["activities"] += 1
    return activity, Moments(
        when.starts_at, when.ends_at, when.deadline, published_at, when.submitted_at
    )


def _programme(spec, activity, when, refs, created):
    """The organizer's programme: presentations, people on it, slides and recordings."""
    organizer = refs.account(spec.get("submitter", SECRETARIAT))
    presentations = []
    for item in spec.get("presentations", ()):
        minutes = item.get("minutes")
        presentations.append(
            programme.add_presentation(
                activity,
                by=organizer,
                title=item["title"],
                starts_at=when.starts_at + timedelta(minutes=minutes)
                if minutes is not None
                else None,
            )
        )
    for role in spec.get("programme", ()):
        person = refs.people.get(role["person"])
        if person is None:
            continue
        index = role.get("presentation")
        programme.add_to_programme(
            activity,
            person,
            by=organizer,
            role=role["role"],
            title_on_programme=role.get("title", ""),
            presentation=presentations[index] if index is not None else None,
        )
    for item in spec.get("materials", ()):
        index = item.get("presentation")
        material = materials.add_material(
            activity,
            user=organizer,
            kind=item["kind"],
            title=item["title"],
            url=item["url"],
            language=refs.languages.get(item["language"]),
            presentation=presentations[index] if index is not None else None,
        )
        if item["kind"] == "recording":
            at = when.ends_at + timedelta(days=1)  # recordings are only on past events
        else:
            at = when.published_at + (when.starts_at - when.published_at) * 0.8
        _date_back(type(material), material.pk, created_at=min(at, timezone.now()))
    created["presentations, people on programmes and materials"] += (
        len(presentations) + len(spec.get("programme", ())) + len(spec.get("materials", ()))
    )


def _registrations(spec, activity, when, refs, today, created):
    """People register while the event takes registrations; for one that no longer does
    (over, or closed), the organizer records its sign-up sheet."""
    if not spec.get("registrations"):
        return
    midnight = datetime.combine(today, time(0), UTC)
    opened = when.published_at
    closed = min(when.starts_at, midnight)
    rows = []
    for registration in spec["registrations"]:
        person = refs.people.get(registration["person"])
        if person is None:
            continue
        at = opened + (closed - opened) * registration["at"]
        cancelled = registration["status"] == Registration.Status.CANCELLED
        rows.append(
            {
                "name": person.name,
                "email": person.email,
                "user": person.user,
                "organization_name": refs.organization_name.get(registration["person"], ""),
                "share_contact": registration.get("share_contact", False),
                "status": registration["status"],
                "created_at": at,
                "cancelled_at": at + (closed - at) / 2 if cancelled else None,
            }
        )
    activity.refresh_from_db()
    if registrations.refusal(activity):
        organizer = refs.account(spec.get("submitter", SECRETARIAT))
        created["registrations"] += len(
            registrations.import_registrations(activity, rows, by=organizer)
        )
        return
    made = []
    for row in rows:
        registration = registrations.register(
            activity,
            name=row["name"],
            email=row["email"],
            user=row["user"],
            organization_name=row["organization_name"],
            share_contact=row["share_contact"],
        )
        if row["status"] == Registration.Status.CANCELLED:
            registration = registrations.cancel_registration(registration)
        registration.created_at, registration.cancelled_at = row["created_at"], row["cancelled_at"]
        made.append(registration)
    # Dated back in one statement: one UPDATE per registration would double the load time.
    Registration.objects.bulk_update(made, ["created_at", "cancelled_at"])
    created["registrations"] += len(made)


def _posts(spec, activity, refs, today, created):
    presentations = list(activity.presentations.order_by("order"))
    for post in spec.get("posts", ()):
        at = post["at"]
        if not isinstance(at, datetime):  # days before the day of loading
            at = datetime.combine(today + timedelta(days=at), time(10), UTC)
        index = post.get("presentation")
        made = discussion.create_post(
            activity,
            user=refs.account(post["author"]),
            body=post["body"],
            presentation=presentations[index] if index is not None else None,
        )
        _date_back(type(made), made.pk, created_at=at)
        created["discussion posts"] += 1


def _cancel(activity, when, refs, today):
    """Called off some time after publication (and, for a past event, before it)."""
    registrations.cancel_event(activity, by=refs.secretariat)
    entry = activity.log.filter(action="cancelled").latest("pk")
    end = min(when.starts_at, datetime.combine(today, time(0), UTC))
    _date_back(ModerationEntry, entry.pk, at=when.published_at + (end - when.published_at) / 2)


def _totals(specs, now):
    activities = Activity.objects.filter(slug__in=[s["slug"] for s in specs])
    events = activities.filter(kind=Kind.EVENT)
    return {
        "activities": activities.count(),
        "events": events.count(),
        "upcoming": events.published().filter(ends_at__gte=now).count(),
        "queue": Submission.objects.filter(
            activity__in=activities, status=Submission.Status.PENDING
        ).count(),
        "registrations": Registration.objects.filter(activity__in=activities).count(),
    }
