"""The board of a site's surroundings (staff), and what the public page shows of them."""

from __future__ import annotations

from halte.network.models import Site


def public_surroundings(site: Site) -> dict[str, object]:
    """The surroundings' part of the public page: nothing until the coordinator publishes it."""
    return {"surroundings": None}
