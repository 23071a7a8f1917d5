"""`python -m bench consultations [--responses N] [--requests N] [--database URL]`: survey results.

Builds, in a throwaway SQLite file (or the PostgreSQL database given by --database), a
survey of 40 questions (single, multiple, scale, country, working group, number and free
text) with N submitted responses (default 10,000) spread over the five regions and the
stakeholder types, then measures through Django's test client:

- the results page filtered by region and stakeholder type: p50/p95 server time and the
  queries per request (which must not depend on N);
- the CSV export of all responses, streamed: total time, bytes, and the peak of Python
  memory allocated while streaming (tracemalloc), which must stay flat as N grows.

Targets (issue 13): results p95 under 300 ms with two filters; CSV under 5 s.
"""

import argparse
import os
import random
import sys
import tempfile
import time
import tracemalloc


def _setup(database):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coalition.settings_test")
    if database:
        os.environ["DATABASE_URL"] = database if "://" in database else f"sqlite:///{database}"
    else:
        path = os.path.join(tempfile.mkdtemp(prefix="bench-consultations-"), "bench.sqlite3")
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _build(responses, seed=40):
    from django.utils import timezone

    from coalition.consultations.models import (
        Answer,
        Choice,
        Question,
        QuestionKind,
        Response,
        Survey,
    )
    from coalition.members.models import StakeholderType, WorkingGroup
    from coalition.recommendation.regions import Region

    rng = random.Random(seed)
    now = timezone.now()
    Survey.objects.filter(slug="bench-survey").delete()
    survey = Survey.objects.create(
        slug="bench-survey",
        title="Bench survey",
        title_en="Bench survey",
        opens_at=now - timezone.timedelta(days=30),
        closes_at=now + timezone.timedelta(days=1),
        is_published=True,
    )
    kinds = [
        QuestionKind.SINGLE,
        QuestionKind.MULTIPLE,
        QuestionKind.SCALE,
        QuestionKind.COUNTRY,
        QuestionKind.WORKING_GROUP,
        QuestionKind.NUMBER,
        QuestionKind.TEXT,
        QuestionKind.SINGLE,
    ]
    questions = []
    for number in range(1, 41):
        kind = kinds[number % len(kinds)]
        q = Question.objects.create(
            survey=survey,
            code=f"Q{number}",
            order=number,
            kind=kind,
            text=f"Question {number}",
            text_en=f"Question {number}",
            allow_other=kind == QuestionKind.MULTIPLE,
        )
        if q.is_choice:
            Choice.objects.bulk_create(
                Choice(
                    question=q, value=f"c{i}", label=f"Choice {i}", label_en=f"Choice {i}", order=i
                )
                for i in range(5)
            )
        questions.append((q, list(q.choices.all())))
    groups = list(WorkingGroup.objects.all())
    slugs = [g.slug for g in groups]
    countries = ["TN", "EG", "FR", "CA", "JP", "CN", "MG", "KE", "BR", "UY", "IN", "DE"]
    regions, types = list(Region.values), list(StakeholderType.values)
    batch = 1000
    for start in range(0, responses, batch):
        made = Response.objects.bulk_create(
            Response(
                survey=survey,
                browser_token=f"bench-{i}",
                status=Response.Status.SUBMITTED,
                region=rng.choice(regions),
                stakeholder_type=rng.choice(types),
                working_group=rng.choice(groups),
                submitted_at=now,
                language="en",
            )
            for i in range(start, min(start + batch, responses))
        )
        rows = []
        for response in made:
            for q, choices in questions:
                if q.is_choice:
                    picked = (
                        rng.sample(choices, 2)
                        if q.kind == QuestionKind.MULTIPLE
                        else [rng.choice(choices)]
                    )
                    rows += [Answer(response=response, question=q, choice=c) for c in picked]
                elif q.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
                    rows.append(Answer(response=response, question=q, number=rng.randint(1, 5)))
                elif q.kind == QuestionKind.COUNTRY:
                    rows.append(Answer(response=response, question=q, text=rng.choice(countries)))
                elif q.kind == QuestionKind.WORKING_GROUP:
                    rows.append(Answer(response=response, question=q, text=rng.choice(slugs)))
                elif rng.random() < 0.3:
                    rows.append(
                        Answer(
                            response=response, question=q, text="Une réponse libre, رد حر, 自由回答"
                        )
                    )
        Answer.objects.bulk_create(rows, batch_size=5000)
    return survey, Answer.objects.filter(response__survey=survey).count()


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench consultations")
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument(
        "--database",
        default="",
        help="a PostgreSQL URL or an SQLite file (default: a new SQLite file)",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="measure the survey a previous run left in --database"
    )
    args = parser.parse_args(argv)
    _setup(args.database)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from coalition.consultations.models import Answer, Survey
    from tests.factories.members import SecretariatFactory

    started = time.perf_counter()
    survey = Survey.objects.filter(slug="bench-survey").first() if args.reuse else None
    if survey is None:
        survey, answers = _build(args.responses)
    else:
        args.responses = survey.responses.count()
        answers = Answer.objects.filter(response__survey=survey).count()
    built = time.perf_counter() - started
    client = Client()
    from coalition.members.models import User

    client.force_login(User.objects.filter(is_secretariat=True).first() or SecretariatFactory())
    url = f"/en/surveys/{survey.slug}/results/"
    query = {"region": "africa", "stakeholder_type": "university"}
    client.get(url, query)  # warm up: translations, templates
    timings, cpu, queries = [], [], []
    for _ in range(args.requests):
        with CaptureQueriesContext(connection) as captured:
            begin, begin_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, query)
            timings.append((time.perf_counter() - begin) * 1000)
            cpu.append((time.process_time() - begin_cpu) * 1000)
        assert response.status_code == 200
        queries.append(len(captured.captured_queries))
    csv_url = f"/en/surveys/{survey.slug}/results/responses.csv"
    begin, begin_cpu = time.perf_counter(), time.process_time()
    size = sum(len(chunk) for chunk in client.get(csv_url).streaming_content)
    csv_seconds = time.perf_counter() - begin
    csv_cpu = time.process_time() - begin_cpu
    # Memory in a second run: tracemalloc slows Python down, so it is not timed.
    tracemalloc.start()
    for _chunk in client.get(csv_url).streaming_content:
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    vendor = connection.vendor
    out = sys.stdout.write
    out(f"consultations benchmark on {vendor}\n")
    out(
        f"  data: 1 survey, 40 questions, {args.responses:,} responses, {answers:,} answers "
        f"(built in {built:.1f} s)\n"
    )
    out(
        f"  results page, 2 filters: p50 {_percentile(timings, 0.5):.0f} ms, "
        f"p95 {_percentile(timings, 0.95):.0f} ms over {args.requests} requests; "
        f"queries per request {min(queries)}–{max(queries)} (target p95 < 300 ms)\n"
        f"    this process's CPU time per request: p50 {_percentile(cpu, 0.5):.0f} ms, "
        f"p95 {_percentile(cpu, 0.95):.0f} ms (on SQLite it includes the queries)\n"
    )
    out(
        f"  CSV export of all responses: {csv_seconds:.2f} s, {size / 1e6:.1f} MB, "
        f"peak Python memory while streaming {peak / 1e6:.1f} MB (target < 5 s, flat); "
        f"CPU {csv_cpu:.2f} s\n"
    )
    load = os.getloadavg()[0]
    out(f"  machine load average during the run: {load:.1f} on {os.cpu_count()} cores\n")
    return 0 if _percentile(timings, 0.95) < 300 and csv_seconds < 5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
