"""Forms of the Update: `composer` (issues, items, editions) and `subscribers`
(subscribing, preferences, imports)."""
