"""The catalogue's views, one module per noun (`oai` is the OAI-PMH endpoint)."""
