"""What the visits tell the apps above them (the room hangs its sessions, waits and refusals on a
visit): the visits app names the moments, the room decides what they mean for it."""

from django.dispatch import Signal

# Sent when a check-in rule turns someone away (``visits.services.visit_open``), outside the
# visit's transaction and before the error is raised, with ``actor``, ``site``, ``stage``,
# ``reason`` and ``route``: the app that counts refusals (consumption) records one, without the
# person.
turned_away = Signal()

# Sent inside the check-out's transaction, before the visit closes, with ``actor``, ``visit`` and
# ``at``: what still runs on the visit (a session, a wait for a booth, a watch in the rest area)
# ends at the same time. A receiver's error aborts the check-out.
visit_closing = Signal()
