"""The Update's demo: the TOML files beside this module, replayed through the services.

`subscribers.toml` holds four hundred subscribers (the form, two imports, one member's
account, in every status), `march-2023.toml` the March 2023 Update of the seed, and
`draft.toml` the draft of the month of loading.

The subscribers' history is replayed in the order it happened: each subscribes through the
form (or is imported, or clicks from their account), confirms, sets preferences,
unsubscribes or bounces, through the same services as a real person or mail server. The
March 2023 issue is composed in the middle of that history, the way the secretariat
composes one (`services.create_draft`, then items arranged into the seed's sections and
order, then each edition's title and introduction), and its sending is started on
3 March 2023 with exactly the subscribers confirmed at that moment. The deliveries, which
happened then, are recorded rather than re-run: nothing is sent, nobody is e-mailed
(`core.queue.held`), and each row is dated back to when it happened. Personal tokens stay
random: they are secrets in links.

Loading is idempotent: issues are found by slug, subscribers by address.
"""

import tomllib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count
from django.utils import formats, timezone, translation
from django.utils.text import slugify

from coalition.activities import demo as activities_demo
from coalition.activities.models import Activity
from coalition.core.page_cache import batched
from coalition.core.queue import held
from coalition.members import demo as members_demo
from coalition.members.models import User, WorkingGroup

from ..models import Bounce, Edition, OutboxMessage, Subscriber, UpdateIssue
from ..services import composing as services
from ..services import sending, subscriptions

DATA = Path(__file__).parent


def read(name):
    return tomllib.loads((DATA / f"{name}.toml").read_text("utf-8"))


@cache
def march():
    return read("march-2023")


@cache
def draft():
    return read("draft")


@cache
def subscribers():
    return read("subscribers")


MARCH_SLUG = march()["issue"]["slug"]
WEBINAR = "oer-dynamic-coalition-webinar-open-education-week-2023"


def at(moment, today):
    """A moment of the data as a datetime, for a load on `today`: a datetime, `days_ago`
    (at an hour, UTC), or `since`, a fraction of the time from the day after the March 2023
    Update to the day before loading."""
    if isinstance(moment, datetime):
        return moment
    if "days_ago" in moment:
        day = today - timedelta(days=moment["days_ago"])
        return datetime.combine(day, time(moment["hour"], moment["minute"]), UTC)
    start = subscribers()["subscribers"]["later_start"]
    end = max(datetime.combine(today - timedelta(days=1), time(9), UTC), start)
    seconds = (end - start).total_seconds() * moment["since"]
    return (start + timedelta(seconds=seconds)).replace(second=0, microsecond=0)


@dataclass
class UpdatesSummary:
    created: dict
    totals: dict

    def __str__(self):
        t = self.totals
        statuses = ", ".join(f"{count} {status}" for status, count in t["statuses"].items())
        return (
            f"Demo Update: {t['issues']} issues ({t['sent']} sent), {t['subscribers']} "
            f"subscribers ({statuses}); {sum(self.created.values())} objects created."
        )


def load_demo_updates(today=None):
    """Create whatever part of the demo Update is missing, in one transaction.

    Needs the activities demo (which loads the members demo): it is loaded first when its
    seed items are missing.
    """
    today = today or timezone.localdate()
    if not Activity.objects.filter(slug=WEBINAR).exists():
        activities_demo.load_demo_activities(today)
    created = Counter()
    with translation.override("en"), transaction.atomic(), held(), batched():
        secretariat = User.objects.get(email=members_demo.SECRETARIAT)
        _replay(secretariat, today, created)
        _compose_current_draft(secretariat, today, created)
    return UpdatesSummary(created=dict(+created), totals=_totals())


def _date_back(model, pk, **moments):
    """A row made through a service today, dated to when the demo's history has it."""
    model.objects.filter(pk=pk).update(**moments)


# --- The subscribers' history, and the March 2023 send within it ---------------------------


def _consent(language):
    with translation.override(language):
        return str(subscriptions.CONSENT_TEXT)


class _History:
    """The subscribers' steps as (moment, order, step, subscriber spec) to replay in order."""

    def __init__(self, specs, today):
        self.steps = []
        imports = {}
        for n, spec in enumerate(specs):
            joined = at(spec["joined"], today)
            if spec["source"] == "import":
                imports.setdefault(joined, []).append(spec)
            else:
                self.add(joined, n, "join", spec)
            if "confirmed_after_minutes" in spec and spec["source"] != "account":
                confirmed = joined + timedelta(minutes=spec["confirmed_after_minutes"])
                self.add(confirmed, n, "confirm", spec)
            if "unsubscribed" in spec:
                self.add(at(spec["unsubscribed"], today), n, "unsubscribe", spec)
            for bounce in spec.get("bounces", ()):
                self.add(at(bounce["at"], today), n, "bounce", {**spec, "bounce": bounce})
        for moment, batch in imports.items():
            self.add(moment, -1, "import_", batch)
        self.steps.sort(key=lambda step: step[:2])

    def add(self, moment, order, step, spec):
        self.steps.append((moment, order, step, spec))


def _replay(secretariat, today, created):
    specs = subscribers()["subscriber"]
    existing = set(
        Subscriber.objects.filter(email__in=[s["email"] for s in specs]).values_list(
            "email", flat=True
        )
    )
    new = [spec for spec in specs if spec["email"] not in existing]
    march_sent = march()["issue"]["sent_at"]
    send_march = not UpdateIssue.objects.filter(slug=MARCH_SLUG).exists()
    context = _Replay(secretariat)
    for moment, _order, step, spec in _History(new, today).steps:
        if send_march and moment > march_sent:
            _compose_and_send_march(secretariat, created)
            send_march = False
        getattr(context, step)(spec, moment)
    if send_march:
        _compose_and_send_march(secretariat, created)
    created["subscribers"] += len(new)
    created["bounces"] += context.bounces


class _Replay:
    """Each step of a subscriber's history, through the service a person would use."""

    def __init__(self, secretariat):
        self.secretariat = secretariat
        self.subscriber = {}  # e-mail -> Subscriber
        self.groups = dict(WorkingGroup.objects.values_list("slug", "pk"))
        self.bounces = 0

    def interests(self, spec):
        groups = [self.groups[g] for g in spec.get("working_groups", ()) if g in self.groups]
        return groups, list(spec.get("action_areas", ()))

    def join(self, spec, moment):
        groups, areas = self.interests(spec)
        if spec["source"] == "account":
            user = User.objects.get(email=spec["account"])
            with translation.override(spec["language"]):  # the page the member clicked on
                subscriber, _outcome = subscriptions.subscribe_account(user)
            subscriptions.update_preferences(
                subscriber,
                language=subscriber.language,
                other_languages=spec.get("other_languages", ()),
                working_groups=groups,
                action_areas=areas,
            )
            _date_back(
                Subscriber,
                subscriber.pk,
                created_at=moment,
                consented_at=moment,
                confirmed_at=moment,
            )
        else:
            subscriptions.request_subscription(
                email=spec["email"],
                language=spec["language"],
                other_languages=spec.get("other_languages", ()),
                working_groups=groups,
                action_areas=areas,
                consent_text=_consent(spec["language"]),
            )
            subscriber = Subscriber.objects.get(email=spec["email"])
            _date_back(Subscriber, subscriber.pk, created_at=moment, consented_at=moment)
        self.subscriber[spec["email"]] = subscriber

    def import_(self, batch, moment):
        """The secretariat imports a list; each address then sets its own preferences."""
        rows = "\n".join(
            ",".join([spec["email"], spec["language"], *spec.get("other_languages", ())])
            for spec in batch
        )
        report = subscriptions.import_csv(rows, by=self.secretariat)
        Subscriber.objects.filter(source="import", created_at=report.batch).update(
            created_at=moment
        )
        for spec in batch:
            subscriber = Subscriber.objects.get(email=spec["email"])
            groups, areas = self.interests(spec)
            if groups or areas:
                subscriptions.update_preferences(
                    subscriber,
                    language=spec["language"],
                    other_languages=spec.get("other_languages", ()),
                    working_groups=groups,
                    action_areas=areas,
                )
            self.subscriber[spec["email"]] = subscriber

    def confirm(self, spec, moment):
        imported = spec["source"] == "import"
        # An imported address consents on the confirmation page, in its language.
        consent = _consent(spec["language"]) if imported else ""
        subscriber = subscriptions.confirm(self.subscriber[spec["email"]], consent_text=consent)
        moments = {"confirmed_at": moment, **({"consented_at": moment} if imported else {})}
        _date_back(Subscriber, subscriber.pk, **moments)

    def unsubscribe(self, spec, moment):
        subscriber = self.subscriber[spec["email"]]
        subscriptions.unsubscribe(subscriber.token)
        _date_back(Subscriber, subscriber.pk, unsubscribed_at=moment)

    def bounce(self, spec, moment):
        """The mail server's report, as `manage.py record_bounce` records it."""
        bounce = spec["bounce"]
        subscriber = self.subscriber[spec["email"]]
        sending.record_bounce(subscriber, kind=bounce["kind"], detail=bounce["detail"])
        latest = Bounce.objects.filter(subscriber=subscriber).latest("pk")
        _date_back(Bounce, latest.pk, at=moment)
        self.bounces += 1


def _compose_and_send_march(secretariat, created):
    issue = _compose_march(secretariat, created)
    if issue is not None:
        _record_march_send(issue, secretariat, created)


def _compose_march(secretariat, created):
    """The seed's issue, composed through the editing services as the secretariat would."""
    data = march()
    wanted_slugs = [slug for section in data["section"] for slug in section["activities"]]
    activities = {a.slug: a for a in Activity.objects.filter(slug__in=wanted_slugs)}
    if not activities:
        return None
    share_call = activities.get(data["issue"]["next_deadline_from"])
    english = next(e for e in data["edition"] if e["language"] == "en")
    issue = services.create_draft(
        title=english["title"],
        period_start=data["issue"]["period_start"],
        period_end=data["issue"]["period_end"],
        by=secretariat,
        # The issue's own call to share: the deadline the seed gives for the next Update.
        next_deadline=share_call.deadline if share_call else None,
        time_zone=data["issue"]["time_zone"],
    )
    sections = [
        (section["section"], [activities[s].pk for s in section["activities"] if s in activities])
        for section in data["section"]
    ]
    wanted = {(section, pk) for section, pks in sections for pk in pks}
    # Candidates the seed did not carry, and seed items assembled into another section
    # (the notice is news, the call to share is a call) go; then what is missing comes.
    for item in issue.items.all():
        if (item.section, item.activity_id) not in wanted:
            services.remove_item(item, by=secretariat)
    present = set(issue.items.values_list("section", "activity_id"))
    by_pk = {a.pk: a for a in activities.values()}
    for section, pks in sections:
        for pk in pks:
            if (section, pk) not in present:
                services.add_item(issue, by=secretariat, section=section, activity=by_pk[pk])
    for section, pks in sections:
        _arrange(issue, section, pks, secretariat)
    for edition in issue.editions.all():
        texts = next(e for e in data["edition"] if e["language"] == edition.language)
        services.save_edition(
            edition, by=secretariat, title=texts["title"], introduction=texts["introduction"]
        )
    _date_back(UpdateIssue, issue.pk, created_at=data["issue"]["composed_at"])
    created["issues"] += 1
    created["items"] += issue.items.count()
    created["editions"] += issue.editions.count()
    return issue


def _arrange(issue, section, pks, secretariat):
    """Move the section's items up, one place at a time, into the seed's order."""
    for target, pk in enumerate(pks):
        order = list(
            issue.items.filter(section=section)
            .order_by("order", "pk")
            .values_list("activity_id", flat=True)
        )
        item = issue.items.get(section=section, activity_id=pk)
        for _step in range(order.index(pk) - target):
            services.move_item(item, by=secretariat, direction=-1)


def _record_march_send(issue, secretariat, created):
    """Start the send as the secretariat did on 3 March 2023, then record its deliveries:
    one message every `pace_milliseconds`, and a refusal for the address whose mailbox
    bounced it within the hour."""
    data = march()["issue"]
    start, pace = data["sent_at"], timedelta(milliseconds=data["pace_milliseconds"])
    sending.start_sending(issue, by=secretariat, workers=0)
    rows = list(
        OutboxMessage.objects.filter(edition__issue=issue)
        .select_related("subscriber")
        .order_by("subscriber_id")
    )
    refused_by = {  # e-mail -> the mail server's answer
        spec["email"]: bounce["detail"]
        for spec in subscribers()["subscriber"]
        for bounce in spec.get("bounces", ())
        if bounce["kind"] == Bounce.Kind.HARD
        and isinstance(bounce["at"], datetime)
        and start <= bounce["at"] < start + timedelta(hours=1)
    }
    for n, row in enumerate(rows):
        moment = start + pace * n
        row.attempts, row.next_attempt_at = 1, moment
        detail = refused_by.get(row.subscriber.email)
        if detail:
            row.status, row.last_error = OutboxMessage.Status.FAILED, detail
        else:
            row.status, row.sent_at = OutboxMessage.Status.SENT, moment
            row.message_id = sending.message_id(row)
    OutboxMessage.objects.bulk_update(
        rows, ["attempts", "next_attempt_at", "status", "last_error", "sent_at", "message_id"]
    )
    sending.finish_if_done(issue.pk)
    finished = start + pace * len(rows)
    _date_back(UpdateIssue, issue.pk, send_at=start, sent_at=finished)
    Edition.objects.filter(issue=issue).update(sent_at=finished)
    created["outbox messages"] += len(rows)


# --- The draft of the month of loading -------------------------------------------------------


def _month_name(month, language):
    with translation.override(language):
        return formats.date_format(month, "F Y")


def _compose_current_draft(secretariat, today, created):
    """A draft for the month of loading, as the secretariat has started editing it."""
    data = draft()
    month = today.replace(day=1)
    title = _month_name(month, "en")
    if UpdateIssue.objects.filter(slug=slugify(title)).exists():
        return None
    following = (month + timedelta(days=32)).replace(day=1)
    zone = ZoneInfo(data["issue"]["time_zone"])
    deadline = datetime.combine(
        following.replace(day=data["issue"]["next_deadline_day"]),
        time(data["issue"]["next_deadline_hour"]),
        zone,
    )
    issue = services.create_draft(
        title=title,
        period_start=month,
        period_end=following - timedelta(days=1),
        by=secretariat,
        next_deadline=deadline,
        time_zone=data["issue"]["time_zone"],
    )
    now = timezone.now()
    by_section = {}
    for item in issue.items.select_related("activity").order_by("order", "pk"):
        by_section.setdefault(item.section, []).append(item)
    for section, keep in data["keep"].items():
        items = by_section.get(section, [])
        # What is still ahead first: events to come and calls still open.
        items.sort(key=lambda item: not _still_ahead(item.activity, now))
        for item in items[keep:]:
            services.remove_item(item, by=secretariat)
    notice = data["notice"]
    services.add_item(
        issue,
        by=secretariat,
        section=notice["section"],
        **{f"title_{code}": text for code, text in notice["title"].items()},
        **{f"body_{code}": text for code, text in notice["body"].items()},
    )
    introductions = {e["language"]: e["introduction"] for e in data["edition"]}
    for edition in issue.editions.filter(language__in=introductions):
        name = _month_name(month, edition.language)
        services.save_edition(
            edition,
            by=secretariat,
            title=name[:1].upper() + name[1:],
            introduction=introductions[edition.language].format(month=name),
        )
    created["issues"] += 1
    created["items"] += issue.items.count()
    created["editions"] += issue.editions.count()
    return issue


def _still_ahead(activity, now):
    if activity is None:
        return False
    moment = activity.starts_at or activity.deadline
    return moment is not None and moment >= now


def _totals():
    statuses = {
        row["status"]: row["n"]
        for row in Subscriber.objects.values("status").annotate(n=Count("pk")).order_by("status")
    }
    return {
        "issues": UpdateIssue.objects.count(),
        "sent": UpdateIssue.objects.filter(status=UpdateIssue.Status.SENT).count(),
        "subscribers": sum(statuses.values()),
        "statuses": statuses,
    }
