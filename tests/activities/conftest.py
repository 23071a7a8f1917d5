import pytest

from coalition.activities.ical import feeds


@pytest.fixture
def cold_feeds():
    """No serialized events or time zones kept in the process: they outlive a test."""
    feeds.clear_memos()
    yield
    feeds.clear_memos()


@pytest.fixture
def count_builds(monkeypatch):
    """How many VEVENTs were built (and serialized) from scratch."""
    built = []
    original = feeds.event_component

    def counting(activity, **kwargs):
        built.append(activity.pk)
        return original(activity, **kwargs)

    monkeypatch.setattr(feeds, "event_component", counting)
    return built
