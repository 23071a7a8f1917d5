"""Who may do what with consultations. Read with members/rules.py, whose predicates it reuses.

Comments and reports in progress are private to the secretariat, the chairs of the
comment's working group and its rapporteur; survey results to the secretariat and to
the chairs and rapporteurs of the working groups. Only the rapporteur of a group writes
its report; only the secretariat publishes it.
"""

import rules

from coalition.members.models import WorkingGroupMembership
from coalition.members.rules import (
    has_person,
    is_chair_of,
    is_chair_or_rapporteur_of,
    is_secretariat,
)


@rules.predicate
def is_rapporteur_of(user, working_group):
    if not user.is_authenticated or working_group is None:
        return False
    return WorkingGroupMembership.objects.filter(
        person__user=user,
        working_group=working_group,
        role=WorkingGroupMembership.Role.RAPPORTEUR,
        status=WorkingGroupMembership.Status.ACTIVE,
    ).exists()


@rules.predicate
def chairs_or_reports_for_a_group(user):
    if not user.is_authenticated:
        return False
    return WorkingGroupMembership.objects.filter(
        person__user=user,
        role__in=[WorkingGroupMembership.Role.CHAIR, WorkingGroupMembership.Role.RAPPORTEUR],
        status=WorkingGroupMembership.Status.ACTIVE,
    ).exists()


@rules.predicate
def writes_report(user, report):
    return report is not None and is_rapporteur_of(user, report.working_group)


@rules.predicate
def chairs_report_group(user, report):
    return report is not None and is_chair_of(user, report.working_group)


@rules.predicate
def report_is_published(user, report):
    return report is not None and report.is_published


@rules.predicate
def report_is_shared(user, report):
    return report is not None and report.state == report.State.SHARED


# Surveys: built in the admin by the secretariat; results for the secretariat, chairs, rapporteurs.
rules.add_perm("consultations.manage", is_secretariat)
rules.add_perm("consultations.view_results", is_secretariat | chairs_or_reports_for_a_group)
# Comments: any member with a profile comments; a group's chairs and rapporteur read its own.
rules.add_perm("consultations.comment", has_person)
rules.add_perm("consultations.read_comments", is_secretariat | is_chair_or_rapporteur_of)
rules.add_perm("consultations.read_any_comments", is_secretariat | chairs_or_reports_for_a_group)
rules.add_perm("consultations.curate_comments", is_rapporteur_of)
# Reports (object: the report; for starting one, the working group).
rules.add_perm("consultations.start_report", is_rapporteur_of)
rules.add_perm(
    "consultations.view_report",
    report_is_published | is_secretariat | writes_report | chairs_report_group,
)
rules.add_perm("consultations.edit_report", writes_report & ~report_is_published)
rules.add_perm("consultations.share_report", writes_report & ~report_is_published)
rules.add_perm("consultations.note_report", chairs_report_group & report_is_shared)
rules.add_perm("consultations.publish_report", is_secretariat & report_is_shared)
