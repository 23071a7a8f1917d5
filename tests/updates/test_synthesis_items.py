"""The Update's "National reports" can link a published synthesis of the national reports:
offered when composing, added by the secretariat, rendered in every edition with a link to
the synthesis page (absolute in the mails), and left out again if it is unpublished."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import override

from coalition.core.mail import absolute_url
from coalition.monitoring.services.synthesis import publish_synthesis, synthesis_for
from coalition.updates.models import SectionKind
from coalition.updates.rendering import render_edition, render_web
from coalition.updates.services import composing
from tests.factories import monitoring as factories
from tests.factories.members import SecretariatFactory
from tests.factories.updates import march_2023

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return SecretariatFactory()


@pytest.fixture
def issue(secretariat):
    return march_2023(by=secretariat)


@pytest.fixture
def synthesis():
    cycle = factories.open_cycle(
        titles={"en": "November 2019 – 2023", "fr": "Novembre 2019 – 2023"}
    )
    found = synthesis_for(cycle)
    publish_synthesis(found)
    return found


def test_only_published_syntheses_are_offered(issue, synthesis):
    draft = synthesis_for(factories.open_cycle())
    assert list(composing.candidate_syntheses(issue)) == [synthesis]
    assert draft not in composing.candidate_syntheses(issue)


def test_the_secretariat_links_a_synthesis_once_in_national_reports(issue, synthesis, secretariat):
    item = composing.add_synthesis(issue, by=secretariat, synthesis=synthesis)
    assert item.section == SectionKind.NATIONAL_REPORTS
    assert list(composing.candidate_syntheses(issue)) == []
    with pytest.raises(ValidationError, match="already in this Update"):
        composing.add_synthesis(issue, by=secretariat, synthesis=synthesis)


def test_an_unpublished_synthesis_cannot_be_added(issue, secretariat):
    draft = synthesis_for(factories.open_cycle())
    with pytest.raises(ValidationError, match="not published"):
        composing.add_synthesis(issue, by=secretariat, synthesis=draft)


def test_a_member_cannot_add_a_synthesis(issue, synthesis):
    from django.core.exceptions import PermissionDenied

    from tests.factories.members import UserFactory

    with pytest.raises(PermissionDenied):
        composing.add_synthesis(issue, by=UserFactory(), synthesis=synthesis)


def test_composer_page_offers_the_synthesis_and_adds_it(client, issue, synthesis, secretariat):
    client.force_login(secretariat)
    url = reverse("updates:issue-edit", kwargs={"pk": issue.pk})
    page = client.get(url).text
    assert "Synthesis reports of national reports" in page
    assert "November 2019 – 2023" in page
    response = client.post(
        reverse("updates:item-add-synthesis", kwargs={"pk": issue.pk}),
        {"synthesis": synthesis.pk},
    )
    assert response.status_code == 302
    assert issue.items.filter(synthesis=synthesis).exists()
    page = client.get(url).text
    assert "Synthesis of national reports" in page
    assert "No published synthesis report is left to add." in page


def test_a_bad_synthesis_choice_is_refused_politely(client, issue, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("updates:item-add-synthesis", kwargs={"pk": issue.pk}),
        {"synthesis": "x"},
        follow=True,
    )
    assert "Choose a synthesis report." in response.text


@pytest.mark.parametrize(("language", "title"), [
    ("en", "November 2019 – 2023"),
    ("fr", "Novembre 2019 – 2023"),
    ("ar", "November 2019 – 2023"),  # not translated: the English title, marked
])  # fmt: skip
def test_every_edition_links_the_synthesis_page(issue, synthesis, secretariat, language, title):
    composing.add_synthesis(issue, by=secretariat, synthesis=synthesis)
    edition = issue.editions.get(language=language)
    rendered = render_edition(edition)
    with override(language):
        address = synthesis.get_absolute_url()
    assert address.startswith(f"/{language}/")
    assert f'href="{absolute_url(address)}"' in rendered.html
    assert title in rendered.html
    assert absolute_url(address) in rendered.text
    assert title in render_web(edition)


def test_a_synthesis_unpublished_since_is_left_out(issue, synthesis, secretariat):
    composing.add_synthesis(issue, by=secretariat, synthesis=synthesis)
    publish_synthesis(synthesis, publish=False)
    assert "November 2019 – 2023" not in render_edition(issue.editions.get(language="en")).html
