"""Pages of activities, by what they show.

- `activities`: the lists, an activity's page, submitting and editing, moderation.
- `events`: registration, the participants' list, cancelling, the calendar feeds.
- `materials`: adding, removing and downloading materials; the discussion's posts.
"""
