"""The Update: the Coalition's periodic newsletter, its language editions, subscribers and outbox.

An `UpdateIssue` (e.g. "March 2023") is composed of `Item`s in `Section`s, mostly approved
activities. It is published as one `Edition` per language. Sending writes one
`OutboxMessage` per (edition, subscriber); workers claim rows, send through Django's
e-mail backend and mark each row sent, so a crash neither loses nor repeats a message.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coalition.activities.models import Activity
from coalition.core.richtext import RichTextField
from coalition.members.models import WorkingGroup
from coalition.recommendation.languages import UN_LANGUAGE_CHOICES
from coalition.recommendation.models import ActionArea
from coalition.recommendation.timezones import validate_time_zone


class SectionKind(models.TextChoices):
    """The sections of the Update, in the order of the March 2023 issue."""

    UPCOMING_EVENTS = "upcoming-events", _("Upcoming events")
    CALLS = "calls", _("Calls for submissions")
    NATIONAL_REPORTS = "national-reports", _("National reports")
    PUBLICATIONS = "publications", _("Publications and resources")
    SHARE_ACTIVITIES = "share-activities", _("Share your activities")
    NEWS = "news", _("News from recent events")


class UpdateIssue(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")

    title = models.CharField(
        _("title"), max_length=200, help_text=_("The period, e.g. “March 2023”.")
    )
    slug = models.SlugField(_("short name in links"), max_length=80, unique=True)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    next_deadline = models.DateTimeField(
        _("deadline to share activities for the next Update"), null=True, blank=True
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    # The zone the secretariat scheduled the send in: the time is shown back in it.
    send_time_zone = models.CharField(
        _("time zone of the scheduled send"),
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Activities an editor removed: a refresh must not bring them back.
    excluded_activities = models.ManyToManyField(
        Activity, blank=True, related_name="+", verbose_name=_("activities left out")
    )

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("Update issue")
        verbose_name_plural = _("Update issues")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("updates:issue-detail", kwargs={"slug": self.slug})


class Item(models.Model):
    """One entry of an issue: an approved activity, or a text the editors write."""

    issue = models.ForeignKey(UpdateIssue, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(_("section"), max_length=24, choices=SectionKind.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="update_items",
        verbose_name=_("activity"),
    )
    # A catalogue record added in the issue's period ("Publications and resources").
    record = models.ForeignKey(
        "catalogue.Record",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="update_items",
        verbose_name=_("catalogue record"),
    )
    # A published synthesis of national reports ("National reports").
    synthesis = models.ForeignKey(
        "monitoring.Synthesis",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="update_items",
        verbose_name=_("synthesis report"),
    )
    # For items that are not activities (the "share your activities" call, notices).
    title = models.CharField(_("title"), max_length=255, blank=True)
    body = RichTextField(_("text"), blank=True)

    class Meta:
        ordering = ["section", "order", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "activity"],
                condition=models.Q(activity__isnull=False),
                name="activity_once_per_issue",
            ),
            models.UniqueConstraint(
                fields=["issue", "record"],
                condition=models.Q(record__isnull=False),
                name="record_once_per_issue",
            ),
            models.UniqueConstraint(
                fields=["issue", "synthesis"],
                condition=models.Q(synthesis__isnull=False),
                name="synthesis_once_per_issue",
            ),
        ]

    def __str__(self):
        return self.title or str(self.activity or self.record or self.synthesis)


class Edition(models.Model):
    """An issue in one language: its introduction, and the unit that is sent and archived."""

    issue = models.ForeignKey(UpdateIssue, on_delete=models.CASCADE, related_name="editions")
    language = models.CharField(_("language"), max_length=8, choices=UN_LANGUAGE_CHOICES)
    introduction = RichTextField(_("introduction"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The edition as it was sent, frozen when sending starts: every subscriber gets the
    # same text, and the archive keeps showing it whatever happens to the activities later.
    sent_subject = models.CharField(max_length=255, blank=True, editable=False)
    sent_html = models.TextField(blank=True, editable=False)
    sent_text = models.TextField(blank=True, editable=False)
    sent_web_html = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["issue", "language"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.UniqueConstraint(fields=["issue", "language"], name="one_edition_per_language")
        ]

    def __str__(self):
        return f"{self.issue} ({self.get_language_display()})"

    def get_absolute_url(self):
        return reverse(
            "updates:edition-detail", kwargs={"slug": self.issue.slug, "language": self.language}
        )


def _token():
    return secrets.token_urlsafe(32)


class Subscriber(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Subscribed")
        UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
        SUPPRESSED = "suppressed", _("Suppressed after bounces")

    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(
        _("language of the Update"), max_length=8, choices=UN_LANGUAGE_CHOICES, default="en"
    )
    # Further languages the subscriber reads, used when an edition in `language` is missing.
    other_languages = models.JSONField(_("other languages"), default=list, blank=True)
    working_groups = models.ManyToManyField(
        WorkingGroup, blank=True, related_name="subscribers", verbose_name=_("working groups")
    )
    action_areas = models.ManyToManyField(
        ActionArea, blank=True, related_name="subscribers", verbose_name=_("action areas")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subscription",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=[
            ("form", _("Subscribe form")),
            ("account", _("Member account")),
            ("import", _("Import")),
        ],
        default="form",
    )
    consent_text = models.TextField(_("consent given"), blank=True)
    consented_at = models.DateTimeField(_("consent date"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)
    # Personal links (unsubscribe, preferences) carry this token; it never expires, so
    # an unsubscribe link in an old message still works, and it can be rotated.
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    hard_bounces = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["email"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        indexes = [models.Index(fields=["status", "language"])]

    def __str__(self):
        return self.email


class OutboxMessage(models.Model):
    """One message of one edition to one subscriber: the unit of exactly-once delivery."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", pgettext_lazy("outbox status", "Sending")
        SENT = "sent", pgettext_lazy("outbox status", "Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="outbox")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="outbox")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Sent again after a worker died with it in flight: the subscriber may have two copies
    # (with the same Message-ID, which mail systems use to drop the second).
    resent_in_doubt = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscriber"], name="one_message_per_subscriber"
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.edition} → {self.subscriber_id} ({self.status})"


class Bounce(models.Model):
    class Kind(models.TextChoices):
        HARD = "hard", _("Permanent")
        SOFT = "soft", _("Temporary")

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="bounces")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    detail = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("bounce")
        verbose_name_plural = _("bounces")

    def __str__(self):
        return f"{self.subscriber} {self.kind}"
