"""The Coalition in figures: geographic distribution and gender balance, never a person."""

import gzip
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from pytest_django.asserts import assertInHTML

from coalition.core import charts
from coalition.members.models import (
    Organization,
    StakeholderType,
    WorkingGroupMembership,
)
from coalition.recommendation.regions import Region
from coalition.site.charts import dashboard_charts
from coalition.site.dashboard import coalition_figures, compute_figures, gender_category
from tests.factories.members import (
    AffiliationFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    working_group,
)

pytestmark = pytest.mark.django_db

CHAIR = WorkingGroupMembership.Role.CHAIR
RAPPORTEUR = WorkingGroupMembership.Role.RAPPORTEUR
MEMBER = WorkingGroupMembership.Role.MEMBER
ARABIC = re.compile("[\u0600-\u06ff]")
CHART_NAMES = [
    "regions",
    "map",
    "stakeholder-types",
    "gender-roles",
    "gender-groups",
    "catalogue-licences",
    "catalogue-languages",
    "catalogue-regions",
]


@pytest.fixture
def coalition():
    """Six member organizations in four countries and three regions, and two that are not."""
    OrganizationFactory(country="FR", stakeholder_type=StakeholderType.UNIVERSITY)
    OrganizationFactory(country="FR", stakeholder_type=StakeholderType.UNIVERSITY)
    OrganizationFactory(country="FR", stakeholder_type=StakeholderType.LIBRARY)
    OrganizationFactory(country="MG", stakeholder_type=StakeholderType.NATIONAL_COMMISSION)
    OrganizationFactory(country="ZA", stakeholder_type=StakeholderType.CIVIL_SOCIETY)
    OrganizationFactory(country="JO", stakeholder_type=StakeholderType.UNIVERSITY)
    OrganizationFactory(country="BR", status=Organization.Status.APPLIED, joined_on=None)
    OrganizationFactory(country="CL", status=Organization.Status.INACTIVE)


def members_of(group, role, genders, **person_kwargs):
    people = []
    for gender in genders:
        person = PersonFactory(gender=gender, **person_kwargs)
        MembershipFactory(working_group=group, person=person, role=role)
        people.append(person)
    return people


def svg_of(client, name, language="en", **headers):
    response = client.get(f"/{language}/dashboard/{name}.svg", **headers)
    assert response.status_code == 200
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return body.decode("utf-8")


def external_urls(text):
    """http(s) URLs other than XML namespace names (which name, and never load, anything)."""
    namespaces = set(re.findall(r'xmlns(?::\w+)?="([^"]+)"', text))
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", text))
    return {url for url in urls - namespaces if not url.startswith("http://testserver/")}


# Geographic distribution


def test_figures_count_member_organizations_by_region_type_and_country(coalition):
    figures = compute_figures()

    assert figures.organizations == 6
    assert figures.countries == 4
    assert figures.regions == 3
    assert {bar.code: bar.count for bar in figures.by_region} == {
        Region.AFRICA: 2,
        Region.ARAB_STATES: 1,
        Region.ASIA_PACIFIC: 0,
        Region.EUROPE_NORTH_AMERICA: 3,
        Region.LATIN_AMERICA_CARIBBEAN: 0,
    }
    by_type = {bar.code: bar.count for bar in figures.by_type}
    assert by_type[StakeholderType.UNIVERSITY] == 3
    assert by_type[StakeholderType.LIBRARY] == 1
    assert by_type[StakeholderType.NATIONAL_COMMISSION] == 1
    assert by_type[StakeholderType.CIVIL_SOCIETY] == 1
    assert by_type[StakeholderType.IGO] == 0
    assert sum(by_type.values()) == 6
    assert [(c.code, c.count) for c in figures.by_country] == [
        ("FR", 3),
        ("JO", 1),
        ("MG", 1),
        ("ZA", 1),
    ]


def test_figures_count_countries_outside_the_five_regions_apart():
    OrganizationFactory(country="HK")
    figures = compute_figures()
    assert figures.regions == 0
    assert figures.by_region[-1].code == ""
    assert figures.by_region[-1].count == 1


def test_dashboard_page_shows_headline_figures_and_tables(client, coalition):
    MembershipFactory()
    page = client.get("/en/dashboard/").text

    assertInHTML("<div><dt>Member organizations</dt><dd>6</dd></div>", page)
    assertInHTML("<div><dt>Countries</dt><dd>4</dd></div>", page)
    assertInHTML("<div><dt>UNESCO regions represented</dt><dd>3 of 5</dd></div>", page)
    assertInHTML("<div><dt>People taking part</dt><dd>1</dd></div>", page)
    assertInHTML("<div><dt>Working groups</dt><dd>5</dd></div>", page)
    assertInHTML('<tr><th scope="row">Africa</th><td class="number">2</td></tr>', page)
    assertInHTML(
        '<tr><th scope="row">Europe and North America</th><td class="number">3</td></tr>', page
    )
    assertInHTML('<tr><th scope="row">University</th><td class="number">3</td></tr>', page)
    assertInHTML(
        '<tr><th scope="row">France</th><td>Europe and North America</td>'
        '<td class="number">3</td></tr>',
        page,
    )


def test_every_chart_has_an_image_with_alt_text_and_a_captioned_table(client, coalition):
    page = client.get("/en/dashboard/").text

    images = re.findall(r"<img [^>]*>", page)
    assert len(images) == len(CHART_NAMES)
    for name in CHART_NAMES:
        assert f'src="/en/dashboard/{name}.svg?v=' in page
    assert all(re.search(r'alt="[^"]{20,}"', image) for image in images)
    assert page.count("<table>") == page.count("<caption>") == len(CHART_NAMES)
    assert "<th>" not in page  # every header cell says what it heads
    assert '<th scope="rowgroup" rowspan="3">' in page


def test_people_count_members_of_groups_and_staff_of_member_organizations(coalition):
    MembershipFactory()
    MembershipFactory(status=WorkingGroupMembership.Status.REQUESTED)
    AffiliationFactory(organization=Organization.objects.members().first())
    AffiliationFactory(organization=Organization.objects.get(country="BR"))
    both = PersonFactory()
    MembershipFactory(person=both)
    AffiliationFactory(person=both, organization=Organization.objects.members().last())

    assert compute_figures().people == 3


# The world map


def test_map_shades_countries_with_member_organizations(client, coalition):
    svg = svg_of(client, "map")

    assert svg.startswith("<svg")
    for code in ("fr", "mg", "za", "jo"):
        assert re.search(rf'class="{code} country map-element color-\d serie-\d series"', svg)
    # Applied and inactive organizations are not members: their countries stay blank.
    assert 'class="br country map-element"' in svg
    assert 'class="cl country map-element"' in svg
    assert "France: 3" in svg
    assert "<script" not in svg


def test_map_response_is_cacheable_svg_and_versioned_by_its_data(client, coalition):
    response = client.get("/en/dashboard/map.svg")
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert "public" in response["Cache-Control"]
    assert "max-age=300" in response["Cache-Control"]
    assert "default-src 'none'" in response["Content-Security-Policy"]

    page = client.get("/en/dashboard/").text
    versioned = re.search(r'src="(/en/dashboard/map\.svg\?v=\w+)"', page).group(1)
    response = client.get(versioned)
    assert "max-age=86400" in response["Cache-Control"]

    again = client.get(versioned, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_map_is_sent_gzipped_to_browsers_that_accept_it(client, coalition):
    plain = client.get("/en/dashboard/map.svg")
    zipped = client.get("/en/dashboard/map.svg", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 2


def test_map_is_drawn_once_until_its_figures_change(client, coalition, monkeypatch):
    drawn = []
    draw_map = charts.DRAW["map"]
    monkeypatch.setitem(charts.DRAW, "map", lambda spec: drawn.append(1) or draw_map(spec))

    svg_of(client, "map")
    svg_of(client, "map")
    assert len(drawn) == 1

    before = dashboard_charts(compute_figures())
    OrganizationFactory(country="KE")
    after = dashboard_charts(compute_figures())
    assert after["map"].digest != before["map"].digest
    assert after["gender-roles"].digest == before["gender-roles"].digest


def test_unknown_chart_is_not_found(client):
    assert client.get("/en/dashboard/salaries.svg").status_code == 404


# Gender balance


def test_gender_category_reports_prefer_not_to_say_and_blank_as_not_stated():
    assert gender_category("woman") == "woman"
    assert gender_category("non-binary") == "non-binary"
    assert gender_category("prefer-not-to-say") == "not-stated"
    assert gender_category("") == "not-stated"


def test_gender_counts_per_working_group_and_role(settings):
    settings.DASHBOARD_GENDER_MIN_GROUP_SIZE = 1
    capacity, policy = working_group("capacity-building"), working_group("supportive-policy")
    members_of(capacity, MEMBER, ["woman", "woman", "man", "non-binary", "prefer-not-to-say", ""])
    members_of(capacity, CHAIR, ["woman", "man"])
    members_of(capacity, RAPPORTEUR, ["woman"])
    members_of(policy, MEMBER, ["man", "man"])
    members_of(policy, CHAIR, ["woman"])
    # Neither requested nor declined memberships count.
    MembershipFactory(working_group=policy, status=WorkingGroupMembership.Status.REQUESTED)
    MembershipFactory(working_group=policy, status=WorkingGroupMembership.Status.DECLINED)

    figures = compute_figures()
    groups = {group.slug: group for group in figures.gender_by_group}
    assert groups["capacity-building"].row(MEMBER).counts == {
        "woman": 2,
        "man": 1,
        "non-binary": 1,
        "not-stated": 2,
    }
    assert groups["capacity-building"].row(MEMBER).total == 6
    assert groups["capacity-building"].row(CHAIR).cells == [1, 1, 0, 0]
    assert groups["capacity-building"].row(RAPPORTEUR).cells == [1, 0, 0, 0]
    assert groups["supportive-policy"].row(MEMBER).cells == [0, 2, 0, 0]
    assert groups["supportive-policy"].row(CHAIR).cells == [1, 0, 0, 0]
    assert groups["sustainability-models"].row(MEMBER).total == 0
    by_role = {row.role: row for row in figures.gender_by_role}
    assert by_role[CHAIR].cells == [2, 1, 0, 0]
    assert by_role[RAPPORTEUR].cells == [1, 0, 0, 0]
    assert by_role[MEMBER].cells == [2, 3, 1, 2]


def test_coalition_wide_figures_count_a_person_in_two_groups_once(settings):
    settings.DASHBOARD_GENDER_MIN_GROUP_SIZE = 1
    person = PersonFactory(gender="woman")
    MembershipFactory(working_group=working_group("capacity-building"), person=person)
    MembershipFactory(working_group=working_group("supportive-policy"), person=person)

    by_role = {row.role: row for row in compute_figures().gender_by_role}
    assert by_role[MEMBER].total == 1


def test_gender_breakdown_of_a_small_group_is_withheld():
    capacity = working_group("capacity-building")
    members_of(capacity, CHAIR, ["woman"])
    members_of(capacity, MEMBER, ["woman", "man", "man", "woman", ""])

    figures = compute_figures()
    group = figures.gender_by_group[0]
    assert group.row(CHAIR).withheld
    assert group.row(CHAIR).counts == {}
    assert group.row(CHAIR).total == 1
    assert not group.row(MEMBER).withheld
    by_role = {row.role: row for row in figures.gender_by_role}
    assert by_role[CHAIR].withheld
    assert not by_role[MEMBER].withheld


def test_a_withheld_breakdown_cannot_be_recovered_by_subtraction():
    members_of(working_group("capacity-building"), MEMBER, ["woman"] * 6)
    members_of(working_group("supportive-policy"), MEMBER, ["man"] * 2)
    members_of(working_group("sustainability-models"), MEMBER, ["woman"] * 4 + ["man"] * 4)

    figures = compute_figures()
    rows = {group.slug: group.row(MEMBER) for group in figures.gender_by_group}
    assert rows["supportive-policy"].withheld
    # Coalition-wide minus the others would give the small group: the smallest other
    # group is withheld too, so only a breakdown of 8 people can be worked out.
    assert rows["capacity-building"].withheld
    assert not rows["sustainability-models"].withheld
    by_role = {row.role: row for row in figures.gender_by_role}
    assert by_role[MEMBER].cells == [10, 6, 0, 0]


def test_coalition_wide_breakdown_is_withheld_when_nothing_else_can_cover_a_small_group():
    members_of(working_group("capacity-building"), MEMBER, ["woman", "man"])

    by_role = {row.role: row for row in compute_figures().gender_by_role}
    assert by_role[MEMBER].withheld
    assert by_role[MEMBER].total == 2


def test_dashboard_page_shows_gender_counts_and_withheld_rows(client):
    capacity = working_group("capacity-building")
    members_of(capacity, MEMBER, ["woman", "woman", "woman", "man", "man", "", "prefer-not-to-say"])
    members_of(capacity, CHAIR, ["woman"])

    page = client.get("/en/dashboard/").text
    assertInHTML(
        '<tr><th scope="row">Members</th><td class="number">3</td><td class="number">2</td>'
        '<td class="number">0</td><td class="number">2</td><td class="number">7</td></tr>',
        page,
        count=2,  # Coalition-wide, and in the capacity-building group
    )
    withheld = (
        '<th scope="row">Chairs</th><td colspan="4" class="withheld">'
        'Withheld to protect privacy</td><td class="number">1</td>'
    )
    assertInHTML(f"<tr>{withheld}</tr>", page)  # Coalition-wide
    assertInHTML(
        '<tr><th scope="rowgroup" rowspan="3">'
        '<a href="/en/working-groups/capacity-building/">Capacity building</a></th>'
        f"{withheld}</tr>",
        page,
    )


def test_no_persons_gender_appears_on_the_page_or_in_the_charts(client, coalition):
    capacity = working_group("capacity-building")
    chair = members_of(capacity, CHAIR, ["non-binary"], name="Amina Rakotoarisoa")[0]
    members = members_of(capacity, MEMBER, ["woman", "man", "prefer-not-to-say", "woman"])
    people = [chair, *members]

    texts = [client.get("/en/dashboard/").text]
    texts += [svg_of(client, name) for name in CHART_NAMES]
    for text in texts:
        for person in people:
            assert person.name not in text
            assert person.slug not in text
        assert "prefer-not-to-say" not in text
        assert "Non-binary: 1" not in text
    # The lone chair is counted, but not by gender.
    assert "Chairs (withheld)" in svg_of(client, "gender-roles")


# Languages, speed and self-containment


def test_dashboard_renders_in_arabic_right_to_left_with_arabic_labels(client, coalition):
    page = client.get("/ar/dashboard/").text
    assert 'lang="ar"' in page
    assert 'dir="rtl"' in page
    with translation.override("ar"):
        africa = str(Region.AFRICA.label)
        map_title = translation.gettext("Member organizations by country")
        withheld = translation.gettext("Withheld to protect privacy")
    assert all(ARABIC.search(text) for text in (africa, map_title, withheld))
    assert africa in page
    assert "مدغشقر" in page  # Madagascar, as django-countries names it in Arabic
    assert 'src="/ar/dashboard/map.svg?v=' in page

    svg = svg_of(client, "map", language="ar")
    assert "مدغشقر: 1" in svg
    assert map_title in svg
    assert africa in svg_of(client, "regions", language="ar")


def test_figures_are_cached_per_language(coalition, django_assert_num_queries):
    coalition_figures()
    with django_assert_num_queries(1):  # the members' version, nothing else
        coalition_figures()
    with translation.override("fr"):
        assert coalition_figures().by_country[0].name == "France"
    with translation.override("ar"):
        assert coalition_figures().by_country[0].name == "فرنسا"


def dashboard_queries(client):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/en/dashboard/").status_code == 200
    return len(queries)


def test_dashboard_query_count_does_not_grow_with_the_coalition(client):
    OrganizationFactory()
    members_of(working_group(), MEMBER, ["woman"])
    few = dashboard_queries(client)

    for country in ["MG", "ZA", "JO", "BR", "IN", "JP", "CA", "KE", "EG", "MX"]:
        organization = OrganizationFactory(country=country)
        AffiliationFactory(organization=organization)
    for slug in ["capacity-building", "supportive-policy", "sustainability-models"]:
        members_of(working_group(slug), MEMBER, ["woman", "man", "", "non-binary", "man"])
        members_of(working_group(slug), CHAIR, ["woman", "man"])
    many = dashboard_queries(client)

    assert few == many
    assert many <= 12  # the catalogue's figures: its search's facet counts


def test_charts_need_one_query_once_the_page_has_computed_the_figures(client, coalition):
    client.get("/en/dashboard/")
    with CaptureQueriesContext(connection) as queries:
        for name in CHART_NAMES:
            svg_of(client, name)
    assert len(queries) == len(CHART_NAMES)  # each the members' version, nothing else


def test_figures_follow_a_change_of_the_members_at_once(coalition):
    before = coalition_figures().organizations
    OrganizationFactory()
    assert coalition_figures().organizations == before + 1


def test_page_and_charts_load_nothing_from_other_hosts(client, coalition):
    members_of(working_group(), MEMBER, ["woman"] * 5)
    for language in ["en", "ar"]:
        page = client.get(f"/{language}/dashboard/").text
        assert external_urls(page) == set()
        for name in CHART_NAMES:
            svg = svg_of(client, name, language=language)
            assert external_urls(svg) == set()
            assert "<script" not in svg
            assert "<!--" not in svg


def test_dashboard_renders_before_there_is_any_member(client):
    response = client.get("/en/dashboard/")
    assert response.status_code == 200
    assertInHTML("<div><dt>Member organizations</dt><dd>0</dd></div>", response.text)
    assert "No figures yet" in svg_of(client, "map")
