import pytest
from django_countries import countries

from coalition.recommendation.action_areas import ACTION_AREA_SHORT_TITLES, ACTION_AREA_TITLES
from coalition.recommendation.content import content_in
from coalition.recommendation.languages import UN_LANGUAGES, is_rtl
from coalition.recommendation.models import ActionArea
from coalition.recommendation.regions import (
    _MEMBERS_BY_REGION,
    REGION_OF_COUNTRY,
    Region,
    region_for_country,
)
from tests.factories.members import OrganizationFactory


def test_every_mapped_code_is_a_real_country():
    assert all(code in countries for code in REGION_OF_COUNTRY)


def test_no_country_is_in_two_regions():
    listed = [code for codes in _MEMBERS_BY_REGION.values() for code in codes.split()]
    assert len(listed) == len(set(listed))


def test_all_member_states_have_a_region():
    # UNESCO has 194 Member States; the mapping also holds Associate Members and observers.
    assert len(REGION_OF_COUNTRY) >= 194
    assert {region_for_country(c) for c in REGION_OF_COUNTRY} == set(Region.values)


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("MG", "africa"),
        ("EG", "arab-states"),
        ("JP", "asia-pacific"),
        ("ch", "europe-north-america"),
        ("BR", "latin-america-caribbean"),
        ("XX", ""),
    ],
)
def test_region_for_country(code, region):
    assert region_for_country(code) == region


def test_action_areas_have_titles_in_six_un_languages():
    for titles in (*ACTION_AREA_TITLES.values(), *ACTION_AREA_SHORT_TITLES.values()):
        assert set(titles) == set(UN_LANGUAGES)
        assert all(title.strip() for title in titles.values())


@pytest.mark.django_db
def test_action_areas_are_in_the_database_after_migrate():
    assert list(ActionArea.objects.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    assert ActionArea.objects.get(number=2).title_fr == "Élaborer des politiques de soutien"


def test_arabic_is_right_to_left():
    assert is_rtl("ar") and not is_rtl("fr") and not is_rtl("zh-hans")


@pytest.mark.django_db
class TestContentFallback:
    def test_value_in_requested_language(self):
        organization = OrganizationFactory(name_en="University", name_fr="Université")
        content = content_in(organization, "name", "fr")
        assert (content.value, content.language, content.is_fallback) == ("Université", "fr", False)

    def test_falls_back_in_fixed_order_and_says_so(self):
        organization = OrganizationFactory(name_en="", name="", description_fr="<p>Bonjour</p>")
        content = content_in(organization, "description", "ar")
        assert content.value == "<p>Bonjour</p>"
        assert content.language == "fr" and content.is_fallback
        assert 'lang="fr"' in content.__html__()

    def test_empty_everywhere_is_empty_not_fallback(self):
        organization = OrganizationFactory()
        content = content_in(organization, "description", "ru")
        assert content.value == "" and not content.is_fallback

    def test_fallback_text_is_escaped(self):
        organization = OrganizationFactory(name_en="<b>Bold</b>")
        assert "<b>" not in content_in(organization, "name", "ar").__html__()


@pytest.mark.django_db
def test_fallback_mark_survives_a_template_variable():
    from django.template import Context, Template

    organization = OrganizationFactory(name_en="", name="", name_fr="Université de Genève")
    rendered = Template('{% load hub %}{% content org "name" as name %}<h1>{{ name }}</h1>').render(
        Context({"org": organization})
    )
    assert '<span lang="fr" dir="ltr">Université de Genève</span>' in rendered
    assert 'class="lang-mark"' in rendered
