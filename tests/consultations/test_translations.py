"""The consultations app speaks the six UN languages: its catalogue is complete in each."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.support.catalogues import LANGUAGES, catalogue_problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_is_complete_and_keeps_the_placeholders(language):
    assert catalogue_problems("consultations", language) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "Aún no se ha publicado ninguna consulta."),
        ("ru", "Ни одна консультация ещё не опубликована."),
        ("zh-hans", "尚未发布任何磋商。"),
    ],
)
def test_consultation_list_is_translated(client, language, text):
    with translation.override(language):
        url = reverse("consultations:consultation-list")
    response = client.get(url)
    assert response.status_code == 200
    assert text in response.content.decode()
