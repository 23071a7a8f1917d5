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
