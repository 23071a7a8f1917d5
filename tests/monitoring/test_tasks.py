"""The monitoring e-mails: the country's team and the secretariat hear of a submission,
the team of the secretariat's decision, a co-editor of being added; each recipient in
their own language, with absolute links, and only once the change is committed."""

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError

from coalition.monitoring.services import reports, reviews
from tests.factories import monitoring as factories
from tests.factories.members import SecretariatFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle():
    return factories.open_cycle()


@pytest.fixture
def team():
    """Madagascar's focal point reads French, its co-editor English."""
    focal = factories.focal_point("MG", preferred_language="fr")
    co_editor = factories.co_editor("MG", by=focal)
    mail.outbox.clear()
    return focal, co_editor


def _submit(cycle, focal):
    report = reports.start_report(cycle, "MG", user=focal)
    factories.answer_everything(report, focal)
    return report


def _by_recipient():
    return {message.to[0]: message for message in mail.outbox}


def test_submission_confirms_the_version_to_each_editor_in_their_language(
    cycle, team, django_capture_on_commit_callbacks
):
    focal, co_editor = team
    report = _submit(cycle, focal)
    with django_capture_on_commit_callbacks(execute=True):
        reports.submit_report(
            report, user=focal, certifying_official="R. Rakoto", certifying_title="Ministre"
        )
    sent = _by_recipient()
    assert set(sent) == {focal.email, co_editor.email, settings.SECRETARIAT_EMAIL}
    french, english = sent[focal.email], sent[co_editor.email]
    assert "Madagascar" in french.subject and "version 1" in french.subject
    assert "soumis" in french.subject
    assert "submitted (version 1)" in english.subject
    link = f"{settings.SITE_URL}/fr/reports/{report.pk}/versions/1/"
    assert link in french.body and "R. Rakoto (Ministre)" in french.body
    assert f"{settings.SITE_URL}/en/reports/{report.pk}/versions/1/" in english.body
    secretariat = sent[settings.SECRETARIAT_EMAIL]
    assert secretariat.subject == "To review: national report of Madagascar, version 1"
    assert f"{settings.SITE_URL}/en/reports/{report.pk}/versions/1/" in secretariat.body


def test_a_second_submission_gives_its_own_number(cycle, team, django_capture_on_commit_callbacks):
    focal, _co_editor = team
    report = _submit(cycle, focal)
    first = reports.submit_report(report, user=focal, certifying_official="A", certifying_title="B")
    reviews.request_clarification(
        first, by=SecretariatFactory(), questions=[factories.question(cycle, "promoted")]
    )
    with django_capture_on_commit_callbacks(execute=True):
        reports.submit_report(report, user=focal, certifying_official="A", certifying_title="B")
    assert all("2" in message.subject for message in mail.outbox)


def test_nothing_is_sent_before_the_commit_nor_when_submission_fails(
    cycle, team, django_capture_on_commit_callbacks
):
    focal, _co_editor = team
    report = reports.start_report(cycle, "MG", user=focal)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(reports.MissingAnswers):
        reports.submit_report(report, user=focal, certifying_official="A", certifying_title="B")
    assert mail.outbox == []
    factories.answer_everything(report, focal)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reports.submit_report(report, user=focal, certifying_official="A", certifying_title="B")
    assert mail.outbox == [] and len(callbacks) == 1


def test_acceptance_tells_the_team_with_the_message_and_a_link(
    cycle, team, django_capture_on_commit_callbacks
):
    focal, co_editor = team
    report = _submit(cycle, focal)
    version = reports.submit_report(
        report, user=focal, certifying_official="A", certifying_title="B"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reviews.accept_report(version, by=SecretariatFactory(), message="Merci pour ce rapport.")
    sent = _by_recipient()
    assert set(sent) == {focal.email, co_editor.email}
    french = sent[focal.email]
    assert french.subject == "Rapport national de Madagascar accepté"
    assert "Merci pour ce rapport." in french.body
    assert f"{settings.SITE_URL}/fr/reports/{report.pk}/" in french.body
    assert "accepted version 1" in sent[co_editor.email].body


def test_clarification_lists_the_named_questions_with_links(
    cycle, team, django_capture_on_commit_callbacks
):
    focal, co_editor = team
    report = _submit(cycle, focal)
    version = reports.submit_report(
        report, user=focal, certifying_official="A", certifying_title="B"
    )
    promoted = factories.question(cycle, "promoted")
    translated = factories.question(cycle, "translated")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reviews.request_clarification(
            version,
            by=SecretariatFactory(),
            questions=[translated, promoted],
            message="Please add the links.",
        )
    sent = _by_recipient()
    assert set(sent) == {focal.email, co_editor.email}
    english, french = sent[co_editor.email].body, sent[focal.email].body
    edit = f"{settings.SITE_URL}/en/reports/{report.pk}/edit/"
    # In the questionnaire's order, each with its text and a link to it in the form.
    assert english.index(f"Question {promoted.number}: {promoted.text_en}") < english.index(
        f"Question {translated.number}: {translated.text_en}"
    )
    assert f"{edit}#{promoted.anchor}" in english and f"{edit}#{translated.anchor}" in english
    assert "Please add the links." in english
    assert f"Question {promoted.number}: {promoted.text_fr}" in french
    assert f"{settings.SITE_URL}/fr/reports/{report.pk}/edit/#{promoted.anchor}" in french
    assert sent[focal.email].subject == "Rapport national de Madagascar : précisions demandées"
    assert sent[co_editor.email].subject == "National report of Madagascar: clarification requested"


def test_a_removed_team_member_is_not_told(cycle, team, django_capture_on_commit_callbacks):
    focal, co_editor = team
    reports.remove_role(co_editor.country_roles.get())
    report = _submit(cycle, focal)
    with django_capture_on_commit_callbacks(execute=True):
        reports.submit_report(report, user=focal, certifying_official="A", certifying_title="B")
    assert co_editor.email not in _by_recipient()


def test_co_editor_is_told_of_the_invitation_in_their_language(
    django_capture_on_commit_callbacks,
):
    focal = factories.focal_point("SN")
    invited = UserFactory(preferred_language="ar")
    with django_capture_on_commit_callbacks(execute=True):
        reports.invite_co_editor("SN", invited, by=focal)
    (message,) = [m for m in mail.outbox if m.to == [invited.email]]
    assert "السنغال" in message.subject
    assert focal.email in message.body
    # Right to left: the link is isolated left to right.
    assert f"\u2066{settings.SITE_URL}/ar/reporting/\u2069" in message.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        reports.invite_co_editor("SN", invited, by=focal)
    assert mail.outbox == []


def test_a_focal_point_is_told_of_being_named_once(django_capture_on_commit_callbacks):
    secretariat = SecretariatFactory()
    named = UserFactory(preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        reports.give_focal_point("SN", named, by=secretariat)
    (message,) = [m for m in mail.outbox if m.to == [named.email]]
    assert "Sénégal" in message.subject
    assert "point focal national" in message.body
    assert f"{settings.SITE_URL}/fr/reporting/" in message.body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        reports.give_focal_point("SN", named, by=secretariat)
    assert mail.outbox == []
