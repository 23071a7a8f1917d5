"""Pages of activities, by what they show.

- `activities`: the lists, an activity's page, submitting and editing, one's own.
- `moderation`: the secretariat's queue and decisions.
- `events`: registration, the participants' list, cancelling, the calendar feeds.
- `materials`: adding, removing and downloading materials; the discussion's posts.
"""
