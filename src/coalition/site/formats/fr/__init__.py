"""French (CLDR fr): 4 décembre 2026."""
