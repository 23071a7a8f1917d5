"""Benchmarks that print figures (`make bench`), one module per benchmark.

`python -m bench [NAME]` (bench/__main__.py) runs one of them; without a NAME it runs the
member directory's and then the activities' (what `make bench` runs):

- `members`: the member directory page and the organizations API (5,000 organizations and
  20,000 people by default), beside a trivial view through the same middleware (the floor);
  targets p95 under 100 ms and within 5× the floor.
- `activities`: activity and event lists, the all-events iCal feed and the events API over
  50,000 activities.
- `updates`: one Update sent to 100,000 subscribers through a local SMTP sink.
- `demo`: the demo data loaded into a fresh database, then again (it must change nothing).

Shared parts: `process` (one process per database, production-mode settings), `databases`
(throwaway SQLite files and PostgreSQL databases), `data` and `activities_data`
(deterministic rows), `timing` (percentiles, a light query counter), `report` (the member
benchmark's table and JSON), `urls`/`settings` (the bench-only URLconf with the floor view).
Each benchmark writes its figures to var/bench/<name>-<vendor>.json.
"""
