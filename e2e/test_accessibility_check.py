"""The accessibility check itself: it must catch real violations and say where they are.

Without this, a broken axe-core injection would let every page "pass".
"""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]

INACCESSIBLE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><title>Broken on purpose</title></head>
<body><main>
  <h1>Broken on purpose</h1>
  <img id="unlabelled-logo" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <input id="unlabelled-search" type="text">
</main></body></html>"""


def test_accessibility_check_names_rule_impact_and_target_of_each_violation(hub):
    hub.page.set_content(INACCESSIBLE_PAGE)

    with pytest.raises(AssertionError) as failure:
        hub.assert_accessible("axe-self-test")

    message = str(failure.value)
    assert "image-alt (critical)" in message
    assert "target #unlabelled-logo" in message
    assert "label (critical)" in message
    assert "target #unlabelled-search" in message
