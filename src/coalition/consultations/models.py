"""How the Coalition consults its members: consultations, surveys, comments, reports.

A `Consultation` (e.g. 22–24 July 2020) gathers `Session`s, each an event of the
activities app for one working group or for the whole Coalition, an optional preceding
`Survey`, and a comment window. Members comment per working group; each group's
rapporteur collates the comments into a `Report` that goes draft → shared with the
chairs → published by the secretariat, every change logged.

Times are stored in UTC with the organizer's IANA zone beside them (the two clocks).
"""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coalition.core.richtext import RichTextField
from coalition.members.models import Organization, WorkingGroup, unique_slug
from coalition.recommendation.regions import Region
from coalition.recommendation.timezones import validate_time_zone


class Consultation(models.Model):
    slug = models.SlugField(_("short name in links"), max_length=90, unique=True)
    title = models.CharField(_("title"), max_length=255)
    description = RichTextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    comments_open_at = models.DateTimeField(_("comments open"), null=True, blank=True)
    comments_close_at = models.DateTimeField(_("comments close"), null=True, blank=True)
    is_published = models.BooleanField(
        _("published"), default=False, help_text=_("Shown on the public list and page.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Consultation, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("consultations:consultation-detail", kwargs={"slug": self.slug})

    def comments_are_open(self, now=None):
        now = now or timezone.now()
        return bool(
            self.comments_open_at
            and self.comments_close_at
            and self.comments_open_at <= now < self.comments_close_at
        )


class Session(models.Model):
    """One session of a consultation: an event, for a working group or the whole Coalition."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="sessions"
    )
    event = models.ForeignKey(
        "activities.Activity",
        on_delete=models.PROTECT,
        related_name="consultation_sessions",
        verbose_name=_("event"),
        limit_choices_to={"kind": "event"},
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultation_sessions",
        verbose_name=_("working group"),
        help_text=_("Empty for a session of the whole Coalition (opening, closing)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "event"], name="consultation_session_event_once"
            )
        ]

    def __str__(self):
        return str(self.event)


class Survey(models.Model):
    consultation = models.ForeignKey(
        Consultation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("consultation"),
    )
    slug = models.SlugField(_("short name in links"), max_length=90, unique=True)
    title = models.CharField(_("title"), max_length=255)
    introduction = RichTextField(_("introduction"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Paris",
        validators=[validate_time_zone],
        help_text=_("The zone the window is announced in; readers also see their own."),
    )
    allow_anonymous = models.BooleanField(
        _("anonymous answers"),
        default=False,
        help_text=_("People without an account may answer, once per browser."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
            )
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Survey, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("consultations:survey-detail", kwargs={"slug": self.slug})

    def window_state(self, now=None):
        """ "upcoming", "open" or "closed": open from `opens_at` until just before `closes_at`."""
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now >= self.closes_at:
            return "closed"
        return "open"

    def is_open(self, now=None):
        return self.window_state(now) == "open"


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TEXT = "text", _("Free text")
    SCALE = "scale", _("Scale (1–5)")
    NUMBER = "number", pgettext_lazy("question kind", "Number")
    COUNTRY = "country", _("Country")
    WORKING_GROUP = "working-group", _("Working group")
    ACTION_AREA = "action-area", _("Action area")


# Kinds whose answers are counted per value (charts); free text and numbers are listed
# and summarized instead.
COUNTED_KINDS = frozenset(
    {
        QuestionKind.SINGLE,
        QuestionKind.MULTIPLE,
        QuestionKind.SCALE,
        QuestionKind.COUNTRY,
        QuestionKind.WORKING_GROUP,
        QuestionKind.ACTION_AREA,
    }
)
SCALE_VALUES = (1, 2, 3, 4, 5)


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(
        Section,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions",
        verbose_name=_("section"),
    )
    code = models.CharField(
        _("code"), max_length=16, help_text=_("Short and unique in the survey, e.g. Q3.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.CharField(_("help"), max_length=500, blank=True)
    required = models.BooleanField(_("required"), default=False)
    allow_other = models.BooleanField(
        _("“other, please specify”"),
        default=False,
        help_text=_("Choice questions: add an “Other” choice with a text box."),
    )
    scale_low_label = models.CharField(_("label of 1"), max_length=80, blank=True)
    scale_high_label = models.CharField(_("label of 5"), max_length=80, blank=True)
    min_value = models.IntegerField(_("smallest number"), null=True, blank=True)
    max_value = models.IntegerField(_("largest number"), null=True, blank=True)
    show_if_question = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
        verbose_name=_("show only if the answer to"),
    )
    show_if_value = models.CharField(
        _("is (or includes)"),
        max_length=100,
        blank=True,
        help_text=_("The value of a choice, a number or a code (e.g. yes)."),
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="question_code_once_per_survey")
        ]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def is_choice(self):
        return self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    value = models.SlugField(_("value"), max_length=60)
    label = models.CharField(_("label"), max_length=255)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        constraints = [
            models.UniqueConstraint(fields=["question", "value"], name="choice_value_once")
        ]

    def __str__(self):
        return self.label


def new_token():
    return secrets.token_urlsafe(24)


class Response(models.Model):
    """One person's (or one browser's) answers to a survey, saved as a draft or submitted.

    Who answered is copied at submission (organization, region, stakeholder type, working
    group) so that the results filter on this row alone, and stay what they were.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Saved, not submitted")
        SUBMITTED = "submitted", _("Submitted")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
    )
    # Anonymous answers: a digest of the random token kept in the browser's cookie.
    browser_token = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    region = models.CharField(_("UNESCO region"), max_length=32, choices=Region.choices, blank=True)
    stakeholder_type = models.CharField(_("stakeholder type"), max_length=32, blank=True)
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=models.Q(user__isnull=False),
                name="one_response_per_person",
            ),
            models.UniqueConstraint(
                fields=["survey", "browser_token"],
                condition=~models.Q(browser_token=""),
                name="one_response_per_browser",
            ),
        ]
        indexes = [
            models.Index(fields=["survey", "status", "region"], name="response_by_region"),
            models.Index(fields=["survey", "status", "stakeholder_type"], name="response_by_type"),
        ]

    def __str__(self):
        return f"{self.survey} #{self.pk}"

    @property
    def is_anonymous(self):
        return self.user_id is None


class Answer(models.Model):
    """One value of a response: a choice (one row per ticked choice), a text or a number.

    Countries, working groups and action areas are kept as their codes in `text`; the
    "other" box of a choice question is a row with `is_other` and its text.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(
        Choice, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    text = models.TextField(blank=True)
    number = models.IntegerField(null=True, blank=True)
    is_other = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        indexes = [models.Index(fields=["question", "response"], name="answer_by_question")]

    def __str__(self):
        return f"{self.question.code}: {self.choice_id or self.number or self.text[:40]}"


class QuoteConsent(models.TextChoices):
    NAMED = "named", _("may be quoted with my name")
    ANONYMOUS = "anonymous", _("may be quoted without my name")
    NONE = "none", _("must not be quoted")


class Comment(models.Model):
    """A member's input on a consultation, for one working group, private until quoted."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comments"
    )
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.PROTECT,
        related_name="consultation_comments",
        verbose_name=_("working group"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(_("name"), max_length=200)
    organization = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    quote_consent = models.CharField(
        _("quoting"), max_length=16, choices=QuoteConsent.choices, default=QuoteConsent.ANONYMOUS
    )
    tags = models.JSONField(_("tags"), default=list, blank=True)
    created_at = models.DateTimeField(_("sent"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.body[:60]


class Report(models.Model):
    """A working group's report on a consultation, written by its rapporteur."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SHARED = "shared", _("Shared with the chairs")
        PUBLISHED = "published", _("Published")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="reports")
    working_group = models.ForeignKey(
        WorkingGroup, on_delete=models.PROTECT, related_name="consultation_reports"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(_("rapporteur"), max_length=200)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    priorities = RichTextField(_("priorities"), blank=True)
    proposed_activities = RichTextField(_("proposed activities"), blank=True)
    tool_issues = RichTextField(_("issues for the electronic tool"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["working_group__action_area", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "working_group"], name="one_report_per_group"
            )
        ]

    def __str__(self):
        return f"{self.consultation} – {self.working_group}"

    def get_absolute_url(self):
        return reverse(
            "consultations:report-detail",
            kwargs={"slug": self.consultation.slug, "group": self.working_group.slug},
        )

    @property
    def is_published(self):
        return self.state == self.State.PUBLISHED


class Quote(models.Model):
    """A comment or free-text answer quoted in a report, named only with the author's consent."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="quotes")
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="quotes"
    )
    text = models.TextField(_("quotation"))
    attribution = models.CharField(_("attribution"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("quotation")
        verbose_name_plural = _("quotations")

    def __str__(self):
        return self.text[:60]


class ReportNote(models.Model):
    """A chair's remark on one section of a shared report."""

    class Part(models.TextChoices):
        PRIORITIES = "priorities", _("Priorities")
        ACTIVITIES = "proposed_activities", _("Proposed activities")
        TOOL = "tool_issues", _("Issues for the electronic tool")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    part = models.CharField(_("section"), max_length=24, choices=Part.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    body = models.TextField(_("remark"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("remark of a chair")
        verbose_name_plural = _("remarks of the chairs")

    def __str__(self):
        return self.body[:60]


class ReportLogEntry(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="log")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report log entry")
        verbose_name_plural = _("report log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.from_state} → {self.to_state}"
