import pytest
from django.urls import reverse

from coalition.consultations.models import Report
from coalition.consultations.services import reports
from tests.factories.consultations import ConsultationFactory, member_user, role_in
from tests.factories.members import SecretariatFactory, working_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared():
    group = working_group("supportive-policy")
    rapporteur = role_in(group, "rapporteur")
    report = reports.start_report(ConsultationFactory(), group, user=rapporteur)
    reports.update_report(
        report,
        user=rapporteur,
        data={"priorities_en": "<p>Model policies</p>", "priorities_ar": "<p>سياسات نموذجية</p>"},
    )
    return reports.share_report(report, user=rapporteur)


def _url(report, name):
    return reverse(
        f"consultations:{name}",
        kwargs={"slug": report.consultation.slug, "group": report.working_group.slug},
    )


def test_chair_publishing_gets_a_clear_answer_and_nothing_changes(client, shared):
    client.force_login(role_in(shared.working_group, "chair"))
    response = client.post(_url(shared, "report-publish"), follow=True)
    assert "Only the secretariat publishes reports." in response.content.decode()
    shared.refresh_from_db()
    assert shared.state == Report.State.SHARED


def test_chair_remarks_on_a_section_of_the_shared_report(client, shared):
    client.force_login(role_in(shared.working_group, "chair"))
    response = client.post(
        _url(shared, "note-add"), {"part": "priorities", "body": "Add funding."}, follow=True
    )
    assert "Add funding." in response.content.decode()
    assert shared.notes.get().part == "priorities"


def test_rapporteur_of_another_group_cannot_open_the_editor(client, shared):
    client.force_login(role_in(working_group("capacity-building"), "rapporteur"))
    assert client.get(_url(shared, "report-edit")).status_code == 403


def test_rapporteur_edits_the_report_in_the_pages_language(client, shared):
    rapporteur = shared.author
    client.force_login(rapporteur)
    url = _url(shared, "report-edit").replace("/en/", "/fr/")
    response = client.post(url, {"priorities": "<p>Politiques types</p>"})
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.priorities_fr == "<p>Politiques types</p>"
    assert shared.priorities_en == "<p>Model policies</p>"


def test_secretariat_publishes_and_the_pdf_is_public_in_arabic(client, shared):
    client.force_login(SecretariatFactory())
    client.post(_url(shared, "report-publish"))
    shared.refresh_from_db()
    assert shared.is_published
    client.logout()
    response = client.get(_url(shared, "report-pdf").replace("/en/", "/ar/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_member_cannot_read_a_shared_report(client, shared):
    client.force_login(member_user())
    assert client.get(shared.get_absolute_url()).status_code == 404
    assert client.get(_url(shared, "report-pdf")).status_code == 404


def test_published_report_is_listed_on_the_working_groups_page(client, shared):
    page = client.get(shared.working_group.get_absolute_url()).content.decode()
    assert shared.get_absolute_url() not in page
    reports.publish_report(shared, user=SecretariatFactory())
    page = client.get(shared.working_group.get_absolute_url()).content.decode()
    assert shared.get_absolute_url() in page
