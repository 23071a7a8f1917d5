"""The write path of the Update: every change with side effects, in `transaction.atomic`,
mail and background work enqueued on commit.

- `composing`: drafting an issue, its items and its language editions.
- `sending`: scheduling and starting a send, the outbox, its batches and leases,
  delivery, bounces (each message is built by `updates/messages.py`).
- `outbox`: claiming the outbox's rows with a lease and marking each one.
- `subscriptions`: double opt-in, preferences and personal data, imports.
"""
