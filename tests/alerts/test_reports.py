"""Reports count samples, results by substance and alerts issued, for the scope's sites."""

from __future__ import annotations

from collections.abc import Callable

from halte.accounts.models import User
from halte.alerts.models import Alert, Sample
from halte.alerts.services import Found, result_record, sample_record
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.reports.indicators import REGISTRY, Scope


def test_samples_results_and_alerts_are_counted_per_scope(
    site: Site,
    other_site: Site,
    nurse: User,
    other_nurse: User,
    issue: Callable[..., Alert],
) -> None:
    def collect(actor: User, where: Site, circumstance: str) -> Sample:
        return sample_record(
            actor=actor,
            site=where,
            sold_as="heroin",
            believed="heroin",
            form="powder",
            route="injection",
            circumstance=circumstance,
        )

    first, second = collect(nurse, site, "routine"), collect(nurse, site, "unexpected_effects")
    theirs = collect(other_nurse, other_site, "routine")
    result_record(actor=nurse, sample=first, found=[Found("heroin"), Found("fentanyl")])
    result_record(actor=nurse, sample=second, found=[Found("heroin")])
    result_record(actor=other_nurse, sample=theirs, found=[Found("nitazene")])
    issue(site)
    issue(other_site, severity="information")
    issue(all_sites=True, severity="warning")

    today = local_today()
    paris = Scope((site.pk,), today, today)
    assert REGISTRY["samples_collected"].evaluate(paris).value == 2
    assert REGISTRY["sample_results"].evaluate(paris).value == 2
    circumstances = {
        c.key: c.value for c in REGISTRY["samples_by_circumstance"].evaluate(paris).cells
    }
    assert circumstances == {"incident": 0, "unexpected_effects": 1, "routine": 1}
    substances = REGISTRY["results_by_substance"].evaluate(paris)
    assert {c.key: c.value for c in substances.cells} == {"heroin": 2, "fentanyl": 1}
    assert not substances.additive
    alerts = {c.key: c.value for c in REGISTRY["alerts_issued"].evaluate(paris).cells}
    assert alerts == {"information": 0, "warning": 1, "danger": 1}
    network = Scope((site.pk, other_site.pk), today, today, network=True)
    assert REGISTRY["alerts_issued"].evaluate(network).value == 3
