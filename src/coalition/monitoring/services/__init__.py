"""Every write of the monitoring app, by noun: `questionnaires` (questionnaires and
cycles), `reports` (roles, drafts, evidence, comments, submission), `reviews` (the
secretariat's decisions) and `synthesis` (introduction, excerpts, publication, PDFs)."""
