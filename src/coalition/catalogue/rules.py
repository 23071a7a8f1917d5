"""Who may do what in the catalogue. Read with members/rules.py, whose predicates it reuses.

- Everyone reads the catalogue: approved sources, published records, search, exports.
- A member organization's focal point registers its OAI-PMH sources, edits or withdraws
  them, sees their harvest reports, and adds or edits its hand-made records (form, CSV,
  API). Those records wait for the secretariat, as activities do.
- The secretariat approves sources, moderates records and may do all of the above.
"""

import rules

from coalition.members.models import Organization
from coalition.members.rules import is_focal_point_of, is_secretariat


@rules.predicate
def is_member_organization(user, organization):
    return organization is not None and organization.status == Organization.Status.MEMBER


@rules.predicate
def is_focal_point_of_source(user, source):
    return source is not None and is_focal_point_of(user, source.organization)


@rules.predicate
def is_public_source(user, source):
    return source is not None and source.is_public


@rules.predicate
def is_manual_record(user, record):
    return record is not None and record.source.kind == "manual"


@rules.predicate
def is_focal_point_of_record(user, record):
    return record is not None and is_focal_point_of(user, record.source.organization)


rules.add_perm(
    "catalogue.act_for_organization", is_secretariat | (is_focal_point_of & is_member_organization)
)
rules.add_perm("catalogue.moderate", is_secretariat)
rules.add_perm(
    "catalogue.view_source", is_public_source | is_secretariat | is_focal_point_of_source
)
rules.add_perm("catalogue.change_source", is_secretariat | is_focal_point_of_source)
rules.add_perm("catalogue.view_reports", is_secretariat | is_focal_point_of_source)
rules.add_perm(
    "catalogue.change_record", is_manual_record & (is_secretariat | is_focal_point_of_record)
)
