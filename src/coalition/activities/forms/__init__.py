"""Forms of activities: `activities` (submitting, filtering, moderating), `events`
(registering), `materials` (materials and the discussion)."""
