"""What the Hub already knows of a country, per action area, proposed as evidence.

For an evidence question of an action area's section: the approved (published) activities
of the country's member organizations tagged with that area; the country's member
organizations taking part in the area's working group; and, when the catalogue is
installed, the catalogue sources of the country's organizations with their record
counts. A proposal that was kept or dropped is not proposed again.
"""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from coalition.activities.models import Activity
from coalition.members.models import Organization, WorkingGroup
from coalition.recommendation.content import content_in

from ..models import Evidence

MAX_ACTIVITIES = 25


@dataclass(frozen=True)
class Proposal:
    ref: str
    kind: str
    title: str
    url: str
    detail: str = ""

    @property
    def kind_label(self):
        return Evidence.Kind(self.kind).label


def _activities(country, area):
    activities = (
        Activity.objects.published()
        .filter(
            organizations__country=country,
            organizations__status=Organization.Status.MEMBER,
            action_areas=area,
        )
        .distinct()
        .order_by("-published_at", "-pk")[:MAX_ACTIVITIES]
    )
    for activity in activities:
        yield Proposal(
            f"activity:{activity.pk}",
            Evidence.Kind.ACTIVITY,
            str(content_in(activity, "title")),
            activity.get_absolute_url(),
            activity.get_kind_display(),
        )


def _working_group(country, area):
    group = WorkingGroup.objects.filter(action_area=area).first()
    if group is None:
        return
    members = group.organizations.filter(country=country, status=Organization.Status.MEMBER)
    for organization in members.order_by("name"):
        yield Proposal(
            f"working-group:{group.pk}:{organization.pk}",
            Evidence.Kind.WORKING_GROUP,
            _("%(organization)s takes part in the working group “%(group)s”")
            % {
                "organization": content_in(organization, "name"),
                "group": content_in(group, "name"),
            },
            group.get_absolute_url(),
        )


def _catalogue(country, area):
    if not apps.is_installed("coalition.catalogue"):
        return
    from coalition.catalogue.models import Source

    sources = (
        Source.objects.filter(organization__country=country)
        .annotate(
            area_records=Count(
                "records", filter=Q(records__deleted=False, records__action_areas=area)
            )
        )
        .filter(area_records__gt=0)
        .select_related("organization")
        .order_by("name")
    )
    for source in sources:
        yield Proposal(
            f"catalogue:{source.pk}",
            Evidence.Kind.CATALOGUE,
            _("Catalogue source “%(source)s” (%(organization)s)")
            % {"source": source.name, "organization": content_in(source.organization, "name")},
            source.base_url or "",
            _("%(count)s records in this area") % {"count": source.area_records},
        )


def proposals(report, question):
    """Proposals for one evidence question, minus those already kept or dropped."""
    area = question.section.action_area_id
    if area is None:
        return []
    decided = set(
        Evidence.objects.filter(report=report, question=question)
        .exclude(ref="")
        .values_list("ref", flat=True)
    )
    country = str(report.country)
    found = [
        *_activities(country, area),
        *_working_group(country, area),
        *_catalogue(country, area),
    ]
    return [proposal for proposal in found if proposal.ref not in decided]


def proposal_by_ref(report, question, ref):
    for proposal in proposals(report, question):
        if proposal.ref == ref:
            return proposal
    return None
