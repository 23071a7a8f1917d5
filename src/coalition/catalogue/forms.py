"""Forms of the catalogue: a record (by hand, and each row of a CSV import), a source,
moderation decisions.

`RecordForm.record_data()` turns the cleaned form into what a `RecordSubmission` keeps:
the record's fields (`oai.metadata.RECORD_FIELDS`, the licence read by
`licences.read_rights` exactly as a harvested rights statement is) and `action_areas`.
"""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from coalition.recommendation.models import ActionArea

from .licences import all_licences, licence_by_spdx, read_rights
from .oai.metadata import RECORD_FIELDS, extract_doi, normalize_language
from .vocabulary import EDUCATIONAL_LEVEL_CHOICES, RESOURCE_TYPE_CHOICES

_ORCID = re.compile(r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
LIST_SEPARATORS = re.compile(r"[;\n]+")


def split_list(text):
    return [part.strip() for part in LIST_SEPARATORS.split(text or "") if part.strip()]


def licence_choices():
    licences = sorted(
        {licence.spdx: licence for licence in all_licences() if licence.spdx}.values(),
        key=lambda licence: (licence.licence_class != "open", licence.name),
    )
    return [
        ("", _("Other: describe the rights below")),
        *((licence.spdx, f"{licence.name} ({licence.spdx})") for licence in licences),
    ]


class RecordForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=1000)
    title_language = forms.CharField(
        label=_("Language of the title and description"),
        max_length=35,
        help_text=_("A language code such as en, fr, ar, es, ru, zh or pt-BR."),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    creators = forms.CharField(
        label=_("Authors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line; an ORCID iD may follow the name after a vertical bar (|)."),
    )
    publisher = forms.CharField(label=_("Publisher"), max_length=500, required=False)
    date_created = forms.DateField(
        label=_("Date of publication"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    languages = forms.CharField(
        label=_("Languages of the resource"),
        max_length=200,
        required=False,
        help_text=_("Language codes separated by semicolons; the title's language if empty."),
    )
    urls = forms.CharField(
        label=_("Links"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Where the resource can be read or downloaded: one address per line."),
    )
    learning_resource_type = forms.ChoiceField(
        label=_("Type of resource"),
        required=False,
        choices=[("", _("Not specified")), *RESOURCE_TYPE_CHOICES],
    )
    educational_level = forms.ChoiceField(
        label=_("Educational level"),
        required=False,
        choices=[("", _("Not specified")), *EDUCATIONAL_LEVEL_CHOICES],
    )
    subjects = forms.CharField(
        label=_("Subjects"),
        max_length=1000,
        required=False,
        help_text=_("Separated by semicolons."),
    )
    keywords = forms.CharField(
        label=_("Keywords"),
        max_length=1000,
        required=False,
        help_text=_("Separated by semicolons."),
    )
    coverage = forms.CharField(
        label=_("Coverage"),
        max_length=1000,
        required=False,
        help_text=_("Places or periods the resource is about, separated by semicolons."),
    )
    audience = forms.CharField(label=_("Audience"), max_length=255, required=False)
    media_format = forms.CharField(
        label=_("Format"),
        max_length=255,
        required=False,
        help_text=_("For example PDF, HTML, video/mp4."),
    )
    licence = forms.ChoiceField(label=_("Licence"), required=False, choices=licence_choices)
    rights_statement = forms.CharField(
        label=_("Rights statement"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "As written on the resource, if no licence above fits. The Hub reads it and "
            "shows how open the resource is."
        ),
    )
    doi = forms.CharField(label=_("DOI"), max_length=255, required=False)
    accessibility = forms.CharField(
        label=_("Accessibility notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    action_areas = forms.ModelMultipleChoiceField(
        label=_("Action areas of the Recommendation"),
        queryset=ActionArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"] = forms.ModelChoiceField(
                label=_("Organization"), queryset=organizations
            )
            if organizations.count() == 1:
                self.fields["organization"].initial = organizations.first()
            self.order_fields(["organization"])

    def clean_title_language(self):
        code = normalize_language(self.cleaned_data["title_language"])
        if not code:
            raise ValidationError(_("Enter a language code such as en, fr or ar."))
        return code

    def clean_languages(self):
        codes = []
        for value in split_list(self.cleaned_data["languages"].replace(",", ";")):
            code = normalize_language(value)
            if not code:
                raise ValidationError(
                    _("“%(value)s” is not a language code."), params={"value": value}
                )
            codes.append(code)
        return list(dict.fromkeys(codes))

    def clean_urls(self):
        urls = split_list(self.cleaned_data["urls"])
        validate = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                validate(url)
            except ValidationError as error:
                raise ValidationError(
                    _("“%(value)s” is not a web address (http:// or https://)."),
                    params={"value": url[:100]},
                ) from error
        if not urls:
            raise ValidationError(_("Give at least one link to the resource."))
        return urls

    def clean_creators(self):
        people = []
        for line in split_list(self.cleaned_data["creators"]):
            name, _sep, orcid = line.partition("|")
            name, orcid = " ".join(name.split()), orcid.strip().removeprefix("https://orcid.org/")
            if orcid and not _ORCID.match(orcid):
                raise ValidationError(
                    _("“%(value)s” is not an ORCID iD (0000-0000-0000-0000)."),
                    params={"value": orcid[:40]},
                )
            if name:
                people.append({"name": name[:255], "orcid": orcid})
        return people

    def clean_licence(self):
        spdx = self.cleaned_data["licence"]
        if spdx and licence_by_spdx(spdx) is None:
            raise ValidationError(_("This licence is not one the Hub knows."))
        return spdx

    def clean_doi(self):
        text = self.cleaned_data["doi"].strip()
        if not text:
            return ""
        doi = extract_doi([text])
        if not doi:
            raise ValidationError(_("Enter a DOI such as 10.1234/abcd."))
        return doi

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("licence") and not (cleaned.get("rights_statement") or "").strip():
            self.add_error(
                "licence", _("Choose a licence or write the rights statement of the resource.")
            )
        return cleaned

    def record_data(self):
        """What a submission keeps: the record's fields and its action areas."""
        data = self.cleaned_data
        statements = []
        if data["licence"]:
            statements.append(licence_by_spdx(data["licence"]).url or data["licence"])
        if data["rights_statement"].strip():
            statements.append(data["rights_statement"].strip())
        reading = read_rights(statements)
        created = data.get("date_created")
        fields = {
            "title": " ".join(data["title"].split()),
            "title_language": data["title_language"],
            "title_translations": {},
            "description": data["description"].strip(),
            "description_translations": {},
            "creators": data["creators"],
            "contributors": [],
            "publisher": data["publisher"].strip(),
            "date_created": created.isoformat() if created else None,
            "date_modified": None,
            "year": created.year if created else None,
            "languages": data["languages"] or [data["title_language"]],
            "subjects": split_list(data["subjects"]),
            "keywords": split_list(data["keywords"]),
            "coverage": split_list(data["coverage"]),
            "learning_resource_type": data["learning_resource_type"],
            "educational_level": data["educational_level"],
            "audience": data["audience"].strip(),
            "urls": data["urls"],
            "media_format": data["media_format"].strip(),
            "licence_spdx": reading.spdx,
            "licence_url": reading.url,
            "licence_class": reading.licence_class,
            "rights_statement": reading.statement,
            "access_rights": reading.access_right,
            "accessibility": data["accessibility"].strip(),
            "doi": data["doi"],
        }
        assert set(fields) == set(RECORD_FIELDS)
        return {**fields, "action_areas": sorted(area.pk for area in data["action_areas"])}


def initial_from_data(data):
    """Form values of a submission's (or a record's) data, to edit it."""
    spdx = data.get("licence_spdx") or ""
    statement = data.get("rights_statement") or ""
    licence = licence_by_spdx(spdx) if spdx else None
    if licence and statement in {licence.url, spdx}:
        statement = ""
    return {
        "title": data.get("title", ""),
        "title_language": data.get("title_language", ""),
        "description": data.get("description", ""),
        "creators": "\n".join(
            person["name"] + (f" | {person['orcid']}" if person.get("orcid") else "")
            for person in data.get("creators") or []
        ),
        "publisher": data.get("publisher", ""),
        "date_created": _as_date(data.get("date_created")),
        "languages": "; ".join(data.get("languages") or []),
        "urls": "\n".join(data.get("urls") or []),
        "learning_resource_type": data.get("learning_resource_type", ""),
        "educational_level": data.get("educational_level", ""),
        "subjects": "; ".join(data.get("subjects") or []),
        "keywords": "; ".join(data.get("keywords") or []),
        "coverage": "; ".join(data.get("coverage") or []),
        "audience": data.get("audience", ""),
        "media_format": data.get("media_format", ""),
        "licence": spdx if licence else "",
        "rights_statement": statement,
        "doi": data.get("doi", ""),
        "accessibility": data.get("accessibility", ""),
        "action_areas": data.get("action_areas") or [],
    }


def _as_date(value):
    if isinstance(value, date) or value is None:
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def data_of_record(record):
    """A published record's data, in the shape a submission keeps (to propose an edit)."""
    fields = {name: getattr(record, name) for name in RECORD_FIELDS}
    for name in ("date_created", "date_modified"):
        fields[name] = fields[name].isoformat() if fields[name] else None
    return {**fields, "action_areas": sorted(area.pk for area in record.action_areas.all())}


class SourceForm(forms.Form):
    """Registering an OAI-PMH endpoint, or changing one."""

    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    base_url = forms.URLField(
        label=_("OAI-PMH base URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_(
            "The address harvesters call, without ?verb=… The Hub asks it Identify "
            "before anything is saved."
        ),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=255,
        required=False,
        help_text=_("Shown on the Hub; the repository's own name if empty."),
    )
    set_spec = forms.CharField(
        label=_("Set"),
        max_length=255,
        required=False,
        help_text=_("Harvest only this set (optional)."),
    )
    harvest_every_hours = forms.TypedChoiceField(
        label=_("Harvest"),
        coerce=int,
        choices=[
            (24, _("Every day")),
            (168, _("Every week")),
            (720, _("Every month")),
            (0, _("Only when asked")),
        ],
        initial=24,
    )

    def __init__(self, *args, organizations, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if editing:
            del self.fields["organization"]
            self.fields["is_active"] = forms.BooleanField(
                label=_("Harvest this source on its schedule"), required=False
            )
        elif organizations.count() == 1:
            self.fields["organization"].initial = organizations.first()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            ("approve", _("Approve")),
            ("changes", _("Ask for changes")),
            ("decline", _("Decline")),
        ],
    )
    message = forms.CharField(
        label=_("Message to the submitter"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when asking for changes or declining."),
    )

    def __init__(self, *args, allow_changes=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_changes:
            self.fields["decision"].choices = [
                choice for choice in self.fields["decision"].choices if choice[0] != "changes"
            ]


class ImportForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None)
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("UTF-8, with the columns of the template; at most 2,000 rows and 5 MB."),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        if organizations.count() == 1:
            self.fields["organization"].initial = organizations.first()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the catalogue"), max_length=2000, required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("relevance", _("Relevance")), ("date", _("Newest first"))],
    )
