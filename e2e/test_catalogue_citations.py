"""An activity cites a catalogue record, in English and Arabic, axe-core on every page: a
focal point finds the record by title on the activity form and ticks it; once the
secretariat approves, the activity page shows the record and the record page lists the
activity under "Cited by"."""

import pytest

from coalition.activities.models import Activity
from e2e.helpers_events import DIRECTION, landed
from tests.factories.catalogue import make_record, make_source
from tests.factories.members import OrganizationFactory, SecretariatFactory, focal_point_of

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

LANGUAGES = list(DIRECTION)
TITLES = {
    "en": "Licensing open textbooks: a guide for authors",
    "ar": "ترخيص الكتب المدرسية المفتوحة: دليل للمؤلفين",
}
RECORD = "Guide des ressources éducatives libres"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_focal_point_cites_a_record_and_both_pages_show_it(tabs, transactional_db, language):
    source = make_source("Madagascar Library", country="MG")
    record = make_record(source, "mg:guide", title=RECORD, languages=["fr"],
                         licence_class="open-nc", rights_statement="CC BY-NC 4.0")  # fmt: skip
    make_record(source, "mg:other", title="Physique au lycée", languages=["fr"])
    organization = OrganizationFactory(name="Université d'Antananarivo", country="MG")
    title = TITLES[language]

    # 1. The focal point shares a publication and finds the record by title.
    organizer = tabs.open(user=focal_point_of(organization))
    organizer.visit(f"/{language}/activities/share/?kind=publication")
    landed(organizer, f"cite-share-{language}")
    page = organizer.page
    page.locator("#id_kind").select_option("publication")
    page.locator(f"#id_title_{language}").fill(title)
    page.locator("#id_record_search").fill("ressources éducatives")
    # Enter in the search box finds records, as the "Find records" button does.
    page.locator("#id_record_search").press("Enter")
    page.wait_for_load_state("load")
    landed(organizer, f"cite-found-{language}")
    assert page.locator(f"#id_title_{language}").input_value() == title  # kept while finding
    boxes = page.locator("#cited-records input[name=cited_records]")
    assert boxes.count() == 1
    boxes.first.check()
    # With the search box empty, Enter in any field sends the form.
    page.locator("#id_record_search").fill("")
    page.locator(f"#id_title_{language}").press("Enter")
    page.wait_for_url(lambda url: "/share/" not in url)
    landed(organizer, f"cite-shared-{language}")
    activity = Activity.objects.get(**{f"title_{language}": title})
    assert list(activity.cited_records.all()) == [record]

    # 2. The secretariat sees the citation in the review and approves.
    moderator = tabs.open(user=SecretariatFactory())
    moderator.visit(f"/{language}/activities/moderation/")
    moderator.page.get_by_role("link", name=title).click()
    landed(moderator, f"cite-moderate-{language}")
    assert RECORD in moderator.page.locator("dl.review").inner_text()
    moderator.page.locator("#id_decision").select_option("approve")
    moderator.page.locator("main form button[type=submit]").click()
    moderator.page.wait_for_url(lambda url: url.endswith("/activities/moderation/"))
    activity.refresh_from_db()
    assert activity.is_published

    # 3. A reader sees the record on the activity page and the activity on the record's.
    reader = tabs.open()
    reader.visit(f"/{language}/activities/{activity.slug}/")
    landed(reader, f"cite-activity-{language}")
    assert reader.document_language() == {"lang": language, "dir": DIRECTION[language]}
    cited = reader.page.locator("ul.cited-records li")
    assert cited.count() == 1
    assert RECORD in cited.inner_text()
    cited.locator("a").click()
    reader.page.wait_for_url(lambda url: "/records/" in url)
    landed(reader, f"cite-record-{language}")
    cited_by = reader.page.locator("ul.cited-by a")
    assert cited_by.all_inner_texts() == [title]
