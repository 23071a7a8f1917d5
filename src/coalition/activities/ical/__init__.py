"""iCalendar (RFC 5545): the Hub's event feeds and the invitations sent to registrants.

Everything is built with the `icalendar` library, never with string templates, so
escaping, line folding and time zones follow the RFC. A feed carries only what the event
page shows everyone: never the access link, a contact the organizers keep private, nor
anything about registrants. An invitation goes to one registrant: it names them as the
attendee and, once their place is confirmed, gives them the access link.

UIDs are `activity-<pk>@<host of SITE_URL>`: stable across edits, languages and feeds, so
a calendar that meets the same event in two feeds (all events, its working group) or in
an invitation keeps one entry and updates it when SEQUENCE rises.

A feed of thousands of events is rebuilt in a tenth of a second, still entirely by the
library. The package, by what each module holds:

- `components`: one event's VEVENT, a calendar's envelope, and a registrant's invitation;
  the words, the fallback order of languages and the organizers' names they read.
- `zones`: the organizer's time zone of an event, and the VTIMEZONEs a calendar carries
  (slow to build: kept in the process and in the database store).
- `serialized`: a component as bytes (`serialize`, the bytes of `to_ical()` in less time),
  the bytes of many joined inside a VCALENDAR envelope (`join` says why they are exactly
  what the library writes for the whole calendar), and the process's bounded memo of them.
- `store`: serialized components kept in the database for every process, each under a
  digest of what made it, this package's source included.
- `feeds`: which events a feed holds, their columns in a few queries whatever their number,
  the feed's bytes (each event serialized once per change), and `cached_feed`, which keeps
  finished feeds in the shared cache and lets one request at a time rebuild each.

The modules import each other directly (no names re-exported here), so a test that
replaces a name replaces it in the module that uses it.
"""
