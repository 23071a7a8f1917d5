"""The members demo: the TOML files beside this module, loaded through the services.

`organizations.toml`, `people.toml` (with their affiliations and working-group
memberships), `applications.toml`, `working_groups.toml` and `accounts.toml` hold the data,
grounded in the Coalition's own documents (see the shared seeds) and written out once from
a seeded generator: the same on every machine and every run.

`load_demo_data()` creates what is missing, as the people concerned would have: the
secretariat records organizations and people, organizations apply and the secretariat
decides, focal points and officers take their roles. Nobody is e-mailed (`core.queue.held`),
and each row is then dated back to when it happened. Loading is idempotent: rows are keyed by
slug and e-mail, and nothing that exists is changed, so edits made while trying the Hub
survive the next `make run`.
"""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import translation

from coalition.core.page_cache import batched
from coalition.core.queue import held
from coalition.core.translated import localized_column

from .. import services
from ..models import (
    Affiliation,
    MembershipApplication,
    Organization,
    Person,
    User,
    WorkingGroup,
    WorkingGroupMembership,
)

DATA = Path(__file__).parent


def read(name):
    """One of this app's demo files, parsed."""
    return tomllib.loads((DATA / f"{name}.toml").read_text("utf-8"))


_accounts_file = read("accounts")
DEMO_PASSWORD = _accounts_file["accounts"]["password"]
SECRETARIAT_GROUP = _accounts_file["accounts"]["secretariat_group"]
DEMO_ACCOUNTS = {account["role"]: account["email"] for account in _accounts_file["account"]}
SECRETARIAT = DEMO_ACCOUNTS["secretariat"]


@dataclass(frozen=True)
class Dataset:
    organizations: list
    people: list
    applications: list
    working_groups: list
    accounts: list


@cache
def dataset():
    """The members demo as its files hold it."""
    return Dataset(
        organizations=read("organizations")["organization"],
        people=read("people")["person"],
        applications=read("applications")["application"],
        working_groups=read("working_groups")["working_group"],
        accounts=_accounts_file["account"],
    )


@dataclass
class DemoSummary:
    created: dict
    totals: dict

    def __str__(self):
        t = self.totals
        return (
            f"Demo data: {t['organizations']} organizations ({t['applied']} applied, "
            f"{t['inactive']} inactive) in {t['regions']} regions, {t['people']} people, "
            f"{t['affiliations']} affiliations, {t['memberships']} working-group memberships "
            f"({t['requests']} pending requests), {t['pending_applications']} pending "
            f"applications, {t['accounts']} demo accounts; "
            f"{sum(self.created.values())} objects created."
        )


def load_demo_data():
    """Create whatever part of the demo is missing, in one transaction; return a summary."""
    data = dataset()
    # Writing `name` fills the column of the active language: English is the reference.
    with translation.override("en"), transaction.atomic(), held(), batched():
        created = {}
        services.sync_working_groups()
        users, created["accounts"] = _accounts(data.accounts)
        secretariat = users[SECRETARIAT]
        created["working group descriptions"] = _describe_working_groups(data, secretariat)
        orgs, applications, created["organizations"] = _organizations(data, secretariat)
        people, created["people"] = _people(data, users, secretariat)
        created["applications decided"] = _decide(data, applications, secretariat)
        created["affiliations"] = _affiliations(data, orgs, people, secretariat)
        created["memberships"] = _memberships(data, people, secretariat)
        _group_organizations(data, orgs, secretariat)
    return DemoSummary(created=created, totals=_totals(data))


def _date_back(model, pk, **moments):
    """A row made through a service today, dated to when the demo's history has it."""
    model.objects.filter(pk=pk).update(**moments)


def _describe_working_groups(data, secretariat):
    """Fill the descriptions the migrations leave blank; never replace one that was written."""
    changed = 0
    groups = {g.slug: g for g in WorkingGroup.objects.all()}
    for spec in data.working_groups:
        group = groups.get(spec["slug"])
        if group is None:
            continue
        blank = {
            localized_column("description", lang): text
            for lang, text in spec["description"].items()
            if not (getattr(group, localized_column("description", lang)) or "").strip()
        }
        if blank:
            services.update_working_group(group, by=secretariat, **blank)
            changed += 1
    return changed


def _secretariat_group():
    """Model permissions for the Hub's own apps, so the admin is useful to the secretariat.

    Changing accounts stays with superusers: the secretariat must not grant itself or
    others superuser status.
    """
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    labels = [
        config.label for config in apps.get_app_configs() if config.name.startswith("coalition.")
    ]
    permissions = Permission.objects.filter(content_type__app_label__in=labels).exclude(
        content_type__app_label="members",
        codename__in=["add_user", "change_user", "delete_user"],
    )
    missing = permissions.exclude(pk__in=group.permissions.values("pk"))
    if missing.exists():
        group.permissions.add(*missing)
    return group


def _accounts(specs):
    """The demo accounts, as whoever runs the Hub creates them (no service: provisioning)."""
    emails = [spec["email"] for spec in specs]
    users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
    new = [spec for spec in specs if spec["email"] not in users]
    if new:
        # One hash for the four accounts: the password is published anyway, and hashing it
        # four times would dominate the loading time.
        password = make_password(DEMO_PASSWORD)
        for spec in new:
            secretariat = spec.get("secretariat", False)
            users[spec["email"]] = User.objects.create(
                email=spec["email"],
                password=password,
                is_secretariat=secretariat,
                is_staff=secretariat,
                date_joined=spec["joined"],
                preferred_language=spec["language"],
            )
    verified = set(
        EmailAddress.objects.filter(user__in=users.values()).values_list("email", flat=True)
    )
    for email, user in users.items():
        if email not in verified:
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    group = _secretariat_group()
    secretariat = users[SECRETARIAT]
    if not secretariat.groups.filter(pk=group.pk).exists():
        secretariat.groups.add(group)
    return users, len(new)


def _organization_fields(spec):
    fields = {localized_column("name", lang): name for lang, name in spec["name"].items()}
    fields.update(
        {
            localized_column("description", lang): html
            for lang, html in spec.get("description", {}).items()
        }
    )
    return {
        "slug": spec["slug"],
        "acronym": spec.get("acronym", ""),
        "stakeholder_type": spec["type"],
        "country": spec["country"],
        "website": spec.get("website", ""),
        **fields,
    }


def _organizations(data, secretariat):
    """Organizations that applied do so through the form; the others the secretariat records."""
    slugs = [spec["slug"] for spec in data.organizations]
    orgs = {o.slug: o for o in Organization.objects.filter(slug__in=slugs)}
    application_of = {a["organization"]: a for a in data.applications}
    new, applications = 0, {}
    for spec in data.organizations:
        if spec["slug"] in orgs:
            continue
        new += 1
        fields = _organization_fields(spec)
        application = application_of.get(spec["slug"])
        if application is None:
            organization = services.add_organization(
                by=secretariat, status=spec["status"], joined_on=spec.get("joined"), **fields
            )
            _date_back(Organization, organization.pk, created_at=spec["created_at"])
        else:
            made = services.apply_to_join(
                organization_data=fields,
                applicant_name=application["applicant_name"],
                applicant_email=application["applicant_email"],
                applicant_role_title=application["applicant_role_title"],
                motivation=application["motivation"],
                language=application["language"],
            )
            submitted = application["submitted_at"]
            _date_back(Organization, made.organization_id, created_at=submitted)
            _date_back(
                MembershipApplication, made.pk, submitted_at=submitted, privacy_consent_at=submitted
            )
            applications[spec["slug"]] = (made, application)
            organization = made.organization
        orgs[spec["slug"]] = organization
    return orgs, applications, new


def _decide(data, applications, secretariat):
    """The secretariat's decisions on the applications made in this load."""
    decided = 0
    for slug, (application, spec) in applications.items():
        status = spec["status"]
        if status == MembershipApplication.Status.APPROVED:
            services.approve_application(application, by=secretariat)
            joined = next(o["joined"] for o in data.organizations if o["slug"] == slug)
            _date_back(Organization, application.organization_id, joined_on=joined)
        elif status == MembershipApplication.Status.DECLINED:
            services.decline_application(
                application, by=secretariat, reason=spec["decision_reason"]
            )
        else:
            continue
        _date_back(MembershipApplication, application.pk, decided_at=spec["decided_at"])
        decided += 1
    return decided


def _people(data, users, secretariat):
    slugs = [spec["slug"] for spec in data.people]
    people = {p.slug: p for p in Person.objects.filter(slug__in=slugs)}
    linked = set(Person.objects.filter(user__in=users.values()).values_list("user_id", flat=True))
    new = 0
    for spec in data.people:
        user = users.get(spec.get("account", ""))
        person = people.get(spec["slug"])
        if person is not None:
            # Heal a demo account that lost its person, without taking anyone's place.
            if user and person.user_id is None and user.pk not in linked:
                person.user = user
                person.save(update_fields=["user"])
                linked.add(user.pk)
            continue
        free = user is not None and user.pk not in linked
        person = services.add_person(
            by=secretariat,
            slug=spec["slug"],
            name=spec["name"],
            country=spec["country"],
            gender=spec.get("gender", ""),
            email=spec["email"],
            public_profile=spec["public_profile"],
            user=user if free else None,
        )
        if free:
            linked.add(user.pk)
        _date_back(Person, person.pk, created_at=spec["created_at"])
        people[spec["slug"]] = person
        new += 1
    return people, new


def _affiliations(data, orgs, people, secretariat):
    existing = set(
        Affiliation.objects.filter(person__in=people.values()).values_list(
            "person_id", "organization_id"
        )
    )
    with_focal_point = set(
        Affiliation.objects.filter(organization__in=orgs.values(), is_focal_point=True).values_list(
            "organization_id", flat=True
        )
    )
    new = 0
    for spec in data.people:
        person = people[spec["slug"]]
        for affiliation in spec.get("affiliations", ()):
            organization = orgs.get(affiliation["organization"])
            if organization is None or (person.pk, organization.pk) in existing:
                continue
            # One focal point per organization, even if someone changed it since the last load.
            focal = (
                affiliation.get("focal_point", False) and organization.pk not in with_focal_point
            )
            services.affiliate(
                person,
                organization,
                by=secretariat,
                role_title=affiliation["role_title"],
                is_focal_point=focal,
            )
            if focal:
                with_focal_point.add(organization.pk)
            existing.add((person.pk, organization.pk))
            new += 1
    return new


def _memberships(data, people, secretariat):
    groups = {g.slug: g for g in WorkingGroup.objects.all()}
    existing = set(
        WorkingGroupMembership.objects.filter(person__in=people.values()).values_list(
            "working_group_id", "person_id"
        )
    )
    new = 0
    for spec in data.people:
        person = people[spec["slug"]]
        for membership in spec.get("memberships", ()):
            group = groups[membership["group"]]
            if (group.pk, person.pk) in existing:
                continue
            made = services.add_group_member(
                group,
                person,
                by=secretariat,
                role=membership["role"],
                status=membership["status"],
                message=membership.get("message", ""),
            )
            _date_back(
                WorkingGroupMembership,
                made.pk,
                requested_at=membership["requested_at"],
                decided_at=membership.get("decided_at"),
            )
            existing.add((group.pk, person.pk))
            new += 1
    return new


def _group_organizations(data, orgs, secretariat):
    by_group = {}
    for spec in data.organizations:
        for slug in spec.get("working_groups", ()):
            if spec["slug"] in orgs:
                by_group.setdefault(slug, []).append(orgs[spec["slug"]])
    for group in WorkingGroup.objects.filter(slug__in=by_group):
        present = set(group.organizations.values_list("pk", flat=True))
        missing = [o for o in by_group[group.slug] if o.pk not in present]
        if missing:
            services.add_group_organizations(group, missing, by=secretariat)


def _totals(data):
    organizations = Organization.objects.filter(slug__in=[o["slug"] for o in data.organizations])
    people = Person.objects.filter(slug__in=[p["slug"] for p in data.people])
    memberships = WorkingGroupMembership.objects.filter(person__in=people)
    status = Organization.Status
    return {
        "organizations": organizations.count(),
        "applied": organizations.filter(status=status.APPLIED).count(),
        "inactive": organizations.filter(status=status.INACTIVE).count(),
        "regions": organizations.exclude(region="").values("region").distinct().count(),
        "people": people.count(),
        "affiliations": Affiliation.objects.filter(person__in=people).count(),
        "memberships": memberships.count(),
        "requests": memberships.filter(status=WorkingGroupMembership.Status.REQUESTED).count(),
        "pending_applications": MembershipApplication.objects.filter(
            organization__in=organizations, status=MembershipApplication.Status.PENDING
        ).count(),
        "accounts": User.objects.filter(email__in=list(DEMO_ACCOUNTS.values())).count(),
    }
