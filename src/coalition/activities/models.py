"""What member organizations do and share: events, initiatives, publications, calls, news.

An `Activity` holds what the public sees. Every change an organization proposes is a
`Submission` (a snapshot of the fields) that the secretariat moderates; approving it
copies the snapshot onto the activity. So an edit to a published activity waits in the
queue while the published version stays visible, and the audit log (`ModerationEntry`)
records who did what, when.
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from coalition.core.richtext import RichTextField
from coalition.members.models import Organization, Person, WorkingGroup, unique_slug
from coalition.recommendation.models import ActionArea
from coalition.recommendation.regions import Region
from coalition.recommendation.timezones import validate_time_zone


class Kind(models.TextChoices):
    EVENT = "event", _("Event")
    INITIATIVE = "initiative", _("Initiative or project")
    PUBLICATION = "publication", _("Publication or resource")
    CALL = "call", _("Call for submissions")
    NEWS = "news", pgettext_lazy("activity kind", "News")


class EventFormat(models.TextChoices):
    WEBINAR = "webinar", _("Webinar")
    MEETING = "meeting", _("Meeting")
    WORKSHOP = "workshop", _("Workshop")
    CONFERENCE_SESSION = "conference-session", _("Conference session")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting moderation")
    CHANGES_REQUESTED = "changes-requested", _("Changes requested")
    PUBLISHED = "published", _("Published")
    DECLINED = "declined", _("Declined")


# What the public sees; the partial indexes below hold exactly these rows.
PUBLISHED = models.Q(published_at__isnull=False)


class ActivityQuerySet(models.QuerySet):
    def published(self):
        return self.filter(PUBLISHED)

    def events(self):
        return self.filter(kind=Kind.EVENT)

    def upcoming(self, now=None):
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(ends_at__lt=now or timezone.now())


class Activity(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, db_index=True)
    event_format = models.CharField(
        _("format"), max_length=24, choices=EventFormat.choices, blank=True
    )
    slug = models.SlugField(_("short name in links"), max_length=90, unique=True)
    title = models.CharField(_("title"), max_length=255)
    summary = RichTextField(_("summary"), blank=True)
    organizations = models.ManyToManyField(
        Organization, related_name="activities", verbose_name=_("organizations")
    )
    action_areas = models.ManyToManyField(
        ActionArea, related_name="activities", blank=True, verbose_name=_("action areas")
    )
    working_groups = models.ManyToManyField(
        WorkingGroup, related_name="activities", blank=True, verbose_name=_("working groups")
    )
    languages = models.ManyToManyField(
        "recommendation.Language",
        related_name="activities",
        blank=True,
        verbose_name=_("languages"),
    )
    # Catalogue records the activity cites (a publication's resources, a webinar's reading):
    # chosen on the form, moderated with the other fields (snapshot.py).
    cited_records = models.ManyToManyField(
        "catalogue.Record",
        related_name="citing_activities",
        blank=True,
        verbose_name=_("catalogue records cited"),
    )
    image = models.ImageField(_("image"), upload_to="activities/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=255, blank=True)

    # Time: stored in UTC, with the organizer's IANA zone beside it for the "two clocks".
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True, db_index=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    location = models.CharField(_("place"), max_length=255, blank=True)
    is_online = models.BooleanField(_("online"), default=False)

    # Registration, for events.
    registration_required = models.BooleanField(_("registration required"), default=False)
    registration_open = models.BooleanField(_("registration open"), default=True)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    access_url = models.URLField(
        _("access link"),
        blank=True,
        help_text=_("Shown only to registered participants and organizers."),
    )

    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_is_public = models.BooleanField(_("show the contact publicly"), default=False)

    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    # iCalendar SEQUENCE: raised at each published change of an event.
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # People who organize it besides its organizations' focal points (activities/rules.py):
    # named by a focal point or the secretariat; the submitter is named at submission.
    organizers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="organized_activities",
        blank=True,
        verbose_name=_("organizers"),
        help_text=_(
            "They edit and cancel it, add materials and see who registered, with the "
            "focal points of its organizations."
        ),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        # Lists, feeds and the API only ever read published activities: partial indexes on
        # those rows alone let a filtered page walk them in its order, and let a count be
        # answered from the index without reading the table.
        # (On PostgreSQL they also carry the id, which the filters' EXISTS subqueries join
        # on, so that a count reads the index alone.)
        indexes = [
            models.Index(fields=["kind", "starts_at"]),
            models.Index(
                fields=["published_at"],
                include=["id"],
                condition=PUBLISHED,
                name="activity_published",
            ),
            models.Index(
                fields=["kind", "published_at"],
                include=["id"],
                condition=PUBLISHED,
                name="activity_published_kind",
            ),
            models.Index(
                fields=["kind", "ends_at", "starts_at"],
                include=["id"],
                condition=PUBLISHED,
                name="activity_published_ends",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gte=models.F("starts_at")),
                name="activity_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Activity, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("activities:activity-detail", kwargs={"slug": self.slug})

    @property
    def is_event(self):
        return self.kind == Kind.EVENT

    @property
    def is_published(self):
        return self.published_at is not None


class Coverage(models.Model):
    """A country or region an activity concerns (none: worldwide)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="coverage")
    country = CountryField(_("country"), blank=True)
    region = models.CharField(_("UNESCO region"), max_length=32, choices=Region.choices, blank=True)

    class Meta:
        # A list filtered by region or country reads which activities concern it from the
        # index alone.
        indexes = [
            models.Index(fields=["region", "activity"], name="coverage_by_region"),
            models.Index(fields=["country", "activity"], name="coverage_by_country"),
        ]
        verbose_name = _("country or region concerned")
        verbose_name_plural = _("countries and regions concerned")

    def __str__(self):
        return str(self.country.name if self.country else self.get_region_display())


class Link(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("label"), max_length=200)
    url = models.URLField(_("address"))

    class Meta:
        ordering = ["pk"]
        verbose_name = _("link")
        verbose_name_plural = _("links")

    def __str__(self):
        return self.label


class Submission(models.Model):
    """A proposed version of an activity, waiting for (or past) the secretariat's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        CHANGES_REQUESTED = "changes-requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        SUPERSEDED = "superseded", _("Replaced by a newer version")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="submissions")
    on_behalf_of = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("on behalf of")
    )
    data = models.JSONField(_("proposed content"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="submissions"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    message = models.TextField(_("message to the submitter"), blank=True)

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self):
        return f"{self.data.get('title', '')} ({self.get_status_display()})"


class ModerationLog(models.Manager):
    def record(self, activity, *, actor, action, from_state="", to_state="", **details):
        """The one way a service writes the log (`details`: submission, message)."""
        return self.create(
            activity=activity,
            actor=actor,
            action=action,
            from_state=from_state,
            to_state=to_state,
            **details,
        )


class ModerationEntry(models.Model):
    """The audit log: every state change of an activity, who made it and why."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="log")
    submission = models.ForeignKey(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="log"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=32)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    message = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = ModerationLog()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("moderation log entry")
        verbose_name_plural = _("moderation log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


class Presentation(models.Model):
    """One item of an event's programme (a talk, a panel)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="presentations")
    title = models.CharField(_("title"), max_length=255)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "starts_at", "pk"]
        verbose_name = _("presentation")
        verbose_name_plural = _("presentations")

    def __str__(self):
        return self.title


class ProgrammeRole(models.Model):
    class Role(models.TextChoices):
        SPEAKER = "speaker", _("Speaker")
        CHAIR = "chair", pgettext_lazy("event role", "Chair")
        RAPPORTEUR = "rapporteur", pgettext_lazy("event role", "Rapporteur")
        MODERATOR = "moderator", _("Moderator")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="programme")
    presentation = models.ForeignKey(
        Presentation, on_delete=models.CASCADE, null=True, blank=True, related_name="people"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="programme_roles")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    title_on_programme = models.CharField(_("title on the programme"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("person on the programme")
        verbose_name_plural = _("people on the programme")

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"


def _token():
    return secrets.token_urlsafe(24)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    organization_name = models.CharField(_("organization"), max_length=255, blank=True)
    share_contact = models.BooleanField(
        _("the organizers may share my contact details with other participants"), default=False
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, db_index=True)
    # The language of the page the person registered on: their e-mails are written in it.
    language = models.CharField(_("language"), max_length=8, blank=True)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "email"],
                condition=~models.Q(status="cancelled"),
                name="one_live_registration_per_email",
            )
        ]

    def __str__(self):
        return f"{self.name} – {self.activity}"


class Material(models.Model):
    """A document, link or recording shared with an event or one of its presentations."""

    class Kind(models.TextChoices):
        FILE = "file", _("Document")
        LINK = "link", _("Link")
        RECORDING = "recording", _("Recording")

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="materials")
    presentation = models.ForeignKey(
        Presentation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("presentation"),
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="materials/%Y/", blank=True)
    url = models.URLField(_("address"), blank=True)
    language = models.ForeignKey(
        "recommendation.Language",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("language"),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["presentation", "pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.title


class Post(models.Model):
    """A message in the discussion of an event or of one presentation in it."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="posts")
    presentation = models.ForeignKey(
        Presentation, on_delete=models.CASCADE, null=True, blank=True, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="posts"
    )
    body = models.TextField(
        _("message"), help_text=_("Markdown: *italics*, **bold**, lists, links.")
    )
    body_html = models.TextField(editable=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("discussion post")
        verbose_name_plural = _("discussion posts")

    def __str__(self):
        return self.body[:60]


class PostReport(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report of a post")
        verbose_name_plural = _("reports of posts")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"], name="one_report_per_post_and_user"
            )
        ]

    def __str__(self):
        return self.reason[:60]


# --- serialized calendar components, shared by every process (activities.ical.store) ---


class CalendarEntry(models.Model):
    """An event's VEVENT as the feeds in one language carry it, serialized by the library.

    Derived data, never edited: `digest` names everything the bytes were made from (the
    event's row, its organizers' names, the words of the language, the code that wrote it),
    and a row whose digest no longer matches is rebuilt and replaced.
    """

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=16)
    digest = models.CharField(max_length=32)
    body = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "language"], name="calendar_entry_once_per_language"
            )
        ]

    def __str__(self):
        return f"VEVENT of activity {self.activity_id} ({self.language})"


class CalendarTimeZone(models.Model):
    """A VTIMEZONE as the library builds it for a zone over a span of years.

    `digest` covers the zone's tzdata and the code that built it: an update of either
    makes the row stale.
    """

    zone = models.CharField(max_length=64)
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    digest = models.CharField(max_length=32)
    body = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["zone", "first_year", "last_year"], name="calendar_time_zone_once_per_span"
            )
        ]

    def __str__(self):
        return f"VTIMEZONE {self.zone} {self.first_year}–{self.last_year}"
