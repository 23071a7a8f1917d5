"""Who may do what in national reporting. Read with members/rules.py.

- The secretariat manages cycles and questionnaires, gives each Member State its focal
  point, reads every report, reviews submissions and writes the synthesis.
- A country's focal point edits, submits and publishes their own country's report and
  invites co-editors; a co-editor edits and comments, but does not submit.
- Anyone else (another country's focal point, a member, the public) reads a report only
  when its country chose to publish it and the secretariat accepted it, and a synthesis
  only once it is published.
"""

import rules

from coalition.members.rules import is_secretariat

from .models import CountryRole


def _holds(user, country, roles):
    if not user.is_authenticated or not country:
        return False
    return CountryRole.objects.filter(user=user, country=str(country), role__in=roles).exists()


def _country_of(obj):
    return getattr(obj, "country", obj)


@rules.predicate
def is_country_focal_point(user, obj):
    return _holds(user, _country_of(obj), [CountryRole.Role.FOCAL_POINT])


@rules.predicate
def is_country_editor(user, obj):
    return _holds(
        user, _country_of(obj), [CountryRole.Role.FOCAL_POINT, CountryRole.Role.CO_EDITOR]
    )


@rules.predicate
def is_published_report(user, report):
    return bool(report is not None and report.is_public and report.status == "accepted")


@rules.predicate
def is_published_synthesis(user, synthesis):
    return synthesis is not None and synthesis.is_published


@rules.predicate
def is_editable_report(user, report):
    return report is not None and report.is_editable_state


rules.add_perm("monitoring.manage", is_secretariat)
rules.add_perm("monitoring.view_report", is_secretariat | is_country_editor | is_published_report)
rules.add_perm("monitoring.edit_report", is_country_editor & is_editable_report)
rules.add_perm("monitoring.comment_report", is_secretariat | is_country_editor)
rules.add_perm("monitoring.submit_report", is_country_focal_point & is_editable_report)
rules.add_perm("monitoring.publish_report", is_country_focal_point)
rules.add_perm("monitoring.start_report", is_country_editor)
rules.add_perm("monitoring.invite_co_editor", is_secretariat | is_country_focal_point)
rules.add_perm("monitoring.review_report", is_secretariat)
rules.add_perm("monitoring.view_synthesis", is_secretariat | is_published_synthesis)
rules.add_perm("monitoring.edit_synthesis", is_secretariat)
