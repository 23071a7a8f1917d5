"""The survey as a form built from its questions, and the comment, report and copy forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from coalition.core.widgets import FastSelect
from coalition.members.models import StakeholderType, WorkingGroup
from coalition.recommendation.content import content_in
from coalition.recommendation.models import ActionArea
from coalition.recommendation.regions import Region
from coalition.recommendation.timezones import time_zone_choices

from .models import SCALE_VALUES, Comment, QuestionKind, QuoteConsent, ReportNote

OTHER = "__other__"
TEXT_MAX = 5000


def field_name(question):
    return f"q_{question.pk}"


def other_name(question):
    return f"q_{question.pk}_other"


class SurveyForm(forms.Form):
    """One field per question (and an "other" box where asked).

    Every field is optional to the browser: "Save and continue later" keeps whatever is
    filled in. On "Submit", required questions that are shown (their condition met) must
    be answered; answers to questions whose condition is not met are dropped.
    """

    copy = forms.BooleanField(
        label=gettext_lazy("Send me a copy of my answers by e-mail"), required=False
    )
    copy_to = forms.EmailField(
        label=gettext_lazy("E-mail address for the copy"),
        required=False,
        help_text=gettext_lazy("Used only to send the copy; not stored with your answers."),
    )

    def __init__(self, *args, questions, submitting=False, answers=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.submitting = submitting
        self.user = user
        if user is not None and user.is_authenticated:
            del self.fields["copy_to"]
            self.fields["copy"].help_text = _("Sent to %(email)s.") % {"email": user.email}
        groups = list(WorkingGroup.objects.all())
        areas = list(ActionArea.objects.all())
        for question in questions:
            self.fields[field_name(question)] = self._field(question, groups, areas)
            if question.allow_other and question.is_choice:
                self.fields[other_name(question)] = forms.CharField(
                    label=_("Other, please specify"), required=False, max_length=500
                )
        if answers and not self.is_bound:
            self.initial.update(self._initial(answers))

    def _field(self, question, groups, areas):
        label = f"{question.code}. {content_in(question, 'text')}"
        common = {"label": label, "required": False, "help_text": content_in(question, "help_text")}
        kind = question.kind
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            choices = [(c.value, content_in(c, "label")) for c in question.choices.all()]
            if question.allow_other:
                choices.append((OTHER, _("Other")))
            if kind == QuestionKind.SINGLE:
                return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
            return forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **common
            )
        if kind == QuestionKind.TEXT:
            return forms.CharField(
                max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 4}), **common
            )
        if kind == QuestionKind.SCALE:
            labels = {
                SCALE_VALUES[0]: content_in(question, "scale_low_label"),
                SCALE_VALUES[-1]: content_in(question, "scale_high_label"),
            }
            choices = [
                (str(v), f"{v} – {labels[v]}" if labels.get(v) else str(v)) for v in SCALE_VALUES
            ]
            return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        if kind == QuestionKind.NUMBER:
            return forms.IntegerField(
                min_value=question.min_value, max_value=question.max_value, **common
            )
        if kind == QuestionKind.COUNTRY:
            return forms.ChoiceField(
                choices=[("", _("Choose a country")), *countries], widget=FastSelect, **common
            )
        if kind == QuestionKind.WORKING_GROUP:
            return forms.ChoiceField(
                choices=[(g.slug, content_in(g, "name")) for g in groups],
                widget=forms.RadioSelect,
                **common,
            )
        return forms.ChoiceField(
            choices=[(str(a.number), f"{a.number}. {content_in(a, 'short_title')}") for a in areas],
            widget=forms.RadioSelect,
            **common,
        )

    def _initial(self, answers):
        initial = {}
        for question in self.questions:
            rows = answers.get(question.pk, [])
            if not rows:
                continue
            values = []
            for answer in rows:
                if answer.is_other:
                    values.append(OTHER)
                    initial[other_name(question)] = answer.text
                elif answer.choice_id:
                    values.append(answer.choice.value)
                elif answer.number is not None:
                    values.append(
                        str(answer.number) if question.kind == QuestionKind.SCALE else answer.number
                    )
                else:
                    values.append(answer.text)
            initial[field_name(question)] = (
                values if question.kind == QuestionKind.MULTIPLE else values[0]
            )
        return initial

    # --- conditions ---

    def _raw(self, question):
        value = self.cleaned_data.get(field_name(question))
        if value in (None, "", []):
            return []
        return [str(v) for v in value] if isinstance(value, list) else [str(value)]

    def is_shown(self, question, seen=None):
        """Whether `question` applies, given the answers: its condition (and its
        condition's condition) met."""
        if question.show_if_question_id is None:
            return True
        seen = seen or set()
        if question.pk in seen:  # a loop of conditions: show rather than hide
            return True
        parent = next((q for q in self.questions if q.pk == question.show_if_question_id), None)
        if parent is None:
            return True
        return self.is_shown(parent, seen | {question.pk}) and (
            question.show_if_value in self._raw(parent)
        )

    def clean(self):
        data = super().clean()
        for question in self.questions:
            name = field_name(question)
            if name in self.errors:
                continue
            shown = self.is_shown(question)
            empty = data.get(name) in (None, "", [])
            if not shown:
                data[name] = None
                continue
            if question.is_choice and question.allow_other:
                ticked = OTHER in (data.get(name) or [])
                if ticked and not (data.get(other_name(question)) or "").strip():
                    self.add_error(other_name(question), _("Please specify your other answer."))
            if self.submitting and question.required and empty:
                self.add_error(name, _("This question requires an answer."))
        wants_copy = self.submitting and data.get("copy") and "copy_to" in self.fields
        if wants_copy and not data.get("copy_to"):
            self.add_error("copy_to", _("Give the address the copy should go to."))
        return data

    def values(self):
        """`{question: [answer fields]}` for the service, from the cleaned data."""
        data = self.cleaned_data
        found = {}
        for question in self.questions:
            value = data.get(field_name(question))
            if value in (None, "", []):
                continue
            choices = {c.value: c for c in question.choices.all()}
            rows = []
            items = value if isinstance(value, list) else [value]
            for item in items:
                if item == OTHER:
                    rows.append({"is_other": True, "text": data.get(other_name(question), "")})
                elif question.is_choice:
                    rows.append({"choice": choices[item]})
                elif question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
                    rows.append({"number": int(item)})
                else:
                    rows.append({"text": str(item).strip()})
            found[question] = rows
        return found

    def copy_address(self):
        if not self.cleaned_data.get("copy"):
            return ""
        if self.user is not None and self.user.is_authenticated:
            return self.user.email
        return self.cleaned_data.get("copy_to", "")


class ResultsFilterForm(forms.Form):
    region = forms.ChoiceField(label=gettext_lazy("UNESCO region"), required=False)
    stakeholder_type = forms.ChoiceField(label=gettext_lazy("Stakeholder type"), required=False)
    working_group = forms.ChoiceField(label=gettext_lazy("Working group"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("All"))]
        self.fields["region"].choices = every + list(Region.choices)
        self.fields["stakeholder_type"].choices = every + list(StakeholderType.choices)
        self.fields["working_group"].choices = every + [
            (g.slug, content_in(g, "name")) for g in WorkingGroup.objects.all()
        ]


class CommentForm(forms.ModelForm):
    working_group = forms.ModelChoiceField(
        label=gettext_lazy("Working group your comment pertains to"),
        queryset=WorkingGroup.objects.all(),
        empty_label=gettext_lazy("Choose a working group"),
        error_messages={
            "required": gettext_lazy("Choose the working group your comment pertains to.")
        },
    )

    class Meta:
        model = Comment
        fields = ["working_group", "body", "quote_consent"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8}), "quote_consent": forms.RadioSelect}
        labels = {"quote_consent": gettext_lazy("In the rapporteur's report, my comment")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["working_group"].label_from_instance = lambda g: content_in(g, "name")
        self.fields["quote_consent"].choices = list(QuoteConsent.choices)


class TagsForm(forms.Form):
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        max_length=400,
        help_text=gettext_lazy("Separated by commas, e.g. policy, funding."),
    )


class QuoteForm(forms.Form):
    comment = forms.IntegerField(widget=forms.HiddenInput)
    anonymize = forms.BooleanField(label=gettext_lazy("Without the author's name"), required=False)


class NoteForm(forms.ModelForm):
    class Meta:
        model = ReportNote
        fields = ["part", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class ReportForm(forms.Form):
    """The three sections of a report in one language at a time (the others are kept)."""

    priorities = forms.CharField(
        label=gettext_lazy("Priorities"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    proposed_activities = forms.CharField(
        label=gettext_lazy("Proposed activities"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    tool_issues = forms.CharField(
        label=gettext_lazy("Issues for the electronic tool"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class CopySurveyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of the new survey"), max_length=255)
    opens_at = forms.DateTimeField(
        label=gettext_lazy("Opens (in the time zone below)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    closes_at = forms.DateTimeField(
        label=gettext_lazy("Closes (in the time zone below)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    time_zone = forms.ChoiceField(
        label=gettext_lazy("Time zone"), choices=time_zone_choices, widget=FastSelect
    )

    def clean(self):
        data = super().clean()
        if data.get("opens_at") and data.get("closes_at") and data["closes_at"] <= data["opens_at"]:
            raise ValidationError(_("The survey must close after it opens."))
        return data
