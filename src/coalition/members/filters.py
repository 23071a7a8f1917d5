"""Filter fields shared by the member and activity lists (pages and API)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.core.widgets import FastSelect
from coalition.recommendation.countries import country_choices
from coalition.recommendation.regions import Region

from .models import WorkingGroup


def search_field():
    return forms.CharField(label=_("Search"), required=False, max_length=100)


def region_field():
    return forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("All regions")), *Region.choices],
        widget=FastSelect,
    )


def country_field():
    return forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=country_choices(_("All countries")),
        widget=FastSelect,
    )


def working_group_field():
    return forms.ModelChoiceField(
        label=_("Working group"),
        required=False,
        queryset=WorkingGroup.objects.all(),
        to_field_name="slug",
        empty_label=_("All working groups"),
        widget=FastSelect,
    )
