"""How the consumption app follows the other apps' changes."""

from __future__ import annotations

from typing import Any

from halte.consumption.services import booths_sync
from halte.network.models import Site
from halte.network.signals import capacities_changed


def booths_follow_counts(sender: type[Site], *, site: Site, **kwargs: Any) -> None:
    """A site's booths follow its counts (network.services sends the change)."""
    booths_sync(site=site)


capacities_changed.connect(booths_follow_counts, dispatch_uid="consumption.booths_follow_counts")
