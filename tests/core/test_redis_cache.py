"""The cache-dependent tests again, against the real Redis that production uses (HUB_REDIS_URL).

This machine kind runs Redis on 127.0.0.1:6379. Where none answers, the test is skipped
with a banner-like reason; with HUB_REQUIRE_REDIS=1 (as in .ci/run) it fails instead.
The run uses its own key prefix and clears only its own keys (tests/support/redis_cache.py),
so it never disturbs another run sharing the server.
"""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("HUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REPO_ROOT = Path(__file__).resolve().parents[2]
# Tests whose subject is what the cache keeps: pages kept for visitors, calendar feeds,
# charts, rate limits and subscription throttles.
CACHE_DEPENDENT = [
    "tests/core/test_page_cache.py",
    "tests/core/test_redis_cache.py::test_cache_operations_the_hub_uses_work_on_redis",
    "tests/activities/ical/test_store.py",
    "tests/activities/ical/test_feeds.py",
    "tests/site/test_dashboard.py",
    "tests/updates/services/test_subscriptions.py",
]


def redis_reachable():
    try:
        import redis
    except ImportError:
        return False
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except (OSError, redis.RedisError):
        return False
    return True


@pytest.fixture
def redis_or_skip():
    if redis_reachable():
        return
    reason = (
        f"REDIS NOT REACHABLE at {REDIS_URL}: the cache-dependent tests did NOT run against "
        "Redis (start redis-server, or set HUB_TEST_REDIS_URL)"
    )
    if os.environ.get("HUB_REQUIRE_REDIS", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"HUB_REQUIRE_REDIS=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def test_redis_client_is_installed_with_the_hub():
    # HUB_REDIS_URL selects Django's Redis backend, which imports this client.
    import redis  # noqa: F401
    from django.core.cache.backends.redis import RedisCacheClient

    assert RedisCacheClient


def test_cache_dependent_tests_pass_on_redis(redis_or_skip):
    if os.environ.get("HUB_REDIS_URL"):
        pytest.skip("already running against Redis (this is the inner run)")
    env = {
        **os.environ,
        "HUB_REDIS_URL": REDIS_URL,
        "HUB_TEST_REDIS_PREFIX": f"hub-test-{uuid.uuid4().hex[:12]}",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter and test files
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "-n",
            "0",
            "-x",
            *CACHE_DEPENDENT,
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    summary = result.stdout.strip().splitlines()[-1:] or [""]
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in summary[0], summary
    assert " skipped" not in summary[0] or "failed" not in summary[0]


def test_cache_operations_the_hub_uses_work_on_redis(settings):
    """Runs in both runs; in the inner one the default cache is Redis."""
    from django.core.cache import cache, caches

    key = f"probe-{uuid.uuid4().hex}"
    assert cache.add(key, 1, 30) is True
    assert cache.add(key, 2, 30) is False  # the throttles' "first one wins"
    assert cache.incr(key) == 2
    cache.set_many({f"{key}-a": {"x": [1]}, f"{key}-b": "b"}, 30)
    assert cache.get_many([f"{key}-a", f"{key}-b"]) == {f"{key}-a": {"x": [1]}, f"{key}-b": "b"}
    cache.delete_many([key, f"{key}-a", f"{key}-b"])
    assert cache.get(key) is None
    if os.environ.get("HUB_REDIS_URL"):
        assert "Redis" in type(caches["default"]).__name__
