from django import forms

from coalition.core.widgets import FastSelect


class Choice(forms.Form):
    region = forms.ChoiceField(
        choices=[("", "All"), ("africa", "Africa"), ("arab-states", "<Arab> & States")],
        required=False,
        widget=FastSelect,
    )


def test_fast_select_renders_like_django_select_with_the_choice_selected():
    html = str(Choice({"region": "africa"})["region"])
    assert html.startswith("<select ")
    assert ' name="region"' in html and ' id="id_region"' in html
    assert '<option value="africa" selected>Africa</option>' in html
    assert '<option value="">All</option>' in html


def test_fast_select_escapes_labels():
    html = str(Choice()["region"])
    assert "&lt;Arab&gt; &amp; States" in html
    assert "<Arab>" not in html
