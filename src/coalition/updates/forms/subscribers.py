"""Forms of the subscriber pages: subscribing, preferences, the secretariat's CSV import."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from coalition.members.models import WorkingGroup
from coalition.recommendation.content import content_in
from coalition.recommendation.languages import NATIVE_NAMES, UN_LANGUAGES
from coalition.recommendation.models import ActionArea

from ..services import subscriptions

# Each language in its own script, so that readers find theirs whatever the page's language.
LANGUAGE_CHOICES = [(code, NATIVE_NAMES[code]) for code in UN_LANGUAGES]


class WorkingGroupChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        # A Content renders its fallback language marked, like every translated field.
        return content_in(obj, "name")


class ActionAreaChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return content_in(obj, "title")


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the Update"),
        choices=LANGUAGE_CHOICES,
        help_text=_("You receive each Update in this language when it is published in it."),
    )
    other_languages = forms.MultipleChoiceField(
        label=_("Other languages you read"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "When an Update is not published in your language, you get it in one of these."
        ),
    )
    working_groups = WorkingGroupChoiceField(
        label=_("Working groups you follow"),
        queryset=WorkingGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    action_areas = ActionAreaChoiceField(
        label=_("Areas of action that interest you"),
        queryset=ActionArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        cleaned = super().clean()
        language = cleaned.get("language")
        cleaned["other_languages"] = subscriptions.other_languages_list(
            language, cleaned.get("other_languages")
        )
        return cleaned

    @classmethod
    def for_subscriber(cls, subscriber, data=None):
        initial = {
            "language": subscriber.language,
            "other_languages": subscriber.other_languages,
            "working_groups": list(subscriber.working_groups.all()),
            "action_areas": list(subscriber.action_areas.all()),
        }
        return cls(data, initial=initial)


class SubscribeForm(PreferencesForm):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    consent = forms.BooleanField(
        label=subscriptions.CONSENT_TEXT,
        error_messages={
            "required": _("Tick this box to agree: we send the Update only to people who agree."),
        },
    )

    field_order = [
        "email",
        "language",
        "other_languages",
        "working_groups",
        "action_areas",
        "consent",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        if not self.is_bound and "language" not in self.initial:
            self.initial["language"] = get_language()

    def clean_email(self):
        return subscriptions.clean_email(self.cleaned_data["email"])


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "One address per line: e-mail, language (ar, en, es, fr, ru or zh-hans), then any "
            "other languages. A first line starting with “email” is skipped. UTF-8, "
            "separated by commas or semicolons."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > subscriptions.MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is too large (5 MB at most)."), code="size")
        return subscriptions.read_csv(upload.read())
