from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Q

from coalition.members import demo, services
from coalition.members.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_data
from coalition.members.models import (
    Affiliation,
    Gender,
    MembershipApplication,
    Organization,
    Person,
    StakeholderType,
    User,
    WorkingGroup,
    WorkingGroupMembership,
)
from coalition.recommendation.content import content_in
from coalition.recommendation.regions import Region, region_for_country

pytestmark = pytest.mark.django_db
# The demo's "today": the March 2023 Update. No member date is later.
DEMO_TODAY = date(2023, 3, 15)

SEED_PEOPLE = {
    "Tawfik Jelassi": ("unesco", "Assistant Director-General for Communication and Information"),
    "Nivo Ralamboranto": ("men-madagascar", "Chief of Service of Technological Innovations"),
    "Arnold Magdelaine": ("cdp-nantes", "Director of the Pedagogical Development Centre (CDP)"),
    "Barbara Class": ("unige", "Research Professor"),
    "Aissatou Dabo": ("unesco", "OER Dynamic Coalition team"),
    "Eleni Boursinou": ("unesco", "OER Dynamic Coalition team"),
    "Vincent de Lavenne de la Montoise": (
        "bibliotheque-sorbonne-nouvelle",
        "Librarian, open educational resources",
    ),
}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module and rolled back after it, like a test's data."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo_data()
        transaction.set_rollback(True)


def row_counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models(include_auto_created=True)
    }


def account(role):
    return User.objects.get(email=DEMO_ACCOUNTS[role])


# Before any test that uses `loaded`: this one needs the empty database.
def test_first_load_goes_through_the_services_and_sends_no_mail(monkeypatch, mailoutbox):
    calls = Counter()
    for name in ("add_organization", "apply_to_join", "approve_application", "add_person"):
        original = getattr(services, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            calls[_name] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(services, name, counted)
    load_demo_data()
    data = demo.dataset()
    applications = Counter(a["status"] for a in data.applications)
    assert calls["apply_to_join"] == len(data.applications)
    assert calls["approve_application"] == applications["approved"]
    assert calls["add_organization"] == len(data.organizations) - len(data.applications)
    assert calls["add_person"] == len(data.people)
    assert mailoutbox == []


def test_load_demo_command_prints_a_one_line_summary(loaded):
    out = StringIO()
    call_command("load_demo", stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert f"{Organization.objects.count()} organizations" in lines[0]
    assert f"{Person.objects.count()} people" in lines[0]


def test_demo_counts_are_in_expected_ranges(loaded):
    assert 55 <= Organization.objects.count() <= 70
    assert 3 <= Organization.objects.filter(status="applied").count() <= 4
    # Two former members, and the two organizers of a call the Update relays (UNDP, DPGA).
    assert Organization.objects.filter(status="inactive").count() == 4
    assert 150 <= Person.objects.count() <= 200
    assert Affiliation.objects.count() >= Person.objects.count()
    assert WorkingGroup.objects.count() == 5
    assert WorkingGroupMembership.objects.filter(status="active").count() >= 100
    assert 3 <= WorkingGroupMembership.objects.filter(status="requested").count() <= 10
    assert loaded.totals["organizations"] == Organization.objects.count()


def test_demo_covers_all_regions_and_stakeholder_types_among_members(loaded):
    members = Organization.objects.members()
    assert set(members.values_list("region", flat=True)) == set(Region.values)
    assert set(members.values_list("stakeholder_type", flat=True)) == set(StakeholderType.values)


def test_demo_organization_regions_follow_their_countries(loaded):
    for organization in Organization.objects.all():
        assert organization.region == region_for_country(organization.country)


def test_demo_includes_the_seed_organizations(loaded):
    unesco = Organization.objects.get(slug="unesco")
    assert (unesco.acronym, unesco.country, unesco.stakeholder_type) == ("UNESCO", "FR", "igo")
    madagascar = Organization.objects.get(slug="men-madagascar")
    assert (madagascar.country, madagascar.stakeholder_type) == ("MG", "member-state")
    assert Organization.objects.get(slug="cdp-nantes").acronym == "CDP"
    assert Organization.objects.get(slug="unige").name_fr == "Université de Genève"
    assert Organization.objects.get(slug="oer-africa").name_fr == "OER Afrique"
    assert Organization.objects.get(slug="sorbonne-nouvelle").country == "FR"
    assert Organization.objects.get(slug="bibliotheque-sorbonne-nouvelle").stakeholder_type == (
        "library"
    )


def test_demo_includes_the_seed_people_with_their_role_titles(loaded):
    for name, (organization, role_title) in SEED_PEOPLE.items():
        affiliation = Affiliation.objects.get(person__name=name, organization__slug=organization)
        assert affiliation.role_title == role_title


def test_every_member_organization_has_exactly_one_focal_point(loaded):
    counts = Organization.objects.members().annotate(
        focal_points=Count("affiliations", filter=Q(affiliations__is_focal_point=True))
    )
    assert {o.slug: o.focal_points for o in counts if o.focal_points != 1} == {}


def test_applied_organizations_wait_in_the_secretariat_queue(loaded):
    applied = Organization.objects.filter(status="applied")
    pending = MembershipApplication.objects.filter(status="pending")
    assert set(pending.values_list("organization_id", flat=True)) == set(
        applied.values_list("pk", flat=True)
    )
    assert {application.language for application in pending} >= {"en", "ar", "es"}
    assert all(application.applicant_email.endswith("@example.org") for application in pending)


def test_people_have_private_fields_filled_as_people_would(loaded):
    people = Person.objects.all()
    assert all(p.email.endswith("@example.org") for p in people)
    genders = set(people.values_list("gender", flat=True))
    assert genders == {*Gender.values, ""}
    women = people.filter(gender=Gender.WOMAN).count()
    men = people.filter(gender=Gender.MAN).count()
    assert abs(women - men) <= people.count() // 10
    hidden = people.filter(public_profile=False).count()
    assert 0 < hidden < people.count() // 3
    assert set(Affiliation.objects.values_list("person_id", flat=True)) == set(
        people.values_list("pk", flat=True)
    )
    assert people.annotate(n=Count("affiliations")).filter(n=2).exists()


def test_people_come_from_the_countries_of_their_organizations(loaded):
    countries = set(Person.objects.exclude(country="").values_list("country", flat=True))
    assert {region_for_country(c) for c in countries} == set(Region.values)


def test_every_working_group_has_two_chairs_and_a_rapporteur_balanced(loaded):
    for group in WorkingGroup.objects.all():
        officers = group.memberships.filter(status="active").exclude(role="member")
        chairs = [m.person for m in officers if m.role == "chair"]
        rapporteurs = [m.person for m in officers if m.role == "rapporteur"]
        assert len(chairs) == 2, group.slug
        assert len(rapporteurs) == 1, group.slug
        assert {p.gender for p in chairs} == {Gender.WOMAN, Gender.MAN}, group.slug
        regions = {region_for_country(p.country) for p in chairs + rapporteurs}
        assert len(regions) == 3, group.slug
        assert group.memberships.filter(status="active", role="member").count() >= 10
        assert group.organizations.count() >= 5
        assert not group.organizations.exclude(status="member").exists()


def test_officers_come_from_every_region_and_both_genders(loaded):
    officers = Person.objects.filter(group_memberships__role__in=["chair", "rapporteur"]).distinct()
    assert {region_for_country(p.country) for p in officers} == set(Region.values)
    women = officers.filter(gender=Gender.WOMAN).count()
    men = officers.filter(gender=Gender.MAN).count()
    assert abs(women - men) <= 1


def test_pending_join_requests_include_the_chair_accounts_group(loaded):
    requests = WorkingGroupMembership.objects.filter(status="requested")
    assert requests.filter(working_group__slug="capacity-building").count() >= 2
    assert all(request.message for request in requests)
    assert all(request.decided_at is None for request in requests)


def test_names_have_translations_and_descriptions_show_fallbacks(loaded):
    alecso = Organization.objects.get(slug="alecso")
    assert alecso.name_ar == "المنظمة العربية للتربية والثقافة والعلوم"
    assert content_in(alecso, "description", "ar").language == "ar"
    assert Organization.objects.exclude(name_fr=None).exclude(name_fr="").count() >= 20
    assert Organization.objects.exclude(name_ar=None).exclude(name_ar="").count() >= 10
    assert not Organization.objects.filter(Q(name_en=None) | Q(name_en="")).exists()
    # The pedagogical development centre describes itself in French only: English
    # readers see the French text, marked as a fallback.
    cdp_in_english = content_in(Organization.objects.get(slug="cdp-nantes"), "description", "en")
    assert cdp_in_english.is_fallback
    assert cdp_in_english.language == "fr"
    for organization in Organization.objects.all():
        assert content_in(organization, "description", "en").value, organization.slug


def test_demo_dates_are_fixed_and_never_today(loaded):
    joined = Organization.objects.exclude(joined_on=None).values_list("joined_on", flat=True)
    assert min(joined) == date(2020, 3, 2)
    assert max(joined) <= DEMO_TODAY
    assert Organization.objects.filter(status="member", joined_on=None).count() == 0
    latest = max(
        Organization.objects.aggregate(m=Max("created_at"))["m"],
        Person.objects.aggregate(m=Max("created_at"))["m"],
        WorkingGroupMembership.objects.aggregate(m=Max("requested_at"))["m"],
        MembershipApplication.objects.aggregate(m=Max("submitted_at"))["m"],
        User.objects.aggregate(m=Max("date_joined"))["m"],
    )
    assert latest.date() <= DEMO_TODAY


def test_loaded_members_hold_what_their_files_say(loaded):
    data = demo.dataset()
    people = {p.slug: p for p in Person.objects.prefetch_related("group_memberships")}
    for spec in data.people:
        person = people[spec["slug"]]
        assert (person.name, person.email, person.created_at) == (
            spec["name"],
            spec["email"],
            spec["created_at"],
        )
        dates = {
            (m.working_group.slug, m.requested_at, m.decided_at)
            for m in person.group_memberships.select_related("working_group")
        }
        assert dates == {
            (m["group"], m["requested_at"], m.get("decided_at"))
            for m in spec.get("memberships", ())
        }
    organizations = {o.slug: o for o in Organization.objects.all()}
    for spec in data.organizations:
        organization = organizations[spec["slug"]]
        assert (organization.status, organization.joined_on) == (spec["status"], spec.get("joined"))


def test_load_demo_twice_leaves_every_table_unchanged(loaded):
    before = row_counts()
    last_change = Organization.objects.aggregate(m=Max("updated_at"))["m"]
    second = load_demo_data()
    assert row_counts() == before
    assert sum(second.created.values()) == 0
    assert Organization.objects.aggregate(m=Max("updated_at"))["m"] == last_change


def test_load_demo_keeps_edits_and_restores_only_what_is_missing(loaded):
    Organization.objects.filter(slug="unige").update(name_en="University of Geneva (edited)")
    Person.objects.filter(name="Barbara Class").update(public_profile=False)
    Organization.objects.filter(slug="uvs").delete()
    before = row_counts()
    again = load_demo_data()
    assert Organization.objects.get(slug="unige").name_en == "University of Geneva (edited)"
    assert not Person.objects.get(name="Barbara Class").public_profile
    assert Organization.objects.filter(slug="uvs").exists()
    assert again.created["organizations"] == 1
    assert row_counts()["members.Organization"] == before["members.Organization"] + 1


def test_load_demo_never_gives_an_organization_a_second_focal_point(loaded):
    madagascar = Organization.objects.get(slug="men-madagascar")
    Affiliation.objects.filter(organization=madagascar, is_focal_point=True).delete()
    newcomer = Person.objects.create(name="New Focal Point", slug="new-focal-point")
    Affiliation.objects.create(person=newcomer, organization=madagascar, is_focal_point=True)
    load_demo_data()
    focal_points = Affiliation.objects.filter(organization=madagascar, is_focal_point=True)
    assert list(focal_points.values_list("person__name", flat=True)) == ["New Focal Point"]


@pytest.mark.parametrize("role", list(DEMO_ACCOUNTS))
def test_demo_account_signs_in_with_the_demo_password(client, loaded, role):
    response = client.post(
        "/en/accounts/login/", {"login": DEMO_ACCOUNTS[role], "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == account(role).pk


def test_secretariat_account_moderates_and_opens_the_admin(client, loaded):
    user = account("secretariat")
    assert user.is_secretariat and user.is_staff and not user.is_superuser
    assert user.has_perm("members.moderate_applications")
    assert user.has_perm("members.change_organization", Organization.objects.get(slug="unige"))
    client.force_login(user)
    response = client.get("/en/admin/")
    assert response.status_code == 200
    assert b"/admin/members/organization/" in response.content
    assert client.get("/en/admin/members/organization/").status_code == 200
    assert not user.has_perm("members.change_user")


def test_focal_point_account_acts_for_madagascar_only(loaded):
    user = account("focal point (Madagascar)")
    madagascar = Organization.objects.get(slug="men-madagascar")
    assert user.person.name == "Nivo Ralamboranto"
    assert user.has_perm("members.change_organization", madagascar)
    assert user.has_perm("members.act_for_organization", madagascar)
    assert not user.has_perm("members.change_organization", Organization.objects.get(slug="unesco"))
    assert not user.has_perm("members.moderate_applications")


def test_chair_account_manages_the_capacity_building_group_only(loaded):
    user = account("working-group chair")
    capacity = WorkingGroup.objects.get(slug="capacity-building")
    assert user.has_perm("members.manage_working_group", capacity)
    assert user.has_perm("members.view_working_group_contacts", capacity)
    request = capacity.memberships.filter(status="requested").first()
    assert user.has_perm("members.decide_group_membership", request)
    policy = WorkingGroup.objects.get(slug="supportive-policy")
    assert not user.has_perm("members.manage_working_group", policy)
    assert not user.has_perm("members.moderate_applications")


def test_member_account_is_a_plain_working_group_member(loaded):
    user = account("member")
    person = user.person
    assert person.group_memberships.filter(status="active", role="member").exists()
    assert not person.group_memberships.exclude(role="member").exists()
    assert not person.affiliations.filter(is_focal_point=True).exists()
    assert user.has_perm("members.request_group_membership")
    assert user.has_perm("members.change_person", person)
    for organization in person.organizations.all():
        assert not user.has_perm("members.change_organization", organization)
    for group in WorkingGroup.objects.all():
        assert not user.has_perm("members.manage_working_group", group)
    assert not user.has_perm("members.moderate_applications")
    assert not user.is_staff


def test_working_group_officers_have_public_profiles(loaded):
    officers = WorkingGroupMembership.objects.exclude(role="member").select_related("person")
    assert all(m.person.public_profile for m in officers)
