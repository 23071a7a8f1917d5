"""The write path of the Update: every change with side effects, in `transaction.atomic`,
mail and background work enqueued on commit.

- `composing`: drafting an issue, its items and its language editions.
- `sending`: the outbox, its batches and leases, delivery, bounces (each message is built
  by `updates/messages.py`).
- `subscriptions`: double opt-in, preferences and personal data, imports.
"""
