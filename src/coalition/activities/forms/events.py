"""Forms of the events pages: registering for an event."""

from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.recommendation.content import content_in


class RegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("Your confirmation, the link to join and any change are sent here."),
    )
    organization_name = forms.CharField(label=_("Organization"), max_length=255, required=False)
    share_contact = forms.BooleanField(
        label=_(
            "The organizers may share my name, organization and e-mail address with the "
            "other participants."
        ),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        # Its own ids: the form sits on the event page beside the discussion's and materials'.
        kwargs.setdefault("auto_id", "registration_%s")
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["organization_name"].widget.attrs["autocomplete"] = "organization"
        if user is not None and user.is_authenticated and not self.is_bound:
            self.initial.update(initial_for(user))


def initial_for(user):
    """What the Hub already knows about a signed-in person, to spare them typing it."""
    initial = {"email": user.email}
    person = getattr(user, "person", None)
    if person is not None:
        initial["name"] = person.name
        affiliation = person.affiliations.select_related("organization").first()
        if affiliation is not None:
            initial["organization_name"] = content_in(affiliation.organization, "name").value
    return initial


class OrganizerSearchForm(forms.Form):
    """Narrows the people who can be named: a name, and one of the organizations."""

    q = forms.CharField(label=_("Name contains"), required=False, max_length=200)
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        required=False,
        queryset=None,
        empty_label=_("All the organizing organizations"),
    )

    def __init__(self, *args, activity, **kwargs):
        kwargs.setdefault("auto_id", "search_%s")
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = activity.organizations.order_by("name")
        self.fields["organization"].label_from_instance = lambda org: content_in(org, "name").value


class OrganizerForm(forms.Form):
    """One person affiliated with the organizing organizations, with an account, to name."""

    person = forms.ModelChoiceField(label=_("Person to name"), queryset=None, empty_label=None)

    def __init__(self, *args, candidates, **kwargs):
        kwargs.setdefault("auto_id", "organizer_%s")
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = candidates
        self.fields["person"].label_from_instance = person_label


def person_label(person):
    """ "Name (the organizing organizations they work with)", from `organizer_candidates`."""
    organizations = ", ".join(
        content_in(affiliation.organization, "name").value
        for affiliation in getattr(person, "organizing_affiliations", [])
    )
    return f"{person.name} ({organizations})" if organizations else person.name
