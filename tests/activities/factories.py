"""Activities built the way the Hub builds them: through a submission the secretariat approves."""

from datetime import UTC, datetime

from coalition.activities import services
from coalition.activities.models import Activity
from tests.factories import OrganizationFactory, SecretariatFactory, UserFactory, focal_point_of

WEBINAR_START = datetime(2023, 3, 9, 15, 0, tzinfo=UTC)  # 16:00 CET
WEBINAR_END = datetime(2023, 3, 9, 16, 0, tzinfo=UTC)


def activity_data(**overrides):
    data = {
        "kind": "event",
        "event_format": "webinar",
        "title_en": "OER Dynamic Coalition webinar for Open Education Week 2023",
        "summary_en": "<p>Best practices for open education.</p>",
        "time_zone": "Europe/Paris",
        "starts_at": WEBINAR_START.isoformat(),
        "ends_at": WEBINAR_END.isoformat(),
        "is_online": True,
        "registration_required": True,
        "registration_open": True,
        "capacity": None,
        "access_url": "https://unesco.zoom.example/j/123",
        "contact_name": "Aissatou Dabo",
        "contact_email": "aa.dabo@example.org",
        "contact_is_public": False,
        "action_areas": [1, 5],
        "languages": ["en", "fr"],
        "countries": ["MG"],
        "regions": [],
        "links": [{"label": "Programme", "url": "https://example.org/programme"}],
    }
    data.update(overrides)
    return data


def submitted_activity(organization=None, user=None, **overrides):
    organization = organization or OrganizationFactory()
    user = user or focal_point_of(organization)
    return services.submit_activity(
        user=user, organization=organization, data=activity_data(**overrides)
    )


def published_activity(organization=None, **overrides):
    activity = submitted_activity(organization, **overrides)
    services.approve_submission(activity.submissions.get(), by=SecretariatFactory())
    activity.refresh_from_db()
    return activity


__all__ = ["Activity", "UserFactory", "activity_data", "published_activity", "submitted_activity"]
