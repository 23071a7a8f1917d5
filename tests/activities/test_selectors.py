"""The shared read queries behind the activity lists, feeds and API."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coalition.activities import selectors
from coalition.activities.models import Activity
from tests.factories.activities import published_activity
from tests.factories.members import OrganizationFactory

pytestmark = pytest.mark.django_db

SOON = timezone.now() + timezone.timedelta(days=10)


def upcoming(**overrides):
    return published_activity(
        starts_at=SOON.isoformat(),
        ends_at=(SOON + timezone.timedelta(hours=1)).isoformat(),
        **overrides,
    )


class TestFilters:
    def test_an_activity_matching_a_filter_several_ways_is_listed_once(self):
        # Two African countries and two languages: joins would give four rows.
        event = upcoming(countries=["MG", "KE"], languages=["en", "fr"], action_areas=[1, 2])
        found = selectors.upcoming_events(region="africa", action_area=1)
        assert list(found) == [event]
        assert found.count() == 1

    def test_filters_combine_as_and(self):
        both = upcoming(title_en="Both", countries=["EG"], languages=["ar"])
        upcoming(title_en="Only Arabic", countries=["FR"], languages=["ar"])
        upcoming(title_en="Only Egypt", countries=["EG"], languages=["en"])
        language = both.languages.get(code="ar")
        assert list(selectors.upcoming_events(country="EG", language=language)) == [both]

    def test_organization_filter_reads_every_organization_of_an_activity(self):
        partner = OrganizationFactory()
        shared = upcoming()
        shared.organizations.add(partner)
        upcoming()
        assert list(selectors.published_activities(organization=partner)) == [shared]

    def test_unpublished_activities_are_never_listed(self):
        listed = upcoming()
        unpublished = upcoming()
        Activity.objects.filter(pk=unpublished.pk).update(published_at=None)
        assert list(selectors.published_activities()) == [listed]


class TestForListing:
    def test_rows_carry_their_organizations_and_action_areas_as_lists(self):
        organization = OrganizationFactory(name_en="Ministry of Education")
        upcoming(organization=organization, action_areas=[5, 2])
        row = selectors.for_listing(selectors.upcoming_events()).get()
        assert [o.name_en for o in row.listed_organizations] == ["Ministry of Education"]
        assert [area.number for area in row.listed_action_areas] == [2, 5]

    def test_a_page_of_rows_costs_three_queries_however_many_rows(self):
        for _ in range(4):
            upcoming()
        with CaptureQueriesContext(connection) as queries:
            rows = list(selectors.for_listing(selectors.upcoming_events())[:25])
            for row in rows:
                _ = row.listed_organizations, row.listed_action_areas
        assert len(rows) == 4
        assert len(queries.captured_queries) == 3
