import pytest

from coalition.activities.forms.activities import ActivityForm
from tests.factories.members import OrganizationFactory, focal_point_of

pytestmark = pytest.mark.django_db


def zone_groups(form):
    return form.fields["time_zone"].choices


def test_time_zones_start_with_the_organizations_country():
    user = focal_point_of(OrganizationFactory(country="FR"))
    form = ActivityForm(user=user, language="en")
    blank, (label, suggested), utc, *_regions = zone_groups(form)
    assert blank == ("", "—")
    assert label == "Suggested"
    assert suggested[0][0] == "Europe/Paris"
    assert utc == ("UTC", "UTC")


def test_time_zones_start_with_the_organizers_own_zone():
    user = focal_point_of(OrganizationFactory(country="FR"), time_zone="Asia/Tokyo")
    form = ActivityForm(user=user, language="en")
    _blank, (_label, suggested), *_rest = zone_groups(form)
    assert [value for value, _text in suggested[:2]] == ["Asia/Tokyo", "Europe/Paris"]


def test_a_former_zone_name_of_saved_data_stays_choosable():
    user = focal_point_of(OrganizationFactory(country="ER"))
    form = ActivityForm(user=user, language="en", initial={"time_zone": "Africa/Asmera"})
    assert zone_groups(form)[-1] == ("Africa/Asmera", "Africa/Asmera")


def test_summary_limit_is_shown_and_enforced():
    from coalition.activities.forms.activities import SUMMARY_MAX_LENGTH

    user = focal_point_of(OrganizationFactory(country="FR"))
    form = ActivityForm(user=user, language="en")
    summary = form["summary_en"]
    assert f'maxlength="{SUMMARY_MAX_LENGTH}"' in str(summary)
    assert "10,000 characters" in str(form.fields["summary_en"].help_text)
    bound = ActivityForm(
        {"kind": "publication", "title_en": "A report", "summary_en": "z" * 220_000},
        user=user,
        language="en",
    )
    assert "summary_en" in bound.errors


def form_data(**links):
    return {"kind": "publication", "title_en": "A report", **links}


def test_links_come_from_label_and_address_rows():
    organization = OrganizationFactory()
    user = focal_point_of(organization)
    form = ActivityForm(
        form_data(
            on_behalf_of=organization.pk,
            link_label_0="Programme",
            link_url_0="https://example.org/programme",
            link_label_1="",
            link_url_1="example.org/slides",
            link_label_2="",
            link_url_2="",
        ),
        user=user,
        language="en",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["links"] == [
        {"label": "Programme", "url": "https://example.org/programme"},
        {"label": "https://example.org/slides", "url": "https://example.org/slides"},
    ]


def test_link_rows_refuse_other_schemes_and_words_without_an_address():
    user = focal_point_of(OrganizationFactory())
    form = ActivityForm(
        form_data(link_label_0="Click", link_url_0="javascript:alert(1)", link_label_1="Slides"),
        user=user,
        language="en",
    )
    assert not form.is_valid()
    assert "link_url_0" in form.errors
    assert form.errors["link_url_1"] == ["Give the address of this link."]


def test_edit_form_shows_each_saved_link_in_its_row_and_two_empty_ones():
    user = focal_point_of(OrganizationFactory())
    links = [{"label": f"Link {n}", "url": f"https://example.org/{n}"} for n in range(3)]
    form = ActivityForm(user=user, language="en", initial={"links": links})
    rows = form.link_rows()
    assert len(rows) == 5
    assert [words.value() for words, _address in rows[:3]] == ["Link 0", "Link 1", "Link 2"]
    assert rows[2][1].value() == "https://example.org/2"
    assert rows[4][0].value() == ""


def test_long_lists_start_with_the_likely_choices():
    user = focal_point_of(OrganizationFactory(country="KE"))
    form = ActivityForm(user=user, language="en")
    first_six = [language.code for language in form.fields["languages"].queryset[:6]]
    assert sorted(first_six) == ["ar", "en", "es", "fr", "ru", "zh"]
    (_mine, suggested), (_all, others) = form.fields["countries"].choices
    assert [code for code, _name in suggested] == ["KE"]
    assert "KE" not in {code for code, _name in others} and len(others) > 200
    html = str(form["countries"])
    assert html.index('value="KE"') < html.index('value="AF"')
