"""The catalogue's data: sources, harvest runs, works and their records.

Vocabulary (used the same way in services, selectors, the API and the pages):

- `Source`: where records come from. An OAI-PMH endpoint of a member organization
  (`kind="oai"`), or the organization's own hand-made records (`kind="manual"`, by form or
  CSV). It keeps the facts `Identify` told the Hub (granularity, deletedRecord policy,
  earliest datestamp), the harvest schedule, and the harvest lease (`locked_by`,
  `locked_until`): the one worker that may harvest it now.
- `HarvestRun`: one harvest of one source, with its report (added, updated, deleted,
  skipped with reasons, duration, status) and its checkpoint (the resumption token of the
  next page, so that a killed run resumes where it stopped).
- `Record`: one source's copy of an OER, as harvested (or typed in), normalized
  (LRMI / schema.org `LearningResource` in the spirit of the AMB profile). Every copy is
  kept; a deleted copy keeps its row with `deleted=True` and its history in `RecordChange`.
- `Work`: the OER itself, "one OER, one entry". Records that carry the same DOI, the same
  canonical URL, or the same normalized title + first creator + year belong to the same
  work. The work has the stable Hub id (`hub_id`, also its OAI identifier), shows its
  `primary_record`'s metadata and lists every record as provenance. When two works turn
  out to be one, the younger is merged into the elder (`merged_into`) and stays as a
  deleted entry for OAI harvesters.
- `SearchEntry`: one row per visible work, written by `catalogue.search`; the engine's
  own index (FTS5 table, or a tsvector column with GIN) is created by migration 0002.

Licences are data (`licences.toml`, read by `catalogue.licences`), not rows: a record
stores the canonical SPDX id and class it was read as, and the original statement.

Harvested texts come in any language, not only the six UN ones, so titles and
descriptions are not modeltranslation columns: a record keeps the text in its own language
(`title`, `title_language`) and other language versions the source sent
(`title_translations`, BCP 47 → text); `Record.title_in()` returns a
`recommendation.content.Content` so templates mark a fallback as everywhere else.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coalition.members.models import Organization
from coalition.recommendation.content import Content
from coalition.recommendation.models import ActionArea


class LicenceClass(models.TextChoices):
    """How the Recommendation's definition of OER reads a licence (codes of the API)."""

    OPEN = "open", _("Open")
    OPEN_NC = "open-nc", _("Open with a non-commercial condition")
    NOT_OPEN = "not-open", _("Not open")
    UNKNOWN = "unknown", pgettext_lazy("licence class", "Unknown")


class Granularity(models.TextChoices):
    DAY = "YYYY-MM-DD", _("Day")
    SECOND = "YYYY-MM-DDThh:mm:ssZ", _("Second")


class DeletedRecordPolicy(models.TextChoices):
    NO = "no", pgettext_lazy("deleted records", "Not kept")
    TRANSIENT = "transient", _("Transient")
    PERSISTENT = "persistent", _("Persistent")


class SourceQuerySet(models.QuerySet):
    def oai(self):
        return self.filter(kind=Source.Kind.OAI)

    def approved(self):
        return self.filter(status=Source.Status.APPROVED)

    def due(self, now=None):
        """Active, approved OAI sources whose next scheduled harvest has come."""
        now = now or timezone.now()
        return self.oai().approved().filter(is_active=True, next_harvest_at__lte=now)


class Source(models.Model):
    class Kind(models.TextChoices):
        OAI = "oai", _("OAI-PMH endpoint")
        MANUAL = "manual", _("Records added by hand or CSV")

    class Status(models.TextChoices):
        # A member organization registers its endpoint; the secretariat approves it before
        # the Hub harvests it. A withdrawn source is no longer harvested and its records
        # are kept as deleted entries (OAI harvesters learn they went away).
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="catalogue_sources",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.OAI)
    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("short name in links"), max_length=80, unique=True)
    base_url = models.URLField(_("OAI-PMH base URL"), max_length=500, blank=True)
    metadata_prefix = models.CharField(_("metadata format"), max_length=64, default="oai_dc")
    set_spec = models.CharField(
        _("set"), max_length=255, blank=True, help_text=_("Harvest only this set (optional).")
    )
    # Every metadataPrefix the source offered in ListMetadataFormats (prefix → namespace).
    metadata_formats = models.JSONField(_("metadata formats offered"), default=dict, blank=True)
    # Schedule, kept by the workers themselves (see catalogue.tasks): 0 = by hand only.
    harvest_every_hours = models.PositiveIntegerField(_("harvest every (hours)"), default=24)
    next_harvest_at = models.DateTimeField(_("next harvest"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Registration and its review (manual sources and sources made by the secretariat or
    # the admin are approved from the start).
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.APPROVED
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_message = models.TextField(_("message to the organization"), blank=True)
    # What Identify said.
    repository_name = models.CharField(_("repository name"), max_length=255, blank=True)
    admin_email = models.CharField(_("administrator e-mail"), max_length=255, blank=True)
    granularity = models.CharField(
        _("datestamp granularity"),
        max_length=24,
        choices=Granularity.choices,
        default=Granularity.DAY,
    )
    deleted_record = models.CharField(
        _("deleted records"),
        max_length=12,
        choices=DeletedRecordPolicy.choices,
        default=DeletedRecordPolicy.NO,
    )
    earliest_datestamp = models.DateTimeField(_("earliest datestamp"), null=True, blank=True)
    identified_at = models.DateTimeField(_("identified"), null=True, blank=True)
    # Incremental harvests ask for records changed since the responseDate of the last
    # successful run's first page (the server's clock, not ours).
    harvested_until = models.DateTimeField(_("harvested up to"), null=True, blank=True)
    # The harvest lease: one worker at a time, taken over once `locked_until` passes.
    locked_by = models.CharField(max_length=120, blank=True, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("catalogue source")
        verbose_name_plural = _("catalogue sources")
        constraints = [
            # One registration per endpoint, format and set.
            models.UniqueConstraint(
                fields=["base_url", "metadata_prefix", "set_spec"],
                condition=models.Q(kind="oai"),
                name="catalogue_source_unique_endpoint",
            )
        ]
        indexes = [
            # The workers' schedule check: due, active OAI sources.
            models.Index(fields=["is_active", "next_harvest_at"], name="catalogue_source_due"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:source-detail", kwargs={"slug": self.slug})

    @property
    def is_day_granularity(self):
        return self.granularity == Granularity.DAY

    @property
    def is_public(self):
        return self.status == self.Status.APPROVED

    @property
    def is_oai(self):
        return self.kind == self.Kind.OAI


class HarvestRun(models.Model):
    class Kind(models.TextChoices):
        FULL = "full", _("Full")
        INCREMENTAL = "incremental", _("Incremental")

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        # Stopped on a page that kept failing; the next run resumes from that page.
        FAILED = "failed", _("Failed")
        # Resumed by a later run (after a crash, or a failure above).
        RESUMED = "resumed", _("Resumed by a later run")

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="runs", verbose_name=_("source")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.RUNNING
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    worker = models.CharField(_("worker"), max_length=120, blank=True)
    # The arguments of the list request (from, until, set), kept for a restart after
    # badResumptionToken and for incremental bookkeeping.
    from_datestamp = models.CharField(_("from"), max_length=24, blank=True)
    until_datestamp = models.CharField(_("until"), max_length=24, blank=True)
    first_response_date = models.DateTimeField(null=True, blank=True)
    # Checkpoint: written in the same transaction as a page's records.
    resumption_token = models.TextField(_("resumption token"), blank=True)
    cursor = models.PositiveIntegerField(_("cursor"), null=True, blank=True)
    complete_list_size = models.PositiveIntegerField(_("complete list size"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    resumed_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The report.
    added = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    deleted = models.PositiveIntegerField(_("deleted"), default=0)
    skipped = models.PositiveIntegerField(_("skipped"), default=0)
    # [{"identifier": …, "reason": …}], the first SKIPPED_KEPT of them.
    skipped_records = models.JSONField(_("skipped records"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)

    SKIPPED_KEPT = 500

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("harvest run")
        verbose_name_plural = _("harvest runs")
        indexes = [models.Index(fields=["source", "-started_at"], name="catalogue_run_source")]

    def __str__(self):
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def duration(self):
        end = self.finished_at or timezone.now()
        return end - self.started_at

    @property
    def is_resumable(self):
        return self.status == self.Status.FAILED or (
            self.status == self.Status.RUNNING and bool(self.resumption_token)
        )


class Work(models.Model):
    """One OER, one entry: the resource behind one or more records."""

    hub_id = models.UUIDField(_("Hub id"), default=uuid.uuid4, unique=True, editable=False)
    primary_record = models.ForeignKey(
        "Record", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Changes whenever what the Hub serves for the work changes (OAI datestamp).
    datestamp = models.DateTimeField(_("datestamp"), default=timezone.now)
    deleted = models.BooleanField(_("deleted"), default=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("OER")
        verbose_name_plural = _("OER")
        indexes = [
            # The OAI provider lists by (datestamp, id) ranges and pages by keyset.
            models.Index(fields=["datestamp", "id"], name="catalogue_work_datestamp"),
        ]

    def __str__(self):
        return str(self.hub_id)

    def get_absolute_url(self):
        return reverse("catalogue:record-detail", kwargs={"hub_id": self.hub_id})


class RecordQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(deleted=False, status=Record.Status.PUBLISHED)


class Record(models.Model):
    class Status(models.TextChoices):
        # Harvested records are published as they come; hand-made ones are moderated.
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Awaiting moderation")
        CHANGES_REQUESTED = "changes-requested", _("Changes requested")
        PUBLISHED = "published", _("Published")
        DECLINED = "declined", _("Declined")

    # Neither key gets Django's own index: `catalogue_record_work` and the two led by the
    # source (below) serve them, and every index is one more write per harvested record.
    work = models.ForeignKey(
        Work,
        on_delete=models.PROTECT,
        related_name="records",
        verbose_name=_("OER"),
        db_index=False,
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.CASCADE,
        related_name="records",
        verbose_name=_("source"),
        db_index=False,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PUBLISHED
    )
    # Provenance.
    identifier = models.CharField(_("original identifier"), max_length=500)
    datestamp = models.DateTimeField(_("original datestamp"), null=True, blank=True)
    set_specs = models.JSONField(_("sets"), default=list, blank=True)
    metadata_prefix = models.CharField(_("metadata format"), max_length=64, blank=True)
    harvest_run = models.ForeignKey(
        HarvestRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
        verbose_name=_("last harvest run"),
    )
    deleted = models.BooleanField(_("deleted"), default=False)
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    # Digest of the normalized fields: an unchanged record is not rewritten.
    content_hash = models.CharField(max_length=40, blank=True, editable=False)
    # Description.
    title = models.TextField(_("title"))
    title_language = models.CharField(_("language of the title"), max_length=35, blank=True)
    title_translations = models.JSONField(_("title in other languages"), default=dict, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_translations = models.JSONField(
        _("description in other languages"), default=dict, blank=True
    )
    # [{"name": …, "orcid": …}] in the source's order.
    creators = models.JSONField(_("creators"), default=list, blank=True)
    contributors = models.JSONField(_("contributors"), default=list, blank=True)
    publisher = models.CharField(_("publisher"), max_length=500, blank=True)
    date_created = models.DateField(_("created"), null=True, blank=True)
    date_modified = models.DateField(_("modified"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)  # BCP 47
    subjects = models.JSONField(_("subjects"), default=list, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    # Places and periods the resource is about (dc:coverage, dcterms:spatial/temporal).
    coverage = models.JSONField(_("coverage"), default=list, blank=True)
    learning_resource_type = models.CharField(
        _("learning resource type"), max_length=64, blank=True
    )
    educational_level = models.CharField(_("educational level"), max_length=64, blank=True)
    audience = models.CharField(_("audience"), max_length=255, blank=True)
    urls = models.JSONField(_("links"), default=list, blank=True)
    media_format = models.CharField(_("format"), max_length=255, blank=True)
    # Licence as read by catalogue.licences, beside what the source said.
    licence_spdx = models.CharField(_("licence"), max_length=64, blank=True)
    licence_url = models.URLField(_("licence URL"), max_length=500, blank=True)
    licence_class = models.CharField(
        _("licence class"),
        max_length=8,
        choices=LicenceClass.choices,
        default=LicenceClass.UNKNOWN,
    )
    rights_statement = models.TextField(_("rights statement as harvested"), blank=True)
    access_rights = models.CharField(_("access rights"), max_length=255, blank=True)
    accessibility = models.TextField(_("accessibility notes"), blank=True)
    action_areas = models.ManyToManyField(
        ActionArea, related_name="catalogue_records", blank=True, verbose_name=_("action areas")
    )
    # Keys that find the same OER from other sources (catalogue.dedup).
    doi = models.CharField(_("DOI"), max_length=255, blank=True)
    canonical_url = models.CharField(max_length=500, blank=True, editable=False)
    title_key = models.CharField(max_length=40, blank=True, editable=False)
    # Who typed it in (hand-made records).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("added to the Hub"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated in the Hub"), default=timezone.now)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue record")
        verbose_name_plural = _("catalogue records")
        constraints = [
            # A source's identifier names one record: re-harvesting updates it in place.
            models.UniqueConstraint(fields=["source", "identifier"], name="catalogue_record_uid")
        ]
        indexes = [
            # Deduplication looks records up by each key (empty keys are never looked up).
            models.Index(fields=["doi"], name="catalogue_record_doi"),
            models.Index(fields=["canonical_url"], name="catalogue_record_url"),
            models.Index(fields=["title_key"], name="catalogue_record_titlekey"),
            # A work's provenance list, and counts per source on organization pages.
            models.Index(fields=["work"], name="catalogue_record_work"),
            models.Index(fields=["source", "deleted"], name="catalogue_record_source"),
            # "Records added in a period" (the Update's Publications section).
            models.Index(fields=["created_at"], name="catalogue_record_created"),
        ]

    def __str__(self):
        return self.title[:80]

    def get_absolute_url(self):
        return reverse("catalogue:record-detail", kwargs={"hub_id": self.work.hub_id})

    def title_in(self, language=None):
        return _text_in(self.title, self.title_language, self.title_translations, language)

    def description_in(self, language=None):
        return _text_in(
            self.description, self.title_language, self.description_translations, language
        )


def _text_in(original, original_language, translations, language):
    from django.utils.translation import get_language

    requested = language or get_language() or settings.LANGUAGE_CODE
    base = requested.split("-")[0]
    for code, text in (translations or {}).items():
        if text and (code == requested or code.split("-")[0] == base):
            return Content(text, code, requested)
    if original and original_language and original_language.split("-")[0] == base:
        return Content(original, original_language, requested)
    return Content(original, original_language or "und", requested)


class RecordChange(models.Model):
    """What happened to a record, when, in which run: its history."""

    class Kind(models.TextChoices):
        ADDED = "added", _("Added")
        UPDATED = "updated", _("Updated")
        DELETED = "deleted", _("Deleted")
        RESTORED = "restored", _("Restored")

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="changes")
    run = models.ForeignKey(
        HarvestRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="changes"
    )
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    datestamp = models.DateTimeField(_("original datestamp"), null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("record change")
        verbose_name_plural = _("record changes")
        indexes = [models.Index(fields=["record", "at"], name="catalogue_change_record")]

    def __str__(self):
        return f"{self.kind} {self.at:%Y-%m-%d}"


class RecordSubmission(models.Model):
    """A hand-made record, new or changed, waiting for the secretariat (as activities are).

    The proposal is kept here, not in `Record`: a record exists, visible and harvestable,
    only once a submission is approved, and an edit of a published record leaves the
    published version as it is until then. `data` holds the record's fields
    (`oai.metadata.RECORD_FIELDS`) and `action_areas` (numbers).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        CHANGES_REQUESTED = "changes-requested", _("Changes requested")
        DECLINED = "declined", _("Declined")
        SUPERSEDED = "superseded", _("Replaced by a later version")

    source = models.ForeignKey(
        Source, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("source")
    )
    # Empty for a new record; the published record an edit would change otherwise.
    record = models.ForeignKey(
        Record,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("record"),
    )
    data = models.JSONField(_("proposed record"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    # Rows of one CSV import share a batch (the moderator may approve them together).
    batch = models.CharField(_("import"), max_length=40, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    message = models.TextField(_("message to the submitter"), blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("record submission")
        verbose_name_plural = _("record submissions")
        indexes = [models.Index(fields=["status", "submitted_at"], name="catalogue_sub_status")]

    def __str__(self):
        return (self.data.get("title") or "")[:80]

    def get_absolute_url(self):
        return reverse("catalogue:submission-detail", kwargs={"pk": self.pk})

    @property
    def title(self):
        return self.data.get("title") or ""

    @property
    def is_edit(self):
        return self.record_id is not None


class SearchEntry(models.Model):
    """The search document of a visible work (written by catalogue.search only).

    `facets` holds every facet value of the work as "facet:value" strings (licence class,
    languages, resource type, level, sources, action areas, regions): one column answers
    every facet filter and every facet count in one pass. The full-text index itself is
    the engine's: an FTS5 table `catalogue_search_fts` (rowid = work id) on SQLite, a
    `document` tsvector column with a GIN index on PostgreSQL (both made by migration 0002).
    """

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="search_entry")
    title = models.TextField()
    sort_date = models.DateTimeField(null=True)
    facets = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["-sort_date", "id"], name="catalogue_search_date")]

    def __str__(self):
        return self.title[:80]
