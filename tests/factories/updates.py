"""Issues of the Update, subscribers and outbox rows, built the way the Hub builds them.

The March 2023 Update is rebuilt from activities that go through submission and approval,
the issue made by `composing.create_draft` as the secretariat would; `mark_sent` stands in
for the sending service. Subscribers come in each state, or in bulk for the sending tests
and the benchmark (`bulk_subscribers`)."""

import secrets
from datetime import UTC, date, datetime

import factory
from django.utils import timezone

from coalition.activities.models import Activity
from coalition.updates.models import Edition, Subscriber, UpdateIssue
from coalition.updates.services import composing
from tests.factories.activities import published_activity
from tests.factories.members import SecretariatFactory

WEBINAR_TITLE = "OER Dynamic Coalition webinar for Open Education Week 2023"
WSIS_TITLE_EN = "WSIS Action Lines C7: e-Learning: Implementation of the UNESCO OER Recommendation"
WSIS_TITLE_FR = (
    "Lignes d'action C7 du SMSI : E-Learning : "
    "Mise en œuvre de la Recommandation de l'Unesco sur les REL"
)
WSIS_TITLE_AR = (
    "خطة عمل القمة العالمية حول مجتمع المعلومات C7: التعلم الإلكتروني: "
    "تنفيذ توصيات اليونسكو بشأن الموارد التعليمية المفتوحة"
)
CALL_TITLE = "Call for submissions on open-source solutions for information integrity"
PUBLICATION_TITLE = "The UNESCO 2019 Recommendation on OER brochure, now in six languages"
PRIVATE_CONTACT = "aa.dabo@private.example.org"
PRIVATE_ACCESS_URL = "https://unesco.zoom.example/j/123456789?pwd=secret"
PUBLIC_CONTACT = "e.boursinou@example.org"


def webinar(**overrides):
    """9 March 2023, 16:00–17:00 CET; English only; private contact and access link."""
    data = {
        "title_en": WEBINAR_TITLE,
        "summary_en": (
            "<p>Discover the best practices for open education at the governmental and "
            "institutional level.</p><ul><li>Dr. Tawfik Jelassi</li><li>Dr. Barbara Class</li></ul>"
        ),
        "starts_at": datetime(2023, 3, 9, 15, 0, tzinfo=UTC).isoformat(),
        "ends_at": datetime(2023, 3, 9, 16, 0, tzinfo=UTC).isoformat(),
        "time_zone": "Europe/Paris",
        "access_url": PRIVATE_ACCESS_URL,
        "contact_name": "Aissatou Dabo",
        "contact_email": PRIVATE_CONTACT,
        "contact_is_public": False,
    }
    data.update(overrides)
    return published_activity(**data)


def wsis_session(**overrides):
    """16 March 2023, 15:00–16:30 CET; in English, French and Arabic; public contact."""
    data = {
        "title_en": WSIS_TITLE_EN,
        "title_fr": WSIS_TITLE_FR,
        "title_ar": WSIS_TITLE_AR,
        "summary_en": "<p>Join us for a discussion on implementing the Recommendation.</p>",
        "summary_fr": (
            "<p>Rejoignez-nous pour une discussion sur la mise en œuvre de la Recommandation.</p>"
        ),
        "summary_ar": "<p>انضموا لنا في حلقة النقاش المنعقدة بشأن تنفيذ توصيات اليونسكو.</p>",
        "event_format": "conference-session",
        "starts_at": datetime(2023, 3, 16, 14, 0, tzinfo=UTC).isoformat(),
        "ends_at": datetime(2023, 3, 16, 15, 30, tzinfo=UTC).isoformat(),
        "registration_required": False,
        "access_url": "",
        "contact_name": "Eleni Boursinou",
        "contact_email": PUBLIC_CONTACT,
        "contact_is_public": True,
        "links": [],
    }
    data.update(overrides)
    return published_activity(**data)


def call_for_submissions(**overrides):
    """Deadline 2 April 2023 (end of day, Paris)."""
    data = {
        "kind": "call",
        "event_format": "",
        "title_en": CALL_TITLE,
        "title_fr": (
            "Appel à soumissions sur les solutions à code source ouvert "
            "pour l'intégrité de l'information"
        ),
        "summary_en": "<p>UNDP and the Digital Public Goods Alliance have launched a call.</p>",
        "starts_at": None,
        "ends_at": None,
        "deadline": datetime(2023, 4, 2, 21, 59, tzinfo=UTC).isoformat(),
        "registration_required": False,
        "access_url": "",
        "contact_name": "",
        "contact_email": "",
        "links": [
            {
                "label": "For more information",
                "url": "https://digitalpublicgoods.net/blog/dpgs-information-integrity/",
            }
        ],
    }
    data.update(overrides)
    activity = published_activity(**data)
    # Announced when the seed says, so the March 2023 issue (period 1–31 March) includes it.
    Activity.objects.filter(pk=activity.pk).update(
        published_at=datetime(2023, 3, 1, 9, 0, tzinfo=UTC)
    )
    activity.refresh_from_db()
    return activity


def publication(published_on=datetime(2023, 3, 3, 9, 0, tzinfo=UTC), **overrides):
    data = {
        "kind": "publication",
        "event_format": "",
        "title_en": PUBLICATION_TITLE,
        "summary_en": "<p>Find out how this normative instrument can transform education.</p>",
        "starts_at": None,
        "ends_at": None,
        "registration_required": False,
        "access_url": "",
        "contact_name": "",
        "contact_email": "",
        "links": [],
    }
    data.update(overrides)
    activity = published_activity(**data)
    # Approval stamps "now"; the issue collects publications of its own period.
    Activity.objects.filter(pk=activity.pk).update(published_at=published_on)
    activity.refresh_from_db()
    return activity


def march_2023(by=None, languages=("en", "fr", "ar"), **draft):
    """The March 2023 issue, drafted from its four activities."""
    webinar()
    wsis_session()
    call_for_submissions()
    publication()
    options = {
        "title": "March 2023",
        "period_start": date(2023, 3, 1),
        "period_end": date(2023, 3, 31),
        "next_deadline": datetime(2023, 3, 20, 22, 59, tzinfo=UTC),
        "time_zone": "Europe/Paris",
        "languages": languages,
    }
    options.update(draft)
    return composing.create_draft(by=by or SecretariatFactory(), **options)


def mark_sent(issue, when=None):
    when = when or timezone.now()
    UpdateIssue.objects.filter(pk=issue.pk).update(status=UpdateIssue.Status.SENT, sent_at=when)
    issue.editions.update(sent_at=when)
    issue.refresh_from_db()
    return issue


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber who came through the form, as most are."""

    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    language = "en"
    status = Subscriber.Status.CONFIRMED
    source = "form"
    consent_text = "I agree that the OER Dynamic Coalition sends me the Update."
    consented_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)


class PendingSubscriberFactory(SubscriberFactory):
    status = Subscriber.Status.PENDING
    confirmed_at = None


class ImportedSubscriberFactory(PendingSubscriberFactory):
    source = "import"
    consent_text = ""
    consented_at = None


def issue_with_editions(*languages, slug="march-2023"):
    """An issue with one (empty) edition per language: enough for the outbox to be filled."""
    issue = UpdateIssue.objects.create(
        title="March 2023", slug=slug, period_start=date(2023, 3, 1), period_end=date(2023, 3, 31)
    )
    for language in languages or ("en",):
        Edition.objects.create(issue=issue, language=language)
    return issue


# Sending: a site address for links in sent messages, and subscribers in bulk.

SITE_URL = "https://hub.example.org"
LANGUAGE_MIX = ("en", "fr", "ar")


def editorial_issue(slug, languages=("en",), title="Editorial note"):
    """An issue with one editor-written item and an edition per language: the smallest sendable."""
    from coalition.updates.models import Edition, Item, SectionKind, UpdateIssue

    issue = UpdateIssue.objects.create(
        title=title,
        title_en=title,
        slug=slug,
        period_start=date(2023, 3, 1),
        period_end=date(2023, 3, 31),
    )
    Item.objects.create(
        issue=issue,
        section=SectionKind.NEWS,
        title_en=title,
        body_en="<p>The Coalition met in Paris.</p>",
    )
    for language in languages:
        Edition.objects.create(issue=issue, language=language)
    return issue


def bulk_subscribers(count, *, languages=LANGUAGE_MIX, prefix="reader", batch_size=5000):
    """`count` confirmed subscribers, their languages in turn; inserted without save()."""
    from coalition.updates.models import Subscriber

    now = timezone.now()
    created = 0
    while created < count:
        size = min(batch_size, count - created)
        Subscriber.objects.bulk_create(
            Subscriber(
                email=f"{prefix}{n}@example.org",
                language=languages[n % len(languages)],
                status=Subscriber.Status.CONFIRMED,
                source="import",
                consent_text="I agree that the OER Dynamic Coalition sends me the Update.",
                consented_at=now,
                confirmed_at=now,
                token=secrets.token_urlsafe(32),
            )
            for n in range(created, created + size)
        )
        created += size
    return created
