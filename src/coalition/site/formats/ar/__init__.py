"""Arabic (CLDR ar): 4 ديسمبر 2026; no comma inside a date, "،" before a time."""
