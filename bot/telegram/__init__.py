"""The Telegram bot: `app.py` wires every handler (the routing table on one screen) and runs
it; `handlers.py` (officials' commands and messages), `presses.py` (buttons, one handler per
kind), `membership.py` (joining, reminders, follow-ups), `coordination.py` and `scheduled.py`
(coordinators) turn updates into domain calls; `context.py` is what every handler has at hand;
`send.py` and `render.py` turn replies into messages; `ordering.py`, `broadcast.py` and
`catch_up.py` keep sends in order, within Telegram's limits, and never lost.

Nothing is imported here: `owed.py` must load without the Telegram library (start-up looks
for owed questions while that library still loads)."""
