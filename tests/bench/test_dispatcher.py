"""`python -m bench`: names pick a benchmark, the shared options go to both defaults."""

import pytest

from bench import __main__ as dispatcher
from bench import process


@pytest.fixture
def ran(monkeypatch):
    calls = []

    class Benchmark:
        def __init__(self, name, status):
            self.name, self.status = name, status

        def main(self, argv):
            calls.append((self.name, argv))
            return self.status

    statuses = {"members": 0, "activities": 0, "updates": 0, "demo": 0}
    monkeypatch.setattr(
        dispatcher.importlib,
        "import_module",
        lambda module: Benchmark(module.removeprefix("bench."), statuses[module[6:]]),
    )
    return calls, statuses


def test_a_name_runs_that_benchmark_with_the_rest_of_the_arguments(ran):
    calls, _statuses = ran
    assert dispatcher.main(["updates", "--sizes", "10,20"]) == 0
    assert calls == [("updates", ["--sizes", "10,20"])]


def test_no_name_runs_members_then_activities_with_the_shared_options(ran):
    calls, _statuses = ran
    assert dispatcher.main(["--quick", "--database", "sqlite"]) == 0
    assert calls == [
        ("members", ["--quick", "--database", "sqlite"]),
        ("activities", ["--quick", "--database", "sqlite"]),
    ]


def test_no_name_still_runs_activities_when_members_misses_its_targets(ran):
    calls, statuses = ran
    statuses["members"] = 1
    assert dispatcher.main(["--check"]) == 1
    assert [name for name, _argv in calls] == ["members", "activities"]


def test_no_name_stops_when_a_benchmark_fails_to_run(ran):
    calls, statuses = ran
    statuses["members"] = 2
    assert dispatcher.main([]) == 2
    assert [name for name, _argv in calls] == ["members"]


def test_an_option_of_one_benchmark_needs_its_name(ran, capsys):
    with pytest.raises(SystemExit, match="give a NAME"):
        dispatcher.main(["--sizes", "10"])


def test_size_arguments_take_the_given_value_else_the_default():
    class Args:
        organizations = 7
        people = None

    assert process.size_arguments(Args, {"organizations": 1, "people": 2}) == [
        "--organizations",
        "7",
        "--people",
        "2",
    ]


@pytest.mark.parametrize(
    ("requested", "reachable", "expected"),
    [
        ("sqlite", True, ["sqlite"]),
        ("postgres", False, ["postgres"]),
        ("both", False, ["sqlite", "postgres"]),
        (None, True, ["sqlite", "postgres"]),
        (None, False, ["sqlite"]),
    ],
)
def test_chosen_databases_default_to_both_when_postgresql_answers(
    monkeypatch, requested, reachable, expected
):
    monkeypatch.setattr(process.databases, "postgres_reachable", lambda: reachable)
    assert process.chosen_databases(requested) == expected
