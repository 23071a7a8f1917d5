"""Forms of the secretariat's editing pages. Writes go through services (or `save_edition`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coalition.activities.clocks import to_utc
from coalition.activities.models import Activity, Kind
from coalition.core.richtext import sanitize_html
from coalition.core.translated import localized_column
from coalition.recommendation.languages import UN_LANGUAGE_CHOICES
from coalition.recommendation.timezones import time_zone_choices

from ..models import SectionKind
from ..services import composing

LANGUAGE_NAMES = dict(UN_LANGUAGE_CHOICES)
LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NewIssueForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, help_text=_("The period, e.g. “March 2023”, in English.")
    )
    period_start = forms.DateField(label=_("Period start"), widget=DATE)
    period_end = forms.DateField(label=_("Period end"), widget=DATE)
    next_deadline = forms.DateTimeField(
        label=_("Deadline to share activities for the next Update"),
        required=False,
        widget=LOCAL_DATETIME,
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of the deadline"),
        choices=time_zone_choices,
        initial="Europe/Paris",
        help_text=_(
            "The zone in which the secretariat announces dates, e.g. Europe/Paris for CET."
        ),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages of the editions"),
        choices=UN_LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=list(composing.EXPECTED_LANGUAGES),
        error_messages={"required": _("Choose at least one language.")},
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        deadline, zone = cleaned.get("next_deadline"), cleaned.get("time_zone")
        if deadline and zone:
            # The browser sends a wall-clock time: the secretariat's, in `zone`.
            cleaned["next_deadline"] = to_utc(deadline.replace(tzinfo=None), zone)
        return cleaned


class AddActivityForm(forms.Form):
    activity = forms.ModelChoiceField(
        label=_("Activity"),
        queryset=Activity.objects.published(),
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Only published activities can be in the Update.")},
    )
    section = forms.ChoiceField(label=_("Section"), choices=SectionKind.choices)

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.issue = issue

    def clean_activity(self):
        activity = self.cleaned_data["activity"]
        if self.issue.items.filter(activity=activity).exists():
            raise ValidationError(_("This activity is already in the issue."))
        return activity


class CustomItemForm(forms.Form):
    """A text the editors write (a notice, a call from UNESCO), in the issue's languages."""

    section = forms.ChoiceField(label=_("Section"), choices=SectionKind.choices)

    def __init__(self, *args, languages, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages = list(languages)
        for code in self.languages:
            name = LANGUAGE_NAMES[code]
            self.fields[localized_column("title", code)] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name}, required=False, max_length=255
            )
            self.fields[localized_column("body", code)] = forms.CharField(
                label=_("Text (%(language)s)") % {"language": name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Paragraphs, bold, italics, lists and links are kept."),
            )

    def translation_fields(self):
        return [
            (
                LANGUAGE_NAMES[code],
                self[localized_column("title", code)],
                self[localized_column("body", code)],
            )
            for code in self.languages
        ]

    def clean(self):
        cleaned = super().clean()
        if (
            not any(cleaned.get(localized_column("title", code)) for code in self.languages)
            and self.languages
        ):
            self.add_error(
                localized_column("title", self.languages[0]),
                _("Give a title in at least one language."),
            )
        for code in self.languages:
            name = localized_column("body", code)
            cleaned[name] = sanitize_html(cleaned.get(name, ""))
        return cleaned

    def texts(self):
        return {
            name: value for name, value in self.cleaned_data.items() if name != "section" and value
        }


class EditionForm(forms.Form):
    """An edition's introduction, and the issue's title in the edition's language."""

    title = forms.CharField(
        label=_("Title of the issue in this language"), max_length=200, required=False
    )
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Empty: a short greeting is used. Paragraphs, bold, italics, lists and links are kept."
        ),
    )

    def clean_introduction(self):
        return sanitize_html(self.cleaned_data["introduction"])


def default_section(activity, issue):
    """The section an activity goes to when an editor adds it by hand."""
    if activity.kind == Kind.EVENT:
        upcoming = activity.ends_at and activity.ends_at.date() >= issue.period_start
        return SectionKind.UPCOMING_EVENTS if upcoming else SectionKind.NEWS
    return {
        Kind.CALL: SectionKind.CALLS,
        Kind.PUBLICATION: SectionKind.PUBLICATIONS,
    }.get(activity.kind, SectionKind.NEWS)
