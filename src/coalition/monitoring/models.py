"""Reporting on the 2019 Recommendation: cycles, questionnaires, national reports, synthesis.

A questionnaire is versioned: a cycle points at one version and a new cycle copies the
previous one (`services.copy_questionnaire`), so a report always reads against the exact
questions it answered. A question keeps a stable `key` across versions, which lets a
country's new report start from its previous answers.

An `Answer` carries a `revision`, raised at each save: a save that was based on an older
revision than the stored one is a conflict, shown to the person and never written over
the newer text. Every submission freezes the answers in a `ReportVersion`, which the
secretariat accepts or returns with named questions to clarify.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from coalition.core.richtext import RichTextField
from coalition.recommendation.languages import UN_LANGUAGE_CHOICES
from coalition.recommendation.models import ActionArea
from coalition.recommendation.regions import Region, region_for_country
from coalition.recommendation.timezones import validate_time_zone


class Questionnaire(models.Model):
    slug = models.SlugField(_("short name in links"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=255)
    version = models.PositiveIntegerField(_("version"), default=1)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self):
        return f"{self.title} (v{self.version})"


class Section(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=255)
    action_area = models.ForeignKey(
        ActionArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("action area"),
    )

    class Meta:
        ordering = ["questionnaire", "position", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="monitoring_section_key")
        ]

    def __str__(self):
        return self.title


class QuestionKind(models.TextChoices):
    COUNTRY = "country", _("The reporting country (filled in)")
    TEXT = "text", _("Text")
    YES_NO = "yes-no", _("Yes or no")
    SCALE = "scale", _("Yes, partly, no or not applicable")
    DETAILS = "details", _("Details with links")
    EVIDENCE = "evidence", _("Evidence (documents and links)")


class Choice(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
    NOT_APPLICABLE = "not-applicable", _("Not applicable")


CLOSED_KINDS = (QuestionKind.YES_NO, QuestionKind.SCALE)
CHOICES_OF_KIND = {
    QuestionKind.YES_NO: (Choice.YES, Choice.NO),
    QuestionKind.SCALE: (Choice.YES, Choice.PARTLY, Choice.NO, Choice.NOT_APPLICABLE),
}


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions", editable=False
    )
    key = models.SlugField(
        _("key"),
        max_length=60,
        help_text=_("Stays the same across versions, so answers can be carried over."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Continuous across sections; set by services.renumber() whenever the list changes.
    number = models.PositiveSmallIntegerField(_("number"), default=0, editable=False)
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    help_text = models.TextField(_("help"), blank=True)
    required = models.BooleanField(
        _("mandatory"), default=False, help_text=_("Checked at submission, not at each save.")
    )
    follows = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name=_("details of"),
        help_text=_("A details question that completes a closed question."),
    )

    class Meta:
        ordering = ["questionnaire", "number", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "key"], name="monitoring_question_key")
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:80]}"

    def save(self, *args, **kwargs):
        self.questionnaire_id = self.section.questionnaire_id
        super().save(*args, **kwargs)

    @property
    def is_closed(self):
        return self.kind in CLOSED_KINDS

    @property
    def choices(self):
        return [(choice.value, choice.label) for choice in CHOICES_OF_KIND.get(self.kind, ())]

    @property
    def anchor(self):
        return f"q-{self.number}"


class ReportingCycle(models.Model):
    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        OPEN = "open", pgettext_lazy("reporting cycle", "Open")
        CLOSED = "closed", pgettext_lazy("reporting cycle", "Closed")
        SYNTHESIZED = "synthesized", _("Synthesized")

    slug = models.SlugField(_("short name in links"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=255)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    opens_at = models.DateTimeField(_("opens"))
    deadline = models.DateTimeField(_("deadline"))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", validators=[validate_time_zone]
    )
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="cycles"
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous cycle"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PREPARING
    )

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = _("reporting cycle")
        verbose_name_plural = _("reporting cycles")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline__gt=models.F("opens_at")),
                name="monitoring_cycle_deadline_after_opening",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("monitoring:cycle-detail", kwargs={"slug": self.slug})

    def accepts_edits(self, now=None):
        """Countries may write while the cycle is open and its deadline has not passed."""
        now = now or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.deadline


class CountryRole(models.Model):
    """Who writes a Member State's report: its focal point (given by the secretariat),
    and co-editors (invited by the focal point)."""

    class Role(models.TextChoices):
        FOCAL_POINT = "focal-point", _("National focal point")
        CO_EDITOR = "co-editor", _("Co-editor")

    country = CountryField(_("country"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="country_roles",
        verbose_name=_("account"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    institution = models.CharField(_("institution"), max_length=255, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("given"), default=timezone.now)

    class Meta:
        ordering = ["country", "role", "pk"]
        verbose_name = _("country reporting role")
        verbose_name_plural = _("country reporting roles")
        constraints = [
            models.UniqueConstraint(fields=["country", "user"], name="monitoring_one_role")
        ]

    def __str__(self):
        return f"{self.user} – {self.country.name} ({self.get_role_display()})"


class Report(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        CLARIFICATION = "clarification", _("Clarification requested")
        ACCEPTED = "accepted", _("Accepted")

    cycle = models.ForeignKey(ReportingCycle, on_delete=models.PROTECT, related_name="reports")
    country = CountryField(_("country"))
    # Derived from the country on save, so figures can group by region in the database.
    region = models.CharField(
        _("UNESCO region"), max_length=32, choices=Region.choices, blank=True, editable=False
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    language = models.CharField(
        _("usual language of the answers"),
        max_length=8,
        choices=UN_LANGUAGE_CHOICES,
        default="en",
        help_text=_("Each answer may still be written in another UN language."),
    )
    is_public = models.BooleanField(
        _("publish our report"),
        default=False,
        help_text=_("Otherwise only the aggregate figures of the synthesis are public."),
    )
    started_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)

    class Meta:
        ordering = ["cycle", "country"]
        verbose_name = _("national report")
        verbose_name_plural = _("national reports")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "country"], name="monitoring_one_report")
        ]
        indexes = [models.Index(fields=["cycle", "status", "region"])]

    def __str__(self):
        return f"{self.country.name} – {self.cycle}"

    def save(self, *args, **kwargs):
        self.region = region_for_country(self.country)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("monitoring:report-detail", kwargs={"pk": self.pk})

    @property
    def is_editable_state(self):
        return self.status in (self.Status.DRAFT, self.Status.CLARIFICATION)


class Answer(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.CharField(_("answer"), max_length=16, choices=Choice.choices, blank=True)
    text = models.TextField(_("text"), blank=True)
    language = models.CharField(
        _("language of the answer"), max_length=8, choices=UN_LANGUAGE_CHOICES, blank=True
    )
    revision = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["report", "question"], name="monitoring_one_answer")
        ]

    def __str__(self):
        return f"{self.report} – {self.question.number}"

    @property
    def is_empty(self):
        return not self.choice and not self.text.strip()


class Evidence(models.Model):
    """A document, a link, or an item of the Hub's own data kept from the prefill."""

    class Kind(models.TextChoices):
        UPLOAD = "upload", _("Document")
        LINK = "link", _("Link")
        ACTIVITY = "activity", _("Activity in the Hub")
        WORKING_GROUP = "working-group", _("Working-group participation")
        CATALOGUE = "catalogue", _("Catalogue source")

    class Status(models.TextChoices):
        KEPT = "kept", _("Kept")
        DROPPED = "dropped", _("Dropped")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.KEPT
    )
    # "activity:12", "working-group:3:45", "catalogue:7": what a prefill proposal was, so
    # that a kept or dropped one is not proposed again.
    ref = models.CharField(max_length=80, blank=True)
    title = models.CharField(_("title"), max_length=255)
    note = models.TextField(_("note"), blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="monitoring/evidence/", blank=True)
    file_type = models.CharField(max_length=8, blank=True)
    file_size = models.PositiveIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["question", "created_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "question", "ref"],
                condition=~models.Q(ref=""),
                name="monitoring_evidence_ref_once",
            )
        ]

    def __str__(self):
        return self.title


class Comment(models.Model):
    """Between the country's editors (and the secretariat), on the report or one question."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.body[:60]


class ReportVersion(models.Model):
    """A submitted report, frozen; the secretariat's decision on it."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        CLARIFICATION = "clarification", _("Clarification requested")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    certifying_official = models.CharField(_("certifying official"), max_length=200)
    certifying_title = models.CharField(_("their title and institution"), max_length=255)
    # {question key: {"choice", "text", "language"}} and [{"question", "kind", "title", "url"}]
    answers = models.JSONField(default=dict)
    evidence = models.JSONField(default=list)
    decision = models.CharField(
        _("decision"), max_length=16, choices=Decision.choices, default=Decision.PENDING
    )
    decision_message = models.TextField(_("message to the country"), blank=True)
    clarify = models.ManyToManyField(
        Question, blank=True, related_name="+", verbose_name=_("questions to clarify")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["report", "number"]
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="monitoring_version_number")
        ]

    def __str__(self):
        return f"{self.report} v{self.number}"


class Synthesis(models.Model):
    """The secretariat's synthesis report over a cycle."""

    cycle = models.OneToOneField(ReportingCycle, on_delete=models.CASCADE, related_name="synthesis")
    introduction = RichTextField(_("editorial introduction"), blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("synthesis report")
        verbose_name_plural = _("synthesis reports")

    def __str__(self):
        return str(self.cycle)

    def get_absolute_url(self):
        return reverse("monitoring:synthesis", kwargs={"slug": self.cycle.slug})

    @property
    def is_published(self):
        return self.published_at is not None


class Excerpt(models.Model):
    """A good-practice excerpt the secretariat picked from a country's free-text answer."""

    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="excerpts")
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("excerpt"))
    language = models.CharField(max_length=8, choices=UN_LANGUAGE_CHOICES, blank=True)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    picked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["question__number", "report__country", "pk"]
        verbose_name = _("good-practice excerpt")
        verbose_name_plural = _("good-practice excerpts")

    def __str__(self):
        return self.text[:60]


class SynthesisDocument(models.Model):
    """The synthesis printed to PDF in one language, built in the background and kept
    while the figures and texts it was built from (its `digest`) do not change."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="documents")
    language = models.CharField(max_length=8, choices=UN_LANGUAGE_CHOICES)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    digest = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to="monitoring/synthesis/", blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("synthesis PDF")
        verbose_name_plural = _("synthesis PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["synthesis", "language"], name="monitoring_one_document_per_language"
            )
        ]

    def __str__(self):
        return f"{self.synthesis} ({self.language})"
