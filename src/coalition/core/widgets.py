"""A select widget rendered in Python rather than one template per option.

Django renders each <option> through the template engine; a country list (about 250
options) then costs several milliseconds on every list page. This widget writes the
same HTML (name, id, attributes, `selected`) directly, escaping every value and label.
"""

from functools import lru_cache

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        attrs["name"] = name
        selected = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value])}
        selected.discard("None")
        choices = tuple(
            (str(option_value), str(label)) for option_value, label in self._flat_choices()
        )
        options = "".join(
            option.replace(">", " selected>", 1) if option_value in selected else option
            for option_value, option in _options(choices)
        )
        # Each option was escaped by _options(); "selected" is a constant.
        return format_html("<select{}>{}</select>", flatatt(attrs), mark_safe(options))  # noqa: S308

    def _flat_choices(self):
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # an <optgroup>: flattened, lists here have none
                yield from label
            else:
                if hasattr(option_value, "value"):  # ModelChoiceIteratorValue
                    option_value = option_value.value
                yield ("" if option_value is None else option_value), label


@lru_cache(maxsize=64)
def _options(choices):
    """The escaped <option>s of a list of choices, which rarely changes (the country list
    changes with the language only): escaping 250 countries on each request was a sixth
    of the directory page's time (see `make bench`)."""
    return tuple(
        (option_value, format_html('<option value="{}">{}</option>', option_value, label))
        for option_value, label in choices
    )
