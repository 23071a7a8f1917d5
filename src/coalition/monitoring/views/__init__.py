"""Pages of the monitoring app, by noun: `cycles` (cycles, teams, review queue), `reports`
(a country's report from draft to acceptance) and `synthesis` (page, exports, editing)."""
