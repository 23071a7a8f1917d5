from coalition.core.translated import localized_column, localized_columns


def test_localized_column_of_simplified_chinese_uses_an_underscore():
    assert localized_column("title", "zh-hans") == "title_zh_hans"


def test_localized_columns_follow_the_content_languages(settings):
    assert localized_columns("name") == [
        f"name_{code.replace('-', '_')}" for code in settings.MODELTRANSLATION_LANGUAGES
    ]


def test_localized_columns_of_chosen_languages():
    assert localized_columns("summary", ["ar", "en"]) == ["summary_ar", "summary_en"]
