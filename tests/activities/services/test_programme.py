"""An event's programme: presentations and the people on them, built by its organizers."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from coalition.activities.services import programme as services
from tests.factories.activities import organizer_of, published_activity, upcoming_event
from tests.factories.members import PersonFactory, SecretariatFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_organizer_builds_a_programme_of_presentations_and_speakers():
    event = upcoming_event()
    organizer = organizer_of(event)
    talk = services.add_presentation(event, by=organizer, title="Libraries and OER")
    panel = services.add_presentation(event, by=organizer, title="Panel")
    speaker = services.add_to_programme(
        event,
        PersonFactory(name="Vincent de Lavenne"),
        by=organizer,
        role="speaker",
        title_on_programme=" Librarian ",
        presentation=talk,
    )
    services.add_to_programme(event, PersonFactory(), by=organizer, role="moderator")
    assert [p.order for p in (talk, panel)] == [1, 2]
    assert speaker.title_on_programme == "Librarian"
    assert list(event.programme.values_list("role", flat=True)) == ["speaker", "moderator"]


def test_programme_is_refused_to_someone_who_does_not_organize_the_event():
    event = upcoming_event()
    with pytest.raises(PermissionDenied):
        services.add_presentation(event, by=UserFactory(), title="Talk")
    with pytest.raises(PermissionDenied):
        services.add_to_programme(event, PersonFactory(), by=UserFactory(), role="speaker")


def test_programme_refuses_a_presentation_of_another_event_and_a_non_event():
    event, other = upcoming_event(), upcoming_event()
    secretariat = SecretariatFactory()
    elsewhere = services.add_presentation(other, by=secretariat, title="Elsewhere")
    with pytest.raises(ValidationError):
        services.add_to_programme(
            event, PersonFactory(), by=secretariat, role="speaker", presentation=elsewhere
        )
    news = published_activity(kind="news")
    with pytest.raises(ValidationError):
        services.add_presentation(news, by=secretariat, title="Talk")


def test_a_title_on_the_programme_in_several_languages_reads_in_the_readers_language():
    event = upcoming_event()
    role = services.add_to_programme(
        event,
        PersonFactory(),
        by=SecretariatFactory(),
        role="speaker",
        title_on_programme={"en": "Research Professor", "fr": "Enseignante chercheuse"},
    )
    role.refresh_from_db()
    with translation.override("fr"):
        assert role.title_on_programme == "Enseignante chercheuse"
    with translation.override("ar"):  # no Arabic title: the fallback, English
        assert role.title_on_programme == "Research Professor"
