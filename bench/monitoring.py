"""`python -m bench monitoring [--countries N] [--requests N] [--database URL] [--quick]`.

Builds, in a throwaway SQLite file (or the PostgreSQL database given by --database), two
reporting cycles of a 60-question questionnaire (10 sections of 4 closed questions and 2
details questions), each with N accepted national reports (default 193, every Member
State), answers drawn per question, then measures through Django's test client:

- the synthesis page with all its charts linked (kept: each chart's SVG is drawn once,
  cached under its digest, and the page only computes the figures and digests):
  p50/p95 server time and queries per request, for N countries and for 20 (the count must
  not grow with N); and each chart's SVG drawn cold, then served kept;
- the full CSV export as the secretariat (one row per country and question);
- the English PDF of the whole synthesis built as the background task builds it: wall and
  CPU time and the process's peak RSS, then built again under tracemalloc for the peak of
  Python's allocations (tracing slows the build several times, so that run is not timed).

Targets (issue 12): synthesis page p95 under 300 ms with a constant query count, CSV
under 2 s, English PDF under 20 s.
"""

import argparse
import os
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime


def _setup(database):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings_test")
    if database:
        os.environ["DATABASE_URL"] = database
    else:
        path = os.path.join(tempfile.mkdtemp(prefix="bench-monitoring-"), "bench.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


PROFILE = (0.42, 0.3, 0.24, 0.04)


def _questionnaire():
    from coalition.monitoring.models import Question, QuestionKind, Questionnaire, Section
    from coalition.monitoring.services.questionnaires import renumber

    Questionnaire.objects.filter(slug="bench-60").delete()
    questionnaire = Questionnaire.objects.create(slug="bench-60", title="Bench", title_en="Bench")
    for s in range(10):
        section = Section.objects.create(
            questionnaire=questionnaire,
            key=f"s{s}",
            position=s,
            title=f"Section {s}",
            title_en=f"Section {s}",
            action_area_id=(s % 5) + 1,
        )
        for q in range(4):
            closed = Question.objects.create(
                section=section,
                key=f"s{s}-q{q}",
                position=q * 2,
                kind=QuestionKind.SCALE,
                required=True,
                text=f"Closed question {s}.{q}",
                text_en=f"Closed question {s}.{q}",
            )
            if q < 2:
                Question.objects.create(
                    section=section,
                    key=f"s{s}-q{q}-details",
                    position=q * 2 + 1,
                    kind=QuestionKind.DETAILS,
                    follows=closed,
                    text="If yes, please provide details (and hyperlinks).",
                    text_en="If yes, please provide details (and hyperlinks).",
                )
    renumber(questionnaire)
    return questionnaire


def _cycle(slug, questionnaire, countries, rng):
    from coalition.monitoring.models import Answer, Report, ReportingCycle
    from coalition.recommendation.regions import region_for_country

    cycle = ReportingCycle.objects.create(
        slug=slug,
        title=slug,
        title_en=slug,
        period_start=date(2019, 11, 25),
        period_end=date(2023, 3, 31),
        opens_at=datetime(2022, 10, 1, tzinfo=UTC),
        deadline=datetime(2023, 3, 31, tzinfo=UTC),
        questionnaire=questionnaire,
        status=ReportingCycle.Status.SYNTHESIZED,
    )
    reports = Report.objects.bulk_create(
        [
            Report(
                cycle=cycle,
                country=code,
                region=region_for_country(code),
                status=Report.Status.ACCEPTED,
                is_public=rng.random() < 0.4,
                language="en",
            )
            for code in countries
        ]
    )
    questions = list(questionnaire.questions.order_by("number"))
    answers = []
    for report in reports:
        for question in questions:
            if question.is_closed:
                choice = rng.choices(["yes", "partly", "no", "not-applicable"], PROFILE)[0]
                answers.append(Answer(report=report, question=question, choice=choice, revision=1))
            elif rng.random() < 0.7:
                answers.append(
                    Answer(
                        report=report,
                        question=question,
                        text="A national programme trained teachers; see https://example.org.",
                        language="en",
                        revision=1,
                    )
                )
    Answer.objects.bulk_create(answers, batch_size=2000)
    return cycle, len(answers)


def _timed(client, url, requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    times.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    return statistics.median(times), p95, queries, response


def _pages(document):
    try:
        import pypdf
    except ImportError:  # the test extra is not installed
        return "?"
    with document.file.open("rb") as pdf:
        return len(pypdf.PdfReader(pdf).pages)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench monitoring")
    parser.add_argument("--countries", type=int, default=193)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database", default="")
    parser.add_argument("--quick", action="store_true", help="40 countries, 10 requests")
    parser.add_argument("--no-pdf", action="store_true")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if args.quick:
        args.countries, args.requests = min(args.countries, 40), 10
    _setup(args.database)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import translation

    from coalition.monitoring.charts import synthesis_charts
    from coalition.monitoring.models import SynthesisDocument
    from coalition.monitoring.selectors.synthesis import synthesis_figures
    from coalition.monitoring.services import synthesis as services
    from coalition.recommendation.regions import REGION_OF_COUNTRY
    from tests.factories.members import SecretariatFactory

    settings.ALLOWED_HOSTS = ["*"]
    rng = random.Random(12)
    members = sorted(REGION_OF_COUNTRY)
    countries = members[: args.countries]
    questionnaire = _questionnaire()
    start = time.perf_counter()
    previous, n_previous = _cycle("bench-2019", questionnaire, countries, rng)
    cycle, n_answers = _cycle("bench-2023", questionnaire, countries, rng)
    small, _n = _cycle("bench-small", questionnaire, countries[:20], rng)
    built = time.perf_counter() - start
    for each in (previous, cycle, small):
        services.publish_synthesis(services.synthesis_for(each))
    closed = questionnaire.questions.filter(kind="scale").count()
    print(
        f"database: {connection.vendor}; data: 2 cycles × {len(countries)} countries × "
        f"{questionnaire.questions.count()} questions ({closed} closed), "
        f"{n_previous + n_answers} answers (+ a 20-country cycle), built in {built:.1f} s"
    )

    client = Client()
    url = f"/en/reporting/{cycle.slug}/synthesis/"
    with translation.override("en"):
        charts = synthesis_charts(cycle.slug, synthesis_figures(cycle))
    start = time.perf_counter()
    for chart in charts.values():
        client.get(chart.url)
    cold = time.perf_counter() - start
    start = time.perf_counter()
    for chart in charts.values():
        client.get(chart.url)
    kept = time.perf_counter() - start
    print(f"charts: {len(charts)} SVGs drawn cold in {cold:.2f} s, served kept in {kept:.2f} s")

    client.get(url)  # warm the process
    p50, p95, queries, response = _timed(client, url, args.requests)
    _s50, _s95, small_queries, _r = _timed(client, f"/en/reporting/{small.slug}/synthesis/", 3)
    print(
        f"synthesis page ({len(response.content) // 1024} kB, {len(charts)} charts linked): "
        f"p50 {p50:.0f} ms, p95 {p95:.0f} ms over {args.requests} requests; "
        f"{queries} queries ({small_queries} with 20 countries)"
    )

    staff = Client()
    staff.force_login(SecretariatFactory())
    start = time.perf_counter()
    csv_response = staff.get(f"/en/reporting/{cycle.slug}/synthesis/reports.csv")
    csv_seconds = time.perf_counter() - start
    rows = csv_response.content.count(b"\n") - 1
    print(f"CSV: {rows} rows, {len(csv_response.content) // 1024} kB in {csv_seconds:.2f} s")

    pdf_seconds = None
    if not args.no_pdf:
        synthesis = services.synthesis_for(cycle)
        document = SynthesisDocument.objects.create(synthesis=synthesis, language="en")
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start, cpu = time.perf_counter(), time.process_time()
        services.build_document(document.pk)
        pdf_seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        document.refresh_from_db()
        print(
            f"PDF (en): {document.size // 1024} kB, {_pages(document)} "
            f"pages in {pdf_seconds:.1f} s ({cpu_seconds:.1f} s of CPU; load average "
            f"{os.getloadavg()[0]:.1f}); process peak RSS {rss_after / 1024:.0f} MB (was "
            f"{rss_before / 1024:.0f} MB before the build)"
        )
        # tracemalloc slows Python's allocations several times over: the peak of Python's
        # allocations is measured by a second, traced build, which is not timed.
        tracemalloc.start()
        services.build_document(document.pk)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"PDF (en), built again traced: peak Python allocations {peak / 2**20:.0f} MB")

    missed = []
    if p95 >= 300:
        missed.append(f"synthesis p95 {p95:.0f} ms ≥ 300 ms")
    if queries != small_queries:
        missed.append(f"query count grows: {small_queries} → {queries}")
    if csv_seconds >= 2:
        missed.append(f"CSV {csv_seconds:.2f} s ≥ 2 s")
    if pdf_seconds is not None and pdf_seconds >= 20:
        missed.append(f"PDF {pdf_seconds:.1f} s ≥ 20 s")
    print("targets: " + ("all met" if not missed else "MISSED: " + "; ".join(missed)))
    return 1 if (missed and args.check) else 0


if __name__ == "__main__":
    sys.exit(main())
