from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db.models import Case, Value, When
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from coalition.catalogue import selectors as catalogue
from coalition.catalogue.models import LicenceClass
from coalition.core.richtext import sanitize_html
from coalition.core.translated import localized_column
from coalition.core.validators import validate_single_line
from coalition.core.widgets import FastSelect
from coalition.members.filters import country_field, region_field, search_field, working_group_field
from coalition.members.models import Organization, WorkingGroup
from coalition.recommendation.countries import country_choices
from coalition.recommendation.languages import UN_LANGUAGE_CHOICES
from coalition.recommendation.models import ActionArea, Language
from coalition.recommendation.regions import Region
from coalition.recommendation.timezones import (
    current_zones,
    time_zone_choices,
    time_zone_names,
    zones_of_country,
)

from ..clocks import to_utc
from ..models import EventFormat, Kind

LANGUAGE_NAMES = dict(UN_LANGUAGE_CHOICES)
# The six UN languages as ISO 639-1 codes (recommendation.Language's keys).
UN_LANGUAGE_CODES = ("ar", "en", "es", "fr", "ru", "zh")
LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def languages_in_use():
    return cache.get_or_set(
        "activities:languages-in-use",
        lambda: list(
            Language.objects.filter(activities__published_at__isnull=False)
            .values_list("code", flat=True)
            .distinct()
        ),
        300,
    )


class ActivityFilterForm(forms.Form):
    q = search_field()
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Kind.choices],
        widget=FastSelect,
    )
    action_area = forms.ModelChoiceField(
        label=_("Action area"),
        required=False,
        queryset=ActionArea.objects.all(),
        empty_label=_("All action areas"),
        widget=FastSelect,
    )
    working_group = working_group_field()
    language = forms.ModelChoiceField(
        label=_("Language"),
        required=False,
        queryset=Language.objects.all(),
        empty_label=_("All languages"),
        widget=FastSelect,
    )
    region = region_field()
    country = country_field()
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        required=False,
        queryset=Organization.objects.members(),
        to_field_name="slug",
        widget=forms.HiddenInput,
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, events_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        if events_only:
            del self.fields["kind"]
        # Only languages that published activities use: a list of every ISO language
        # would be long to read and slow to render on each request.
        self.fields["language"].queryset = Language.objects.filter(code__in=languages_in_use())

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("date_from")
            and cleaned.get("date_to")
            and cleaned["date_to"] < cleaned["date_from"]
        ):
            self.add_error("date_to", _("The end of the period is before its start."))
        return cleaned

    def filters(self):
        if not self.is_bound or not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value not in ("", None)}


# Limits of the free texts, shown to the user (the browser's maxlength and the help) and
# enforced here, which the API's submissions pass through too.
SUMMARY_MAX_LENGTH = 10_000
LINKS_MAX_LENGTH = 4_000
LINK_LABEL_MAX_LENGTH = 200  # Link.label
LINK_URL_MAX_LENGTH = 200  # Link.url
MAX_LINKS = 20


class LinksField(forms.CharField):
    """One link per line, "label | https://…"; only http(s) addresses are accepted."""

    widget = forms.Textarea(attrs={"rows": 3})
    validate_url = URLValidator(schemes=["http", "https"])

    def to_python(self, value):
        links = []
        for number, line in enumerate((value or "").splitlines(), start=1):
            if not line.strip():
                continue
            label, _sep, url = line.rpartition("|")
            label, url = label.strip(), url.strip()
            try:
                self.validate_url(url)
            except ValidationError:
                raise ValidationError(
                    _(
                        "Line %(number)s: “%(url)s” is not a web address starting with http:// or https://."
                    ),
                    params={"number": number, "url": url},
                    code="invalid_link",
                ) from None
            links.append({"label": label or url, "url": url})
        return links

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(f"{link['label']} | {link['url']}" for link in value)
        return value


MAX_CITED_RECORDS = 30


class CitedRecordsField(forms.TypedMultipleChoiceField):
    """Catalogue records cited, as ticked boxes: those already cited and those found by
    title (`record_search`). Any visible record's id is accepted (the API names records
    by their Hub id, turned into ids before the form), whatever boxes were shown."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(coerce=int, empty_value=[], **kwargs)

    def valid_value(self, value):
        return True  # checked against the catalogue in clean(), in one query

    def clean(self, value):
        try:
            ids = sorted({int(v) for v in (value or [])})
        except (TypeError, ValueError):
            raise ValidationError(
                _("Choose records of the catalogue."), code="invalid_choice"
            ) from None
        if len(ids) > MAX_CITED_RECORDS:
            raise ValidationError(
                _("Cite at most %(count)s records."),
                params={"count": MAX_CITED_RECORDS},
                code="too_many",
            )
        known = catalogue.cited_records_of(ids)
        if len(known) != len(ids):
            raise ValidationError(
                _("A record chosen is not (or no longer) in the catalogue."),
                code="invalid_choice",
            )
        self.records = known
        return ids


def record_choice_label(record):
    licence = (
        LicenceClass(record.licence_class).label
        if record.licence_class in LicenceClass.values
        else record.licence_class
    )
    details = [str(licence)]
    if record.year:
        details.append(str(record.year))
    return f"{record.title_in()} ({' · '.join(details)})"


class ActivityForm(forms.Form):
    on_behalf_of = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Organization.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    event_format = forms.ChoiceField(
        label=_("Format (events)"), required=False, choices=[("", "—"), *EventFormat.choices]
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Co-organizing member organizations"),
        required=False,
        queryset=Organization.objects.members(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    action_areas = forms.ModelMultipleChoiceField(
        label=_("Action areas of the Recommendation"),
        required=False,
        queryset=ActionArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    working_groups = forms.ModelMultipleChoiceField(
        label=_("Working groups"),
        required=False,
        queryset=WorkingGroup.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.ModelMultipleChoiceField(
        label=_("Held or published in"),
        required=False,
        queryset=Language.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries concerned"),
        required=False,
        choices=country_choices(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions concerned"),
        required=False,
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of the times below"),
        required=False,
        choices=[("", "—"), *time_zone_choices()],
        help_text=_("The zone in which you announce the event: the city whose clock you give."),
    )
    starts_at = forms.DateTimeField(label=_("Starts"), required=False, widget=LOCAL_DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), required=False, widget=LOCAL_DATETIME)
    deadline = forms.DateTimeField(
        label=_("Deadline (calls)"), required=False, widget=LOCAL_DATETIME
    )
    location = forms.CharField(label=_("Place"), required=False, max_length=255)
    is_online = forms.BooleanField(label=_("Online"), required=False)
    registration_required = forms.BooleanField(label=_("Registration required"), required=False)
    registration_open = forms.BooleanField(
        label=_("Registration open"), required=False, initial=True
    )
    capacity = forms.IntegerField(label=_("Places (empty: no limit)"), required=False, min_value=1)
    access_url = forms.URLField(
        label=_("Access link (webinar address)"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Shown only to registered participants and organizers."),
    )
    links = LinksField(
        label=_("Links"),
        required=False,
        max_length=LINKS_MAX_LENGTH,
        help_text=_("One per line: label | https://…"),
    )
    contact_name = forms.CharField(label=_("Contact name"), required=False, max_length=200)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False, max_length=254)
    contact_is_public = forms.BooleanField(label=_("Show the contact publicly"), required=False)
    cited_records = CitedRecordsField(
        label=_("Catalogue records cited"),
        required=False,
        help_text=_("Untick a record to stop citing it."),
    )
    record_search = forms.CharField(
        label=_("Find records of the catalogue by title"),
        required=False,
        max_length=200,
        help_text=_("Or paste the address of a record's page. Found records appear above."),
    )

    # The button that looks records up instead of sending the form.
    FIND_RECORDS = "find_records"
    # The form's first (hidden) submit button, the one Enter presses in any field: it looks
    # records up when words are in the search box, and sends the form otherwise. Without it
    # Enter would press "Find records", the first visible submit button, and never send.
    ENTER = "enter_pressed"

    def __init__(self, *args, user, language, **kwargs):
        super().__init__(*args, **kwargs)
        self.language = language
        self.finding_records = self.is_bound and (
            self.FIND_RECORDS in self.data
            or (self.ENTER in self.data and str(self.data.get("record_search", "")).strip())
        )
        self._record_choices()
        self.fields["on_behalf_of"].queryset = acting_organizations(user)
        self.fields["time_zone"].choices = [("", "—"), *time_zone_choices(self.likely_zones(user))]
        zone = self.initial.get("time_zone")
        if zone and zone != "UTC" and zone not in current_zones() and zone in time_zone_names():
            # A former name (e.g. Africa/Asmera) of an activity saved before: kept as it is.
            self.fields["time_zone"].choices += [(zone, zone.replace("_", " "))]
        self._add_link_rows()
        self._likely_choices_first()
        summary_help = _(
            "Paragraphs, bold, italics, lists and links are kept; at most %(count)s characters."
        ) % {"count": number_format(SUMMARY_MAX_LENGTH, force_grouping=True)}
        # Titles and summaries in every UN language; the page's language first.
        codes = sorted(settings.MODELTRANSLATION_LANGUAGES, key=lambda code: code != language)
        for code in codes:
            name = LANGUAGE_NAMES[code]
            self.fields[localized_column("title", code)] = forms.CharField(
                label=_("Title (%(language)s)") % {"language": name},
                required=False,
                max_length=255,
                validators=[validate_single_line],
            )
            self.fields[localized_column("summary", code)] = forms.CharField(
                label=_("Summary (%(language)s)") % {"language": name},
                required=False,
                max_length=SUMMARY_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=summary_help,
            )

    def _record_choices(self):
        """The boxes of the cited records: those cited (or ticked) and those found."""
        if self.is_bound:
            getter = getattr(self.data, "getlist", None)
            given = getter("cited_records") if getter else self.data.get("cited_records")
        else:
            given = self.initial.get("cited_records")
        ids = [int(v) for v in given or [] if str(v).isdigit()][:MAX_CITED_RECORDS]
        shown = catalogue.cited_records_of(ids)
        records = [shown[pk] for pk in ids if pk in shown]
        self.records_found = None
        if self.finding_records:
            found = catalogue.records_to_cite(self.data.get("record_search"))
            self.records_found = [record for record in found if record.pk not in shown]
            records += self.records_found
        self.fields["cited_records"].choices = [
            (record.pk, record_choice_label(record)) for record in records
        ]

    def full_clean(self):
        super().full_clean()
        if self.finding_records:
            # Looking records up is not sending: nothing is refused yet.
            self._errors = forms.utils.ErrorDict()

    def is_valid(self):
        return not self.finding_records and super().is_valid()

    def _add_link_rows(self):
        """Links as pairs of fields, the words to show and the address: one row per link
        already given and two empty ones (at least three), so no script is needed."""
        if self.is_bound:
            numbers = [
                int(key.rpartition("_")[2])
                for key in self.data
                if key.startswith("link_url_") and key.rpartition("_")[2].isdigit()
            ]
            rows = max(numbers, default=-1) + 1
            # Only the web form sends rows; the API sends `links` itself.
            self.uses_link_rows = rows > 0
        else:
            rows = len(self.initial.get("links") or []) + 2
            self.uses_link_rows = True
        self.link_row_count = min(max(rows, 3), MAX_LINKS)
        given = self.initial.get("links") or []
        if not isinstance(given, list):
            given = []
        for number in range(self.link_row_count):
            link = given[number] if number < len(given) else {}
            self.fields[f"link_label_{number}"] = forms.CharField(
                label=_("Words to show (link %(number)s)") % {"number": number + 1},
                required=False,
                max_length=LINK_LABEL_MAX_LENGTH,
                initial=link.get("label", ""),
            )
            self.fields[f"link_url_{number}"] = forms.URLField(
                label=_("Address (link %(number)s)") % {"number": number + 1},
                required=False,
                max_length=LINK_URL_MAX_LENGTH,
                assume_scheme="https",
                initial=link.get("url", ""),
                validators=[LinksField.validate_url],
            )

    def link_rows(self):
        """(words field, address field) of each link row, for the template."""
        return [
            (self[f"link_label_{number}"], self[f"link_url_{number}"])
            for number in range(self.link_row_count)
        ]

    def _clean_link_rows(self, cleaned):
        links = []
        for number in range(self.link_row_count):
            label_name, url_name = f"link_label_{number}", f"link_url_{number}"
            label = (cleaned.get(label_name) or "").strip()
            url = cleaned.get(url_name) or ""
            if url_name in self.errors:
                continue
            if label and not url:
                self.add_error(url_name, _("Give the address of this link."))
            elif url:
                links.append({"label": label or url, "url": url})
        cleaned["links"] = links

    def likely_countries(self):
        """The countries of the organizations the user acts for (one query, kept)."""
        if not hasattr(self, "_likely_countries"):
            codes = self.fields["on_behalf_of"].queryset.values_list("country", flat=True)
            self._likely_countries = [str(code) for code in dict.fromkeys(codes[:5]) if code]
        return self._likely_countries

    def likely_zones(self, user):
        """The organizer's likely zones: their own, then those of their organizations'
        countries."""
        zones = [getattr(user, "time_zone", "") or ""]
        for country in self.likely_countries():
            zones += zones_of_country(country)
        return zones

    def _likely_choices_first(self):
        """The long lists start with what this organizer most likely picks: the six UN
        languages before the other languages, their organizations' countries first."""
        self.fields["languages"].queryset = Language.objects.annotate(
            un_first=Case(When(code__in=UN_LANGUAGE_CODES, then=Value(0)), default=Value(1))
        ).order_by("un_first", "name")
        likely = set(self.likely_countries())
        if likely:
            named = list(countries)
            self.fields["countries"].choices = [
                (_("Your organizations' countries"), [c for c in named if c[0] in likely]),
                (_("All countries"), [c for c in named if c[0] not in likely]),
            ]

    def translation_fields(self):
        """(language name, title field, summary field), the page's language first."""
        codes = sorted(settings.MODELTRANSLATION_LANGUAGES, key=lambda code: code != self.language)
        return [
            (
                LANGUAGE_NAMES[code],
                self[localized_column("title", code)],
                self[localized_column("summary", code)],
            )
            for code in codes
        ]

    def clean(self):
        cleaned = super().clean()
        if self.uses_link_rows:
            self._clean_link_rows(cleaned)
        titles = [name for name in self.fields if name.startswith("title_") and cleaned.get(name)]
        if not titles:
            self.add_error(
                localized_column("title", self.language),
                _("Give a title in at least one language."),
            )
        for name in list(cleaned):
            if name.startswith("summary_"):
                cleaned[name] = sanitize_html(cleaned[name])
        kind = cleaned.get("kind")
        zone = cleaned.get("time_zone")
        needs_zone = any(cleaned.get(name) for name in ("starts_at", "ends_at", "deadline"))
        if kind == Kind.EVENT:
            for name in ("starts_at", "ends_at"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("An event needs a start and an end."))
            if not cleaned.get("event_format"):
                self.add_error("event_format", _("Choose the format of the event."))
        if kind == Kind.CALL and not cleaned.get("deadline") and "deadline" not in self.errors:
            self.add_error("deadline", _("A call for submissions needs a deadline."))
        if needs_zone and not zone and "time_zone" not in self.errors:
            self.add_error("time_zone", _("Choose the time zone in which these times are given."))
        if zone:
            # The browser sends wall-clock times; they are the organizer's, in `zone`.
            for name in ("starts_at", "ends_at", "deadline"):
                if cleaned.get(name):
                    cleaned[name] = to_utc(cleaned[name].replace(tzinfo=None), zone)
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The end is before the start."))
        if cleaned.get("registration_required") and kind != Kind.EVENT:
            self.add_error("registration_required", _("Only events take registrations."))
        return cleaned


def acting_organizations(user):
    """The member organizations `user` may act for (all of them for the secretariat)."""
    members = Organization.objects.members().order_by("name_en")
    if user.is_authenticated and (user.is_secretariat or user.is_superuser):
        return members
    return members.filter(affiliations__person__user=user).distinct()


def initial_from_snapshot(data, zone):
    """Form initial values from a snapshot: times back in the organizer's wall clock."""
    from zoneinfo import ZoneInfo

    from django.utils.dateparse import parse_datetime

    initial = dict(data)
    for name in ("starts_at", "ends_at", "deadline"):
        if data.get(name):
            moment = parse_datetime(data[name])
            initial[name] = moment.astimezone(ZoneInfo(zone or "UTC")).replace(tzinfo=None)
    return initial


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("approve", _("Approve")),
            ("changes", _("Request changes")),
            ("decline", _("Decline")),
        ]
    )
    message = forms.CharField(
        label=_("Message to the submitter (required to request changes or decline)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") in ("changes", "decline")
            and not cleaned.get("message", "").strip()
        ):
            self.add_error("message", _("Please tell the submitter why."))
        return cleaned
