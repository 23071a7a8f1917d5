"""The ground floor: what two or more domain apps need and no domain knows.

`core` imports no domain app (members, activities, updates, catalogue, monitoring,
consultations, site); they all may import it. Its contents are a closed list, and a
thing comes in only when two domain apps need it and it knows nothing of the Coalition:

- `richtext`: `RichTextField` (sanitized on save), `sanitize_html`, and the one
  `html_to_text` (mails' plain parts, calendar descriptions, feeds).
- `page_cache` and `models.ContentStamp`: whole pages kept for anonymous visitors, filed
  under versions of the content they show, and `watch`/`touch` to move those versions.
- `widgets`: `FastSelect`, a select rendered in Python (long choice lists).
- `mail`: render a subject/body template pair in a recipient's language and send it
  (plain text, never HTML-escaped; subjects on one line); `absolute_url` for links that
  leave the site (mails, feeds, calendars); `once=` / `send_once` and `models.SentMail`:
  each mail of an occasion sent once, under a stable Message-ID.
- `queue`: `enqueue_on_commit`, the only way a service starts background work (the task
  named by its dotted path, so a service never imports a tasks module).
- `recovery`: `@retry_safe` tasks a dead worker left RUNNING are enqueued again by the
  next `db_worker` to start (`management/commands/db_worker.py`).
- `permissions`: `permission_required`, the one permission decorator of the pages.
- `slugs`: `unique_slug`, a model's unique slug stepping around reserved page words.
- `translated`: the names of the columns that hold a translatable field's languages.
- `charts`: SVG charts drawn by pygal with no script, cached by a digest of their data.
- `pdf`: HTML printed to PDF with WeasyPrint, fetching nothing remote.
- `compilemessages`: the interface catalogues compiled with Babel (no GNU gettext).
- `guard`: the middleware that refuses oversized bodies (413), NUL characters and broken
  multipart bodies (400) before any view reads them.
- `validators`: one-line fields (names, titles) refuse line breaks.
- `uploads`: public uploaded images served with their type, `nosniff` and a sandbox.

The vocabulary every app shares (action areas, UN languages, UNESCO regions, the
translated-content fallback) is domain knowledge and lives in `recommendation`.
"""
