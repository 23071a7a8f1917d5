"""The activities benchmark's own code, run on the test database with tiny sizes.

Speed is never asserted: only that the generator makes what it is asked for, that every
scenario is measured with a constant query count, and that the verdicts and the printed
table follow from the figures.
"""

import json

import pytest
from django.test import Client

from bench import activities, activities_data
from bench.activities_data import Plan
from bench.members import Sample
from coalition.activities.models import Activity, Coverage, Kind

ORGANIZATIONS = 20
PLAN = {"activities": 60, "events": 20, "upcoming": 6}


def _summary(times_by_key, *, queries_by_key=None, small_by_key=None):
    plan = activities.scenarios()
    samples, captured, small = {}, {}, {}
    for scenario in plan:
        times = times_by_key.get(scenario.key, [1.0] * 20)
        queries = (queries_by_key or {}).get(scenario.key, [4] * len(times))
        samples[scenario.key] = [
            Sample(ms=ms, cpu_ms=ms, queries=count, sql_ms=0.1, size=1000)
            for ms, count in zip(times, queries, strict=True)
        ]
        captured[scenario.key] = ["SELECT 1"] * queries[0]
        small[scenario.key] = (small_by_key or {}).get(scenario.key, [queries[0]] * 3)
    return activities.summarize(plan, samples, captured, small, requests=20, warmup=2)


def _rows(summary):
    return {row["key"]: row for row in summary["scenarios"]}


def _checks(summary):
    return {check["key"]: check for check in summary["checks"]}


def test_plan_spreads_events_and_upcoming_events_evenly_and_exactly():
    plan = Plan(activities=50_000, events=10_000, upcoming=2_000)

    events = [index for index in range(plan.activities) if plan.is_event(index)]
    assert len(events) == 10_000
    assert sum(plan.is_upcoming(index) for index in events) == 2_000
    # Any slice of the activities holds its share of the events and of the upcoming ones.
    assert sum(plan.is_event(index) for index in range(1000)) == 200
    assert sum(plan.is_upcoming(index) for index in range(1000)) == 40


def test_plan_refuses_more_upcoming_events_than_events():
    with pytest.raises(ValueError):
        Plan(activities=10, events=2, upcoming=3)


@pytest.mark.django_db
def test_generate_makes_the_planned_published_events_with_their_relations():
    activities_data.generate_organizations(organizations=ORGANIZATIONS)
    plan = Plan(**PLAN)

    activities_data.generate(plan=plan, first=0, count=25)
    activities_data.generate(plan=plan, first=25)

    assert Activity.objects.count() == PLAN["activities"]
    counts = activities_data.event_counts()
    assert counts["events"] == PLAN["events"]
    assert counts["upcoming_events"] == PLAN["upcoming"]
    assert counts["feed_events"] >= PLAN["upcoming"]
    events = Activity.objects.filter(kind=Kind.EVENT)
    assert all(event.time_zone and event.starts_at < event.ends_at for event in events)
    assert len({event.time_zone for event in events}) > 3
    assert not Activity.objects.filter(organizations=None).exists()
    assert not Activity.objects.filter(action_areas=None).exists()
    assert Coverage.objects.exists()
    assert all(activity.title == activity.title_en for activity in Activity.objects.all())
    rows = activities_data.row_counts()
    assert rows["activities_activity"] == PLAN["activities"]


@pytest.mark.django_db
def test_generate_gives_the_same_rows_for_the_same_seed():
    activities_data.generate_organizations(organizations=ORGANIZATIONS)
    plan = Plan(**PLAN)
    columns = ("slug", "kind", "time_zone", "title_fr")

    activities_data.generate(plan=plan, seed=7)
    first = list(Activity.objects.order_by("slug").values_list(*columns))
    Activity.objects.all().delete()
    activities_data.generate(plan=plan, seed=7)
    second = list(Activity.objects.order_by("slug").values_list(*columns))

    assert first == second


@pytest.mark.django_db
def test_bench_measures_every_scenario_with_a_constant_query_count(settings):
    settings.ROOT_URLCONF = "bench.urls"
    activities_data.generate_organizations(organizations=ORGANIZATIONS)
    activities_data.generate(plan=Plan(**PLAN))
    plan = activities.scenarios()

    client = Client()
    small = activities.query_counts(client, plan, requests=2)
    samples, captured = activities.measure(client, plan, requests=2, warmup=1)
    summary = activities.summarize(plan, samples, captured, small, requests=2, warmup=1)

    rows = _rows(summary)
    assert set(rows) == {scenario.key for scenario in plan}
    for key, row in rows.items():
        # The first build is timed in one round out of FIRST_BUILD_EVERY: round 0 here.
        assert row["requests"] == (1 if key == "feed-first" else 2)
        assert row["p50_ms"] <= row["p95_ms"] <= row["max_ms"]
        assert row["queries_constant"], (key, row["queries_min"], row["queries_max"])
        assert row["queries_size_independent"], (key, row["queries_small"], row["queries"])
        assert len(row["sql"]) == row["queries"]
        assert row["bytes"] > 0
    assert rows["floor"]["queries"] == 0
    # The cold feed rebuilds from the database; the warm one finds it in the cache.
    assert rows["feed-cold"]["queries"] > rows["feed-warm"]["queries"]
    assert rows["feed-cold"]["bytes"] == rows["feed-warm"]["bytes"]
    # The first build also stores what it serialized, for every process after it.
    assert rows["feed-first"]["queries"] > rows["feed-cold"]["queries"]
    assert rows["feed-first"]["bytes"] == rows["feed-cold"]["bytes"]
    json.dumps(summary)  # written as is to var/bench/


def test_summary_passes_lists_under_100_ms_and_a_feed_under_500_ms():
    summary = _summary(
        {
            "events-list": [90.0] * 20,
            "activities-list": [50.0] * 20,
            "feed-cold": [450.0] * 20,
            "feed-warm": [5.0] * 20,
        }
    )

    assert all(check["passed"] for check in summary["checks"])
    assert summary["verdict"] == "PASS"


def test_summary_fails_a_list_slower_than_100_ms_at_the_95th_percentile():
    summary = _summary({"events-list": [20.0] * 18 + [150.0] * 2})

    assert not _checks(summary)["events-list"]["p95_ok"]
    assert summary["verdict"] == "FAIL"


def test_summary_fails_a_feed_slower_than_500_ms():
    summary = _summary({"feed-cold": [600.0] * 20})

    assert not _checks(summary)["feed-cold"]["p95_ok"]
    assert summary["verdict"] == "FAIL"


def test_summary_fails_a_query_count_that_grows_with_the_data():
    summary = _summary(
        {}, small_by_key={"events-list": [4, 4, 4]}, queries_by_key={"events-list": [29] * 20}
    )

    check = _checks(summary)["events-list"]
    assert check["queries_constant"]
    assert not check["queries_size_independent"]
    assert summary["verdict"] == "FAIL"


def test_summary_flags_a_query_count_that_varies_between_requests():
    summary = _summary({}, queries_by_key={"feed-cold": [3] * 19 + [40]})

    row = _rows(summary)["feed-cold"]
    assert not row["queries_constant"]
    assert summary["verdict"] == "FAIL"


def test_summary_leaves_a_slow_api_out_of_the_verdict():
    summary = _summary({"api-events": [300.0] * 20})

    assert not _checks(summary)["api-events"]["p95_ok"]
    assert summary["verdict"] == "PASS"


def test_table_lists_every_scenario_the_rows_and_the_verdict():
    summary = _summary({"activities-list": [120.0] * 20})
    result = {
        "database": {"vendor": "sqlite", "version": "3.40.1"},
        "sizes": {**PLAN, "organizations": ORGANIZATIONS, "small_slice": 30, "seed": 2019},
        "generation": {"total": 0.1},
        "rows": {"activities_activity": PLAN["activities"]},
        "events": {"events": 20, "upcoming_events": 6, "feed_events": 7, "list_matches": 1},
        "environment": {"load_before": 0.5, "load_after": 1.0, "cpus": 2},
        "bench": summary,
    }

    table = activities.format_run(result)

    for row in summary["scenarios"]:
        assert row["label"] in table
    assert "activities-list  p95   120.00 ms < 100 ms FAIL" in table
    assert "Activities verdict on sqlite: FAIL" in table
    assert "activities_activity 60" in table
    assert "WARNING" not in table
