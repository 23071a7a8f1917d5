import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _isolated(settings):
    """Each test starts in English with an empty cache (rate limits, cached figures)."""
    cache.clear()
    with translation.override("en"):
        yield
