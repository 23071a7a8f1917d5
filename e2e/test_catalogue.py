"""The catalogue in a browser, in English (left to right) and Arabic (right to left):
searching with facets, a record page, registering an OAI-PMH source and adding a record,
each page checked with axe-core."""

import json
from pathlib import Path

import pytest

from coalition.catalogue.models import Record, RecordSubmission, Source
from e2e.helpers_events import sign_in
from tests.catalogue import pages
from tests.catalogue.conftest import OAIServer, Reply
from tests.factories.catalogue import make_record, make_source
from tests.factories.members import SecretariatFactory, focal_point_of

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DIRECTION = {"en": "ltr", "ar": "rtl"}
LANGUAGES = list(DIRECTION)


@pytest.fixture
def records(transactional_db):
    library = make_source("Open Library", country="SN")
    ministry = make_source("Ministry Repository", country="EG")
    make_record(
        library, "bio", title="Biologie cellulaire", languages=["fr"], licence_class="open",
        licence_spdx="CC-BY-4.0", rights_statement="CC BY 4.0", year=2021,
        keywords=["Biologie"], creators=[{"name": "Diop, Awa", "orcid": ""}],
        urls=["https://example.org/bio"], description="Un manuel libre de biologie.",
    )  # fmt: skip
    make_record(
        ministry, "bio-ar", title="علم الأحياء للمدارس", languages=["ar"],
        licence_class="open-nc", rights_statement="CC BY-NC 4.0", year=2019,
        keywords=["الأحياء"], urls=["https://example.org/ar-bio"],
    )  # fmt: skip
    make_record(
        ministry, "bio-copy", title="Biologie cellulaire", languages=["fr"],
        licence_class="open", rights_statement="CC BY 4.0", year=2021,
        urls=["http://www.example.org/bio/"],
    )  # fmt: skip
    make_record(ministry, "physics", title="Physics handbook", languages=["en"],
                licence_class="not-open", rights_statement="All rights reserved")  # fmt: skip
    return library, ministry


def assert_page(hub, language, name):
    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    assert hub.page.locator("h1").count() == 1
    hub.screenshot(name)
    hub.assert_accessible(name)


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_with_a_facet_then_open_the_record(hub, records, language):
    hub.visit(f"/{language}/")
    hub.page.locator("#home-q").fill("biologie")
    hub.page.locator("#home-q").press("Enter")
    hub.page.wait_for_url(lambda url: "/catalogue/?q=biologie" in url)
    hub.assert_nothing_broken()
    assert_page(hub, language, f"catalogue-search-{language}")
    assert hub.page.locator(".results > li").count() == 1  # one OER, though two copies

    hub.visit(f"/{language}/catalogue/")
    assert hub.page.locator(".results > li").count() == 3
    hub.page.locator("input[name=licence][value=open-nc]").check()
    hub.page.locator(".facets button[type=submit]").click()
    hub.page.wait_for_url(lambda url: "licence=open-nc" in url)
    hub.assert_nothing_broken()
    titles = hub.page.locator(".results h2 a").all_inner_texts()
    # Shown in its own language, marked as such where the interface speaks another.
    assert len(titles) == 1 and titles[0].startswith("علم الأحياء للمدارس")
    assert hub.page.locator("input[name=licence][value=open-nc]").is_checked()

    hub.visit(f"/{language}/catalogue/?q=biologie")
    hub.page.locator(".results h2 a").first.click()
    hub.page.wait_for_url(lambda url: "/records/" in url)
    hub.assert_nothing_broken()
    assert_page(hub, language, f"catalogue-record-{language}")
    data = json.loads(hub.page.locator('script[type="application/ld+json"]').inner_text())
    assert data["@type"] == "LearningResource" and data["name"] == "Biologie cellulaire"
    assert hub.page.locator(".provenance > li").count() == 2
    assert hub.page.locator("#licence-heading").is_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_search_export_downloads_a_csv(hub, records, language):
    hub.visit(f"/{language}/catalogue/?licence=open")
    with hub.page.expect_download() as download:
        hub.page.locator("a[download][href*='export.csv']").click()
    path = download.value.path()
    content = Path(path).read_bytes()
    assert content.startswith(b"\xef\xbb\xbf")
    assert "Biologie cellulaire" in content.decode("utf-8-sig")


@pytest.fixture
def oai_endpoint():
    server = OAIServer()
    server.on(Reply(pages.identify().encode()), verb="Identify")
    server.on(Reply(pages.list_metadata_formats("oai_dc").encode()), verb="ListMetadataFormats")
    server.on(Reply(pages.list_records([pages.record(1), pages.record(2)]).encode()),
              verb="ListRecords")  # fmt: skip
    yield server
    server.close()


@pytest.mark.parametrize("language", LANGUAGES)
def test_register_a_source_then_the_secretariat_approves_it(hub, coalition, oai_endpoint,
                                                           language):  # fmt: skip
    organization = coalition.organizations["col"]
    user = focal_point_of(organization, email=f"focal-{language}@example.org")
    sign_in(hub, user.email, language)

    hub.visit(f"/{language}/sources/register/")
    assert_page(hub, language, f"catalogue-source-form-{language}")
    hub.page.locator("#id_base_url").fill("http://127.0.0.1:9/not-oai")
    hub.page.locator("form button[type=submit]").last.click()
    hub.page.wait_for_load_state("load")
    assert hub.page.locator(".has-error #id_base_url").count() == 1  # refused, with its reason
    hub.assert_accessible(f"catalogue-source-form-error-{language}")

    hub.page.locator("#id_base_url").fill(oai_endpoint.url)
    hub.page.locator("#id_name").fill("Commonwealth repository")
    hub.page.locator("form button[type=submit]").last.click()
    hub.page.wait_for_url(lambda url: "/sources/commonwealth-repository/" in url)
    hub.assert_nothing_broken()
    assert_page(hub, language, f"catalogue-source-pending-{language}")
    assert Source.objects.get().status == "pending"

    secretariat = SecretariatFactory(email=f"secretariat-{language}@example.org")
    hub.page.context.clear_cookies()
    sign_in(hub, secretariat.email, language)
    hub.visit(f"/{language}/records/moderation/")
    assert_page(hub, language, f"catalogue-moderation-{language}")
    hub.page.locator("a[href$='/sources/commonwealth-repository/decide/']").click()
    hub.page.wait_for_load_state("load")
    hub.page.locator("input[name=decision][value=approve]").check()
    hub.page.locator("form button[type=submit]").last.click()
    hub.page.wait_for_url(lambda url: url.endswith("/records/moderation/"))
    hub.assert_nothing_broken()
    assert Source.objects.get().status == "approved"
    assert Record.objects.filter(source__slug="commonwealth-repository").count() == 2


@pytest.mark.parametrize("language", LANGUAGES)
def test_add_a_record_which_waits_for_moderation(hub, coalition, language):
    organization = coalition.organizations["alecso"]
    user = focal_point_of(organization, email=f"records-{language}@example.org")
    sign_in(hub, user.email, language)

    hub.visit(f"/{language}/records/add/")
    assert_page(hub, language, f"catalogue-record-form-{language}")
    hub.page.locator("form[method=post] button[type=submit]").last.click()
    hub.page.wait_for_load_state("load")
    assert hub.page.locator(".has-error").count() >= 3
    hub.assert_accessible(f"catalogue-record-form-errors-{language}")

    hub.page.locator("#id_title").fill("مقدمة في الترخيص المفتوح")
    hub.page.locator("#id_title_language").fill("ar")
    hub.page.locator("#id_creators").fill("Mohamed Jemni")
    hub.page.locator("#id_urls").fill("https://example.org/oer/licensing-ar")
    hub.page.locator("#id_licence").select_option("CC-BY-SA-4.0")
    hub.page.locator("input[name=action_areas][value='1']").check()
    hub.page.locator("form[method=post] button[type=submit]").last.click()
    hub.page.wait_for_url(lambda url: "/records/submissions/" in url)
    hub.assert_nothing_broken()
    assert_page(hub, language, f"catalogue-submission-{language}")
    submission = RecordSubmission.objects.get()
    assert submission.status == "pending"
    assert submission.data["licence_class"] == "open"
    assert not Record.objects.exists()

    hub.visit(f"/{language}/records/mine/")
    assert_page(hub, language, f"catalogue-my-records-{language}")
    assert hub.page.get_by_text("مقدمة في الترخيص المفتوح").count() == 1
