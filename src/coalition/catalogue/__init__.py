"""The catalogue: OER records with open-licence metadata, harvested over OAI-PMH, searchable
in the six UN languages, and served back over OAI-PMH (issue 11).

Vocabulary and data: `models` (Source, HarvestRun, Work, Record, RecordChange,
SearchEntry; LicenceClass). Each part's module notes say how it works and why.

Public API for pages, the JSON API, exports, the dashboard and other apps
---------------------------------------------------------------------------------

Reading
- `search.search(search.Query(text, filters, sort, page, per_page)) -> search.Result`
  (work ids of the page, total, `total_is_lower_bound` past 10,000, facet counts for
  `search.FACETS`: licence, language, type, level, subject, year, source, area, region).
- `selectors.works_for_page(work_ids)` (works in order, with `primary_record` and
  `copies` = every source's record), `selectors.work_by_hub_id(hub_id)` (follows merges),
  `selectors.record_history(record)`, `selectors.records_added_between(start, end)`
  (the Update), `selectors.sources_of_organization(org)` (with `record_count`),
  `selectors.latest_runs(source)` (harvest reports), `selectors.dashboard_counts()`.
- `Record.title_in(language)` / `description_in(language)`: a `recommendation.content.Content`
  (text, its language, fallback mark) for templates.
- `licences.read_rights(statements)` / `read_statement(text) -> Reading` (`spdx`, `url`,
  `licence_class`, `reason` in words, `access_right`, `as_dict()` for the API's rights
  check); `licences.all_licences()`.

Writing (services; permissions are the caller's, by `rules.py`)
- `services.sources.register_source(organization, base_url, …)` (Identify +
  ListMetadataFormats first; ValidationError with the reason otherwise; queues the first
  harvest), `identify_endpoint(base_url)`, `add_manual_source(organization)`.
- `services.records.store_items(source, [Incoming(identifier, datestamp, deleted,
  set_specs, fields)], status=…, created_by=…)`: the one write path of records (form and
  CSV import too: `fields` as `oai.metadata.RECORD_FIELDS`, licence via
  `licences.read_rights`); `publish_record(record)`.
- `services.harvesting.harvest_source(source_id, full=False, progress=…)`; background:
  `tasks.harvest.enqueue(source_id)`; `manage.py harvest SOURCE`, `manage.py licences`.

- `services.sources.propose_source(user, organization, base_url, …)` (a member's focal
  point registers; pending until `approve_source` / `decline_source` by the secretariat),
  `change_source` (a new address or set is identified again and waits again),
  `withdraw_source` (no more harvests; records kept as deleted).
- `services.submissions`: hand-made records, moderated like activities: `submit_record(s)`,
  `propose_record_change` (an edit of a published record waits; the live one stays),
  `revise_submission`, `approve_submission(s)`, `request_record_changes`,
  `decline_record_submission`, `withdraw_record`. `services.imports.check_csv(file)`
  checks every row of a CSV import (by `forms.RecordForm`) before anything is saved.
- Who may: `rules.py` (`catalogue.act_for_organization`, `moderate`, `change_source`,
  `change_record`, `view_source`, `view_reports`).

Interfaces: pages (`views.search`: search with facets and `export.csv`; `views.records`:
record page with schema.org JSON-LD (`jsonld.py`), form, CSV import, one's records;
`views.sources`; `views.moderation`), the JSON API (`api.py`, `/api/catalogue/…`), and
`/oai` (views.oai, protocol in oai.provider). The record page is
`/<lang>/records/<hub_id>/` (URL name `catalogue:record-detail`), which the provider
links as `dc:identifier`. Template tags (`{% load catalogue %}`): `organization_sources`
(an organization's page), `catalogue_home_panel`, `catalogue_my_hub_panel`.
Demo: `demo/catalogue.toml`, loaded by `demo.load_demo_catalogue()` through the real
harvester (`manage.py load_demo_catalogue`, run by `make run`).
"""
