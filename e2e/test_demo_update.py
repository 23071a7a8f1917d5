"""The demo's March 2023 Update, read in the browser as `make run` shows it.

The three demos are loaded as `make run` loads them (through the services); a reader opens
the archive, then the English, French and Arabic editions of March 2023, and finds the seed's
content in each edition's own language: the speakers' titles, the call's organizers, the
brochure's six language links and the ICT Competency Framework project link. Each page
passes axe-core.
"""

import pytest

from coalition.activities.demo import load_demo_activities
from coalition.members.demo import load_demo_data
from coalition.updates.demo import MARCH_SLUG, load_demo_updates
from e2e.helpers_events import squeeze

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

DIRECTION = {"en": "ltr", "fr": "ltr", "ar": "rtl"}
# What each edition shows, as the seed prints it: a speaker's title, the call's organizers,
# the ICT Competency Framework project link.
EXPECTED = {
    "en": (
        ("Barbara Class", "Research Professor, University of Geneva"),
        "Digital Public Goods Alliance, United Nations Development Programme",
        "ICT Competency Framework for Teachers Harnessing OER Project",
    ),
    "fr": (
        ("Barbara Class", "Enseignante chercheuse à l'Université de Genève"),
        "Alliance pour les biens publics numériques, Programme des Nations Unies pour le "
        "développement",
        "Projet Référentiel de compétences en TIC pour les enseignants qui s'appuie sur les REL",
    ),
    "ar": (
        ("Tawfik Jelassi", "المدير العام المساعد للاتصالات والمعلومات، يونسكو"),
        "برنامج الأمم المتحدة الإنمائي، تحالف السلع العامة الرقمية",
        "مشروع إطار عمل كفاءة تكنولوجيا المعلومات والاتصالات للمدرسين",
    ),
}
BROCHURE_LABELS = {
    "en": ("Arabic", "English", "Chinese", "French", "Spanish", "Russian"),
    "fr": ("arabe", "anglais", "chinois", "français", "espagnol", "russe"),
    "ar": ("العربية", "الإنجليزية", "الصينية", "الفرنسية", "الإسبانية", "الروسية"),
}


@pytest.fixture
def demo(transactional_db):
    load_demo_data()
    load_demo_activities()
    load_demo_updates()


def test_reader_finds_the_seeds_content_in_the_march_2023_editions(hub, demo):
    # One walk through both languages: loading the whole demo is the expensive part.
    for language in ("en", "fr", "ar"):
        read_march_2023(hub, language)


def read_march_2023(hub, language):
    hub.visit(f"/{language}/updates/")
    assert hub.document_language() == {"lang": language, "dir": DIRECTION[language]}
    hub.assert_accessible(f"demo-update-archive-{language}")
    hub.page.locator(f'a[href="/{language}/updates/{MARCH_SLUG}/{language}/"]').first.click()
    hub.page.wait_for_url(lambda url: url.endswith(f"/{MARCH_SLUG}/{language}/"))
    hub.assert_nothing_broken()

    article = hub.page.locator("article.update-edition")
    text = squeeze(article.inner_text())
    (speaker, title), organizers, project = EXPECTED[language]
    assert f"{speaker}, {title}" in text
    assert organizers in text
    links = [squeeze(t) for t in article.locator("a").all_inner_texts()]
    assert all(label in links for label in BROCHURE_LABELS[language]), links
    assert any(link.startswith(project) for link in links), links
    assert "Программа" not in links
    hub.assert_accessible(f"demo-update-march-2023-{language}")
