from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coalition.core.richtext import sanitize_html
from coalition.core.translated import localized_column
from coalition.core.widgets import FastSelect
from coalition.recommendation.countries import country_choices
from coalition.recommendation.languages import UN_LANGUAGE_CHOICES

from .filters import country_field, region_field, search_field, working_group_field
from .models import Gender, Organization, Person, StakeholderType


class SignupForm(forms.Form):
    """Extra sign-up fields (allauth adds e-mail and password)."""

    name = forms.CharField(label=_("Your name"), max_length=200)

    def signup(self, request, user):
        from .services import person_for_user

        person = person_for_user(user)
        person.name = self.cleaned_data["name"]
        person.save(update_fields=["name"])


class DirectoryFilterForm(forms.Form):
    q = search_field()
    stakeholder_type = forms.ChoiceField(
        label=_("Stakeholder type"),
        required=False,
        choices=[("", _("All types")), *StakeholderType.choices],
        widget=FastSelect,
    )
    region = region_field()
    country = country_field()
    working_group = working_group_field()


class PeopleFilterForm(forms.Form):
    q = search_field()
    country = country_field()
    working_group = working_group_field()


# The longest description of an organization, in each language (forms and API).
DESCRIPTION_MAX_LENGTH = 10_000


def _language_label(code):
    return dict(UN_LANGUAGE_CHOICES)[code]


class OrganizationForm(forms.ModelForm):
    """The profile a focal point edits: name and description in each UN language."""

    website = forms.URLField(
        label=_("Website"), required=False, assume_scheme="https", max_length=200
    )

    class Meta:
        model = Organization
        fields = ["acronym", "stakeholder_type", "country", "website", "logo"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in settings.MODELTRANSLATION_LANGUAGES:
            language = _language_label(code)
            self.fields[localized_column("name", code)] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": language},
                max_length=255,
                required=code == settings.LANGUAGE_CODE,
                initial=getattr(self.instance, localized_column("name", code), "")
                if self.instance.pk
                else "",
            )
            self.fields[localized_column("description", code)] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": language},
                widget=forms.Textarea(attrs={"rows": 4}),
                required=False,
                max_length=DESCRIPTION_MAX_LENGTH,
                help_text=_("Paragraphs, bold, italics, lists and links are kept."),
                initial=getattr(self.instance, localized_column("description", code), "")
                if self.instance.pk
                else "",
            )

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if name.startswith("description_"):
                cleaned[name] = sanitize_html(value)
        return cleaned

    def save(self, commit=True):
        for name, value in self.cleaned_data.items():
            if name.startswith(("name_", "description_")):
                setattr(self.instance, name, value)
        return super().save(commit)


class ApplicationForm(forms.Form):
    organization_name = forms.CharField(label=_("Name of the organization"), max_length=255)
    acronym = forms.CharField(label=_("Acronym"), max_length=40, required=False)
    stakeholder_type = forms.ChoiceField(
        label=_("Stakeholder type"), choices=StakeholderType.choices
    )
    country = forms.ChoiceField(label=_("Country"), choices=country_choices("—"))
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("What your organization does for open educational resources"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )
    applicant_name = forms.CharField(label=_("Your name"), max_length=200)
    applicant_email = forms.EmailField(label=_("Your e-mail address"))
    applicant_role_title = forms.CharField(label=_("Your role in the organization"), max_length=200)
    motivation = forms.CharField(
        label=_("Why your organization wishes to join"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    privacy_consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice and agree that the secretariat keeps these details "
            "to handle this application."
        ),
        error_messages={"required": _("We can only process your application with your consent.")},
    )

    def organization_data(self, language):
        data = self.cleaned_data
        description = sanitize_html(data["description"])
        values = {
            "name": data["organization_name"],
            localized_column("name", language): data["organization_name"],
            "acronym": data["acronym"],
            "stakeholder_type": data["stakeholder_type"],
            "country": data["country"],
            "website": data["website"],
            localized_column("description", language): description,
        }
        # The default-language column is what lists sort by; it holds the name as given.
        values[f"name_{settings.LANGUAGE_CODE}"] = data["organization_name"]
        return values

    def application(self, language):
        """What `services.apply_to_join` takes from the form, in `language` (the page and
        the API both apply through this)."""
        data = self.cleaned_data
        return {
            "organization_data": self.organization_data(language),
            "applicant_name": data["applicant_name"],
            "applicant_email": data["applicant_email"],
            "applicant_role_title": data["applicant_role_title"],
            "motivation": data["motivation"],
            "language": language,
        }


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the applicant)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class GroupJoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the chairs (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["name", "country", "email", "gender", "public_profile"]
        widgets = {"gender": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = [("", _("Not given")), *Gender.choices]
