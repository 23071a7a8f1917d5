"""Test settings: fast hashing, mail kept in memory, tasks run at once."""

import os

os.environ.setdefault("HUB_DEBUG", "0")
os.environ.setdefault("HUB_SECRET_KEY", "test-only-not-secret")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from coalition.settings import *  # noqa: F403
from coalition.settings import CACHES, DATABASES, MIDDLEWARE

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ACCOUNT_RATE_LIMITS = False
RATELIMIT_ENABLE = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].pop("OPTIONS", None)
# The test server serves static files itself; WhiteNoise would only warn about STATIC_ROOT.
MIDDLEWARE = [m for m in MIDDLEWARE if not m.startswith("whitenoise.")]
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    # tests/core/test_redis_cache.py runs the cache-dependent tests on a Redis server that
    # other runs may share: each run has its own prefix and clears only its own keys.
    CACHES["default"] = {
        **CACHES["default"],
        "BACKEND": "tests.support.redis_cache.IsolatedRedisCache",
        "KEY_PREFIX": os.environ.get("HUB_TEST_REDIS_PREFIX", f"hub-test-{os.getpid()}"),
    }
