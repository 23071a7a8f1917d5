"""Pages of the Update: `archive` (the public archive of sent issues), `composer` (the
secretariat's editing and preview pages) and `subscribers` (subscribing, preferences, the
secretariat's subscriber pages, the bounce webhook)."""
