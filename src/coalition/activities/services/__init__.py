"""The write path of activities: every change with side effects, in `transaction.atomic`,
mail and background work enqueued on commit.

- `moderation`: submitting an activity or a change, and the secretariat's decisions.
- `registration`: registering for an event, the waiting list, cancellations.
- `materials`: an event's slides, documents and links, and the checks on uploads.
- `discussion`: posts under an event in sanitized Markdown, hiding and reporting them.
- `programme`: an event's presentations and the people on its programme.
"""
