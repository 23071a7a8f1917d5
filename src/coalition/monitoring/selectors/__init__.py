"""Reads shared by pages, exports, the API and tasks: `reports` (cycles, reports, versions),
`prefill` (what the Hub proposes as evidence) and `synthesis` (the figures)."""
