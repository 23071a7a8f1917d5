import pytest

from coalition.activities import ical


@pytest.fixture
def cold_feeds():
    """No serialized events or time zones kept in the process: they outlive a test."""
    ical.clear_memos()
    yield
    ical.clear_memos()


@pytest.fixture
def count_builds(monkeypatch):
    """How many VEVENTs were built (and serialized) from scratch."""
    built = []
    original = ical.event_component

    def counting(activity, **kwargs):
        built.append(activity.pk)
        return original(activity, **kwargs)

    monkeypatch.setattr(ical, "event_component", counting)
    return built
