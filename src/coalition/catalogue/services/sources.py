"""Registering sources: an OAI-PMH endpoint is checked before it is kept.

`register_source(organization, base_url, …)` asks the endpoint `Identify` and
`ListMetadataFormats`. A URL that does not answer OAI-PMH (an HTML page, an error, a
timeout, an XML document of another kind, a repository without `oai_dc`) is refused with
a `ValidationError` whose message says why, in words a repository manager can act on.
What Identify said is kept on the source (granularity, deletedRecord policy, earliest
datestamp, repository name, administrator e-mail), and the richer DC-based format is
chosen when the repository offers one (oai.metadata.RICHER_DC_FORMATS). The first
harvest is queued when the registration commits.

`add_manual_source(organization, name)` makes the source of an organization's own
records (record form, CSV import); it has no endpoint and is never harvested.

The people's side (permissions by `catalogue/rules.py`, checked here again):
`propose_source(user, organization, base_url, …)` registers an endpoint for review (the
secretariat's own registrations are approved at once); `approve_source`,
`decline_source` decide; `change_source` edits (a new address or set is checked with
Identify again and goes back to review, so the Hub never harvests an endpoint nobody
approved); `withdraw_source` stops harvesting and marks every record of the source
deleted (kept, with its history, for OAI harvesters).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from coalition.members.models import unique_slug

from ..models import DeletedRecordPolicy, Granularity, Source
from ..oai.client import HarvestError, OAIError
from ..oai.metadata import RICHER_DC_FORMATS
from ..oai.xml import BrokenPage
from .harvesting import make_client, parse_datestamp


def identify_endpoint(base_url, *, client=None):
    """(Identify facts, {prefix: namespace}) of an endpoint, or a ValidationError saying why."""
    own = client is None
    client = client or make_client(Source(base_url=base_url), interactive=True)
    try:
        facts = client.identify()
        formats = {f.prefix: f.namespace for f in client.list_metadata_formats()}
    except OAIError as error:
        raise ValidationError(
            _("The address answered with an OAI-PMH error: %(error)s") % {"error": error},
            code="oai-error",
        ) from error
    except BrokenPage as error:
        raise ValidationError(
            _("The address does not answer as an OAI-PMH endpoint: %(error)s.") % {"error": error},
            code="not-oai",
        ) from error
    except HarvestError as error:
        raise ValidationError(
            _("The address could not be reached: %(error)s.") % {"error": error},
            code="unreachable",
        ) from error
    finally:
        if own:
            client.close()
    if facts.get("protocolVersion") != "2.0":
        raise ValidationError(
            _("The endpoint speaks OAI-PMH version %(version)s; the Hub reads version 2.0.")
            % {"version": facts.get("protocolVersion") or "?"},
            code="version",
        )
    if "oai_dc" not in formats:
        raise ValidationError(
            _("The endpoint does not offer Dublin Core (oai_dc), which every OAI-PMH 2.0 "
              "repository must."),
            code="no-oai-dc",
        )  # fmt: skip
    return facts, formats


def apply_identify(source, facts, formats):
    granularity = facts.get("granularity", "")
    source.granularity = (
        Granularity.SECOND if granularity == Granularity.SECOND else Granularity.DAY
    )
    policy = facts.get("deletedRecord", "")
    source.deleted_record = (
        policy if policy in DeletedRecordPolicy.values else DeletedRecordPolicy.NO
    )
    # A broken earliestDatestamp ("aaaa-bb-cc" is seen in the wild) is left empty.
    source.earliest_datestamp = parse_datestamp(facts.get("earliestDatestamp"))
    source.repository_name = (facts.get("repositoryName") or "")[:255]
    source.admin_email = ", ".join(facts.get("adminEmail", []))[:255]
    source.metadata_formats = formats
    source.identified_at = timezone.now()


def choose_format(formats, requested=None):
    if requested:
        if requested not in formats:
            raise ValidationError(
                _("The endpoint does not offer the format %(prefix)s.") % {"prefix": requested},
                code="format",
            )
        return requested
    return next((prefix for prefix in RICHER_DC_FORMATS if prefix in formats), "oai_dc")


def register_source(
    organization,
    base_url,
    *,
    name="",
    metadata_prefix=None,
    set_spec="",
    harvest_every_hours=24,
    client=None,
    harvest_now=True,
    status=Source.Status.APPROVED,
    registered_by=None,
):
    try:
        URLValidator(schemes=["http", "https"])(base_url)
    except ValidationError as error:
        raise ValidationError(
            _("Enter the address of the endpoint, starting with http:// or https://."),
            code="url",
        ) from error
    facts, formats = identify_endpoint(base_url, client=client)
    prefix = choose_format(formats, metadata_prefix)
    if Source.objects.filter(base_url=base_url, metadata_prefix=prefix, set_spec=set_spec).exists():
        raise ValidationError(_("This endpoint is already registered."), code="duplicate")
    with transaction.atomic():
        source = Source(
            organization=organization,
            kind=Source.Kind.OAI,
            base_url=base_url,
            metadata_prefix=prefix,
            set_spec=set_spec,
            harvest_every_hours=harvest_every_hours,
            next_harvest_at=timezone.now() if harvest_now else None,
            status=status,
            registered_by=registered_by,
        )
        apply_identify(source, facts, formats)
        source.name = (name or source.repository_name or base_url)[:255]
        source.slug = unique_slug(Source, source.name)
        source.save()
        if harvest_now and status == Source.Status.APPROVED:
            _queue_harvest(source)
    return source


def _queue_harvest(source):
    task = import_string("coalition.catalogue.tasks.harvest")
    transaction.on_commit(lambda: task.enqueue(source.pk))


def propose_source(user, organization, base_url, **options):
    """A member organization registers its endpoint (checked with Identify); the
    secretariat approves it before the first harvest. A source the secretariat registers
    is approved at once."""
    if not user.has_perm("catalogue.act_for_organization", organization):
        raise PermissionDenied
    if user.has_perm("catalogue.moderate"):
        source = register_source(organization, base_url, registered_by=user, **options)
        Source.objects.filter(pk=source.pk).update(decided_by=user, decided_at=timezone.now())
        return source
    return register_source(
        organization,
        base_url,
        registered_by=user,
        status=Source.Status.PENDING,
        harvest_now=False,
        **options,
    )


def _decide(source, by, status):
    if not by.has_perm("catalogue.moderate"):
        raise PermissionDenied
    source = Source.objects.select_for_update().get(pk=source.pk)
    if source.status != Source.Status.PENDING:
        raise ValidationError(_("This source has already been decided."), code="decided")
    source.status = status
    source.decided_by, source.decided_at = by, timezone.now()
    return source


@transaction.atomic
def approve_source(source, *, by):
    source = _decide(source, by, Source.Status.APPROVED)
    source.is_active = True
    source.next_harvest_at = timezone.now()
    source.decision_message = ""
    source.save()
    _queue_harvest(source)
    return source


@transaction.atomic
def decline_source(source, *, by, reason):
    if not (reason or "").strip():
        raise ValidationError({"message": _("Please tell the organization why.")})
    source = _decide(source, by, Source.Status.DECLINED)
    source.decision_message = reason.strip()
    source.is_active = False
    source.save()
    return source


SOURCE_CHANGE_FIELDS = ("name", "base_url", "set_spec", "harvest_every_hours", "is_active")


@transaction.atomic
def change_source(source, *, by, client=None, **changes):
    """Edit a source. Name, schedule and pause apply at once; a new address or set is
    checked with Identify first and waits for the secretariat again (unless the
    secretariat made the change)."""
    if not by.has_perm("catalogue.change_source", source):
        raise PermissionDenied
    source = Source.objects.select_for_update().get(pk=source.pk)
    if source.status == Source.Status.WITHDRAWN:
        raise ValidationError(_("A withdrawn source cannot be changed."), code="withdrawn")
    unknown = set(changes) - set(SOURCE_CHANGE_FIELDS)
    if unknown:
        raise ValueError(f"not a changeable field: {sorted(unknown)}")
    endpoint_changed = source.is_oai and (
        changes.get("base_url", source.base_url) != source.base_url
        or changes.get("set_spec", source.set_spec) != source.set_spec
    )
    if endpoint_changed:
        base_url = changes.get("base_url", source.base_url)
        URLValidator(schemes=["http", "https"])(base_url)
        facts, formats = identify_endpoint(base_url, client=client)
        set_spec = changes.get("set_spec", source.set_spec)
        prefix = choose_format(formats)
        taken = Source.objects.filter(
            base_url=base_url, metadata_prefix=prefix, set_spec=set_spec
        ).exclude(pk=source.pk)
        if taken.exists():
            raise ValidationError(_("This endpoint is already registered."), code="duplicate")
        apply_identify(source, facts, formats)
        source.metadata_prefix = prefix
        # A new place to read from: start again from the beginning.
        source.harvested_until = None
    for name, value in changes.items():
        if name == "name" and not (value or "").strip():
            continue
        setattr(source, name, value.strip() if isinstance(value, str) else value)
    if endpoint_changed and not by.has_perm("catalogue.moderate"):
        source.status = Source.Status.PENDING
        source.decided_by, source.decided_at = None, None
    harvested = source.status == Source.Status.APPROVED and source.is_active and source.is_oai
    if harvested and (endpoint_changed or source.next_harvest_at is None):
        source.next_harvest_at = timezone.now()
        _queue_harvest(source)
    source.save()
    return source


def withdraw_source(source, *, by, batch_size=500):
    """No more harvests; every record of the source is marked deleted (kept, with its
    history). Done in batches, each its own transaction, so a large source does not hold
    one long lock; running it again finishes an interrupted withdrawal."""
    from ..models import Record
    from .records import Incoming, store_items

    if not by.has_perm("catalogue.change_source", source):
        raise PermissionDenied
    with transaction.atomic():
        Source.objects.filter(pk=source.pk).update(
            status=Source.Status.WITHDRAWN, is_active=False, next_harvest_at=None
        )
    source.refresh_from_db()
    now = timezone.now()
    while True:
        identifiers = list(
            Record.objects.filter(source=source, deleted=False)
            .order_by("pk")
            .values_list("identifier", flat=True)[:batch_size]
        )
        if not identifiers:
            break
        store_items(source, [Incoming(identifier, now, deleted=True) for identifier in identifiers])
    return source


def add_manual_source(organization, name=""):
    """The organization's own records: one manual source per organization."""
    existing = Source.objects.filter(organization=organization, kind=Source.Kind.MANUAL).first()
    if existing:
        return existing
    name = name or str(organization)
    return Source.objects.create(
        organization=organization,
        kind=Source.Kind.MANUAL,
        name=name[:255],
        slug=unique_slug(Source, name),
        harvest_every_hours=0,
    )
