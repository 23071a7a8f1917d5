"""Monitoring the 2019 Recommendation: reporting cycles, the versioned questionnaire,
Member States' national reports (prefilled from the Hub) and the synthesis report (issue 12).

Vocabulary (`models`): `Questionnaire` → `Section` → `Question` (numbered continuously
across sections, texts in the six UN languages); `ReportingCycle` (period, opening and
deadline in a zone, its questionnaire, preparing → open → closed → synthesized);
`CountryRole` (a Member State's focal point, given by the secretariat, and the co-editors
the focal point invites); `Report` (one per country and cycle: draft → submitted →
clarification → accepted) with its `Answer`s, `Evidence`, `Comment`s and every submitted
`ReportVersion`; `Synthesis` (introduction, good-practice `Excerpt`s, built `SynthesisDocument`
PDFs).

Writing goes through `services` (every function in a transaction); reads shared by pages,
exports and tasks are in `selectors`; who may do what is in `rules`.
"""
