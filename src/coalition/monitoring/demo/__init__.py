"""The monitoring demo, loaded from `monitoring.toml` through the services, as the
Secretariat and the countries would have done it (see the data file for what it holds).

Deterministic (a fixed seed draws the answers from each question's profile) and
idempotent: a cycle that exists is left as it is. The synthesis PDFs are requested at the
end and built by the background worker that `make run` starts.
"""

import random
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import translation
from django_countries import countries

from coalition.core import queue
from coalition.members import demo as members_demo
from coalition.members.models import User

from ..models import Choice, QuestionKind, Report, ReportingCycle
from ..selectors import prefill
from ..services import questionnaires, reports, reviews, synthesis

DATA = Path(__file__).resolve().parent / "monitoring.toml"
CHOICE_ORDER = (Choice.YES, Choice.PARTLY, Choice.NO, Choice.NOT_APPLICABLE)
FOCAL_POINT = members_demo.DEMO_ACCOUNTS["focal point (Madagascar)"]
SECRETARIAT = members_demo.DEMO_ACCOUNTS["secretariat"]


@dataclass
class Summary:
    cycles: int = 0
    reports: int = 0
    answers: int = 0
    evidence: int = 0
    documents: int = 0

    def __str__(self):
        return (
            f"Monitoring demo: {self.cycles} cycles created, {self.reports} national reports, "
            f"{self.answers} answers, {self.evidence} pieces of evidence, "
            f"{self.documents} synthesis PDFs requested."
        )


def _data():
    return tomllib.loads(DATA.read_text(encoding="utf-8"))


def _aware(value):
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def _country_name(code, language):
    with translation.override(language):
        return str(countries.name(code))


def _language_of(code, region, data):
    if code in data["languages"]["french"].split():
        return "fr"
    return data["languages"][region]


def _draw_choice(rng, question, region, data):
    shares = list(data["profiles"].get(question.key, [0.4, 0.3, 0.25, 0.05]))
    bias = data["region_bias"].get(region, 0.0)
    moved = min(max(bias, -shares[0]), shares[2])
    shares[0] += moved
    shares[2] -= moved
    if question.kind == QuestionKind.YES_NO:
        shares = [shares[0] + shares[1], 0.0, shares[2] + shares[3], 0.0]
    return rng.choices(CHOICE_ORDER, weights=shares)[0].value


def _text_for(question, country, language, data):
    texts = data["texts"]
    key = question.key
    if question.kind == QuestionKind.DETAILS:
        section = question.section.key
        key = "general" if section == "general" else section
    options = texts.get(key)
    if not options:
        return ""
    template = options.get(language) or options["en"]
    return template.replace("{country}", _country_name(country, language))


def _write_report(cycle, code, region, state, *, user, now, rng, data, summary):
    language = _language_of(code, region, data)
    report = reports.start_report(cycle, code, user=user, now=now)
    reports.set_report_options(report, language=language, is_public=code in data["public"].split())
    questions = list(cycle.questionnaire.questions.select_related("section").order_by("number"))
    chosen = {}
    for question in questions:
        if question.kind in (QuestionKind.COUNTRY, QuestionKind.EVIDENCE):
            continue
        if state == "draft" and question.number > len(questions) // 2:
            break
        if question.is_closed:
            if not question.required and rng.random() < 0.05:
                continue
            choice = _draw_choice(rng, question, region, data)
            chosen[question.pk] = choice
            reports.save_answer(report, question, user=user, choice=choice, now=now)
        else:
            if question.kind == QuestionKind.DETAILS and chosen.get(question.follows_id) not in (
                Choice.YES,
                Choice.PARTLY,
            ):
                continue
            text = _text_for(question, code, language, data)
            if not text:
                continue
            reports.save_answer(report, question, user=user, text=text, language=language, now=now)
        summary.answers += 1
    if state != "draft":
        for question in questions:
            if question.kind != QuestionKind.EVIDENCE:
                continue
            for proposal in prefill.proposals(report, question)[:3]:
                reports.decide_proposal(report, question, proposal, user=user, keep=True, now=now)
                summary.evidence += 1
    return report


@transaction.atomic
def _first_cycle(spec, data, questionnaire, secretariat, focal_point, summary):
    now = _aware(spec["written_at"])
    cycle = questionnaires.create_cycle(
        slug=spec["slug"],
        titles=spec["title"],
        period_start=spec["period_start"],
        period_end=spec["period_end"],
        opens_at=_aware(spec["opens_at"]),
        deadline=_aware(spec["deadline"]),
        time_zone=spec["time_zone"],
        questionnaire=questionnaire,
        status=ReportingCycle.Status.OPEN,
    )
    summary.cycles += 1
    states = {code: state for state, codes in data["states"].items() for code in codes.split()}
    rng = random.Random(data["seed"])
    clarify_keys = data["clarification"]["questions"]
    for region, codes in data["countries"].items():
        for code in codes.split():
            state = states.get(code, "accepted")
            user = focal_point if code == "MG" else secretariat
            report = _write_report(
                cycle, code, region, state, user=user, now=now, rng=rng, data=data, summary=summary
            )
            summary.reports += 1
            if state == "draft":
                continue
            version = reports.submit_report(
                report,
                user=user,
                certifying_official=_text_for(
                    questionnaire.questions.get(key="certifying-officials"), code, "en", data
                ),
                certifying_title=_country_name(code, "en"),
                now=now,
            )
            if state == "accepted":
                reviews.accept_report(version, by=secretariat)
            elif state == "clarification":
                reviews.request_clarification(
                    version,
                    by=secretariat,
                    questions=questionnaire.questions.filter(key__in=clarify_keys),
                    message=data["clarification"]["message"],
                )
    while cycle.status != spec["final_status"]:
        cycle = questionnaires.advance_cycle(cycle)
    the_synthesis = synthesis.synthesis_for(cycle)
    synthesis.set_introduction(the_synthesis, data["synthesis"]["introduction"])
    for code, key in data["synthesis"]["excerpts"]:
        report = Report.objects.get(cycle=cycle, country=code)
        answer = report.answers.filter(question__key=key).first()
        if answer is not None and report.status == Report.Status.ACCEPTED:
            synthesis.pick_excerpt(the_synthesis, answer, by=secretariat)
    synthesis.publish_synthesis(the_synthesis)
    return cycle


@transaction.atomic
def _next_cycle(spec, data, previous, focal_point, summary):
    questionnaire = questionnaires.copy_questionnaire(
        previous.questionnaire, slug=spec["copy_questionnaire"]
    )
    cycle = questionnaires.create_cycle(
        slug=spec["slug"],
        titles=spec["title"],
        period_start=spec["period_start"],
        period_end=spec["period_end"],
        opens_at=_aware(spec["opens_at"]),
        deadline=_aware(spec["deadline"]),
        time_zone=spec["time_zone"],
        questionnaire=questionnaire,
        previous=previous,
        status=ReportingCycle.Status.OPEN,
    )
    summary.cycles += 1
    if cycle.accepts_edits():
        reports.start_report(cycle, "MG", user=focal_point, from_previous=True)
        summary.reports += 1
    return cycle


def load_demo_monitoring(*, build_pdfs=True):
    """Create whatever part of the monitoring demo is missing; return a summary."""
    members_demo.load_demo_data()
    data = _data()
    summary = Summary()
    secretariat = User.objects.get(email=SECRETARIAT)
    focal_point = User.objects.get(email=FOCAL_POINT)
    first_spec, next_spec = data["cycles"]
    # Loading starts no background work; the PDFs are asked for afterwards, for the worker.
    with translation.override("en"), queue.held():
        questionnaire = questionnaires.load_questionnaire()
        reports.give_focal_point(
            "MG",
            focal_point,
            by=secretariat,
            institution="Commission nationale malgache pour l'UNESCO",
        )
        first = ReportingCycle.objects.filter(slug=first_spec["slug"]).first()
        if first is None:
            first = _first_cycle(first_spec, data, questionnaire, secretariat, focal_point, summary)
        if not ReportingCycle.objects.filter(slug=next_spec["slug"]).exists():
            _next_cycle(next_spec, data, first, focal_point, summary)
    if build_pdfs:
        the_synthesis = synthesis.synthesis_for(first)
        for language in synthesis.PDF_LANGUAGES:
            synthesis.request_document(the_synthesis, language)
            summary.documents += 1
    return summary
