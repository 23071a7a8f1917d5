"""Registering a source (checked with Identify), its approval, edits and withdrawal."""

import pytest
from django.urls import reverse

from coalition.catalogue.models import Record, Source
from coalition.catalogue.services import sources as services
from tests.catalogue import pages
from tests.catalogue.conftest import Reply
from tests.factories.catalogue import make_record
from tests.factories.members import OrganizationFactory, SecretariatFactory, focal_point_of


@pytest.fixture
def member(db):
    return OrganizationFactory(name="University Library", country="ZA")


@pytest.fixture
def focal_point(member):
    return focal_point_of(member)


@pytest.fixture
def secretariat(db):
    return SecretariatFactory()


def answering(server):
    server.on(Reply(pages.identify().encode()), verb="Identify")
    server.on(Reply(pages.list_metadata_formats("oai_dc").encode()), verb="ListMetadataFormats")
    return server


def register(client, organization, url, **extra):
    return client.post(
        reverse("catalogue:source-register"),
        {"organization": organization.pk, "base_url": url, "name": "", "set_spec": "",
         "harvest_every_hours": 24, **extra},
    )  # fmt: skip


def test_focal_point_registers_an_endpoint_that_waits_for_approval(client, oai_server, member,
                                                                  focal_point):  # fmt: skip
    answering(oai_server)
    client.force_login(focal_point)
    response = register(client, member, oai_server.url)

    source = Source.objects.get()
    assert response.status_code == 302 and response["Location"] == source.get_absolute_url()
    assert source.status == "pending" and source.registered_by == focal_point
    assert source.repository_name == "Example OER"
    assert source.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert not Source.objects.due().exists()  # not harvested before approval
    assert client.get(source.get_absolute_url()).status_code == 200  # its organization sees it
    client.logout()
    assert client.get(source.get_absolute_url()).status_code == 403  # the public does not


def test_an_address_that_is_not_oai_pmh_is_refused_with_the_reason(client, oai_server, member,
                                                                  focal_point):  # fmt: skip
    oai_server.on(Reply(b"<html><body>Welcome</body></html>",
                        headers={"Content-Type": "text/html"}))  # fmt: skip
    client.force_login(focal_point)
    response = register(client, member, oai_server.url)

    assert response.status_code == 200
    assert "does not answer as an OAI-PMH endpoint" in " ".join(
        response.context["form"].errors["base_url"]
    )
    assert not Source.objects.exists()


def test_secretariat_approves_and_the_first_harvest_is_queued(
    client, oai_server, member, focal_point, secretariat, django_capture_on_commit_callbacks
):
    answering(oai_server)
    source = services.propose_source(focal_point, member, oai_server.url)
    oai_server.on(Reply(pages.list_records([pages.record(1), pages.record(2)]).encode()),
                  verb="ListRecords")  # fmt: skip
    client.force_login(secretariat)
    queue = client.get(reverse("catalogue:moderation-queue"))
    assert source in list(queue.context["sources"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("catalogue:moderation-source", kwargs={"slug": source.slug}),
                    {"decision": "approve"})  # fmt: skip

    source.refresh_from_db()
    assert source.status == "approved" and source.decided_by == secretariat
    # The tests' task backend runs the harvest at once.
    assert Record.objects.filter(source=source).count() == 2


def test_declining_a_source_needs_a_reason(member, focal_point, secretariat, oai_server):
    answering(oai_server)
    source = services.propose_source(focal_point, member, oai_server.url)
    with pytest.raises(Exception, match="why"):
        services.decline_source(source, by=secretariat, reason=" ")
    services.decline_source(source, by=secretariat, reason="This is a test server.")
    source.refresh_from_db()
    assert source.status == "declined" and not source.is_active


def test_other_organizations_cannot_register_for_a_member(client, member, oai_server):
    answering(oai_server)
    outsider = focal_point_of(OrganizationFactory())
    client.force_login(outsider)
    response = register(client, member, oai_server.url)
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Source.objects.exists()


def test_editing_the_name_applies_at_once_and_a_new_address_waits(
    client, oai_server, member, focal_point, secretariat
):
    answering(oai_server)
    source = services.propose_source(focal_point, member, oai_server.url)
    services.approve_source(source, by=secretariat)
    client.force_login(focal_point)
    url = reverse("catalogue:source-edit", kwargs={"slug": source.slug})
    form = {"base_url": oai_server.url, "name": "Our library", "set_spec": "",
            "harvest_every_hours": 168, "is_active": "on"}  # fmt: skip
    client.post(url, form)
    source.refresh_from_db()
    assert (source.name, source.harvest_every_hours, source.status) == ("Our library", 168,
                                                                        "approved")  # fmt: skip

    client.post(url, {**form, "set_spec": "oer"})
    source.refresh_from_db()
    assert source.set_spec == "oer" and source.status == "pending"
    assert not Source.objects.due().exists()


def test_withdrawing_a_source_stops_harvests_and_deletes_its_records(client, member, focal_point):
    source = Source.objects.create(organization=member, name="Repo", slug="repo",
                                   base_url="http://example.org/oai")  # fmt: skip
    for number in range(3):
        make_record(source, f"r{number}", title=f"Record {number}")
    client.force_login(focal_point)
    client.post(reverse("catalogue:source-withdraw", kwargs={"slug": source.slug}))

    source.refresh_from_db()
    assert source.status == "withdrawn" and not source.is_active
    assert not Record.objects.visible().filter(source=source).exists()
    assert Record.objects.filter(source=source, deleted=True).count() == 3
    assert client.get(reverse("catalogue:source-edit", kwargs={"slug": source.slug})
                      ).status_code == 302  # fmt: skip


def test_harvest_task_skips_a_source_not_approved(member, db):
    from coalition.catalogue.tasks import harvest

    source = Source.objects.create(organization=member, name="Pending", slug="pending",
                                   base_url="http://127.0.0.1:9/oai", status="pending")  # fmt: skip
    result = harvest.enqueue(source.pk)
    assert result.return_value == {"run": None, "status": "not-approved"}
    assert not source.runs.exists()


def test_source_page_shows_reports_to_its_organization_only(client, member, focal_point):
    source = Source.objects.create(organization=member, name="Repo", slug="repo",
                                   base_url="http://example.org/oai")  # fmt: skip
    source.runs.create(kind="full", status="succeeded", added=12)
    assert client.get(source.get_absolute_url()).context["runs"] == []
    client.force_login(focal_point)
    assert len(client.get(source.get_absolute_url()).context["runs"]) == 1


def test_organization_page_shows_its_sources_and_record_counts(client, member):
    source = Source.objects.create(organization=member, name="Repo", slug="repo",
                                   base_url="http://example.org/oai")  # fmt: skip
    make_record(source, "one", title="One")
    response = client.get(member.get_absolute_url())
    assert "In the OER catalogue" in response.text
    assert "1 record" in response.text


def test_source_list_query_count_does_not_grow(client, member, django_assert_max_num_queries):
    Source.objects.create(organization=member, name="Repo 0", slug="repo-0",
                          base_url="http://example.org/oai/0")  # fmt: skip
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("catalogue:source-list"))
    for number in range(1, 8):
        Source.objects.create(organization=member, name=f"Repo {number}", slug=f"repo-{number}",
                              base_url=f"http://example.org/oai/{number}")  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("catalogue:source-list"))
    assert len(response.context["page"]) == 8
