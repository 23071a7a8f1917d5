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
"""

from django.core.exceptions import ValidationError
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
    client = client or make_client(Source(base_url=base_url))
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
):
    URLValidator(schemes=["http", "https"])(base_url)
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
        )
        apply_identify(source, facts, formats)
        source.name = (name or source.repository_name or base_url)[:255]
        source.slug = unique_slug(Source, source.name)
        source.save()
        if harvest_now:
            task = import_string("coalition.catalogue.tasks.harvest")
            transaction.on_commit(lambda: task.enqueue(source.pk))
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
