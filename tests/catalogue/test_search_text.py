"""Folding text for matching: what a reader would ignore is ignored, on every path."""

import pytest

from coalition.catalogue.search.text import fold

# A combining accent alone folds to nothing, and sends the text down the general path.
GENERAL_PATH = " \u0301"


@pytest.mark.parametrize(
    "text",
    [
        "Open Educational Resources: an INTRO (2nd ed.)",
        "CC-BY-SA 4.0 / https://example.org/oer?id=12",
        "  tabs\tand\nnew lines  ",
        "O'Neil, Mary-Jane; e-learning_2020",
        "",
    ],
)
def test_plain_ascii_folds_to_the_words_of_the_general_path(text):
    assert fold(text) == fold(text + GENERAL_PATH)


def test_fold_lowercases_and_drops_punctuation():
    assert fold("Open Educational Resources: an INTRO (2nd ed.)") == (
        "open educational resources an intro 2nd ed"
    )


def test_fold_ignores_accents_and_arabic_diacritics_and_pairs_chinese():
    assert fold("Éducation ouverte") == "education ouverte"
    assert fold("العُلُوم") == fold("العلوم")
    assert fold("开放教育") == "开放 放教 教育"
