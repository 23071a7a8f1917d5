"""An event's organizers in the browser: the focal point opens the page from the event's
panel, narrows the people of the organizing organizations, names one, then removes them.
In English and Arabic, checked with axe-core; a screenshot goes to e2e/artifacts/."""

import pytest

from e2e.helpers_events import DIRECTION
from tests.factories.activities import upcoming_event
from tests.factories.members import (
    AffiliationFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
    focal_point_of,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def event_and_focal_point(transactional_db):
    organization = OrganizationFactory(name="Commonwealth of Learning", name_ar="كومنولث التعلم")
    activity = upcoming_event(organization)
    activity.organizers.clear()
    for name in ("Sanjaya Mishra", "Sandra Ortiz", "Ahmed Ali"):
        AffiliationFactory(
            person=PersonFactory(name=name, user=UserFactory()), organization=organization
        )
    return activity, focal_point_of(organization)


@pytest.mark.parametrize("language", list(DIRECTION))
def test_focal_point_names_an_organizer_and_removes_them(tabs, event_and_focal_point, language):
    activity, focal_point = event_and_focal_point
    hub = tabs.open(user=focal_point)
    hub.visit(f"/{language}/activities/{activity.slug}/")
    page = hub.page

    page.locator(f"a[href='/{language}/activities/{activity.slug}/organizers/']").click()
    page.wait_for_url(f"**/{language}/activities/{activity.slug}/organizers/")
    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    choice = page.locator("select[name=person]")
    everyone = choice.locator("option").all_inner_texts()
    assert any("Ahmed Ali" in text for text in everyone)

    page.locator("#search_q").fill("san")
    page.locator("form[role=search] button[type=submit]").click()
    page.wait_for_url("**/organizers/?*")
    options = [text.strip() for text in choice.locator("option").all_inner_texts()]
    assert any("Sanjaya Mishra" in text for text in options)
    assert any("Sandra Ortiz" in text for text in options)
    assert not any("Ahmed Ali" in text for text in options)
    hub.assert_accessible(f"event-organizers-search-{language}")

    choice.select_option(label=next(text for text in options if "Sandra" in text))
    page.locator("form.name-organizer button[type=submit]").click()
    page.wait_for_url(f"**/{language}/activities/{activity.slug}/organizers/")
    named = page.locator("table tbody tr")
    assert named.count() == 1
    assert "Sandra Ortiz" in named.first.inner_text()
    assert page.locator("[role=status], .messages").first.is_visible()
    assert list(activity.organizers.values_list("person__name", flat=True)) == ["Sandra Ortiz"]
    if language == "ar":
        hub.screenshot("event-organizers-ar")
    hub.assert_accessible(f"event-organizers-{language}")

    named.first.locator("button[name=remove]").click()
    page.wait_for_url(f"**/{language}/activities/{activity.slug}/organizers/")
    assert page.locator("table tbody tr").count() == 0
    assert not activity.organizers.exists()
    hub.assert_nothing_broken()
