"""Monitoring: the first questionnaire (from its data file), cycles, country teams and
reports, built through the services as the secretariat and the countries build them."""

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from coalition.monitoring.models import Question, QuestionKind, ReportingCycle
from coalition.monitoring.services import questionnaires, reports, reviews
from tests.factories.members import SecretariatFactory, UserFactory

_sequence = iter(range(1, 1_000_000))


def questionnaire():
    return questionnaires.load_questionnaire()


def open_cycle(questionnaire_=None, **overrides):
    """A cycle open now, with a deadline a month away."""
    n = next(_sequence)
    now = timezone.now()
    values = {
        "slug": f"cycle-{n}",
        "titles": {"en": f"Cycle {n}", "fr": f"Cycle {n} (fr)"},
        "period_start": date(2019, 11, 25),
        "period_end": date(2023, 3, 31),
        "opens_at": now - timedelta(days=30),
        "deadline": now + timedelta(days=30),
        "time_zone": "Europe/Paris",
        "questionnaire": questionnaire_ or questionnaire(),
        "status": ReportingCycle.Status.OPEN,
    }
    values.update(overrides)
    return questionnaires.create_cycle(**values)


def focal_point(country, **user_kwargs):
    user = UserFactory(**user_kwargs)
    reports.give_focal_point(country, user, by=SecretariatFactory())
    return user


def co_editor(country, by=None):
    user = UserFactory()
    reports.invite_co_editor(country, user, by=by or SecretariatFactory())
    return user


def question(cycle, key):
    return Question.objects.get(questionnaire=cycle.questionnaire, key=key)


def answer_everything(report, user, *, choice="yes", text="Details with https://example.org"):
    """Answer every question that takes an answer (closed ones with `choice`)."""
    questions = report.cycle.questionnaire.questions.exclude(
        kind__in=[QuestionKind.COUNTRY, QuestionKind.EVIDENCE]
    )
    for q in questions:
        if q.is_closed:
            offered = [value for value, _label in q.choices]
            reports.save_answer(
                report, q, user=user, choice=choice if choice in offered else offered[0]
            )
        else:
            reports.save_answer(report, q, user=user, text=text, language="en")


def submitted_report(cycle, country, user=None, *, choice="yes"):
    user = user or focal_point(country)
    report = reports.start_report(cycle, country, user=user)
    answer_everything(report, user, choice=choice)
    version = reports.submit_report(
        report, user=user, certifying_official="A. Minister", certifying_title="Minister"
    )
    report.refresh_from_db()
    return report, version


def accepted_report(cycle, country, *, choice="yes", answers=None, public=False):
    """An accepted report; `answers` maps question keys to choices, overriding `choice`."""
    user = focal_point(country)
    report = reports.start_report(cycle, country, user=user)
    answer_everything(report, user, choice=choice)
    for key, value in (answers or {}).items():
        reports.save_answer(report, question(cycle, key), user=user, choice=value)
    if public:
        reports.set_report_options(report, language="en", is_public=True)
    version = reports.submit_report(
        report, user=user, certifying_official="A. Minister", certifying_title="Minister"
    )
    reviews.accept_report(version, by=SecretariatFactory())
    report.refresh_from_db()
    return report


PAST = datetime(2023, 1, 1, tzinfo=UTC)
