"""The event's organizers page: the focal points of its organizations and the secretariat
name, among the people affiliated with those organizations, who else organizes it."""

import pytest
from django.contrib.auth.models import AnonymousUser

from coalition.activities.templatetags.events import event_registration
from coalition.members.models import Organization
from tests.factories.activities import RegistrationFactory, upcoming_event
from tests.factories.members import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    focal_point_of,
)

pytestmark = pytest.mark.django_db


def organizers_url(activity, language="en"):
    return f"/{language}/activities/{activity.slug}/organizers/"


def affiliated_with(organization, name="Someone", *, focal_point=False, account=True):
    person = PersonFactory(name=name, user=UserFactory() if account else None)
    AffiliationFactory(person=person, organization=organization, is_focal_point=focal_point)
    return person


@pytest.fixture
def event_of():
    organization = OrganizationFactory(name="Open Learning")
    activity = upcoming_event(organization)
    activity.organizers.clear()  # the submitter is named at submission
    return activity, organization


def roles(activity, organization):
    lapsed = OrganizationFactory(status=Organization.Status.INACTIVE)
    activity.organizations.add(lapsed)
    participant = UserFactory()
    RegistrationFactory(activity=activity, user=participant, email=participant.email)
    named = affiliated_with(organization, "Named Already").user
    activity.organizers.add(named)
    return {
        "visitor": None,
        "signed-in": UserFactory(),
        "participant": participant,
        "affiliated": affiliated_with(organization).user,
        "focal point": focal_point_of(organization),
        "focal point of a lapsed co-organizer": affiliated_with(lapsed, focal_point=True).user,
        "focal point elsewhere": focal_point_of(OrganizationFactory()),
        "named organizer": named,
        "secretariat": SecretariatFactory(),
    }


# role → what the page answers: GET, and POST naming a person
EXPECTED = {
    "visitor": (302, 302),
    "signed-in": (403, 403),
    "participant": (403, 403),
    "affiliated": (403, 403),
    "focal point": (200, 302),
    "focal point of a lapsed co-organizer": (403, 403),
    "focal point elsewhere": (403, 403),
    "named organizer": (403, 403),
    "secretariat": (200, 302),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_role_matrix_of_the_organizers_page(client, event_of, role):
    activity, organization = event_of
    user = roles(activity, organization)[role]
    candidate = affiliated_with(organization, "Rana Candidate")
    if user is not None:
        client.force_login(user)

    page = client.get(organizers_url(activity))
    naming = client.post(organizers_url(activity), {"person": candidate.pk})

    assert (page.status_code, naming.status_code) == EXPECTED[role]
    if role == "visitor":
        assert "/accounts/login/" in page["Location"]
    may_name = EXPECTED[role][0] == 200
    assert activity.organizers.filter(pk=candidate.user_id).exists() == may_name


def test_focal_point_names_and_removes_an_organizer(client, event_of):
    activity, organization = event_of
    client.force_login(focal_point_of(organization))
    rana = affiliated_with(organization, "Rana Dajani")

    named = client.post(organizers_url(activity), {"person": rana.pk}, follow=True)

    assert list(activity.organizers.all()) == [rana.user]
    assert "Rana Dajani is now an organizer of this event." in named.content.decode()
    assert rana.user.has_perm("activities.manage_event", activity)

    removed = client.post(organizers_url(activity), {"remove": rana.user_id}, follow=True)

    assert not activity.organizers.exists()
    assert "Rana Dajani is no longer an organizer of this event." in removed.content.decode()
    assert not rana.user.has_perm("activities.manage_event", activity)


def test_the_choice_offers_only_people_affiliated_with_the_organizing_organizations(
    client, event_of
):
    activity, organization = event_of
    client.force_login(SecretariatFactory())
    affiliated_with(organization, "Rana Dajani")
    affiliated_with(organization, "Without Account", account=False)
    outsider = affiliated_with(OrganizationFactory(), "Outside Person")
    already = affiliated_with(organization, "Already Named")
    activity.organizers.add(already.user)

    page = client.get(organizers_url(activity)).content.decode()
    choice = page[
        page.index('name="person"') : page.index("</select>", page.index('name="person"'))
    ]

    assert "Rana Dajani (Open Learning)" in choice
    assert "Without Account" not in choice
    assert "Outside Person" not in choice
    assert "Already Named" not in choice
    refused = client.post(organizers_url(activity), {"person": outsider.pk})
    assert refused.status_code == 400
    assert not activity.organizers.filter(pk=outsider.user_id).exists()


def test_the_choice_is_searched_by_name_and_filtered_by_organization(client, event_of):
    activity, organization = event_of
    partner = OrganizationFactory(name="Partner University")
    activity.organizations.add(partner)
    client.force_login(SecretariatFactory())
    affiliated_with(organization, "Rana Dajani")
    affiliated_with(organization, "Ahmed Ali")
    affiliated_with(partner, "Rania Partner")

    searched = client.get(organizers_url(activity), {"q": "ran"}).content.decode()
    filtered = client.get(organizers_url(activity), {"organization": partner.pk}).content.decode()

    assert "Rana Dajani" in searched and "Rania Partner" in searched
    assert "Ahmed Ali" not in searched
    assert "Rania Partner" in filtered
    assert "Rana Dajani" not in filtered and "Ahmed Ali" not in filtered


def test_the_event_panel_links_to_the_page_only_for_those_who_may_name(rf, event_of):
    activity, organization = event_of
    for user, shown in [
        (focal_point_of(organization), True),
        (SecretariatFactory(), True),
        (AnonymousUser(), False),
        (UserFactory(), False),
    ]:
        request = rf.get("/")
        request.user = user
        assert event_registration({"request": request}, activity)["can_name_organizers"] is shown


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_page_speaks_the_interface_language(client, event_of, language):
    activity, organization = event_of
    client.force_login(focal_point_of(organization))

    page = client.get(organizers_url(activity, language))

    assert page.status_code == 200
    assert f'lang="{language}"' in page.content.decode()
