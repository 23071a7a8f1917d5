"""Lists written as each language writes them: "، " in Arabic, "、" in Chinese."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from coalition.recommendation.languages import join_list, list_separator
from tests.factories.activities import upcoming_event
from tests.factories.members import AffiliationFactory, OrganizationFactory, PersonFactory


@pytest.mark.parametrize(
    ("language", "separator"),
    [("en", ", "), ("fr", ", "), ("es", ", "), ("ru", ", "), ("ar", "، "), ("zh-hans", "、")],
)
def test_each_language_has_its_list_separator(language, separator):
    with translation.override(language):
        assert list_separator() == separator
        assert join_list(["UNESCO", "COL"]) == f"UNESCO{separator}COL"


@pytest.mark.django_db
def test_arabic_people_list_separates_role_and_affiliations_the_arabic_way(client):
    person = PersonFactory(name="Aissatou Dabo")
    for name in ("Ministry of Education", "UNESCO"):
        AffiliationFactory(
            person=person, organization=OrganizationFactory(name_en=name), role_title="Officer"
        )
    page = client.get(reverse("members:person-list").replace("/en/", "/ar/", 1)).text
    assert "Officer، " in page
    assert "؛ " in page
    assert "Officer, " not in page


@pytest.mark.django_db
def test_arabic_event_page_lists_its_organizations_with_the_arabic_comma(client):
    event = upcoming_event()
    event.organizations.add(OrganizationFactory(name_en="Commonwealth of Learning"))
    with translation.override("ar"):
        page = client.get(event.get_absolute_url()).text
    assert re.search(r'</a>، <a href="/ar/organizations/[^"]+/">', page)
    assert not re.search(r'</a>, <a href="/ar/organizations/[^"]+/">', page)
