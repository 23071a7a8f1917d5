"""The write path of the Update: every change with side effects, in `transaction.atomic`,
mail and background work enqueued on commit.

- `composing`: drafting an issue, its items and its language editions.
- `sending`: the outbox, its batches and leases, building each message, bounces.
- `subscriptions`: double opt-in, preferences and personal data, imports.
"""
