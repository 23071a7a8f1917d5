"""The Update's "Publications and resources" takes catalogue records added in the issue's
period: offered when composing, added by the secretariat, rendered in every edition with
links to the record page (absolute in the mails)."""

from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import override

from coalition.catalogue.models import Record
from coalition.catalogue.services.records import Incoming, store_items
from coalition.core.mail import absolute_url
from coalition.updates.models import SectionKind
from coalition.updates.rendering import render_edition, render_web
from coalition.updates.services import composing
from tests.factories.catalogue import make_record, make_source
from tests.factories.members import SecretariatFactory
from tests.factories.updates import march_2023

pytestmark = pytest.mark.django_db

IN_MARCH = datetime(2023, 3, 10, 9, 0, tzinfo=UTC)


def added_on(record, when):
    Record.objects.filter(pk=record.pk).update(created_at=when)
    record.refresh_from_db()
    return record


@pytest.fixture
def secretariat():
    return SecretariatFactory()


@pytest.fixture
def issue(secretariat):
    return march_2023(by=secretariat)


@pytest.fixture
def records():
    source = make_source("Madagascar Library", country="MG")
    return {
        "march": added_on(
            make_record(
                source,
                "mg:1",
                title="Guide des REL",
                languages=["fr"],
                description="Un guide pratique.",
                licence_class="open",
            ),
            IN_MARCH,
        ),
        "april": added_on(
            make_record(source, "mg:2", title="Later resource", licence_class="open"),
            datetime(2023, 4, 10, tzinfo=UTC),
        ),
        "gone": added_on(make_record(source, "mg:3", title="Deleted resource"), IN_MARCH),
    }


def test_candidates_are_the_records_added_in_the_period(issue, records):
    store_items(records["gone"].source, [Incoming("mg:3", None, deleted=True)])
    assert list(composing.candidate_records(issue)) == [records["march"]]


def test_drafting_adds_no_record_by_itself(issue, records):
    assert not issue.items.filter(record__isnull=False).exists()


def test_the_secretariat_adds_a_record_once(issue, records, secretariat):
    item = composing.add_record(issue, by=secretariat, record=records["march"])
    assert item.section == SectionKind.PUBLICATIONS
    assert records["march"] not in list(composing.candidate_records(issue))
    with pytest.raises(ValidationError):
        composing.add_record(issue, by=secretariat, record=records["march"])


def test_composer_page_offers_the_records_and_adds_one(client, issue, records, secretariat):
    client.force_login(secretariat)
    url = reverse("updates:issue-edit", kwargs={"pk": issue.pk})
    page = client.get(url).text
    assert "Catalogue records added in this period" in page
    assert "Guide des REL" in page
    assert "Later resource" not in page
    response = client.post(
        reverse("updates:item-add-record", kwargs={"pk": issue.pk}),
        {"record": records["march"].pk},
    )
    assert response.status_code == 302
    assert issue.items.filter(record=records["march"]).exists()
    page = client.get(url).text
    assert "Catalogue record" in page


def test_a_bad_record_choice_is_refused_politely(client, issue, secretariat):
    client.force_login(secretariat)
    response = client.post(
        reverse("updates:item-add-record", kwargs={"pk": issue.pk}), {"record": "x"}, follow=True
    )
    assert "Choose a record of the catalogue." in response.text


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_every_edition_shows_the_record_with_an_absolute_link(issue, records, secretariat,
                                                              language):  # fmt: skip
    composing.add_record(issue, by=secretariat, record=records["march"])
    edition = issue.editions.get(language=language)
    rendered = render_edition(edition)
    with override(language):
        address = records["march"].get_absolute_url()
    assert f'href="{absolute_url(address)}"' in rendered.html
    assert "Guide des REL" in rendered.html
    assert "Guide des REL" in rendered.text
    assert address in rendered.text and "://" in rendered.text.split(address)[0][-40:]
    assert "Guide des REL" in render_web(edition)
    assert address in rendered.web_html


def test_the_licence_class_is_in_the_editions_language(issue, records, secretariat):
    composing.add_record(issue, by=secretariat, record=records["march"])
    english = render_edition(issue.editions.get(language="en"))
    assert "Licence: Open" in english.text
    assert "Madagascar Library organization" in english.text


def test_a_record_deleted_since_is_left_out(issue, records, secretariat):
    composing.add_record(issue, by=secretariat, record=records["march"])
    store_items(records["march"].source, [Incoming("mg:1", None, deleted=True)])
    assert "Guide des REL" not in render_edition(issue.editions.get(language="en")).html
