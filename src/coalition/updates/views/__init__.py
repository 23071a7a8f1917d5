"""Pages of the Update: `composer` (the public archive and the secretariat's editing
pages) and `subscribers` (subscribing, preferences, the secretariat's subscriber pages,
the bounce webhook)."""
