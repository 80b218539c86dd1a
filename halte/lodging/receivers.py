"""How the lodging app follows the other apps' changes."""

from __future__ import annotations

from typing import Any

from halte.lodging.services import beds_sync
from halte.network.models import Site
from halte.network.signals import capacities_changed


def beds_follow_counts(sender: type[Site], *, site: Site, **kwargs: Any) -> None:
    """A site's beds follow its counts (network.services sends the change)."""
    beds_sync(site=site, on=kwargs.get("effective_on"))


capacities_changed.connect(beds_follow_counts, dispatch_uid="lodging.beds_follow_counts")
