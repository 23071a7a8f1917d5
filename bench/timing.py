"""Percentiles and a light query counter for timed requests."""

import math
import time


def percentile(samples, fraction):
    """The `fraction` quantile, interpolating between closest ranks (numpy's default method)."""
    if not samples:
        raise ValueError("percentile of no samples")
    ordered = sorted(samples)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class QueryCounter:
    """A `connection.execute_wrapper` that counts queries and the time spent executing them.

    Used instead of CaptureQueriesContext while timing: the debug cursor formats every
    statement with its parameters, and on SQLite that costs one more query per query,
    which would inflate the very figure being measured. Note that on SQLite rows are
    fetched after `execute` returns, so `seconds` there leaves out part of the database's
    work; psycopg transfers the whole result inside `execute`.
    """

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def reset(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1
