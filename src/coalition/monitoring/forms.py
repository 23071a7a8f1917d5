from django import forms
from django.utils.translation import gettext_lazy as _

from coalition.members.models import User
from coalition.recommendation.languages import UN_LANGUAGE_CHOICES

from .models import Report
from .selectors.reports import member_state_choices


class AccountField(forms.EmailField):
    """An existing account, given by its e-mail address."""

    def clean(self, value):
        email = super().clean(value)
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No account uses this address. Ask the person to sign up first."),
                code="unknown",
            )
        return user


class FocalPointForm(forms.Form):
    country = forms.ChoiceField(label=_("Member State"), choices=member_state_choices)
    account = AccountField(label=_("E-mail address of the focal point's account"))
    institution = forms.CharField(
        label=_("Institution"),
        max_length=255,
        required=False,
        help_text=_("For example the National Commission for UNESCO or the ministry."),
    )


class CoEditorForm(forms.Form):
    account = AccountField(label=_("E-mail address of the co-editor's account"))


class ReportOptionsForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["language", "is_public"]


class SubmitForm(forms.Form):
    certifying_official = forms.CharField(
        label=_("Name of the certifying official"), max_length=200
    )
    certifying_title = forms.CharField(
        label=_("Their title and institution"),
        max_length=255,
        help_text=_(
            "For example: Minister of Education, or Secretary-General of the National Commission."
        ),
    )
    confirm = forms.BooleanField(
        label=_("I confirm that this official has certified the report."), required=True
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class EvidenceLinkForm(forms.Form):
    title = forms.CharField(label=_("Title of the link"), max_length=255)
    url = forms.URLField(label=_("Address"), max_length=500, assume_scheme="https")


class EvidenceFileForm(forms.Form):
    title = forms.CharField(label=_("Title of the document"), max_length=255, required=False)
    file = forms.FileField(label=_("Document"))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept the report")),
            ("clarify", _("Ask for clarification on the questions ticked below")),
        ],
        widget=forms.RadioSelect,
    )
    message = forms.CharField(
        label=_("Message to the country"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class IntroductionForm(forms.Form):
    """One introduction per language, written by the secretariat."""

    def __init__(self, *args, synthesis=None, **kwargs):
        super().__init__(*args, **kwargs)
        for code, name in UN_LANGUAGE_CHOICES:
            column = f"introduction_{code.replace('-', '_')}"
            self.fields[code] = forms.CharField(
                label=_("Introduction in %(language)s") % {"language": name},
                widget=forms.Textarea(
                    attrs={"rows": 5, "lang": code, "dir": "rtl" if code == "ar" else "ltr"}
                ),
                required=False,
                initial=getattr(synthesis, column, "") if synthesis else "",
            )


class AnswerSearchForm(forms.Form):
    q = forms.CharField(label=_("Words in the answer"), required=False, max_length=200)
    question = forms.TypedChoiceField(
        label=_("Question"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [("", _("All free-text questions"))] + [
            (q.pk, f"{q.number}. {q.text[:90]}") for q in questions
        ]
