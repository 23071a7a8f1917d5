"""Benchmarks that print figures (`make bench`).

`python -m bench` generates a member directory (by default 5,000 organizations and 20,000
people) in a throwaway SQLite file and, when reachable, a throwaway PostgreSQL database,
then reports for the directory page and the API list the p50/p95 server time, the queries
per request and the response size, beside a trivial Django view through the same
middleware as the floor. Targets (from the issue): directory p95 under 100 ms on both
databases, and within 5× the floor's p95.

Modules: `data` (deterministic rows), `members` (scenarios and measurement), `timing`,
`report` (table and var/bench/members-<vendor>.json), `databases`, `run` (one database,
in its own process), `urls`/`settings` (the bench-only URLconf with the floor view).
"""
