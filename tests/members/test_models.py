import pytest

from coalition.activities.models import Activity
from coalition.members.models import Organization, unique_slug

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("<script>alert(1)</script>Open Education Week", "open-education-week"),
        ("&lt;script&gt;alert(1)&lt;/script&gt; OER policies", "oer-policies"),
        ("Webinar <b>OER</b> &amp; policy", "webinar-oer-policy"),
        ("<img src=x onerror=alert(1)>Week", "week"),
        ("a < b and c > d", "a-b-and-c-d"),
    ],
)
def test_slug_comes_from_the_words_only(title, slug):
    assert unique_slug(Activity, title) == slug


def test_slug_of_markup_alone_falls_back_to_the_model_name():
    assert unique_slug(Organization, "<script>alert(1)</script>") == "organization"
