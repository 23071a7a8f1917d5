"""Russian (CLDR ru): 4 декабря 2026 г."""
