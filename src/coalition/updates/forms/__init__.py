"""Forms of the Update: `composer` (issues, items, editions), `sending` (when to send)
and `subscribers` (subscribing, preferences, imports)."""
