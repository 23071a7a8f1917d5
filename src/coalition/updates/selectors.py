"""Reads of the Update shared by the pages, the feed and the command line: the editions
the public may see, who will receive an issue (per edition), and how far its sending has
got."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from coalition.recommendation.languages import UN_LANGUAGE_CHOICES

from .models import Edition, OutboxMessage, Subscriber, UpdateIssue

LANGUAGE_NAMES = dict(UN_LANGUAGE_CHOICES)


@dataclass
class EditionAudience:
    language: str
    name: str
    subscribers: int
    # Of them, readers of another language who get this edition for want of theirs.
    by_other_language: int = 0


@dataclass
class Audience:
    editions: list = field(default_factory=list)

    @property
    def total(self):
        return sum(row.subscribers for row in self.editions)


def audience(issue):
    """How many confirmed subscribers will receive each edition of `issue`, by the rule the
    outbox follows (sending.edition_for): their language, else one of their other
    languages, else English. Two queries, whatever the number of subscribers, plus one
    row read per subscriber whose language has no edition."""
    from .services.sending import edition_for

    languages = sorted(issue.editions.values_list("language", flat=True))
    if not languages:
        return Audience()
    editions = {language: language for language in languages}
    counts = dict.fromkeys(languages, 0)
    others = dict.fromkeys(languages, 0)
    confirmed = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
    for row in confirmed.filter(language__in=languages).values("language").annotate(n=Count("pk")):
        counts[row["language"]] += row["n"]
    rest = confirmed.exclude(language__in=languages).values_list("language", "other_languages")
    for language, other_languages in rest.iterator(chunk_size=5000):
        chosen = edition_for([language, *(other_languages or [])], editions)
        counts[chosen] += 1
        others[chosen] += 1
    return Audience(
        editions=[
            EditionAudience(
                language=language,
                name=LANGUAGE_NAMES.get(language, language),
                subscribers=counts[language],
                by_other_language=others[language],
            )
            for language in languages
        ]
    )


@dataclass
class EditionProgress:
    language: str
    name: str
    sent: int = 0
    pending: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    resent_in_doubt: int = 0

    @property
    def total(self):
        return self.sent + self.pending + self.retrying + self.failed + self.skipped

    @property
    def done(self):
        return self.pending == 0 and self.retrying == 0

    @property
    def percent(self):
        finished = self.sent + self.failed + self.skipped
        return 100 if not self.total else int(100 * finished / self.total)


def progress(issue):
    """Per edition: sent, pending (queued or in a worker's hands), retrying (waiting after a
    temporary refusal), failed, skipped (unsubscribed meanwhile) and resent in doubt. Two
    queries, whatever the number of messages."""
    status = OutboxMessage.Status
    rows = (
        OutboxMessage.objects.filter(edition__issue=issue)
        .values("edition__language")
        .annotate(
            sent=Count("pk", filter=Q(status=status.SENT)),
            pending=Count(
                "pk",
                filter=Q(status=status.SENDING) | Q(status=status.PENDING, attempts=0),
            ),
            retrying=Count("pk", filter=Q(status=status.PENDING, attempts__gt=0)),
            failed=Count("pk", filter=Q(status=status.FAILED)),
            skipped=Count("pk", filter=Q(status=status.SKIPPED)),
            resent_in_doubt=Count("pk", filter=Q(resent_in_doubt=True)),
        )
    )
    found = {row.pop("edition__language"): row for row in rows}
    languages = sorted(issue.editions.values_list("language", flat=True))
    return [
        EditionProgress(
            language=language,
            name=LANGUAGE_NAMES.get(language, language),
            **found.get(language, {}),
        )
        for language in languages
    ]


def public_editions():
    """Editions that were sent: only these are public."""
    return Edition.objects.filter(
        Q(sent_at__isnull=False) | Q(issue__status=UpdateIssue.Status.SENT)
    )
