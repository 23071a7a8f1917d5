"""The July 2020 consultation as demo data (`july_2020.toml`), created through the services.

Idempotent and deterministic: a second run finds the consultation and creates nothing;
the demo responses come from a seeded random generator. Loads the members demo first.
"""

import random
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import translation

from coalition.activities.clocks import to_utc
from coalition.activities.services import moderation as activity_services
from coalition.core.queue import held
from coalition.core.translated import localized_column
from coalition.members import demo as members_demo
from coalition.members.models import Organization, Person, User, WorkingGroup
from coalition.recommendation.models import ActionArea

from ..models import Choice, Consultation, Question, Section, Session, Survey
from ..services import comments as comment_services
from ..services import reports as report_services
from ..services import surveys as survey_services

DATA_FILE = Path(__file__).parent / "july_2020.toml"
LANGUAGES = ("en", "fr", "ar", "es", "ru", "zh-hans")


@dataclass
class Summary:
    created: bool
    sessions: int = 0
    questions: int = 0
    responses: int = 0
    comments: int = 0

    def __str__(self):
        if not self.created:
            return "Demo consultation: already loaded, nothing created."
        return (
            f"Demo consultation: July 2020 with {self.sessions} sessions, a survey of "
            f"{self.questions} questions and {self.responses} responses, {self.comments} "
            "comments and a published report (rapporteur account rapporteur@example.org)."
        )


def _texts(field, texts):
    return {localized_column(field, lang): texts[lang] for lang in LANGUAGES if lang in texts}


def _utc(moment, zone):
    return to_utc(moment if isinstance(moment, datetime) else datetime.fromisoformat(moment), zone)


def load_demo_consultations():
    members_demo.load_demo_data()
    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    spec = data["consultation"]
    if Consultation.objects.filter(slug=spec["slug"]).exists():
        return Summary(created=False)
    # Replayed history e-mails nobody: the work the services ask for is held back.
    with translation.override("en"), transaction.atomic(), held():
        return _load(data)


def _load(data):
    spec = data["consultation"]
    zone = spec["time_zone"]
    secretariat = User.objects.get(email=members_demo.DEMO_ACCOUNTS["secretariat"])
    consultation = Consultation.objects.create(
        slug=spec["slug"],
        title=spec["title"]["en"],
        **_texts("title", spec["title"]),
        **_texts("description", spec["description"]),
        starts_on=spec["starts_on"],
        ends_on=spec["ends_on"],
        time_zone=zone,
        comments_open_at=_utc(spec["comments_open"], zone),
        comments_close_at=_utc(spec["comments_close"], zone),
        is_published=True,
    )
    summary = Summary(created=True)
    unesco = Organization.objects.get(slug=spec["organization"])
    groups = {g.slug: g for g in WorkingGroup.objects.all()}
    for order, session in enumerate(data["sessions"]):
        event = _event(session, zone, unesco, secretariat, groups.get(session.get("working_group")))
        Session.objects.create(
            consultation=consultation,
            event=event,
            working_group=groups.get(session.get("working_group", "")),
            order=order,
        )
        summary.sessions += 1
    survey = _survey(data["survey"], consultation, zone)
    summary.questions = survey.questions.count()
    summary.responses = _responses(survey, data["survey"]["responses"], groups)
    summary.comments = _comments(consultation, data["comments"]["texts"], groups)
    _report(consultation, data["report"], groups, secretariat)
    return summary


def _event(session, zone, organization, secretariat, working_group):
    """A session's event, shared by UNESCO and published, in its working group's feeds."""
    titles = {
        "title_" + lang.replace("-", "_"): session[lang] for lang in ("en", "fr") if lang in session
    }
    activity = activity_services.submit_activity(
        user=secretariat,
        organization=organization,
        data={
            "kind": "event",
            "event_format": "meeting",
            **titles,
            "summary_en": "<p>A session of the OER Dynamic Coalition's public consultations.</p>",
            "time_zone": zone,
            "starts_at": _utc(session["starts"], zone).isoformat(),
            "ends_at": _utc(session["ends"], zone).isoformat(),
            "is_online": True,
            "registration_required": False,
            "registration_open": False,
            "capacity": None,
            "access_url": "",
            "contact_name": "Zeynep Varoglu",
            "contact_email": "z.varoglu@example.org",
            "contact_is_public": False,
            "action_areas": [working_group.action_area_id] if working_group else [],
            "working_groups": [working_group.pk] if working_group else [],
            "languages": ["en", "fr"],
            "countries": [],
            "regions": [],
            "links": [
                {"label": label, "url": "https://www.oerafrica.org/"}
                for label in session.get("materials", [])
            ],
        },
    )
    activity_services.approve_submission(activity.submissions.get(), by=secretariat)
    activity.refresh_from_db()
    return activity


def _survey(spec, consultation, zone):
    survey = Survey.objects.create(
        consultation=consultation,
        slug=spec["slug"],
        title=spec["title"]["en"],
        **_texts("title", spec["title"]),
        **_texts("introduction", spec["introduction"]),
        opens_at=_utc(spec["opens"], zone),
        closes_at=_utc(spec["closes"], zone),
        time_zone=zone,
        allow_anonymous=spec["allow_anonymous"],
        is_published=True,
    )
    section_of = {}
    for order, section_spec in enumerate(spec["sections"]):
        section = Section.objects.create(
            survey=survey, order=order, title=section_spec["en"], **_texts("title", section_spec)
        )
        for code in section_spec["questions"]:
            section_of[code] = section
    questions = {}
    for order, q in enumerate(spec["questions"]):
        question = Question.objects.create(
            survey=survey,
            section=section_of.get(q["code"]),
            code=q["code"],
            order=order,
            kind=q["kind"],
            text=q["en"],
            **_texts("text", q),
            required=q.get("required", False),
            allow_other=q.get("allow_other", False),
            min_value=q.get("min"),
            max_value=q.get("max"),
            **(_texts("scale_low_label", q["low"]) if "low" in q else {}),
            **(_texts("scale_high_label", q["high"]) if "high" in q else {}),
        )
        if "show_if" in q:
            question.show_if_question = questions[q["show_if"][0]]
            question.show_if_value = q["show_if"][1]
            question.save(update_fields=["show_if_question", "show_if_value"])
        for number, choice in enumerate(q.get("choices", [])):
            Choice.objects.create(
                question=question,
                value=choice["value"],
                order=number,
                label=choice["en"],
                **_texts("label", choice),
            )
        questions[q["code"]] = question
    return survey


def _responses(survey, count, groups):
    """Demo answers from across the regions: anonymous, one per (demo) browser."""
    rng = random.Random(2020)  # noqa: S311 - deterministic demo data, not secrets
    countries = sorted(
        {str(c) for c in Organization.objects.members().values_list("country", flat=True)}
    )
    areas = [str(n) for n in ActionArea.objects.values_list("number", flat=True)]
    questions = list(survey.questions.prefetch_related("choices"))
    moment = survey.opens_at
    span = (survey.closes_at - survey.opens_at) / (count + 1)
    sentences = (
        "Open licensing workshops for university staff.",
        "Une politique nationale adoptée en 2019.",
        "سياسة وطنية للتعليم المفتوح قيد التنفيذ.",
        "国家开放教育资源政策。",
        "Guidelines of the ministry of education.",
    )
    made = 0
    for index in range(count):
        values = {}
        for question in questions:
            rows = _demo_answer(question, rng, countries, groups, areas, sentences)
            if rows:
                values[question] = rows
        if values.get(questions[2]) and values[questions[2]][0]["choice"].value != "yes":
            values.pop(questions[3], None)
        moment = moment + span
        survey_services.save_response(
            survey,
            values=values,
            browser_token=f"demo-2020-{index}",
            submit=True,
            language=rng.choice(["en", "en", "fr", "ar", "es"]),
            now=moment,
        )
        made += 1
    return made


def _demo_answer(question, rng, countries, groups, areas, sentences):
    kind = question.kind
    choices = list(question.choices.all())
    if kind == "country":
        return [{"text": rng.choice(countries)}]
    if kind == "working-group":
        return [{"text": rng.choice(sorted(groups))}]
    if kind == "action-area":
        return [{"text": rng.choice(areas)}] if rng.random() < 0.8 else []
    if kind == "single":
        return [{"choice": rng.choices(choices, weights=[5, 3, 2][: len(choices)])[0]}]
    if kind == "multiple":
        picked = rng.sample(choices, rng.randint(1, min(3, len(choices))))
        rows = [{"choice": choice} for choice in picked]
        if question.allow_other and rng.random() < 0.05:
            rows.append({"is_other": True, "text": "Open textbooks for secondary schools"})
        return rows
    if kind == "scale":
        return [{"number": rng.choices([1, 2, 3, 4, 5], weights=[1, 1, 3, 6, 8])[0]}]
    if kind == "number":
        return [{"number": rng.randint(0, 40)}] if rng.random() < 0.6 else []
    if kind == "text":
        return [{"text": rng.choice(sentences)}] if rng.random() < 0.4 else []
    return []


def _comments(consultation, texts, groups):
    authors = list(User.objects.filter(person__isnull=False).order_by("pk")[:6])
    ordered = [groups[slug] for slug in sorted(groups)]
    moment = consultation.comments_open_at
    made = 0
    for index, text in enumerate(texts):
        group = ordered[index % len(ordered)] if index % 3 else groups["international-cooperation"]
        moment = moment.replace(hour=10 + index % 8)
        comment_services.post_comment(
            consultation,
            user=authors[index % len(authors)],
            working_group=group,
            body=text,
            quote_consent=("named", "anonymous", "none")[index % 3],
            now=moment,
        )
        made += 1
    return made


def _rapporteur_account(spec):
    person = Person.objects.get(slug=spec["rapporteur"])
    if person.user is None:
        user = User.objects.create(
            email=spec["account"],
            password=make_password(members_demo.DEMO_PASSWORD),
            preferred_language="en",
        )
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        person.user = user
        person.save(update_fields=["user"])
    return person.user


def _report(consultation, spec, groups, secretariat):
    rapporteur = _rapporteur_account(spec)
    group = groups[spec["working_group"]]
    report = report_services.start_report(consultation, group, user=rapporteur)
    data = {}
    for field in report_services.REPORT_FIELDS:
        data.update(_texts(field, spec[field]))
    report_services.update_report(report, user=rapporteur, data=data)
    for comment in report_services.quotable_comments(report)[:2]:
        report_services.quote_comment(report, comment, user=rapporteur)
    report = report_services.share_report(report, user=rapporteur)
    report_services.publish_report(report, user=secretariat)
    return report
