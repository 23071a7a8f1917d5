"""The Update is edited and sent by the secretariat."""

import rules

from coalition.members.rules import is_secretariat

rules.add_perm("updates.edit_issue", is_secretariat)
rules.add_perm("updates.send_issue", is_secretariat)
rules.add_perm("updates.manage_subscribers", is_secretariat)
