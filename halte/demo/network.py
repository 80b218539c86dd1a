"""The demo network: real places of Paris and Strasbourg, with what is known of them and how well.

The places are data, in ``data/sites.toml``, with their sources; this module reads them and checks
every kind, status and service against the enumerations, so a typo stops the load with the site
and the value named. Activity is not here: it is synthetic and comes from later commands.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from halte.network.enums import Admission, OperatorKind, Service, SiteKind, SiteStatus

SITES_FILE = Path(__file__).resolve().parent / "data" / "sites.toml"


@dataclass(frozen=True)
class DemoSite:
    slug: str
    name: str
    operator: str
    kind: str
    history: tuple[tuple[str, dt.date, str], ...]  # (status, effective date, note)
    address: str = ""
    postcode: str = ""
    city: str = "Paris"
    lon: float | None = None
    lat: float | None = None
    code_insee: str = ""
    area_name: str = ""
    approximate: bool = False
    verified: bool = False
    note: str = ""
    hours: tuple[tuple[tuple[int, ...], str, str], ...] = ()  # (weekdays, opens, closes)
    hours_since: dt.date = dt.date(2016, 1, 1)
    # A later change of hours, (days before today, hours), to show a before/after in reports.
    hours_change: tuple[int, tuple[tuple[tuple[int, ...], str, str], ...]] | None = None
    services: tuple[str, ...] = ()
    capacities: dict[str, object] = field(default_factory=dict)


OPERATORS = [
    ("Gaïa-Paris", OperatorKind.ASSOCIATION),
    ("Ithaque", OperatorKind.ASSOCIATION),
    ("Aurore", OperatorKind.ASSOCIATION),
    ("Oppelia (ex-Charonne)", OperatorKind.ASSOCIATION),
    # The Sleep'In's operator: "le CSAPA SOS 75 « Sleep In » du Groupe SOS" (groupe-sos.org,
    # 20 Feb 2024).
    ("Groupe SOS", OperatorKind.ASSOCIATION),
    ("Coordination Toxicomanies", OperatorKind.ASSOCIATION),
    ("Ville de Paris", OperatorKind.PUBLIC_BODY),
]

# How well a history date is known (``precision`` of an event in the file). A status change
# always has a day in the model, so a date that nobody published is never stored bare: the note
# of the event opens with what the day stands for. "day": the published day. "year": only the year
# is published; the day stored is 1 January of it. "unknown": no date is published; the day
# stored is the earliest one a source shows the place in that status (its own date, or the 1st
# of the month or of the year it gives), never a guess of the real one.
DATE_PRECISION_NOTES = {
    "day": "",
    "year": "Jour et mois non publiés : seule l'année est connue. ",
    "unknown": "Date inconnue ; date portée : la plus ancienne attestation trouvée. ",
}


def _spans(rows: list[dict[str, Any]]) -> tuple[tuple[tuple[int, ...], str, str], ...]:
    return tuple((tuple(row["days"]), row["opens"], row["closes"]) for row in rows)


def _site(row: dict[str, Any], events: dict[str, Any], sets: dict[str, list[str]]) -> DemoSite:
    """One site of the file; ``KeyError`` or ``ValueError`` on an unknown name or value."""
    fields = dict(row)
    history = tuple(_event(events[e] if isinstance(e, str) else e) for e in fields.pop("history"))
    services = fields.pop("services", [])
    change = fields.pop("hours_change", None)
    if fields["operator"] not in dict(OPERATORS):
        raise ValueError(f"unknown operator {fields['operator']!r}")
    fields["kind"] = SiteKind(fields["kind"])
    fields["hours"] = _spans(fields.pop("hours", []))
    capacities = fields.get("capacities", {})
    if "admission" in capacities:
        fields["capacities"] = {**capacities, "admission": Admission(capacities["admission"])}
    return DemoSite(
        **fields,
        history=history,
        hours_change=(change["days_ago"], _spans(change["hours"])) if change else None,
        services=tuple(
            Service(s) for s in (sets[services] if isinstance(services, str) else services)
        ),
    )


# A status change's note is at most this long (halte.network.models.StatusChange.note).
NOTE_MAX = 300


def _event(event: dict[str, Any]) -> tuple[str, dt.date, str]:
    """One step of a site's history, its note saying how well its date is known."""
    precision = event.get("precision", "day")
    if precision not in DATE_PRECISION_NOTES:
        raise ValueError(f"unknown date precision {precision!r}")
    on = event["on"]
    if precision == "year" and (on.month, on.day) != (1, 1):
        raise ValueError(f"a year-only date is stored as 1 January, not {on.isoformat()}")
    note = DATE_PRECISION_NOTES[precision] + event["note"]
    if len(note) > NOTE_MAX:
        raise ValueError(f"the note of {on.isoformat()} is over {NOTE_MAX} characters")
    return SiteStatus(event["status"]), on, note


def load_sites(path: Path = SITES_FILE) -> list[DemoSite]:
    """The sites of ``path``, in the file's order."""
    data = tomllib.loads(path.read_text())
    sites = []
    for row in data["sites"]:
        try:
            sites.append(_site(row, data["events"], data["service_sets"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path.name}, site {row.get('slug')!r}: {exc}") from exc
    return sites


SITES = load_sites()

# One member of staff per role, as the README lists them.
DEMO_USERS = [
    ("admin", "admin", None),
    ("coordinator", "coordinator", None),
    ("evaluator", "evaluator", None),
    ("manager-paris", "manager", "paris-hsa"),
    ("nurse-paris", "nurse", "paris-hsa"),
    ("reception-paris", "reception", "paris-hsa"),
    ("outreach-nord-est", "outreach", "maraude-nord-est"),
    ("night-sleepin", "educator", "sleep-in"),
]
