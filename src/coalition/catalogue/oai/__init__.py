"""OAI-PMH 2.0: the client (`client`, `xml`), metadata mapping (`metadata`) and the
provider (`provider`). The harvesting logic itself is `catalogue.services.harvesting`."""
