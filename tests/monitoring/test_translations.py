"""The monitoring app speaks the six UN languages: its catalogue is complete in each."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.support.catalogues import LANGUAGES, catalogue_problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_keeps_the_placeholders(language):
    assert catalogue_problems("monitoring", language) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("es", "Informes nacionales sobre la Recomendación de 2019"),
        ("ru", "Национальные доклады о Рекомендации 2019 года"),
        ("zh-hans", "关于2019年建议书的国家报告"),
    ],
)
def test_reporting_page_is_translated(client, language, heading):
    with translation.override(language):
        url = reverse("monitoring:cycle-list")
    response = client.get(url)
    assert response.status_code == 200
    assert heading in response.content.decode()
