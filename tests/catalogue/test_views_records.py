"""Hand-made records: the form, CSV import, moderation, edits that wait, withdrawal."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coalition.catalogue.models import Record, RecordSubmission
from coalition.catalogue.services import imports, submissions
from coalition.members.models import Organization
from tests.factories.catalogue import record_data, record_form_data
from tests.factories.members import OrganizationFactory, SecretariatFactory, focal_point_of


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Open Learning Institute", country="KE")


@pytest.fixture
def focal_point(organization):
    return focal_point_of(organization)


@pytest.fixture
def secretariat(db):
    return SecretariatFactory()


def visible_titles():
    return set(Record.objects.visible().values_list("title", flat=True))


def test_record_form_sends_a_record_for_moderation(client, focal_point, organization):
    client.force_login(focal_point)
    data = record_form_data(organization=organization.pk)
    response = client.post(reverse("catalogue:record-add"), data)

    submission = RecordSubmission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == submission.get_absolute_url()
    assert submission.status == "pending"
    assert submission.data["licence_class"] == "open"
    assert submission.data["action_areas"] == [1]
    assert visible_titles() == set()  # nothing public before moderation


def test_record_form_reshows_mistakes(client, focal_point, organization):
    client.force_login(focal_point)
    data = record_form_data(organization=organization.pk, urls="not a link", title_language="??",
                            licence="")  # fmt: skip
    response = client.post(reverse("catalogue:record-add"), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"urls", "title_language", "licence"} <= set(errors)
    assert not RecordSubmission.objects.exists()


def test_person_without_focal_point_role_cannot_add_records(client, organization, db):
    from tests.factories.members import AffiliationFactory, PersonFactory, UserFactory

    user = UserFactory()
    AffiliationFactory(person=PersonFactory(user=user), organization=organization)
    client.force_login(user)
    response = client.get(reverse("catalogue:record-add"))
    assert response.status_code == 302
    with pytest.raises(PermissionDenied):
        submissions.submit_record(user=user, organization=organization, data=record_data())


def test_approving_publishes_the_record_and_tells_the_submitter(
    client, focal_point, organization, secretariat, django_capture_on_commit_callbacks
):
    submission = submissions.submit_record(
        user=focal_point, organization=organization, data=record_data()
    )
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("catalogue:moderation-record", kwargs={"pk": submission.pk}),
            {"decision": "approve"},
        )

    assert response.status_code == 302
    record = Record.objects.get()
    assert record.source.kind == "manual" and record.source.organization == organization
    assert visible_titles() == {"Introduction to open licensing"}
    assert list(record.action_areas.values_list("number", flat=True)) == [1]
    assert mail.outbox and "published" in mail.outbox[-1].subject.lower()
    page = client.get(record.work.get_absolute_url())
    assert "Introduction to open licensing" in page.text


def test_declining_needs_a_reason_and_publishes_nothing(client, focal_point, organization,
                                                       secretariat):  # fmt: skip
    submission = submissions.submit_record(
        user=focal_point, organization=organization, data=record_data()
    )
    client.force_login(secretariat)
    url = reverse("catalogue:moderation-record", kwargs={"pk": submission.pk})
    response = client.post(url, {"decision": "decline", "message": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["message"]
    client.post(url, {"decision": "decline", "message": "Not an educational resource."})
    submission.refresh_from_db()
    assert submission.status == "declined"
    assert visible_titles() == set()


def test_changes_requested_then_revised_goes_back_to_the_queue(client, focal_point, organization,
                                                              secretariat):  # fmt: skip
    submission = submissions.submit_record(
        user=focal_point, organization=organization, data=record_data()
    )
    submissions.request_record_changes(submission, by=secretariat, message="Add a description.")
    client.force_login(focal_point)
    url = submission.get_absolute_url()
    page = client.get(url)
    assert "Add a description." in page.text
    client.post(url, record_form_data(description="Now with a description."))

    latest = RecordSubmission.objects.exclude(status="superseded").get()
    assert latest.status == "pending"
    assert latest.data["description"] == "Now with a description."
    assert RecordSubmission.objects.get(pk=submission.pk).status == "superseded"


def test_edit_of_a_published_record_waits_and_the_published_version_stays(
    client, focal_point, organization, secretariat
):
    submission = submissions.submit_record(
        user=focal_point, organization=organization, data=record_data()
    )
    submissions.approve_submission(submission, by=secretariat)
    record = Record.objects.get()
    client.force_login(focal_point)
    response = client.post(
        reverse("catalogue:record-edit", kwargs={"pk": record.pk}),
        record_form_data(title="A new title, not yet approved"),
    )

    assert response.status_code == 302
    assert visible_titles() == {"Introduction to open licensing"}
    edit = RecordSubmission.objects.get(status="pending")
    assert edit.record == record
    page = client.get(record.work.get_absolute_url())
    assert "waits for moderation" in page.text

    submissions.approve_submission(edit, by=secretariat)
    assert visible_titles() == {"A new title, not yet approved"}
    assert Record.objects.count() == 1  # the same record, changed in place
    assert record.changes.filter(kind="updated").exists()


def test_secretariat_records_are_published_at_once(client, secretariat, organization):
    client.force_login(secretariat)
    client.post(reverse("catalogue:record-add"), record_form_data(organization=organization.pk))
    assert visible_titles() == {"Introduction to open licensing"}


def test_only_the_organization_may_edit_its_records(client, focal_point, organization,
                                                   secretariat):  # fmt: skip
    submission = submissions.submit_record(
        user=focal_point, organization=organization, data=record_data()
    )
    submissions.approve_submission(submission, by=secretariat)
    record = Record.objects.get()
    other = focal_point_of(OrganizationFactory())
    client.force_login(other)
    url = reverse("catalogue:record-edit", kwargs={"pk": record.pk})
    assert client.get(url).status_code == 403
    assert client.post(reverse("catalogue:record-withdraw", kwargs={"pk": record.pk})
                       ).status_code == 403  # fmt: skip


def test_withdrawing_a_record_keeps_it_as_deleted(client, focal_point, organization, secretariat):
    submission = submissions.submit_record(
        user=focal_point, organization=organization, data=record_data()
    )
    submissions.approve_submission(submission, by=secretariat)
    record = Record.objects.get()
    client.force_login(focal_point)
    client.post(reverse("catalogue:record-withdraw", kwargs={"pk": record.pk}))

    record.refresh_from_db()
    assert record.deleted and record.changes.filter(kind="deleted").exists()
    assert client.get(record.work.get_absolute_url()).status_code == 404


# CSV import ------------------------------------------------------------------------------


def csv_file(text, name="records.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_template_is_utf8_with_bom_and_imports_cleanly(client, focal_point, organization):
    client.force_login(focal_point)
    template = client.get(reverse("catalogue:import-template"))
    assert template.content.startswith(b"\xef\xbb\xbf")

    response = client.post(
        reverse("catalogue:record-import"),
        {"organization": organization.pk, "file": csv_file(template.content.decode("utf-8"))},
    )
    assert response.status_code == 302
    submission = RecordSubmission.objects.get()
    assert submission.batch
    assert submission.data["creators"][0] == {"name": "Amina Hassan",
                                              "orcid": "0000-0002-1825-0097"}  # fmt: skip
    assert submission.data["action_areas"] == [1, 3]


def test_import_lists_every_error_by_line_and_saves_nothing(client, focal_point, organization):
    header = ",".join(imports.COLUMNS)
    good = imports.template_csv().splitlines()[1]
    rows = [
        header,
        good,
        ",en,,,,,,https://example.org/x,,,,,,,CC-BY-4.0,,,,",  # no title
        "Titre,fr,,,,not-a-date,,ftp://x,,,,,,,,,,,9",  # date, link, licence, area
        good,
    ]
    client.force_login(focal_point)
    response = client.post(
        reverse("catalogue:record-import"),
        {"organization": organization.pk, "file": csv_file("\n".join(rows))},
    )

    assert response.status_code == 200
    lines = {line for line, _message in response.context["errors"]}
    assert lines == {3, 4}
    messages = " ".join(message for _line, message in response.context["errors"])
    assert "title" in messages and "urls" in messages and "date_created" in messages
    assert "action_areas" in messages and "licence" in messages
    assert "Line 3:" in response.text
    assert not RecordSubmission.objects.exists()


@pytest.mark.parametrize(
    "content, words",
    [
        ("title;urls\n", "Missing columns"),
        ("title,title_language,urls,colour\nA,en,https://x.org,red\n", "Unknown columns"),
        ("title,title_language,urls\n", "no rows"),
    ],
)
def test_import_refuses_files_it_cannot_read(focal_point, content, words):
    checked = imports.check_csv(csv_file(content))
    assert not checked.ok
    assert words in checked.errors[0][1]


def test_import_refuses_text_that_is_not_utf8(focal_point):
    upload = SimpleUploadedFile("x.csv", "title,title_language,urls\nÉté,fr,https://x.org\n"
                                .encode("latin-1"))  # fmt: skip
    checked = imports.check_csv(upload)
    assert "UTF-8" in checked.errors[0][1]


def test_import_reads_semicolon_delimited_files_with_arabic(focal_point):
    text = "title;title_language;urls;licence\nمقدمة في الرخص المفتوحة;ar;https://x.org/a;CC0-1.0\n"
    checked = imports.check_csv(csv_file(text))
    assert checked.ok, checked.errors
    assert checked.records[0]["title"] == "مقدمة في الرخص المفتوحة"
    assert checked.records[0]["licence_class"] == "open"


def test_whole_import_is_published_together(client, focal_point, organization, secretariat):
    rows = [imports.template_csv().splitlines()[0]] + [
        f"Resource {n},en,,,,,,https://example.org/r/{n},,,,,,,CC-BY-SA-4.0,,,," for n in range(5)
    ]
    checked = imports.check_csv(csv_file("\n".join(rows)))
    created = submissions.submit_records(
        user=focal_point, organization=organization, records=checked.records, batch="b1"
    )
    assert len(created) == 5
    client.force_login(secretariat)
    queue = client.get(reverse("catalogue:moderation-queue"))
    assert queue.status_code == 200 and len(queue.context["batches"]) == 1
    client.post(reverse("catalogue:moderation-batch", kwargs={"batch": "b1"}))
    assert len(visible_titles()) == 5


def test_moderation_queue_query_count_does_not_grow(client, focal_point, organization, secretariat,
                                                   django_assert_max_num_queries):  # fmt: skip
    submissions.submit_record(user=focal_point, organization=organization, data=record_data())
    client.force_login(secretariat)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("catalogue:moderation-queue"))
    for number in range(10):
        submissions.submit_record(
            user=focal_point, organization=organization, data=record_data(title=f"R {number}")
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("catalogue:moderation-queue"))
    assert len(response.context["page"]) == 11


def test_moderation_is_for_the_secretariat_only(client, focal_point):
    client.force_login(focal_point)
    assert client.get(reverse("catalogue:moderation-queue")).status_code == 403
    client.logout()
    response = client.get(reverse("catalogue:moderation-queue"))
    assert response.status_code == 302


def test_only_member_organizations_add_records(secretariat):
    applicant = OrganizationFactory(status=Organization.Status.APPLIED)
    with pytest.raises(ValidationError, match="Only member organizations"):
        submissions.submit_record(user=secretariat, organization=applicant, data=record_data())


def test_my_records_query_count_does_not_grow(client, focal_point, organization, secretariat,
                                             django_assert_max_num_queries):  # fmt: skip
    first = submissions.submit_record(
        user=focal_point, organization=organization, data=record_data()
    )
    submissions.approve_submission(first, by=secretariat)
    client.force_login(focal_point)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("catalogue:my-records"))
    for number in range(8):
        made = submissions.submit_record(
            user=focal_point, organization=organization, data=record_data(title=f"R {number}",
                                                                          urls=f"https://x.org/{number}")
        )  # fmt: skip
        if number % 2:
            submissions.approve_submission(made, by=secretariat)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("catalogue:my-records"))
    assert len(response.context["page"]) == 9
    assert len(response.context["published"]) == 5
