import pytest
from django.core import mail
from django.urls import reverse

from coalition.members.models import (
    MembershipApplication,
    Organization,
    WorkingGroup,
    WorkingGroupMembership,
)
from tests.factories.members import (
    PASSWORD,
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
from tests.support.queries import assert_list_queries_flat

pytestmark = pytest.mark.django_db


def application_data(**overrides):
    data = {
        "organization_name": "OER Africa",
        "acronym": "",
        "stakeholder_type": "civil-society",
        "country": "ZA",
        "website": "https://www.oerafrica.org",
        "description": "Supports <b>OER</b> in African higher education.<script>alert(1)</script>",
        "applicant_name": "Neil Butcher",
        "applicant_email": "neil@example.org",
        "applicant_role_title": "Director",
        "motivation": "",
        "privacy_consent": "on",
    }
    data.update(overrides)
    return data


class TestDirectory:
    def test_lists_only_member_organizations(self, client):
        OrganizationFactory(name_en="Open University of Tanzania", country="TZ")
        OrganizationFactory(name_en="Pending Institute", status=Organization.Status.APPLIED)
        response = client.get(reverse("members:organization-list"))
        assert response.status_code == 200
        assert "Open University of Tanzania" in response.text
        assert "Pending Institute" not in response.text

    def test_filters_by_region_type_and_search(self, client):
        OrganizationFactory(
            name_en="Université de Genève", country="CH", stakeholder_type="university"
        )
        OrganizationFactory(
            name_en="Bibliothèque nationale", country="MA", stakeholder_type="library"
        )
        OrganizationFactory(name_en="OER Africa", country="ZA", stakeholder_type="civil-society")
        url = reverse("members:organization-list")
        assert "OER Africa" in client.get(url, {"region": "africa"}).text
        assert "OER Africa" not in client.get(url, {"region": "arab-states"}).text
        assert "Bibliothèque nationale" in client.get(url, {"stakeholder_type": "library"}).text
        found = client.get(url, {"q": "genève"}).text
        assert "Université de Genève" in found and "OER Africa" not in found

    def test_searches_names_in_other_languages(self, client):
        OrganizationFactory(name_en="Ministry of Education", name_ar="وزارة التربية", country="JO")
        assert (
            "Ministry of Education"
            in client.get(reverse("members:organization-list"), {"q": "التربية"}).text
        )

    def test_unknown_filter_value_shows_all_with_message(self, client):
        OrganizationFactory(name_en="Visible")
        response = client.get(reverse("members:organization-list"), {"region": "atlantis"})
        assert response.status_code == 200
        assert "Visible" in response.text
        assert "Select a valid choice" in response.text

    def test_query_count_does_not_grow_with_rows(self, client):
        group = working_group()
        for _ in range(3):
            group.organizations.add(OrganizationFactory())

        def grow():
            for _ in range(25):
                group.organizations.add(OrganizationFactory())
            return 25

        url = reverse("members:organization-list")
        assert_list_queries_flat(client, url, grow=grow, most=6)


class TestOrganizationPage:
    def test_shows_public_people_and_never_private_data(self, client):
        organization = OrganizationFactory(name_en="Nantes Université")
        AffiliationFactory(
            organization=organization,
            person=PersonFactory(
                name="Arnold Magdelaine", email="arnold@example.org", gender="man"
            ),
        )
        AffiliationFactory(
            organization=organization,
            person=PersonFactory(name="Hidden Person", public_profile=False),
        )
        page = client.get(organization.get_absolute_url()).text
        assert "Arnold Magdelaine" in page
        assert "Hidden Person" not in page
        assert "arnold@example.org" not in page

    def test_applied_organization_is_not_public(self, client):
        organization = OrganizationFactory(status=Organization.Status.APPLIED)
        assert client.get(organization.get_absolute_url()).status_code == 403

    def test_description_script_never_reaches_the_page(self, client):
        organization = OrganizationFactory(description_en='<p>Open</p><script>alert("x")</script>')
        page = client.get(organization.get_absolute_url()).text
        assert "<p>Open</p>" in page
        assert "<script>alert" not in page

    def test_fallback_language_is_marked(self, client):
        organization = OrganizationFactory(
            name_en="University of Geneva", description_fr="<p>Recherche</p>"
        )
        page = client.get(f"/ar{organization.get_absolute_url()[3:]}").text
        assert 'lang="fr"' in page
        assert "Recherche" in page


class TestEditOrganization:
    def test_focal_point_edits_own_organization(self, client):
        organization = OrganizationFactory()
        client.force_login(focal_point_of(organization))
        url = reverse("members:organization-edit", kwargs={"slug": organization.slug})
        response = client.post(
            url,
            {
                "name_en": "Renamed",
                "name_fr": "Renommée",
                "stakeholder_type": "library",
                "country": "SN",
                "acronym": "RN",
                "website": "",
                "description_en": "<p>Hi<img src=x onerror=alert(1)></p>",
            },
        )
        assert response.status_code == 302
        organization.refresh_from_db()
        assert organization.name_fr == "Renommée"
        assert organization.region == "africa"
        assert "onerror" not in organization.description_en

    def test_focal_point_cannot_edit_another_organization(self, client):
        client.force_login(focal_point_of(OrganizationFactory()))
        other = OrganizationFactory()
        url = reverse("members:organization-edit", kwargs={"slug": other.slug})
        assert client.get(url).status_code == 403
        assert client.post(url, {"name_en": "Hijacked"}).status_code == 403
        other.refresh_from_db()
        assert other.name_en != "Hijacked"

    def test_invalid_form_reshows_with_field_errors_and_saves_nothing(self, client):
        organization = OrganizationFactory(name_en="Before")
        client.force_login(focal_point_of(organization))
        url = reverse("members:organization-edit", kwargs={"slug": organization.slug})
        response = client.post(url, {"name_en": "", "stakeholder_type": "nope", "country": "FR"})
        assert response.status_code == 200
        assert response.context["form"].errors.keys() >= {"name_en", "stakeholder_type"}
        organization.refresh_from_db()
        assert organization.name_en == "Before"


class TestApply:
    def test_apply_creates_pending_application(self, client, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("members:apply"), application_data())
        assert response.status_code == 200
        application = MembershipApplication.objects.get()
        assert application.organization.name_en == "OER Africa"
        assert "<script>" not in application.organization.description_en
        assert {m.to[0] for m in mail.outbox} == {"neil@example.org", "secretariat@localhost"}

    def test_apply_without_consent_reshows_form_in_french(self, client):
        data = application_data()
        del data["privacy_consent"]
        response = client.post("/fr/organizations/apply/", data)
        assert response.status_code == 200
        assert "privacy_consent" in response.context["form"].errors
        assert not MembershipApplication.objects.exists()
        assert 'lang="fr"' in response.text

    def test_apply_is_rate_limited(self, client, settings):
        settings.RATELIMIT_ENABLE = True
        statuses = [client.post(reverse("members:apply"), {}).status_code for _ in range(12)]
        assert statuses[-1] == 429


class TestModeration:
    def test_secretariat_approves_from_the_queue(self, client):
        application = ApplicationFactory()
        client.force_login(SecretariatFactory())
        assert application.organization.name in client.get(reverse("members:application-list")).text
        response = client.post(application.get_absolute_url(), {"decision": "approve"})
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == "approved"

    def test_decline_without_reason_reshows_form(self, client):
        application = ApplicationFactory()
        client.force_login(SecretariatFactory())
        response = client.post(
            application.get_absolute_url(), {"decision": "decline", "reason": ""}
        )
        assert response.status_code == 200
        assert "reason" in response.context["decline_form"].errors
        application.refresh_from_db()
        assert application.status == "pending"

    def test_focal_point_cannot_see_the_queue(self, client):
        client.force_login(focal_point_of(OrganizationFactory()))
        assert client.get(reverse("members:application-list")).status_code == 403
        assert client.get(ApplicationFactory().get_absolute_url()).status_code == 403

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(reverse("members:application-list"))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


class TestWorkingGroups:
    def test_list_counts_member_organizations_and_active_people(self, client):
        group = working_group("supportive-policy")
        group.organizations.add(OrganizationFactory(), OrganizationFactory())
        group.organizations.add(OrganizationFactory(status="applied"))
        MembershipFactory(working_group=group)
        MembershipFactory(working_group=group, status="requested")
        response = client.get(reverse("members:working-group-list"))
        assert response.status_code == 200
        counts = {
            g.slug: (g.organization_count, g.people_count) for g in response.context["groups"]
        }
        assert counts[group.slug] == (2, 1)
        assert "2 organizations" in response.text and "1 person" in response.text

    def test_list_query_count_does_not_grow_with_organizations_or_people(self, client):
        group = working_group()
        group.organizations.add(OrganizationFactory())
        MembershipFactory(working_group=group)

        def grow():
            for _ in range(10):
                group.organizations.add(OrganizationFactory())
                MembershipFactory(working_group=group)
            return 20

        def counted(response):
            groups = response.context["groups"]
            assert len(groups) == WorkingGroup.objects.count()
            return sum(g.organization_count + g.people_count for g in groups)

        url = reverse("members:working-group-list")
        assert_list_queries_flat(client, url, grow=grow, rows=counted, most=8)

    def test_group_page_lists_officers_and_public_members(self, client):
        group = working_group("sustainability-models")
        MembershipFactory(
            working_group=group, person=PersonFactory(name="Chair Person"), role="chair"
        )
        MembershipFactory(
            working_group=group, person=PersonFactory(name="Shy Member", public_profile=False)
        )
        MembershipFactory(working_group=group, person=PersonFactory(name="Open Member"))
        page = client.get(group.get_absolute_url()).text
        assert "Chair Person" in page and "Open Member" in page
        assert "Shy Member" not in page

    def test_member_asks_to_join_and_chair_accepts(self, client):
        group = working_group()
        chair = chair_of(group)
        user = UserFactory()
        client.force_login(user)
        client.post(
            reverse("members:working-group-join", kwargs={"slug": group.slug}), {"message": "Hi"}
        )
        membership = WorkingGroupMembership.objects.get(person__user=user)
        assert membership.status == "requested"
        client.force_login(chair)
        url = reverse("members:working-group-requests", kwargs={"slug": group.slug})
        assert user.person.name in client.get(url).text
        client.post(url, {"membership": membership.pk, "decision": "accept"})
        membership.refresh_from_db()
        assert membership.status == "active"

    def test_member_cannot_open_requests(self, client):
        client.force_login(UserFactory())
        url = reverse("members:working-group-requests", kwargs={"slug": "capacity-building"})
        assert client.get(url).status_code == 403


class TestPeople:
    def test_directory_lists_only_consenting_people(self, client):
        PersonFactory(name="Barbara Class", email="barbara@example.org", gender="woman")
        PersonFactory(name="Private Person", public_profile=False)
        page = client.get(reverse("members:person-list")).text
        assert "Barbara Class" in page
        assert "Private Person" not in page
        assert "barbara@example.org" not in page

    def test_private_profile_is_refused_to_others(self, client):
        person = PersonFactory(public_profile=False)
        assert client.get(person.get_absolute_url()).status_code == 403

    def test_query_count_does_not_grow_with_rows(self, client):
        for _ in range(3):
            AffiliationFactory()

        def grow():
            for _ in range(25):
                AffiliationFactory()
            return 25

        url = reverse("members:person-list")
        assert_list_queries_flat(client, url, grow=grow, most=6)


class TestAccounts:
    def test_login_with_email(self, client):
        user = UserFactory(email="chair@example.org")
        response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
        assert response.status_code == 302

    def test_signup_sends_verification_mail_and_creates_person(self, client):
        response = client.post(
            "/en/accounts/signup/",
            {
                "email": "new@example.org",
                "name": "New Member",
                "password1": "open-education-2019",
                "password2": "open-education-2019",
            },
        )
        assert response.status_code == 302
        assert mail.outbox and mail.outbox[-1].to == ["new@example.org"]
        from coalition.members.models import Person

        assert Person.objects.get(user__email="new@example.org").name == "New Member"

    def test_login_is_rate_limited(self, client, settings):
        settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
        UserFactory(email="target@example.org")
        for _ in range(3):
            client.post("/en/accounts/login/", {"login": "target@example.org", "password": "wrong"})
        # Past the limit even the right password is refused, with a reason on the form.
        response = client.post(
            "/en/accounts/login/", {"login": "target@example.org", "password": PASSWORD}
        )
        assert response.status_code == 200
        assert "Too many failed login attempts" in response.text


class TestLogo:
    def edit(self, client, upload):
        organization = OrganizationFactory()
        client.force_login(focal_point_of(organization))
        url = reverse("members:organization-edit", kwargs={"slug": organization.slug})
        data = {"name_en": "Org", "stakeholder_type": "library", "country": "FR", "logo": upload}
        return organization, client.post(url, data)

    def test_disguised_script_is_refused(self, client):
        from django.core.files.uploadedfile import SimpleUploadedFile

        fake = SimpleUploadedFile(
            "logo.png", b"<script>alert(1)</script>", content_type="image/png"
        )
        organization, response = self.edit(client, fake)
        assert response.status_code == 200
        assert "logo" in response.context["form"].errors
        organization.refresh_from_db()
        assert not organization.logo

    def test_real_png_is_accepted(self, client):
        import io

        from django.core.files.uploadedfile import SimpleUploadedFile
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGB", (8, 8), "navy").save(buffer, "PNG")
        upload = SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")
        organization, response = self.edit(client, upload)
        assert response.status_code == 302
        organization.refresh_from_db()
        assert organization.logo.name.startswith("logos/")


def test_editing_in_french_keeps_each_language_name(client):
    organization = OrganizationFactory(name_en="Open University", name_fr="Université ouverte")
    client.force_login(focal_point_of(organization))
    url = f"/fr/organizations/{organization.slug}/edit/"
    response = client.post(
        url,
        {
            "name_en": "Open University",
            "name_fr": "Université ouverte",
            "stakeholder_type": "university",
            "country": "FR",
        },
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.name_en, organization.name_fr) == ("Open University", "Université ouverte")


def test_slugs_never_take_a_page_name():
    assert OrganizationFactory(name="Applications", acronym="").slug != "applications"
    assert OrganizationFactory(name="Apply", acronym="").slug != "apply"
