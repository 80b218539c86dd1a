"""A site's booths and beds follow its counts: the network says the counts changed, the apps that
own booths (consumption) and beds (lodging) follow, in the same transaction."""

from __future__ import annotations

import pytest

from halte.accounts.models import User
from halte.consumption.models import Booth
from halte.core.errors import DomainError
from halte.lodging.models import Bed
from halte.network.models import Site
from halte.network.services import site_update_capacities


def _active(site: Site) -> tuple[list[str], int]:
    booths = Booth.objects.filter(site=site, is_active=True).order_by("route", "number")
    return [b.label for b in booths], Bed.objects.filter(site=site, is_active=True).count()


def test_booths_and_beds_follow_the_counts_up_and_down(site: Site, manager: User) -> None:
    site_update_capacities(actor=manager, site=site, booths_injection=2, booths_inhalation=1)
    site_update_capacities(actor=manager, site=site, beds=3)
    labels, beds = _active(site)
    assert len(labels) == 3 and beds == 3
    site_update_capacities(actor=manager, site=site, booths_injection=1, beds=1)
    labels, beds = _active(site)
    assert len(labels) == 2 and beds == 1
    # Booths and beds beyond the count are kept for the history, inactive.
    assert (
        Booth.objects.filter(site=site).count() == 3 and Bed.objects.filter(site=site).count() == 3
    )


def test_a_refused_change_leaves_booths_as_they_were(site: Site, manager: User) -> None:
    site_update_capacities(actor=manager, site=site, booths_injection=2)
    before = _active(site)
    with pytest.raises(DomainError):
        site_update_capacities(actor=manager, site=site, booths_injection=-1)
    assert _active(site) == before
