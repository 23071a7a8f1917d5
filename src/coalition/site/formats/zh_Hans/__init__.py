"""Chinese in simplified characters (CLDR zh_Hans): 2026年12月4日."""
