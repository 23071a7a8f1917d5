"""The members API: public reads, role-checked writes, JSON errors, constant queries."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openapi_spec_validator import validate

from coalition.members.models import (
    MembershipApplication,
    Organization,
    Person,
    WorkingGroupMembership,
)
from tests.factories.members import (
    AffiliationFactory,
    ApplicationFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SecretariatFactory,
    UserFactory,
    chair_of,
    focal_point_of,
    working_group,
)
from tests.support.clients import api_items, signed_in
from tests.support.roles import (
    anonymous,
    chair_of_another_group,
    chair_of_the_group,
    focal_point_of_another_organization,
    member,
    own_focal_point,
    secretariat,
)

pytestmark = pytest.mark.django_db

JSON = "application/json"


def slugs(response):
    return [item["slug"] for item in api_items(response)]


# Organizations: reading ------------------------------------------------------------------


def test_organization_list_shows_members_only_with_their_public_fields(client):
    organization = OrganizationFactory(
        name_en="OER Africa",
        acronym="OERA",
        country="ZA",
        stakeholder_type="civil-society",
        website="https://www.oerafrica.org",
        description_en="<p>Supports <b>OER</b>.</p>",
    )
    organization.working_groups.add(working_group("capacity-building"))
    OrganizationFactory(name_en="Pending Institute", status=Organization.Status.APPLIED)
    OrganizationFactory(name_en="Former Member", status=Organization.Status.INACTIVE)

    response = client.get("/api/organizations")

    body = response.json()
    assert body["count"] == 1
    [item] = body["items"]
    assert item["slug"] == organization.slug
    assert item["id"] == organization.pk
    assert item["name"] == "OER Africa"
    assert item["name_language"] == "en"
    assert item["names"] == {"en": "OER Africa"}
    assert item["acronym"] == "OERA"
    assert item["stakeholder_type"] == {"code": "civil-society", "name": "Civil society"}
    assert item["country"] == {"code": "ZA", "name": "South Africa"}
    assert item["region"] == {"code": "africa", "name": "Africa"}
    assert item["website"] == "https://www.oerafrica.org"
    assert item["description"] == {
        "value": "<p>Supports <b>OER</b>.</p>",
        "language": "en",
        "is_fallback": False,
    }
    assert item["working_groups"] == ["capacity-building"]
    assert item["joined_on"] == organization.joined_on.isoformat()
    assert item["url"] == f"http://testserver/en/organizations/{organization.slug}/"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "genève"}, ["unige"]),
        ({"q": "OERA"}, ["oer-africa"]),
        ({"stakeholder_type": "library"}, ["bnrm"]),
        ({"region": "africa"}, ["oer-africa"]),
        ({"country": "ch"}, ["unige"]),
        ({"working_group": "supportive-policy"}, ["bnrm", "oer-africa"]),
        ({"region": "africa", "stakeholder_type": "library"}, []),
    ],
)
def test_organization_list_filters_as_the_directory(client, query, expected):
    OrganizationFactory(slug="unige", name_en="Université de Genève", country="CH")
    library = OrganizationFactory(
        slug="bnrm", name_en="Bibliothèque nationale", country="MA", stakeholder_type="library"
    )
    africa = OrganizationFactory(
        slug="oer-africa",
        name_en="OER Africa",
        acronym="OERA",
        country="ZA",
        stakeholder_type="civil-society",
    )
    for organization in (library, africa):
        organization.working_groups.add(working_group("supportive-policy"))

    assert sorted(slugs(client.get("/api/organizations", query))) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"working_group": "no-such-group"}, "working_group"),
        ({"stakeholder_type": "pirates"}, "stakeholder_type"),
        ({"region": "atlantis"}, "region"),
        ({"limit": "0"}, "limit"),
        ({"limit": "1000"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"lang": "tlh"}, "lang"),
    ],
)
def test_organization_list_with_invalid_filter_is_400_with_the_field(client, query, field):
    response = client.get("/api/organizations", query)

    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert list(body["errors"]) == [field]
    assert body["errors"][field][0]


def test_organization_list_paginates_with_limit_offset_and_total_count(client):
    for n in range(7):
        OrganizationFactory(name_en=f"Institute {n}")

    first = client.get("/api/organizations", {"limit": 3}).json()
    last = client.get("/api/organizations", {"limit": 3, "offset": 6}).json()

    assert first["count"] == 7
    assert [item["name"] for item in first["items"]] == [f"Institute {n}" for n in range(3)]
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/organizations?limit=3&offset=3"
    assert [item["name"] for item in last["items"]] == ["Institute 6"]
    assert last["next"] is None
    assert last["previous"] == "http://testserver/api/organizations?limit=3&offset=3"
    assert client.get("/api/organizations").json()["limit"] == 50


def test_organization_name_follows_lang_and_falls_back_visibly(client):
    OrganizationFactory(
        name_en="Ministry of National Education",
        name_fr="Ministère de l'Éducation nationale",
        description_fr="<p>Le ministère.</p>",
        country="DE",
    )

    [french] = api_items(client.get("/api/organizations", {"lang": "fr"}))
    [arabic] = api_items(client.get("/api/organizations", {"lang": "ar"}))

    assert french["name"] == "Ministère de l'Éducation nationale"
    assert french["name_language"] == "fr"
    assert french["description"] == {
        "value": "<p>Le ministère.</p>",
        "language": "fr",
        "is_fallback": False,
    }
    assert french["country"]["name"] == "Allemagne"
    assert french["url"].startswith("http://testserver/fr/organizations/")
    assert arabic["name"] == "Ministry of National Education"
    assert arabic["name_language"] == "en"
    # English is the first fallback, but there is no English description: French it is.
    assert arabic["description"]["language"] == "fr"
    assert arabic["description"]["is_fallback"] is True
    assert (
        french["names"]
        == arabic["names"]
        == {"en": "Ministry of National Education", "fr": "Ministère de l'Éducation nationale"}
    )


def test_organization_language_comes_from_accept_language_then_english(client):
    OrganizationFactory(name_en="Open University", name_es="Universidad Abierta")

    [spanish] = api_items(client.get("/api/organizations", HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9"))
    [default] = api_items(client.get("/api/organizations"))
    [asked] = api_items(client.get("/api/organizations", {"lang": "en"}, HTTP_ACCEPT_LANGUAGE="es"))

    assert (spanish["name"], spanish["name_language"]) == ("Universidad Abierta", "es")
    assert (default["name"], default["name_language"]) == ("Open University", "en")
    assert asked["name"] == "Open University"


def test_organization_response_says_its_language(client):
    response = client.get("/api/organizations", {"lang": "zh-hans"}, HTTP_ACCEPT_LANGUAGE="fr")

    assert response["Content-Language"] == "zh-hans"


def test_organization_description_is_sanitized_even_if_stored_unsafe(client):
    organization = OrganizationFactory()
    # update() skips the field's own sanitizing, as a careless import might.
    Organization.objects.filter(pk=organization.pk).update(
        description_en='<p onclick="x()">Hi<script>alert(1)</script></p>'
    )

    [item] = api_items(client.get("/api/organizations"))
    detail = client.get(f"/api/organizations/{organization.slug}").json()

    assert item["description"]["value"] == "<p>Hi</p>"
    assert detail["descriptions"] == {"en": "<p>Hi</p>"}


def test_organization_detail_of_a_member(client):
    organization = OrganizationFactory(name_en="OER Africa", name_ar="أو إي آر أفريقيا")

    response = client.get(f"/api/organizations/{organization.slug}", {"lang": "ar"})

    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "أو إي آر أفريقيا"
    assert body["status"] == "member"
    assert body["names"] == {"en": "OER Africa", "ar": "أو إي آر أفريقيا"}


@pytest.mark.parametrize("status", [Organization.Status.APPLIED, Organization.Status.INACTIVE])
@pytest.mark.parametrize(
    ("who", "expected"),
    [(anonymous, 404), (member, 404), (own_focal_point, 200), (secretariat, 200)],
)
def test_organization_detail_of_a_non_member_only_for_who_may_edit_it(
    client, status, who, expected
):
    organization = OrganizationFactory(status=status)

    response = signed_in(client, who(organization)).get(f"/api/organizations/{organization.slug}")

    assert response.status_code == expected
    if expected == 404:
        assert response.json() == {"detail": "There is no member organization with this name."}
    else:
        assert response.json()["status"] == status


def test_organization_detail_unknown_is_404_json(client):
    response = client.get("/api/organizations/no-such-organization")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"] == "There is no member organization with this name."


# Organizations: editing ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (anonymous, 401),
        (member, 403),
        (focal_point_of_another_organization, 403),
        (own_focal_point, 200),
        (secretariat, 200),
    ],
)
def test_organization_patch_role_matrix(client, who, expected):
    organization = OrganizationFactory(acronym="OLD")

    response = signed_in(client, who(organization)).patch(
        f"/api/organizations/{organization.slug}", {"acronym": "NEW"}, content_type=JSON
    )

    assert response.status_code == expected, response.content
    assert "detail" in response.json() if expected != 200 else response.json()["acronym"] == "NEW"
    organization.refresh_from_db()
    assert organization.acronym == ("NEW" if expected == 200 else "OLD")


def test_organization_patch_changes_only_the_fields_and_languages_given(client):
    organization = OrganizationFactory(
        name_en="Open University",
        name_fr="Université ouverte",
        website="https://old.example.org",
        stakeholder_type="university",
        country="FR",
        description_en="<p>Old</p>",
    )
    client.force_login(focal_point_of(organization))

    response = client.patch(
        f"/api/organizations/{organization.slug}",
        {
            "website": "https://new.example.org",
            "country": "sn",
            "stakeholder_type": "civil-society",
            "names": {"en": "Open University of Senegal", "ar": "الجامعة المفتوحة"},
            "descriptions": {
                "fr": '<p>Nouvelle <a href="javascript:x()">page</a></p><script>x</script>'
            },
        },
        content_type=JSON,
    )

    assert response.status_code == 200, response.content
    organization.refresh_from_db()
    assert organization.website == "https://new.example.org"
    assert organization.country.code == "SN"
    assert organization.region == "africa"
    assert organization.stakeholder_type == "civil-society"
    assert organization.name_en == "Open University of Senegal"
    assert organization.name_fr == "Université ouverte"
    assert organization.name_ar == "الجامعة المفتوحة"
    assert organization.description_en == "<p>Old</p>"
    assert organization.description_fr == (
        '<p>Nouvelle <a rel="nofollow noopener noreferrer">page</a></p>'
    )
    body = response.json()
    assert body["region"]["code"] == "africa"
    assert body["descriptions"]["fr"] == organization.description_fr


def test_organization_patch_can_remove_a_translation_but_not_the_english_name(client):
    organization = OrganizationFactory(name_en="Open University", name_fr="Université ouverte")
    client.force_login(SecretariatFactory())
    url = f"/api/organizations/{organization.slug}"

    removed = client.patch(url, {"names": {"fr": ""}}, content_type=JSON)
    refused = client.patch(url, {"names": {"en": " "}}, content_type=JSON)

    assert removed.status_code == 200
    assert removed.json()["names"] == {"en": "Open University"}
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"names.en": ["The name in English is required."]}
    organization.refresh_from_db()
    assert organization.name_en == "Open University"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"stakeholder_type": "pirates"}, "stakeholder_type"),
        ({"website": "not a web address"}, "website"),
        ({"acronym": "A" * 41}, "acronym"),
        ({"names": {"tlh": "Klingon"}}, "names.tlh"),
    ],
)
def test_organization_patch_with_invalid_value_is_400_and_saves_nothing(client, payload, field):
    organization = OrganizationFactory(acronym="OLD", country="FR")
    client.force_login(focal_point_of(organization))

    response = client.patch(
        f"/api/organizations/{organization.slug}", {"acronym": "NEW", **payload}, content_type=JSON
    )

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == "Some values are not valid; see the errors by field."
    assert field in body["errors"], body
    organization.refresh_from_db()
    assert (organization.acronym, organization.country.code) == ("OLD", "FR")


def test_organization_patch_of_unknown_organization_is_404(client):
    client.force_login(SecretariatFactory())

    response = client.patch("/api/organizations/nobody", {"acronym": "X"}, content_type=JSON)

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no organization with this name."}


def test_organization_patch_needs_the_csrf_token_of_the_session():
    organization = OrganizationFactory(acronym="OLD")
    client = Client(enforce_csrf_checks=True)
    url = f"/api/organizations/{organization.slug}"
    anonymous_response = client.patch(url, {"acronym": "NEW"}, content_type=JSON)
    client.force_login(focal_point_of(organization))

    without_token = client.patch(url, {"acronym": "NEW"}, content_type=JSON)
    client.get("/api/docs")  # like any page of the Hub, it sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    with_token = client.patch(url, {"acronym": "NEW"}, content_type=JSON, HTTP_X_CSRFTOKEN=token)

    assert anonymous_response.status_code == 401
    assert without_token.status_code == 403
    assert "CSRF" in without_token.json()["detail"]
    assert with_token.status_code == 200, with_token.content
    organization.refresh_from_db()
    assert organization.acronym == "NEW"


# Applications ----------------------------------------------------------------------------


def application(**overrides):
    data = {
        "organization_name": "OER Africa",
        "acronym": "",
        "stakeholder_type": "civil-society",
        "country": "ZA",
        "website": "www.oerafrica.org",
        "description": "Supports <b>OER</b> in higher education.<script>alert(1)</script>",
        "applicant_name": "Neil Butcher",
        "applicant_email": "neil@example.org",
        "applicant_role_title": "Director",
        "privacy_consent": True,
    }
    data.update(overrides)
    return data


def test_apply_records_a_pending_application_that_the_public_cannot_see(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/organizations/applications", application(), content_type=JSON)

    assert response.status_code == 201, response.content
    body = response.json()
    saved = MembershipApplication.objects.select_related("organization").get()
    assert body["id"] == saved.pk
    assert body["status"] == "pending"
    assert body["organization"]["name"] == "OER Africa"
    assert saved.applicant is None
    assert saved.applicant_email == "neil@example.org"
    organization = saved.organization
    assert organization.status == Organization.Status.APPLIED
    assert organization.website == "https://www.oerafrica.org"
    assert organization.description_en == "Supports <b>OER</b> in higher education."
    assert client.get("/api/organizations").json()["count"] == 0
    assert client.get(f"/api/organizations/{organization.slug}").status_code == 404
    assert sorted(message.to[0] for message in mailoutbox) == [
        "neil@example.org",
        "secretariat@localhost",
    ]


def test_apply_in_french_stores_the_text_in_french_and_english_columns(client):
    response = client.post(
        "/api/organizations/applications",
        application(organization_name="Ministère de l'Éducation", language="fr"),
        content_type=JSON,
    )

    assert response.status_code == 201, response.content
    saved = MembershipApplication.objects.select_related("organization").get()
    assert saved.language == "fr"
    assert saved.organization.name_fr == "Ministère de l'Éducation"
    assert saved.organization.name_en == "Ministère de l'Éducation"
    assert saved.organization.description_fr.startswith("Supports")


def test_apply_when_signed_in_links_the_account(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post("/api/organizations/applications", application(), content_type=JSON)

    assert response.status_code == 201
    assert MembershipApplication.objects.get().applicant == user


def test_apply_needs_the_csrf_token_only_from_a_signed_in_applicant():
    client = Client(enforce_csrf_checks=True)
    url = "/api/organizations/applications"
    anonymous_response = client.post(url, application(), content_type=JSON)
    client.force_login(UserFactory())

    signed_in_without_token = client.post(
        url, application(organization_name="Second"), content_type=JSON
    )

    assert anonymous_response.status_code == 201
    assert signed_in_without_token.status_code == 403
    assert "CSRF" in signed_in_without_token.json()["detail"]
    assert MembershipApplication.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"privacy_consent": False},
            "privacy_consent",
            "We can only process your application with your consent.",
        ),
        ({"country": "XX"}, "country", None),
        ({"applicant_email": "not-an-address"}, "applicant_email", "Enter a valid email address."),
        ({"stakeholder_type": "pirates"}, "stakeholder_type", None),
        ({"organization_name": ""}, "organization_name", "This field is required."),
    ],
)
def test_apply_with_invalid_data_is_400_and_records_nothing(client, overrides, field, message):
    response = client.post(
        "/api/organizations/applications", application(**overrides), content_type=JSON
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert field in errors
    if message:
        assert errors[field] == [message]
    assert not Organization.objects.exists()
    assert not MembershipApplication.objects.exists()


def test_apply_without_required_fields_lists_each_in_the_requested_language(client):
    response = client.post(
        "/api/organizations/applications?lang=fr", {"acronym": "X"}, content_type=JSON
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["organization_name"] == ["Ce champ est obligatoire."]
    assert set(errors) == {
        "organization_name",
        "stakeholder_type",
        "country",
        "description",
        "applicant_name",
        "applicant_email",
        "applicant_role_title",
    }


def test_apply_is_rate_limited_per_address_like_the_web_form(client, settings):
    settings.RATELIMIT_ENABLE = True
    # Invalid attempts count too: the limit is checked before the body is read.
    for _ in range(10):
        response = client.post("/api/organizations/applications", {}, content_type=JSON)
        assert response.status_code == 400

    limited = client.post("/api/organizations/applications", application(), content_type=JSON)
    other_address = client.post(
        "/api/organizations/applications",
        application(),
        content_type=JSON,
        REMOTE_ADDR="192.0.2.7",
    )

    assert limited.status_code == 429
    assert limited.json()["detail"] == "Too many attempts. Please wait a while and try again."
    assert 0 < int(limited["Retry-After"]) <= 3600
    assert other_address.status_code == 201
    assert MembershipApplication.objects.count() == 1


def test_apply_shares_its_rate_limit_with_the_web_form(client, settings):
    settings.RATELIMIT_ENABLE = True
    for _ in range(10):
        assert client.post(reverse("members:apply"), {}).status_code == 200

    response = client.post("/api/organizations/applications", application(), content_type=JSON)

    assert response.status_code == 429
    assert not MembershipApplication.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (anonymous, 401),
        (member, 403),
        (own_focal_point, 403),
        (secretariat, 200),
    ],
)
@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_application_decision_role_matrix(client, who, expected, decision):
    pending = ApplicationFactory()

    response = signed_in(client, who(pending.organization)).post(
        f"/api/organizations/applications/{pending.pk}/{decision}",
        {"reason": "Not an OER organization."},
        content_type=JSON,
    )

    assert response.status_code == expected, response.content
    pending.refresh_from_db()
    if expected == 200:
        assert response.json()["status"] == pending.status
        assert pending.status == {"approve": "approved", "decline": "declined"}[decision]
    else:
        assert pending.status == MembershipApplication.Status.PENDING


def test_approving_makes_the_organization_a_public_member(client):
    pending = ApplicationFactory(applicant_email="nivo@example.org")
    client.force_login(SecretariatFactory())

    response = client.post(f"/api/organizations/applications/{pending.pk}/approve")

    assert response.status_code == 200
    assert response.json()["decided_at"]
    assert slugs(client.get("/api/organizations")) == [pending.organization.slug]
    focal_point = Person.objects.get(email="nivo@example.org")
    assert focal_point.affiliations.get().is_focal_point


@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_deciding_an_already_decided_application_is_409(client, decision):
    decided = ApplicationFactory(status=MembershipApplication.Status.APPROVED)
    client.force_login(SecretariatFactory())

    response = client.post(
        f"/api/organizations/applications/{decided.pk}/{decision}",
        {"reason": "Changed my mind."},
        content_type=JSON,
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "This application has already been decided."}
    decided.refresh_from_db()
    assert decided.status == MembershipApplication.Status.APPROVED


def test_declining_needs_a_reason(client):
    pending = ApplicationFactory()
    client.force_login(SecretariatFactory())
    url = f"/api/organizations/applications/{pending.pk}/decline"

    blank = client.post(url, {"reason": "  "}, content_type=JSON)
    missing = client.post(url, {}, content_type=JSON)

    assert blank.status_code == 400
    assert blank.json()["errors"] == {"reason": ["Please give the applicant a reason."]}
    assert missing.status_code == 400
    assert missing.json()["errors"] == {"reason": ["This field is required."]}
    pending.refresh_from_db()
    assert pending.status == MembershipApplication.Status.PENDING


def test_deciding_an_unknown_application_is_404(client):
    client.force_login(SecretariatFactory())

    response = client.post("/api/organizations/applications/999999/approve")

    assert response.status_code == 404
    assert response.json() == {"detail": "There is no application with this number."}


# People ----------------------------------------------------------------------------------


def test_people_list_shows_public_profiles_with_public_ties_only(client):
    person = PersonFactory(name="Nivo Ralamboranto", country="MG")
    PersonFactory(name="Hidden Person", public_profile=False)
    AffiliationFactory(
        person=person,
        organization=OrganizationFactory(name_en="Ministry", slug="ministry"),
        role_title="Chief of Service",
    )
    AffiliationFactory(
        person=person, organization=OrganizationFactory(status=Organization.Status.APPLIED)
    )
    MembershipFactory(person=person, role=WorkingGroupMembership.Role.CHAIR)
    MembershipFactory(
        person=person,
        working_group=working_group("supportive-policy"),
        status=WorkingGroupMembership.Status.REQUESTED,
    )

    body = client.get("/api/people").json()

    assert body["count"] == 1
    [item] = body["items"]
    assert item == {
        "slug": person.slug,
        "name": "Nivo Ralamboranto",
        "country": {"code": "MG", "name": "Madagascar"},
        "affiliations": [
            {
                "organization": {"slug": "ministry", "name": "Ministry", "name_language": "en"},
                "role_title": "Chief of Service",
            }
        ],
        "working_groups": [
            {
                "slug": "capacity-building",
                "name": "Capacity building",
                "role": {"code": "chair", "name": "Chair"},
            }
        ],
        "url": f"http://testserver/en/people/{person.slug}/",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "nivo"}, ["Nivo"]),
        ({"q": "librarian"}, ["Amina"]),
        ({"country": "ma"}, ["Amina"]),
        ({"working_group": "capacity-building"}, ["Amina"]),
    ],
)
def test_people_list_filters(client, query, expected):
    PersonFactory(name="Nivo", country="MG")
    amina = PersonFactory(name="Amina", country="MA")
    AffiliationFactory(person=amina, role_title="Librarian")
    MembershipFactory(person=amina)

    found = [item["name"] for item in api_items(client.get("/api/people", query))]

    assert found == expected


def test_person_detail_only_for_public_profiles_whoever_asks(client):
    public = PersonFactory()
    private = PersonFactory(public_profile=False)
    client.force_login(SecretariatFactory())

    assert client.get(f"/api/people/{public.slug}").json()["slug"] == public.slug
    response = client.get(f"/api/people/{private.slug}")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no public profile with this name."}


# Working groups --------------------------------------------------------------------------


def test_working_group_list_gives_action_areas_officers_and_counts(client):
    group = working_group("capacity-building")
    chair = PersonFactory(name="Public Chair")
    MembershipFactory(working_group=group, person=chair, role=WorkingGroupMembership.Role.CHAIR)
    MembershipFactory(
        working_group=group,
        person=PersonFactory(public_profile=False),
        role=WorkingGroupMembership.Role.CHAIR,
    )
    rapporteur = PersonFactory(name="Rapporteur")
    MembershipFactory(
        working_group=group, person=rapporteur, role=WorkingGroupMembership.Role.RAPPORTEUR
    )
    MembershipFactory(working_group=group, status=WorkingGroupMembership.Status.REQUESTED)
    member_org = OrganizationFactory(slug="member-org")
    applicant_org = OrganizationFactory(status=Organization.Status.APPLIED)
    group.organizations.add(member_org, applicant_org)

    response = client.get("/api/working-groups", {"lang": "fr"})

    assert response.status_code == 200
    assert response.json()["count"] == 5
    groups = api_items(response)
    assert [g["action_area"]["number"] for g in groups] == [1, 2, 3, 4, 5]
    first = groups[0]
    assert first["slug"] == "capacity-building"
    assert first["name_language"] == "fr"
    assert first["action_area"]["title"]["value"].startswith("Renforcer les capacités")
    assert first["action_area"]["short_title"]["language"] == "fr"
    assert [p["name"] for p in first["chairs"]] == ["Public Chair"]
    assert first["chairs"][0]["url"] == f"http://testserver/fr/people/{chair.slug}/"
    assert [p["slug"] for p in first["rapporteurs"]] == [rapporteur.slug]
    assert first["organizations"] == ["member-org"]
    assert first["organization_count"] == 1
    assert first["member_count"] == 3  # active chairs and rapporteur, public or not


def test_working_group_detail_and_unknown_group(client):
    response = client.get("/api/working-groups/sustainability-models")
    unknown = client.get("/api/working-groups/no-such-group")

    assert response.status_code == 200
    assert response.json()["action_area"]["number"] == 4
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "There is no working group with this name."}


# Working groups: membership requests -----------------------------------------------------


def test_membership_request_needs_sign_in(client):
    response = client.post(
        "/api/working-groups/capacity-building/membership-requests", {}, content_type=JSON
    )

    assert response.status_code == 401
    assert response.json() == {"detail": "Please sign in first."}


def test_membership_request_creates_the_person_and_a_pending_request(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = UserFactory(email="amina@example.org")
    chair_of(working_group("capacity-building"), email="chair@example.org")
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/working-groups/capacity-building/membership-requests",
            {"message": "I coordinate our OER policy."},
            content_type=JSON,
        )

    assert response.status_code == 201, response.content
    body = response.json()
    membership = WorkingGroupMembership.objects.get(person__user=user)
    assert body["id"] == membership.pk
    assert body["status"] == "requested"
    assert body["role"]["code"] == "member"
    assert body["working_group"] == "capacity-building"
    assert membership.message == "I coordinate our OER policy."
    assert "chair@example.org" in [message.to[0] for message in mailoutbox]


@pytest.mark.parametrize(
    "status", [WorkingGroupMembership.Status.REQUESTED, WorkingGroupMembership.Status.ACTIVE]
)
def test_membership_request_twice_is_409(client, status):
    user = UserFactory()
    MembershipFactory(person=PersonFactory(user=user), status=status)
    client.force_login(user)

    response = client.post(
        "/api/working-groups/capacity-building/membership-requests", {}, content_type=JSON
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "You have already asked to join this working group."}


def test_membership_request_after_a_refusal_is_allowed(client):
    user = UserFactory()
    MembershipFactory(
        person=PersonFactory(user=user), status=WorkingGroupMembership.Status.DECLINED
    )
    client.force_login(user)

    response = client.post(
        "/api/working-groups/capacity-building/membership-requests", {}, content_type=JSON
    )

    assert response.status_code == 201
    assert response.json()["status"] == "requested"


def test_membership_request_with_too_long_message_or_unknown_group(client):
    client.force_login(UserFactory())

    too_long = client.post(
        "/api/working-groups/capacity-building/membership-requests",
        {"message": "x" * 2001},
        content_type=JSON,
    )
    unknown = client.post("/api/working-groups/nowhere/membership-requests", {}, content_type=JSON)

    assert too_long.status_code == 400
    assert list(too_long.json()["errors"]) == ["message"]
    assert unknown.status_code == 404
    assert not WorkingGroupMembership.objects.exists()


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (anonymous, 401),
        (member, 403),
        (focal_point_of_another_organization, 403),
        (chair_of_another_group, 403),
        (chair_of_the_group, 200),
        (secretariat, 200),
    ],
)
@pytest.mark.parametrize(("decision", "status"), [("accept", "active"), ("decline", "declined")])
def test_membership_decision_role_matrix(client, who, expected, decision, status):
    group = working_group("capacity-building")
    request = MembershipFactory(working_group=group, status=WorkingGroupMembership.Status.REQUESTED)

    response = signed_in(client, who(group)).post(
        f"/api/working-groups/{group.slug}/membership-requests/{request.pk}/{decision}"
    )

    assert response.status_code == expected, response.content
    request.refresh_from_db()
    if expected == 200:
        assert response.json()["status"] == status
        assert request.status == status
    else:
        assert "detail" in response.json()
        assert request.status == WorkingGroupMembership.Status.REQUESTED


def test_membership_decision_on_a_decided_request_is_409(client):
    group = working_group("capacity-building")
    decided = MembershipFactory(working_group=group, status=WorkingGroupMembership.Status.ACTIVE)
    client.force_login(chair_of(group))

    response = client.post(
        f"/api/working-groups/{group.slug}/membership-requests/{decided.pk}/decline"
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "This request has already been decided."}


def test_membership_decision_on_another_groups_request_is_404(client):
    group = working_group("capacity-building")
    elsewhere = MembershipFactory(
        working_group=working_group("supportive-policy"),
        status=WorkingGroupMembership.Status.REQUESTED,
    )
    client.force_login(chair_of(group))

    response = client.post(
        f"/api/working-groups/{group.slug}/membership-requests/{elsewhere.pk}/accept"
    )

    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == WorkingGroupMembership.Status.REQUESTED


# Private data ----------------------------------------------------------------------------


def test_private_person_data_never_appears_in_any_answer(client):
    organization = OrganizationFactory(slug="ministry")
    group = working_group("capacity-building")
    secret_user = UserFactory(email="secret@example.org")
    secret = PersonFactory(
        name="Public Name", email="secret@example.org", gender="non-binary", user=secret_user
    )
    AffiliationFactory(person=secret, organization=organization, is_focal_point=True)
    MembershipFactory(working_group=group, person=secret, role=WorkingGroupMembership.Role.CHAIR)
    pending = MembershipFactory(
        working_group=group,
        status=WorkingGroupMembership.Status.REQUESTED,
        person=PersonFactory(email="secret@example.org", gender="woman"),
    )
    reads = [
        "/api/organizations",
        "/api/organizations/ministry",
        "/api/people",
        f"/api/people/{secret.slug}",
        "/api/working-groups",
        "/api/working-groups/capacity-building",
        "/api/openapi.json",
    ]
    bodies = [client.get(url).content.decode() for url in reads]
    client.force_login(SecretariatFactory())
    bodies += [client.get(url).content.decode() for url in reads]
    bodies.append(
        client.post(
            f"/api/working-groups/capacity-building/membership-requests/{pending.pk}/accept"
        ).content.decode()
    )
    client.force_login(secret_user)
    bodies.append(
        client.patch(
            "/api/organizations/ministry", {"acronym": "M"}, content_type=JSON
        ).content.decode()
    )

    assert any("Public Name" in body for body in bodies)
    for body in bodies:
        assert "secret@example.org" not in body
        assert "non-binary" not in body
        assert '"woman"' not in body
        assert '"gender"' not in body
        if '"openapi"' not in body:  # the description names the public activity contact's field
            assert '"email"' not in body


# Queries ---------------------------------------------------------------------------------


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries)


def add_organizations(n):
    for _ in range(n):
        organization = OrganizationFactory(description_fr="<p>Texte</p>")
        organization.working_groups.add(
            working_group("capacity-building"), working_group("supportive-policy")
        )


def add_people(n):
    for _ in range(n):
        person = PersonFactory()
        AffiliationFactory(person=person)
        MembershipFactory(person=person, role=WorkingGroupMembership.Role.CHAIR)
        MembershipFactory(person=person, working_group=working_group("supportive-policy"))


def test_organization_list_query_count_does_not_grow_with_rows(client):
    add_organizations(5)
    few = queries_for(client, "/api/organizations?limit=100&lang=fr")
    add_organizations(20)
    many = queries_for(client, "/api/organizations?limit=100&lang=fr")

    assert len(api_items(client.get("/api/organizations?limit=100"))) == 25
    assert few == many <= 3


def test_people_list_query_count_does_not_grow_with_rows(client):
    add_people(5)
    few = queries_for(client, "/api/people?limit=100")
    add_people(20)
    many = queries_for(client, "/api/people?limit=100")

    assert len(api_items(client.get("/api/people?limit=100"))) == 25
    assert few == many <= 4


def test_working_group_list_query_count_does_not_grow_with_rows(client):
    add_organizations(5)
    add_people(5)
    few = queries_for(client, "/api/working-groups")
    add_organizations(20)
    add_people(20)
    many = queries_for(client, "/api/working-groups")

    assert len(api_items(client.get("/api/working-groups"))[0]["chairs"]) == 25
    assert few == many <= 3


def test_organization_list_selects_no_more_than_it_shows(client):
    OrganizationFactory()

    with CaptureQueriesContext(connection) as queries:
        client.get("/api/organizations")

    page_query = next(q["sql"] for q in queries.captured_queries if "LIMIT" in q["sql"])
    assert "logo" not in page_query
    assert "created_at" not in page_query


# OpenAPI ---------------------------------------------------------------------------------


def test_openapi_document_is_valid_and_lists_every_path():
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    document = json.loads(response.content)
    validate(document)  # raises if it breaks the OpenAPI specification
    assert document["info"]["title"] == "OER Coalition Hub API"
    assert document["info"]["version"] == "1"
    assert set(document["paths"]) >= {
        "/api/organizations",
        "/api/organizations/{slug}",
        "/api/organizations/applications",
        "/api/organizations/applications/{application_id}/approve",
        "/api/organizations/applications/{application_id}/decline",
        "/api/people",
        "/api/people/{slug}",
        "/api/working-groups",
        "/api/working-groups/{slug}",
        "/api/working-groups/{slug}/membership-requests",
        "/api/working-groups/{slug}/membership-requests/{membership_id}/accept",
        "/api/working-groups/{slug}/membership-requests/{membership_id}/decline",
    }
    assert set(document["paths"]["/api/organizations/{slug}"]) == {"get", "patch"}
    public = document["paths"]["/api/organizations"]["get"]
    assert "security" not in public
    assert document["paths"]["/api/organizations/{slug}"]["patch"]["security"]
    parameters = {p["name"] for p in public["parameters"]}
    assert parameters >= {
        "q",
        "stakeholder_type",
        "region",
        "country",
        "working_group",
        "lang",
        "limit",
        "offset",
    }


def test_organization_patch_refuses_a_description_past_the_limit(client):
    from coalition.members.forms import DESCRIPTION_MAX_LENGTH

    organization = OrganizationFactory(description_en="<p>Old</p>")
    client.force_login(focal_point_of(organization))
    response = client.patch(
        f"/api/organizations/{organization.slug}",
        {"descriptions": {"en": "y" * (DESCRIPTION_MAX_LENGTH + 1)}},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["descriptions.en"]
    organization.refresh_from_db()
    assert organization.description_en == "<p>Old</p>"
