"""Pages of the catalogue: search and export (`search`), records (`records`), sources
(`sources`), moderation (`moderation`), and `/oai` (`oai`)."""
