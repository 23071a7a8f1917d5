"""Read-side queries shared by the pages and the API, so both filter the same way."""

from django.db.models import Q

from coalition.core.translated import localized_columns

from .models import Organization, Person


def directory_organizations(
    *, q="", stakeholder_type="", region="", country="", working_group=None
):
    """Member organizations, filtered as the directory's form and the API allow."""
    organizations = Organization.objects.members()
    if stakeholder_type:
        organizations = organizations.filter(stakeholder_type=stakeholder_type)
    if region:
        organizations = organizations.filter(region=region)
    if country:
        organizations = organizations.filter(country=country)
    if working_group is not None:
        organizations = organizations.filter(working_groups=working_group)
    if q:
        match = Q(acronym__icontains=q)
        for column in localized_columns("name"):
            match |= Q(**{f"{column}__icontains": q})
        organizations = organizations.filter(match)
    return organizations.order_by("name_en", "pk")


def directory_people(*, q="", country="", working_group=None):
    """People who consented to a public profile; private fields are never selected."""
    people = Person.objects.public().only("name", "slug", "country")
    if country:
        people = people.filter(country=country)
    if working_group is not None:
        people = people.filter(
            group_memberships__working_group=working_group, group_memberships__status="active"
        )
    if q:
        people = people.filter(
            Q(name__icontains=q) | Q(affiliations__role_title__icontains=q)
        ).distinct()
    return people.order_by("name", "pk")
