"""A select widget rendered in Python rather than one template per option.

Django renders each <option> through the template engine; a country list (about 250
options) then costs several milliseconds on every list page. This widget writes the
same HTML (name, id, attributes, `selected`) directly, escaping every value and label.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        attrs["name"] = name
        selected = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value])}
        selected.discard("None")
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    option_value,
                    mark_safe(" selected") if str(option_value) in selected else "",
                    label,
                )
                for option_value, label in self._flat_choices()
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), options)

    def _flat_choices(self):
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # an <optgroup>: flattened, lists here have none
                yield from label
            else:
                if hasattr(option_value, "value"):  # ModelChoiceIteratorValue
                    option_value = option_value.value
                yield ("" if option_value is None else option_value), label
