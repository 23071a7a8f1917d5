"""Forms for materials and the discussion. They shape input; the services in
`services/materials.py` and `services/discussion.py` decide what is acceptable, so the API
and the pages refuse the same things."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coalition.recommendation.models import Language

from ..models import Material
from ..services.discussion import MAX_POST_LENGTH, MAX_REASON_LENGTH
from ..services.materials import ACCEPT_ATTRIBUTE, URL_MAX_LENGTH, language_name, max_bytes


class LanguageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return language_name(obj)


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What are you sharing?"),
        choices=Material.Kind.choices,
        initial=Material.Kind.FILE,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=255)
    file = forms.FileField(
        label=gettext_lazy("Document"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
    )
    url = forms.CharField(
        label=gettext_lazy("Address of the link or recording"),
        required=False,
        max_length=URL_MAX_LENGTH,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=gettext_lazy("Recordings usually live on a video platform: paste their address."),
    )
    language = LanguageChoiceField(
        label=gettext_lazy("Language"),
        queryset=Language.objects.all(),
        required=False,
        empty_label=gettext_lazy("Not stated"),
    )
    presentation = forms.ModelChoiceField(
        label=gettext_lazy("Belongs to"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("The whole event"),
    )

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presentation"].queryset = activity.presentations.all()
        if not activity.presentations.exists():
            del self.fields["presentation"]
        self.fields["file"].help_text = _(
            "PDF, DOCX, PPTX or ODP, at most %(size)s. Only for documents."
        ) % {"size": filesizeformat(max_bytes())}


class PostForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your message"),
        max_length=MAX_POST_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Markdown: *italics*, **bold**, lists, [links](https://example.org). HTML is removed."
        ),
        error_messages={
            "required": gettext_lazy("Write a message before sending it."),
            "max_length": gettext_lazy(
                "Messages may be at most %(limit_value)s characters long; "
                "this one has %(show_value)s."
            ),
        },
    )
    presentation = forms.ModelChoiceField(queryset=None, required=False, widget=forms.HiddenInput)

    def __init__(self, *args, activity, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presentation"].queryset = activity.presentations.all()


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What is wrong with this message?"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Only the event's organizers and the secretariat read reports."),
        error_messages={"required": gettext_lazy("Say briefly what is wrong with this message.")},
    )
