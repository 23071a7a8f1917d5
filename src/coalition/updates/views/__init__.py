"""Pages of the Update: `archive` (the public archive of sent issues), `composer` (the
secretariat's editing and preview pages), `sending` (the secretariat's sending page:
audience, send now, schedule, cancel, progress) and `subscribers` (subscribing,
preferences, the secretariat's subscriber pages, the bounce webhook)."""
