"""Figures for the Coalition's guiding principles: geographic distribution and gender balance.

Every figure is an aggregate computed by a few GROUP BY queries, whatever the number of
organizations or people, and cached briefly per language (labels are translated here).

Gender is private (see `Person`): only counts leave this module, never a person. Counts
of a small set of people would still name someone's gender (a working group has one
rapporteur, whose name is public on the group's page), so a gender breakdown of fewer
than `min_group_size()` people is withheld, and so is any breakdown from which a
withheld one could be worked out by subtraction.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Exists, OuterRef
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django_countries import countries

from coalition.core import page_cache
from coalition.members.models import (
    Affiliation,
    Gender,
    Organization,
    Person,
    StakeholderType,
    WorkingGroup,
    WorkingGroupMembership,
)
from coalition.recommendation.content import content_in
from coalition.recommendation.regions import Region

FIGURES_CACHE_SECONDS = 60
# Bump when the shape of `Figures` changes, so a deploy never reads an old pickle.
FIGURES_FORMAT = 1

NOT_STATED = "not-stated"
GENDER_CATEGORIES = (Gender.WOMAN.value, Gender.MAN.value, Gender.NON_BINARY.value, NOT_STATED)
ROLES = (
    WorkingGroupMembership.Role.CHAIR.value,
    WorkingGroupMembership.Role.RAPPORTEUR.value,
    WorkingGroupMembership.Role.MEMBER.value,
)


def min_group_size():
    """Fewest people whose gender breakdown may be published (settings can raise it)."""
    return max(1, int(getattr(settings, "DASHBOARD_GENDER_MIN_GROUP_SIZE", 5)))


def gender_labels():
    """Column headings and chart series, in the order of `GENDER_CATEGORIES`."""
    return {
        Gender.WOMAN.value: _("Women"),
        Gender.MAN.value: _("Men"),
        Gender.NON_BINARY.value: _("Non-binary"),
        NOT_STATED: _("Not stated"),
    }


def role_labels():
    return {
        WorkingGroupMembership.Role.CHAIR.value: _("Chairs"),
        WorkingGroupMembership.Role.RAPPORTEUR.value: _("Rapporteurs"),
        WorkingGroupMembership.Role.MEMBER.value: pgettext("working group role", "Members"),
    }


def gender_category(value):
    """Reports "prefer not to say", a blank and any unknown value alike, as not stated."""
    return value if value in GENDER_CATEGORIES and value != NOT_STATED else NOT_STATED


@dataclass(frozen=True)
class Bar:
    """One category of a bar chart: a region or a stakeholder type."""

    code: str
    label: str
    count: int


@dataclass(frozen=True)
class CountryCount:
    code: str
    name: str
    region: str
    count: int


@dataclass
class GenderRow:
    """How many people hold a role, and by gender unless the breakdown is withheld."""

    role: str
    label: str
    total: int
    counts: dict
    withheld: bool = False

    @property
    def cells(self):
        """Counts in the order of the table's columns; empty when withheld."""
        return [] if self.withheld else [self.counts.get(c, 0) for c in GENDER_CATEGORIES]


@dataclass
class GroupGender:
    slug: str
    number: int
    name: object  # a `Content`: the group's name, marked when it is a fallback
    rows: list

    @property
    def short_name(self):
        return str(self.name)

    def row(self, role):
        return next(row for row in self.rows if row.role == role)


@dataclass
class Figures:
    organizations: int
    countries: int
    regions: int
    people: int
    working_groups: int
    by_region: list
    by_type: list
    by_country: list
    gender_by_role: list
    gender_by_group: list
    min_group_size: int

    @property
    def all_regions(self):
        return len(Region.choices)


def coalition_figures():
    """The dashboard's figures in the active language, cached for a minute under the
    members' version (`core.page_cache`), so that a change of the members shows at once."""
    (version,) = page_cache.versions(["members"])
    language = get_language() or settings.LANGUAGE_CODE
    key = f"dashboard:figures:{FIGURES_FORMAT}:{language}:{version}"
    figures = cache.get(key)
    if figures is None:
        figures = compute_figures()
        cache.set(key, figures, FIGURES_CACHE_SECONDS)
    return figures


def compute_figures():
    members = Organization.objects.members().order_by()

    region_counts = dict(members.values_list("region").annotate(n=Count("pk")))
    by_region = [
        Bar(code, str(label), region_counts.get(code, 0)) for code, label in Region.choices
    ]
    if region_counts.get(""):
        # Countries and territories outside UNESCO's five regional groups.
        by_region.append(Bar("", _("Other countries and territories"), region_counts[""]))

    type_counts = dict(members.values_list("stakeholder_type").annotate(n=Count("pk")))
    by_type = [
        Bar(code, str(label), type_counts.get(code, 0)) for code, label in StakeholderType.choices
    ]

    region_names = {code: str(label) for code, label in Region.choices}
    by_country = sorted(
        (
            CountryCount(
                code=str(country),
                name=countries.name(country) or str(country),
                region=region_names.get(region, _("Other countries and territories")),
                count=n,
            )
            for country, region, n in members.values_list("country", "region").annotate(
                n=Count("pk")
            )
        ),
        key=lambda c: (-c.count, c.name),
    )

    active = WorkingGroupMembership.objects.filter(
        status=WorkingGroupMembership.Status.ACTIVE
    ).order_by()
    people = (
        Person.objects.filter(
            Exists(active.filter(person=OuterRef("pk")))
            | Exists(
                Affiliation.objects.filter(
                    person=OuterRef("pk"), organization__status=Organization.Status.MEMBER
                )
            )
        )
        .order_by()
        .count()
    )

    groups = list(WorkingGroup.objects.order_by("action_area_id"))
    gender_by_role, gender_by_group = _gender_figures(active, groups)

    return Figures(
        organizations=sum(region_counts.values()),
        countries=len(by_country),
        regions=sum(1 for bar in by_region if bar.code and bar.count),
        people=people,
        working_groups=len(groups),
        by_region=by_region,
        by_type=by_type,
        by_country=by_country,
        gender_by_role=gender_by_role,
        gender_by_group=gender_by_group,
        min_group_size=min_group_size(),
    )


def _gender_figures(active, groups):
    roles = role_labels()

    def empty_row(role):
        return GenderRow(role=role, label=roles[role], total=0, counts={})

    # Memberships per group and role (a person is in a group once).
    by_group = {group.pk: {role: empty_row(role) for role in ROLES} for group in groups}
    for group_id, role, gender, n in active.values_list(
        "working_group_id", "role", "person__gender"
    ).annotate(n=Count("pk")):
        row = by_group.get(group_id, {}).get(role)
        if row is not None:
            _add(row, gender, n)

    # Across the Coalition, people rather than memberships: one person chairing two
    # groups is one chair.
    by_role = {role: empty_row(role) for role in ROLES}
    for role, gender, n in active.values_list("role", "person__gender").annotate(
        n=Count("person", distinct=True)
    ):
        if role in by_role:
            _add(by_role[role], gender, n)

    _withhold_small_breakdowns(by_role, by_group, min_group_size())

    gender_by_group = [
        GroupGender(
            slug=group.slug,
            number=group.action_area_id,
            name=content_in(group, "name"),
            rows=[by_group[group.pk][role] for role in ROLES],
        )
        for group in groups
    ]
    return [by_role[role] for role in ROLES], gender_by_group


def _add(row, gender, n):
    category = gender_category(gender)
    row.counts[category] = row.counts.get(category, 0) + n
    row.total += n


def _withhold_small_breakdowns(by_role, by_group, k):
    """Withhold breakdowns of fewer than k people, and those that would reveal them.

    For each role the Coalition-wide row is about the sum of the groups' rows, so the
    withheld rows together could be recovered by subtraction: withhold more rows, the
    smallest first, until the withheld ones add up to at least k people, or else
    withhold the Coalition-wide row too.
    """
    for role, overall in by_role.items():
        cells = [rows[role] for rows in by_group.values()]
        withheld = [row for row in cells if 0 < row.total < k]
        if withheld:
            shown = sorted((row for row in cells if row.total >= k), key=lambda r: r.total)
            while sum(row.total for row in withheld) < k and shown:
                withheld.append(shown.pop(0))
            if sum(row.total for row in withheld) < k:
                overall.withheld = True
        for row in withheld:
            row.withheld = True
        if 0 < overall.total < k:
            overall.withheld = True
    for rows in [by_role, *by_group.values()]:
        for row in rows.values():
            if row.withheld:
                # Drop the numbers, not just hide them: nothing downstream can leak them.
                row.counts = {}


# The catalogue ---------------------------------------------------------------------------

# Languages shown one by one; the others are added up in one bar.
CATALOGUE_LANGUAGES_SHOWN = 10
OTHER = "other"


@dataclass
class CatalogueFigures:
    """OER in the catalogue (one entry per OER, as its search counts them), by licence
    class, by language and by the UNESCO region of the organizations whose sources hold
    them. An OER in two languages, or held in two regions, counts in each."""

    total: int
    by_licence: list
    by_language: list
    by_region: list


def catalogue_figures():
    """The catalogue's figures in the active language, cached like the members' (the
    counts themselves come from the catalogue search's facet counts, kept until the
    catalogue's index changes)."""
    language = get_language() or settings.LANGUAGE_CODE
    key = f"dashboard:catalogue:{FIGURES_FORMAT}:{language}"
    figures = cache.get(key)
    if figures is None:
        figures = compute_catalogue_figures()
        cache.set(key, figures, FIGURES_CACHE_SECONDS)
    return figures


def compute_catalogue_figures():
    from coalition.catalogue.models import LicenceClass
    from coalition.catalogue.selectors import dashboard_counts
    from coalition.recommendation.languages import language_name

    counts = dashboard_counts()
    total = counts.pop("total", None)
    licence = dict(counts["licence"])
    by_licence = [
        Bar(code, str(label), licence.get(code, 0)) for code, label in LicenceClass.choices
    ]
    if total is None:
        total = sum(bar.count for bar in by_licence)
    languages = sorted(counts["language"], key=lambda pair: (-pair[1], pair[0]))
    by_language = [
        Bar(code, language_name(code) or code, n)
        for code, n in languages[:CATALOGUE_LANGUAGES_SHOWN]
    ]
    rest = sum(n for _code, n in languages[CATALOGUE_LANGUAGES_SHOWN:])
    if rest:
        by_language.append(Bar(OTHER, _("Other languages"), rest))
    region = dict(counts["region"])
    by_region = [Bar(code, str(label), region.get(code, 0)) for code, label in Region.choices]
    return CatalogueFigures(
        total=total, by_licence=by_licence, by_language=by_language, by_region=by_region
    )
