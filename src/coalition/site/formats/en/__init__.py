"""English, the British way (CLDR en_GB): 4 December 2026."""
