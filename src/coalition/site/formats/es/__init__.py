"""Spanish (CLDR es): 4 de diciembre de 2026."""
