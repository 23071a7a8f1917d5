"""Checks of an app's own translation catalogue (`src/coalition/<app>/locale/`): every
entry translated in the five languages besides English, none fuzzy, each plural with every
form of its language, and the placeholders of the source kept."""

import re
from collections import Counter
from pathlib import Path

from babel.messages.pofile import read_po

import coalition

PACKAGE_DIR = Path(coalition.__file__).resolve().parent
LANGUAGES = {"ar": 6, "fr": 2, "es": 3, "ru": 4, "zh_Hans": 1}  # directory: plural forms
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


def _placeholders(text):
    return Counter(token for token in PLACEHOLDER.findall(text) if token != "%%")


def catalogue_problems(app, language):
    """What is wrong with `app`'s catalogue in `language` (an empty list when nothing)."""
    path = PACKAGE_DIR / app / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as po_file:
        catalogue = read_po(po_file, locale=language.split("_")[0])
    expected = LANGUAGES[language]
    problems = [] if catalogue.num_plurals == expected else [("plural forms", expected)]
    messages = [message for message in catalogue if message.id]
    if len(messages) < 100:
        problems.append(("entries", len(messages)))
    for message in messages:
        forms = list(message.string) if message.pluralizable else [message.string]
        if message.fuzzy:
            problems.append(("fuzzy", message.id))
        if not all(forms):
            problems.append(("untranslated", message.id))
        if message.pluralizable:
            if len(forms) != expected:
                problems.append(("forms", message.id))
            known = set(_placeholders(message.id[0]) | _placeholders(message.id[1]))
            if forms[-1] and _placeholders(forms[-1]) != _placeholders(message.id[1]):
                problems.append(("placeholders", message.id, forms[-1]))
            problems.extend(
                ("placeholders", message.id, text)
                for text in forms[:-1]
                if text and not set(_placeholders(text)) <= known
            )
        elif forms[0] and _placeholders(forms[0]) != _placeholders(message.id):
            problems.append(("placeholders", message.id, forms[0]))
    return problems
