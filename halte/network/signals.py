"""What the network tells the apps above it."""

from django.dispatch import Signal

# Sent inside the transaction that creates a site or changes its counts, with ``site`` (and, when
# the change is not today's, ``effective_on``): the apps that own the booths (consumption) and the
# beds (lodging) make theirs follow the counts, from that day. A receiver's error aborts the change.
capacities_changed = Signal()
