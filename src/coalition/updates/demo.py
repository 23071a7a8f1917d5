"""Deterministic demo of the Update: the March 2023 issue as sent, a draft, and subscribers.

The March 2023 issue (seed 000) is composed from the demo activities the way the
secretariat would compose it: `services.create_draft` assembles the candidates, then the
items are arranged into the seed's sections and order and the three editions get the
seed's titles and introductions. It is then recorded as sent on 3 March 2023, the day the
activities demo publishes its items, without sending anything: the editions are frozen
with `sending.freeze_editions` exactly as a real send freezes them, and the outbox holds
one finished row per subscriber who was confirmed at that moment, so the archive, the feed
and the sending progress look like those of a real send.

A second issue, still a draft, covers the month of loading: assembled from the demo's
upcoming activities, trimmed to a newsletter's length, with a French introduction but no
Arabic one and an English-only notice, so that previews and the translation status have
something to show.

Four hundred subscribers, computed from a fixed seed, read the six UN languages (mostly
English, French and Arabic) and came through the form, two imports and one member's
account, in every status. Their personal tokens stay random: they are secrets in links.

Loading is idempotent (issues are found by slug, subscribers by address), takes a few
seconds and sends no e-mail.
"""

import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import formats, timezone, translation
from django.utils.text import slugify

from coalition.activities import demo as activities_demo
from coalition.activities.models import Activity
from coalition.members import demo as members_demo
from coalition.members.models import User, WorkingGroup

from .messages import message_id
from .models import Bounce, Edition, Item, OutboxMessage, SectionKind, Subscriber, UpdateIssue
from .services import composing as services
from .services import sending
from .services.subscriptions import CONSENT_TEXT, other_languages_list

SEED = 20230303
PARIS = ZoneInfo("Europe/Paris")
SECRETARIAT = members_demo.DEMO_ACCOUNTS["secretariat"]
MEMBER = members_demo.DEMO_ACCOUNTS["member"]
GROUP_SLUGS = members_demo.GROUP_SLUGS  # action area number -> working-group slug
# Nothing the demo does may reach a mailbox or a worker.
QUIET_TASKS = activities_demo.QUIET_TASKS

# --- The March 2023 Update (seed 000) -----------------------------------------------------

MARCH_SLUG = "march-2023"
MARCH_PERIOD = (date(2023, 3, 1), date(2023, 3, 31))
# The activities demo publishes the seed's items on 3 March 2023 at 10:00 in Paris; the
# secretariat composes the issue in the morning and sends it in the afternoon.
MARCH_COMPOSED = datetime(2023, 3, 3, 11, 0, tzinfo=PARIS)
MARCH_SENT = datetime(2023, 3, 3, 14, 0, tzinfo=PARIS)
# The pace of the recorded send: one message every half second.
MARCH_PACE = timedelta(milliseconds=500)

WEBINAR = "oer-dynamic-coalition-webinar-open-education-week-2023"
WSIS = "wsis-action-line-c7-e-learning-oer-recommendation-2023"
DPG_CALL = "undp-dpga-call-open-source-solutions-information-integrity"
NATIONAL_REPORTS = "national-reports-implementation-oer-recommendation"
BROCHURE = "unesco-2019-oer-recommendation-brochure-six-languages"
SHARE_CALL = "share-your-oer-activities-before-20-march-2023"

# The seed's sections and their items, in its order.
MARCH_SECTIONS = (
    (SectionKind.UPCOMING_EVENTS, (WEBINAR, WSIS)),
    (SectionKind.CALLS, (DPG_CALL,)),
    (SectionKind.NATIONAL_REPORTS, (NATIONAL_REPORTS,)),
    (SectionKind.PUBLICATIONS, (BROCHURE,)),
    (SectionKind.SHARE_ACTIVITIES, (SHARE_CALL,)),
    (SectionKind.NEWS, tuple(news[0] for news in activities_demo.RECENT_NEWS)),
)

# Title and introduction of each edition, as the seed writes them. The Arabic greeting is
# repaired twice: "динاميكي" is an encoding accident for "الديناميكي" (the activities demo
# repairs it too), and "فبراير" (February) is a slip in an issue that is March's in every
# other respect, including its own Arabic items' dates.
MARCH_EDITIONS = {
    "en": (
        "March 2023",
        "<p>Dear OER Dynamic Coalition Colleagues, welcome to our March 2023 Update!</p>",
    ),
    "fr": (
        "Mars 2023",
        "<p>Chers collègues de la Coalition Dynamique REL, bienvenue dans notre bulletin de "
        "Mars 2023!</p>",
    ),
    "ar": (
        "مارس 2023",
        "<p>السادة الزملاء في التحالف الديناميكي للموارد التعليمية المفتوحة المحترمون،</p>"
        "<p>تحية طيبة وبعد...</p>"
        "<p>مرحباً بكم في صفحة مستجداتنا لشهر مارس 2023!</p>",
    ),
}

# --- The draft of the month of loading -------------------------------------------------------

# How many assembled items of each section the draft keeps: about the seed's length.
DRAFT_KEEP = {
    SectionKind.UPCOMING_EVENTS: 6,
    SectionKind.CALLS: 4,
    SectionKind.PUBLICATIONS: 3,
    SectionKind.NEWS: 4,
}
DRAFT_NOTICE = {
    "title_en": "Monitoring the 2019 Recommendation: tell us about your country's progress",
    "body_en": (
        "<p>Member States report to UNESCO on the implementation of the 2019 Recommendation "
        "on Open Educational Resources. Focal points who would like to share their country's "
        "progress, policies or figures with the Coalition before the next reporting cycle "
        "are welcome to write to the secretariat.</p>"
    ),
}


def _draft_introductions(month):
    """The English and French introductions of the draft (the Arabic one is left to write)."""
    with translation.override("en"):
        english = formats.date_format(month, "F Y")
    with translation.override("fr"):
        french = formats.date_format(month, "F Y")
    return {
        "en": (
            english,
            f"<p>Dear OER Dynamic Coalition Colleagues, welcome to our {english} Update!</p>"
            "<p>This issue gathers the events, calls for submissions and publications that "
            "members shared on the Hub this month.</p>",
        ),
        "fr": (
            french[:1].upper() + french[1:],
            "<p>Chers collègues de la Coalition Dynamique REL, bienvenue dans notre bulletin "
            f"de {french} !</p>"
            "<p>Ce numéro rassemble les événements, les appels à soumissions et les "
            "publications que les membres ont partagés ce mois-ci sur le Hub.</p>",
        ),
    }


# --- Subscribers ------------------------------------------------------------------------------

SUBSCRIBER_COUNT = 400
# Preferred languages of the 399 generated subscribers (the member account reads Spanish).
LANGUAGE_PLAN = (("en", 159), ("fr", 104), ("ar", 76), ("es", 27), ("ru", 16), ("zh-hans", 17))
# A second language read, by preferred language: (probability, choices).
OTHER_LANGUAGES = {
    "en": (0.15, ("fr", "es", "ar")),
    "fr": (0.45, ("en", "ar")),
    "ar": (0.6, ("en", "fr")),
    "es": (0.8, ("en", "fr")),
    "ru": (0.8, ("en",)),
    "zh-hans": (0.8, ("en",)),
}
# Given names and family names, as they are written in addresses.
# fmt: off
NAMES = {
    "en": (
        ("james", "mary", "john", "patricia", "michael", "linda", "david", "susan", "daniel",
         "grace", "peter", "sarah", "thomas", "emily", "samuel", "ruth", "kevin", "anne", "brian",
         "joy"),
        ("smith", "brown", "wilson", "taylor", "okafor", "mensah", "nguyen", "patel", "campbell",
         "murray", "walker", "hughes", "kariuki", "mwangi", "banda", "singh", "tan", "lee",
         "clarke", "evans"),
    ),
    "fr": (
        ("marie", "jean", "sophie", "pierre", "claire", "luc", "amandine", "nicolas", "fatou",
         "moussa", "aminata", "olivier", "camille", "julien", "mireille", "yves", "rokia",
         "didier", "nadia", "hery"),
        ("martin", "bernard", "dubois", "lefebvre", "moreau", "diallo", "traore", "ndiaye",
         "rakoto", "randria", "kone", "gauthier", "roux", "fontaine", "mercier", "bamba", "sow",
         "camara", "lambert", "girard"),
    ),
    "ar": (
        ("ahmed", "fatima", "mohamed", "amina", "youssef", "layla", "omar", "nour", "khaled",
         "salma", "hassan", "mariam", "karim", "huda", "tarek", "rania", "ali", "sara", "samir",
         "lina"),
        ("haddad", "mansour", "elamin", "khalil", "saleh", "nasser", "farouk", "hamdan", "aziz",
         "qasim", "bensaid", "idrissi", "tazi", "jaber", "abdallah", "rahman", "chaouki",
         "zidane", "hakimi", "obeid"),
    ),
    "es": (
        ("carlos", "lucia", "javier", "maria", "diego", "valentina", "andres", "camila", "jorge",
         "paula"),
        ("garcia", "lopez", "martinez", "rodriguez", "fernandez", "gomez", "diaz", "torres",
         "vargas", "rojas"),
    ),
    "ru": (
        ("ivan", "olga", "dmitri", "elena", "sergei", "anna", "nikolai", "irina", "alexei",
         "natalia"),
        ("ivanov", "petrova", "smirnov", "kuznetsova", "popov", "sokolova", "volkov", "morozova",
         "orlov", "pavlova"),
    ),
    "zh-hans": (
        ("wei", "fang", "jing", "lei", "min", "hui", "tao", "yan", "jun", "xin"),
        ("wang", "li", "zhang", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu"),
    ),
}
# fmt: on
DOMAINS = ("example.org", "example.net")

LAUNCH = datetime.combine(members_demo.LAUNCH, time(9), UTC)
# The secretariat's mailing list, imported when the Hub's list started.
FIRST_IMPORT = datetime(2021, 6, 15, 10, 0, tzinfo=UTC)
# Subscribers who joined after the March 2023 Update, up to the day before loading.
LATER_START = datetime(2023, 3, 4, 9, 0, tzinfo=UTC)
MEMBER_SUBSCRIBED = datetime(2022, 10, 4, 8, 12, tzinfo=UTC)

HARD_DETAILS = (
    "550 5.1.1 <{email}>: Recipient address rejected: User unknown in virtual mailbox table",
    "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
    "550 5.2.1 The email account that you tried to reach is disabled",
)
SOFT_DETAIL = "452 4.2.2 <{email}>: Mailbox full, try again later"


@dataclass(frozen=True)
class Ago:
    """A moment `days` before the day of loading, at a time of day (UTC)."""

    days: int
    hour: int = 9
    minute: int = 0


@dataclass(frozen=True)
class Since:
    """A moment between LATER_START (0) and the day before loading (1)."""

    fraction: float


@dataclass(frozen=True)
class SubscriberSpec:
    email: str
    language: str
    other_languages: tuple
    source: str  # form, import, account
    status: str
    working_groups: tuple  # slugs
    action_areas: tuple  # numbers
    joined: object  # datetime, Ago or Since: the form sent, the import, or the click
    confirmed_after: timedelta | None = None  # None: never confirmed
    unsubscribed: object = None  # datetime or Since
    bounces: tuple = ()  # (kind, datetime or Since, detail)
    account: str = ""  # demo account e-mail


def at(moment, today):
    """A spec's moment as a datetime, for a load on `today`."""
    if isinstance(moment, Ago):
        day = today - timedelta(days=moment.days)
        return datetime.combine(day, time(moment.hour, moment.minute), UTC)
    if isinstance(moment, Since):
        end = max(datetime.combine(today - timedelta(days=1), time(9), UTC), LATER_START)
        seconds = (end - LATER_START).total_seconds() * moment.fraction
        return (LATER_START + timedelta(seconds=seconds)).replace(second=0, microsecond=0)
    return moment


class _SubscriberBuilder:
    def __init__(self):
        self.rng = random.Random(SEED)  # noqa: S311 - demo data, reproducible on purpose
        pool = [code for code, count in LANGUAGE_PLAN for _n in range(count)]
        self.rng.shuffle(pool)
        self.languages = iter(pool)
        self.emails = set(members_demo.DEMO_ACCOUNTS.values())
        self.specs = []

    def _early(self, start=LAUNCH, end=datetime(2023, 2, 28, 18, tzinfo=UTC)):
        seconds = self.rng.uniform(0, (end - start).total_seconds())
        return (start + timedelta(seconds=seconds)).replace(second=0, microsecond=0)

    def _email(self, language):
        firsts, lasts = NAMES[language]
        first, last = self.rng.choice(firsts), self.rng.choice(lasts)
        domain = self.rng.choice(DOMAINS)
        pattern = self.rng.choice(("{f}.{l}", "{f}.{l}", "{i}{l}", "{f}_{l}", "{l}.{f}"))
        local = pattern.format(f=first, l=last, i=first[0])
        email, n = f"{local}@{domain}", 2
        while email in self.emails:
            email, n = f"{local}{n}@{domain}", n + 1
        self.emails.add(email)
        return email

    def _interests(self):
        areas = tuple(sorted(self.rng.sample(range(1, 6), self.rng.choice((0, 1, 1, 2, 3)))))
        # Most follow the working groups of the areas they chose; some only the areas.
        groups = () if self.rng.random() < 0.3 else tuple(GROUP_SLUGS[n] for n in areas)
        return groups, areas

    def add(self, source, status, joined, bounces=(), **kwargs):
        language = next(self.languages)
        chance, choices = OTHER_LANGUAGES[language]
        others = (self.rng.choice(choices),) if self.rng.random() < chance else ()
        groups, areas = self._interests()
        email = self._email(language)
        spec = SubscriberSpec(
            email=email,
            language=language,
            other_languages=others,
            bounces=tuple((kind, when, text.format(email=email)) for kind, when, text in bounces),
            source=source,
            status=status,
            working_groups=groups,
            action_areas=areas,
            joined=joined,
            **kwargs,
        )
        self.specs.append(spec)
        return spec

    def minutes(self, low, high):
        return timedelta(minutes=self.rng.randint(low, high))

    def build(self):
        confirmed, pending = Subscriber.Status.CONFIRMED, Subscriber.Status.PENDING
        unsubscribed, suppressed = Subscriber.Status.UNSUBSCRIBED, Subscriber.Status.SUPPRESSED
        # The form, before the March 2023 Update (they received it) and after.
        for _n in range(190):
            self.add("form", confirmed, self._early(), confirmed_after=self.minutes(2, 240))
        for _n in range(70):
            since = Since(round(self.rng.uniform(0, 0.995), 4))
            self.add("form", confirmed, since, confirmed_after=self.minutes(2, 240))
        # Waiting for confirmation: a link sent this week, or one that expired unanswered.
        for _n in range(12):
            self.add("form", pending, Ago(self.rng.randint(1, 6), self.rng.randint(6, 21)))
        for _n in range(10):
            self.add("form", pending, Ago(self.rng.randint(20, 200), self.rng.randint(6, 21)))
        # Left before the March 2023 Update, or after it.
        for _n in range(6):
            joined = self._early(end=datetime(2022, 6, 30, tzinfo=UTC))
            left = self._early(start=joined + timedelta(days=30))
            self.add(
                "form",
                unsubscribed,
                joined,
                confirmed_after=self.minutes(2, 240),
                unsubscribed=left,
            )
        for _n in range(10):
            self.add(
                "form",
                unsubscribed,
                self._early(),
                confirmed_after=self.minutes(2, 240),
                unsubscribed=Since(round(self.rng.uniform(0, 0.995), 4)),
            )
        self._suppressed(suppressed)
        # The secretariat's list, imported in 2021: most confirmed, a few never answered.
        for _n in range(60):
            self.add(
                "import", confirmed, FIRST_IMPORT, confirmed_after=self.minutes(10, 14 * 24 * 60)
            )
        for _n in range(8):
            self.add("import", pending, FIRST_IMPORT)
        # A workshop's attendance list, imported nine days ago: confirmations coming in.
        recent = Ago(9, 10, 0)
        for _n in range(10):
            self.add("import", confirmed, recent, confirmed_after=self.minutes(30, 8 * 24 * 60))
        for _n in range(20):
            self.add("import", pending, recent)
        # The demo member, who subscribed with one click from the Hub.
        self.specs.append(
            SubscriberSpec(
                email=MEMBER,
                language="es",
                other_languages=("en",),
                source="account",
                status=confirmed,
                working_groups=(GROUP_SLUGS[1],),
                action_areas=(1, 3),
                joined=MEMBER_SUBSCRIBED,
                confirmed_after=timedelta(0),
                account=MEMBER,
            )
        )
        return sorted(self.specs, key=lambda spec: spec.email)

    def _suppressed(self, status):
        """Three addresses that bounced for good; the first on the March 2023 Update itself."""
        hard, soft = Bounce.Kind.HARD, Bounce.Kind.SOFT
        unknown, not_found, disabled = HARD_DETAILS
        bounces = (
            (
                (hard, datetime(2022, 6, 8, 14, 3, tzinfo=UTC), unknown),
                (hard, datetime(2022, 12, 7, 14, 9, tzinfo=UTC), unknown),
                (hard, MARCH_SENT + timedelta(minutes=4), unknown),
            ),
            (
                (soft, Since(0.30), SOFT_DETAIL),
                (hard, Since(0.52), not_found),
                (hard, Since(0.61), not_found),
                (hard, Since(0.70), not_found),
            ),
            (
                (hard, Since(0.80), disabled),
                (hard, Since(0.85), disabled),
                (hard, Since(0.90), disabled),
            ),
        )
        joined = (self._early(end=datetime(2021, 12, 31, tzinfo=UTC)), self._early(), Since(0.2))
        for when, bounced in zip(joined, bounces, strict=True):
            self.add("form", status, when, confirmed_after=self.minutes(2, 240), bounces=bounced)


@cache
def subscriber_specs():
    """The demo subscribers, computed from the seed alone: the same on every machine."""
    return tuple(_SubscriberBuilder().build())


# --- Loading ----------------------------------------------------------------------------------


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
    with (
        translation.override("en"),
        override_settings(TASKS=QUIET_TASKS),
        transaction.atomic(),
    ):
        secretariat = User.objects.get(email=SECRETARIAT)
        _create_subscribers(today, created)
        if not UpdateIssue.objects.filter(slug=MARCH_SLUG).exists():
            issue = _compose_march(secretariat, created)
            _record_march_send(issue, created)
        _compose_current_draft(secretariat, today, created)
    return UpdatesSummary(created=dict(+created), totals=_totals())


def _create_subscribers(today, created):
    specs = subscriber_specs()
    emails = [spec.email for spec in specs]
    existing = set(Subscriber.objects.filter(email__in=emails).values_list("email", flat=True))
    accounts = {u.email: u for u in User.objects.filter(email__in=[s.account for s in specs])}
    # An account subscribed by hand before the demo was loaded keeps its own subscription.
    taken = set(
        Subscriber.objects.filter(user__in=accounts.values()).values_list("user", flat=True)
    )
    new = [s for s in specs if s.email not in existing]
    rows = [_subscriber(spec, today, accounts, taken) for spec in new]
    Subscriber.objects.bulk_create(rows)
    created["subscribers"] += len(rows)
    groups = dict(WorkingGroup.objects.values_list("slug", "pk"))
    pairs = list(zip(new, rows, strict=True))
    created["interests"] += _bulk_link(
        "working_groups",
        [(row.pk, groups[g]) for spec, row in pairs for g in spec.working_groups if g in groups],
    )
    created["interests"] += _bulk_link(
        "action_areas", [(row.pk, number) for spec, row in pairs for number in spec.action_areas]
    )
    bounces = [
        Bounce(subscriber_id=row.pk, kind=kind, detail=detail, at=at(when, today))
        for spec, row in pairs
        for kind, when, detail in spec.bounces
    ]
    Bounce.objects.bulk_create(bounces)
    created["bounces"] += len(bounces)


def _bulk_link(field_name, pairs):
    """Rows of a many-to-many table, straight into its through model."""
    field = Subscriber._meta.get_field(field_name)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    rows = [through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in pairs]
    through.objects.bulk_create(rows)
    return len(rows)


def _subscriber(spec, today, accounts, taken):
    joined = at(spec.joined, today)
    confirmed_at = joined + spec.confirmed_after if spec.confirmed_after is not None else None
    # The consent is what the subscriber saw in their language: on the form, on the
    # confirmation page of an imported address (so, when confirming), on the member's button.
    consented_at = confirmed_at if spec.source == "import" else joined
    with translation.override(spec.language):
        consent_text = str(CONSENT_TEXT) if consented_at else ""
    user = accounts.get(spec.account)
    return Subscriber(
        email=spec.email,
        language=spec.language,
        other_languages=other_languages_list(spec.language, spec.other_languages),
        user=user if user is not None and user.pk not in taken else None,
        status=spec.status,
        source=spec.source,
        consent_text=consent_text,
        consented_at=consented_at,
        confirmed_at=confirmed_at,
        unsubscribed_at=at(spec.unsubscribed, today) if spec.unsubscribed else None,
        hard_bounces=sum(kind == Bounce.Kind.HARD for kind, _when, _detail in spec.bounces),
        created_at=joined,
    )


def _compose_march(secretariat, created):
    """The seed's issue, composed through the editing services as the secretariat would."""
    activities = {
        a.slug: a
        for a in Activity.objects.filter(
            slug__in=[slug for _section, slugs in MARCH_SECTIONS for slug in slugs]
        )
    }
    share_call = activities.get(SHARE_CALL)
    issue = services.create_draft(
        title=MARCH_EDITIONS["en"][0],
        period_start=MARCH_PERIOD[0],
        period_end=MARCH_PERIOD[1],
        by=secretariat,
        # The issue's own call to share: the deadline the seed gives for the next Update.
        next_deadline=share_call.deadline if share_call else None,
        time_zone="Europe/Paris",
    )
    wanted = {
        (section, activities[slug].pk)
        for section, slugs in MARCH_SECTIONS
        for slug in slugs
        if slug in activities
    }
    # Candidates the seed did not carry, and seed items assembled into another section
    # (the notice is news, the call to share is a call) go; then what is missing comes.
    for item in issue.items.all():
        if (item.section, item.activity_id) not in wanted:
            services.remove_item(item, by=secretariat)
    present = set(issue.items.values_list("section", "activity_id"))
    for section, slugs in MARCH_SECTIONS:
        for slug in slugs:
            if slug in activities and (section, activities[slug].pk) not in present:
                services.add_item(issue, by=secretariat, section=section, activity=activities[slug])
    position = {
        activities[slug].pk: n
        for _s, slugs in MARCH_SECTIONS
        for n, slug in enumerate(slugs, 1)
        if slug in activities
    }
    items = list(issue.items.all())
    for item in items:
        item.order = position[item.activity_id]
    Item.objects.bulk_update(items, ["order"])
    for edition in issue.editions.all():
        title, introduction = MARCH_EDITIONS[edition.language]
        services.save_edition(edition, by=secretariat, title=title, introduction=introduction)
    UpdateIssue.objects.filter(pk=issue.pk).update(created_at=MARCH_COMPOSED)
    created["issues"] += 1
    created["items"] += len(items)
    created["editions"] += len(MARCH_EDITIONS)
    return issue


def _received_march(subscriber, start):
    """Whether a subscriber was on the list when the March 2023 Update went out."""
    if subscriber.confirmed_at is None or subscriber.confirmed_at > start:
        return False
    if subscriber.unsubscribed_at is not None and subscriber.unsubscribed_at <= start:
        return False
    earlier = [b for b in subscriber.bounces.all() if b.kind == Bounce.Kind.HARD and b.at < start]
    return len(earlier) < sending.HARD_BOUNCES_BEFORE_SUPPRESSION


def _record_march_send(issue, created):
    """Record the issue as sent at MARCH_SENT without sending: frozen editions, done outbox."""
    issue = UpdateIssue.objects.get(pk=issue.pk)
    sending.freeze_editions(issue)
    editions = {edition.language: edition for edition in issue.editions.all()}
    start = MARCH_SENT
    window = timedelta(hours=1)
    rows = []
    subscribers = (
        Subscriber.objects.filter(confirmed_at__lte=start)
        .prefetch_related("bounces")
        .order_by("pk")
    )
    for subscriber in subscribers:
        if not _received_march(subscriber, start):
            continue
        edition = sending.edition_for([subscriber.language, *subscriber.other_languages], editions)
        row = OutboxMessage(edition=edition, subscriber=subscriber, attempts=1)
        moment = start + MARCH_PACE * len(rows)
        refused = next(
            (
                b
                for b in subscriber.bounces.all()
                if b.kind == Bounce.Kind.HARD and start <= b.at < start + window
            ),
            None,
        )
        if refused is not None:
            row.status, row.last_error = OutboxMessage.Status.FAILED, refused.detail
        else:
            row.status, row.sent_at = OutboxMessage.Status.SENT, moment
            row.message_id = message_id(row)
        row.next_attempt_at = moment
        rows.append(row)
    OutboxMessage.objects.bulk_create(rows)
    finished = start + MARCH_PACE * len(rows)
    UpdateIssue.objects.filter(pk=issue.pk).update(
        status=UpdateIssue.Status.SENT, send_at=start, sent_at=finished
    )
    Edition.objects.filter(issue=issue).update(sent_at=finished)
    created["outbox messages"] += len(rows)


def _compose_current_draft(secretariat, today, created):
    """A draft for the month of loading, as the secretariat has started editing it."""
    month = today.replace(day=1)
    with translation.override("en"):
        title = formats.date_format(month, "F Y")
    if UpdateIssue.objects.filter(slug=slugify(title)).exists():
        return None
    following = (month + timedelta(days=32)).replace(day=1)
    last_day = following - timedelta(days=1)
    issue = services.create_draft(
        title=title,
        period_start=month,
        period_end=last_day,
        by=secretariat,
        next_deadline=datetime.combine(following.replace(day=20), time(17), PARIS),
        time_zone="Europe/Paris",
    )
    now = timezone.now()
    by_section = {}
    for item in issue.items.select_related("activity").order_by("order", "pk"):
        by_section.setdefault(item.section, []).append(item)
    for section, keep in DRAFT_KEEP.items():
        items = by_section.get(section, [])
        # What is still ahead first: events to come and calls still open.
        items.sort(key=lambda item: not _still_ahead(item.activity, now))
        for item in items[keep:]:
            services.remove_item(item, by=secretariat)
    services.add_item(
        issue,
        by=secretariat,
        section=SectionKind.NATIONAL_REPORTS,
        title=DRAFT_NOTICE["title_en"],
        body=DRAFT_NOTICE["body_en"],
    )
    introductions = _draft_introductions(month)
    for edition in issue.editions.filter(language__in=introductions):
        title_, introduction = introductions[edition.language]
        services.save_edition(edition, by=secretariat, title=title_, introduction=introduction)
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
