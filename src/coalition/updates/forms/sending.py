"""The secretariat's sending form: when to send an Update, in which time zone."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.activities.clocks import to_utc
from coalition.recommendation.timezones import time_zone_choices

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ScheduleForm(forms.Form):
    send_at = forms.DateTimeField(
        label=_("Date and time of sending"),
        widget=LOCAL_DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("The date and time above are read in this zone, e.g. Europe/Paris for CET."),
    )

    def clean(self):
        cleaned = super().clean()
        moment, zone = cleaned.get("send_at"), cleaned.get("time_zone")
        if moment and zone:
            # The browser sends a wall-clock time: the secretariat's, in `zone`.
            cleaned["send_at"] = to_utc(moment.replace(tzinfo=None), zone)
        return cleaned
