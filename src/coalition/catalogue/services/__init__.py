"""Every write of the catalogue (see each module's notes):

- `sources`: register_source, identify_endpoint, add_manual_source
- `harvesting`: harvest_source (lease, checkpoint, resume), acquire/renew/release_lease
- `records`: store_items (the one upsert path, with deduplication), publish_record,
  refresh_works, merge_works
"""
