"""Pages of the Update: `composer` (the public archive and the secretariat's editing
pages), `sending` (the secretariat's sending page: audience, send now, schedule, cancel,
progress) and `subscribers` (subscribing, preferences, the secretariat's subscriber
pages, the bounce webhook)."""
