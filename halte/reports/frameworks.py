"""Report frameworks: which indicators, in which sections, make each report Halte produces.

Every framework is built from the shared indicator registry for any scope (a site or the network)
and any period. ``build_report`` evaluates each indicator once (on the replica when one is
configured) and ``present`` turns the results into what a screen or an export shows, with small
counts masked when the report is for an evaluator or leaves the network."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from halte.core.timeutils import now
from halte.network.enums import SiteKind
from halte.network.models import Site
from halte.reports.enums import Framework
from halte.reports.indicators import REGISTRY, Indicator, Result, Scope
from halte.reports.models import FundingLine
from halte.reports.presentation import Shown, format_number, present_line
from halte.reports.router import reading_replica


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: object
    codes: tuple[str, ...]
    note: object = ""


@dataclass(frozen=True)
class Target:
    """A plan-crack line: an indicator on part of the scope, against a published target."""

    label: object
    code: str
    kinds: tuple[str, ...]
    target: float
    source: str
    per_year: bool = False


# docs/domain.md §4.2: ASSORE-type hotel places 610 since 2023; rest space at Porte de la Chapelle
# designed for 200 people a day (about 40 reached in Feb. 2020); plan budget 3 M€ a year planned.
PLAN_TARGETS = (
    Target(
        _("Places d'hébergement ouvertes"),
        "places",
        (SiteKind.ACCOMMODATION,),
        610,
        "ASSORE : 610 places depuis 2023 (gaia-paris.fr/hebergement ; 20minutes.fr, 1er fév. 2022)",
    ),
    Target(
        _("Fréquentation des espaces de repos (passages par jour)"),
        "visits_per_day",
        (SiteKind.REST_SPACE,),
        200,
        "Porte de la Chapelle : objectif 200 personnes par jour (18dumois.info, mars 2020)",
    ),
)
PLAN_BUDGET_PER_YEAR = 3_000_000.0
PLAN_BUDGET_SOURCE = (
    "Plan crack 2019–2021 : 3 M€ par an prévus, 9 M€ sur trois ans (francetvinfo.fr, 27 mai 2019) ; "
    "plus de 24 M€ dépensés (Cour des comptes / CRC IdF, déc. 2021)"
)

ORGANISATION = ("sites", "hours_per_week", "places", "staff_fte", "funding")
PEOPLE = (
    "file_active",
    "new_people",
    "people_by_sex",
    "share_women",
    "median_age",
    "age_groups",
    "contacts_per_person",
)
SAFETY = (
    "overdoses",
    "overdoses_per_1000",
    "incidents_naloxone",
    "incidents_doses",
    "incidents_calls",
    "incidents_transfers",
    "incidents_deaths",
    "incidents_by_kind",
)
MATERIAL = (
    "material_given",
    "material_returned",
    "syringe_equivalents_given",
    "syringe_return_rate",
    "syringe_coverage",
)
REFERRALS = ("referrals", "referrals_treatment", "referral_completion")
# The person's situation and the care after a test (halte.pathway, issue 16).
SITUATION = (
    "situation_people",
    "situation_housing",
    "share_without_housing",
    "situation_coverage",
    "share_without_coverage",
    "situation_products",
    "situation_routes",
)
PATHWAY = (
    "pathways_opened",
    "hcv_cascade",
    "vaccinations",
    "accompaniments",
    "accompaniment_hours",
    "interpretings",
)
# The room's saturation (issue 16): people turned away and kept waiting, per hour of the day.
ROOM = (
    "refusals",
    "refusals_by_reason",
    "saturation_by_hour",
    "waits",
    "waits_given_up",
    "wait_minutes",
)

# What a site does to its streets (halte.neighbourhood, issue 17).
MEDIATION = (
    "mediation_rounds",
    "pickup_rounds",
    "residents_met",
    "committees_held",
    "decisions_done",
    "decisions_overdue",
    "pickups_items",
    "pickups_by_item",
    "public_consumption_seen",
    "gatherings_seen",
    "neighbourhood_reports",
    "neighbourhood_reports_by_kind",
    "report_answer_hours",
)
# The HSA report's environment and public-order items (the 2022 cahier des charges asks the
# rooms to follow their effect on public space: syringes found, consumption seen, complaints).
ENVIRONMENT = (
    "pickups_items",
    "pickups_syringes",
    "public_consumption_seen",
    "gatherings_seen",
    "neighbourhood_reports",
    "neighbourhood_reports_by_kind",
    "report_answer_hours",
    "mediation_rounds",
    "committees_held",
    "decisions_done",
    "decisions_overdue",
)
PUBLIC_SPACE = ("pickups_items", "public_consumption_seen", "neighbourhood_reports")
# Drug checking and product alerts (halte.alerts): products, not people.
DRUG_CHECKING = (
    "samples_collected",
    "samples_by_circumstance",
    "sample_results",
    "results_by_substance",
    "alerts_issued",
)

FRAMEWORKS: dict[str, tuple[SectionSpec, ...]] = {
    Framework.ASA_CAARUD: (
        SectionSpec("organisation", _("1. Organisation générale"), ORGANISATION),
        SectionSpec("people", _("2. Personnes accueillies"), PEOPLE),
        SectionSpec(
            "services",
            _("3. Services et prestations"),
            (
                "visits",
                "anonymous_contacts",
                "visits_per_day",
                "visits_peak_day",
                "days_with_activity",
                "visits_by_purpose",
                "care_acts",
                "screenings",
                "screening_positives",
                "social_acts",
                *REFERRALS,
            ),
        ),
        SectionSpec("situation", _("2 bis. Situation des personnes"), SITUATION),
        SectionSpec("pathway", _("3 bis. Parcours de soin et accompagnements"), PATHWAY),
        SectionSpec("material", _("4. Matériel de prévention"), MATERIAL),
        SectionSpec(
            "outreach",
            _("5. Intervention de proximité"),
            ("outreach_rounds", "outreach_contacts", "outreach_new_people", "head_counts"),
        ),
        SectionSpec(
            "mediation",
            _("6. Médiation avec l'environnement"),
            MEDIATION,
            _(
                "Tournées, ramassages et signalements enregistrés par les équipes du site "
                "(signalements : ceux qui lui ont été attribués)."
            ),
        ),
    ),
    Framework.HSA_ANNUAL: (
        SectionSpec(
            "organisation",
            _("Moyens"),
            (*ORGANISATION, "cost_per_visit", "cost_per_place"),
        ),
        SectionSpec("people", _("Public accueilli"), PEOPLE[:-1]),
        SectionSpec(
            "attendance",
            _("Fréquentation"),
            ("visits", "visits_per_day", "visits_peak_day", "contacts_per_person"),
        ),
        SectionSpec(
            "consumption",
            _("Consommations supervisées"),
            (
                "sessions",
                "sessions_per_day",
                "sessions_by_route",
                "sessions_by_product",
                "session_duration",
                "booth_occupancy",
                "sessions_several_products",
                "sessions_led_by_peers",
                "watch_minutes",
            ),
        ),
        SectionSpec("room", _("Refus et attentes"), ROOM),
        SectionSpec("safety", _("Sécurité et urgences"), SAFETY),
        SectionSpec(
            "care",
            _("Soins et accompagnement"),
            ("care_acts", "screenings", "screening_positives", "social_acts"),
        ),
        SectionSpec("situation", _("Situation des personnes"), SITUATION),
        SectionSpec("pathway", _("Parcours de soin et accompagnements"), PATHWAY),
        SectionSpec("referrals", _("Orientations"), REFERRALS),
        SectionSpec("material", _("Matériel"), MATERIAL),
        SectionSpec("drug_checking", _("Analyse de produits et alertes"), DRUG_CHECKING),
        SectionSpec(
            "environment",
            _("Environnement et tranquillité publique"),
            ENVIRONMENT,
            _(
                "Ce que les équipes du site ont ramassé, constaté et reçu comme signalements "
                "(ceux qui lui ont été attribués) ; le tableau des abords du site compte ce qui "
                "s'est passé dans son périmètre."
            ),
        ),
    ),
    Framework.PLAN_CRACK: (
        SectionSpec(
            "lodging",
            _("Hébergement"),
            ("bed_nights", "bed_occupancy", "people_housed", "cost_per_night"),
        ),
        SectionSpec(
            "attendance", _("Accueil et repos"), ("visits", "file_active", "visits_per_day")
        ),
        SectionSpec(
            "outreach",
            _("Maraudes et lieux de regroupement"),
            ("outreach_rounds", "outreach_contacts", "outreach_new_people", "head_counts"),
        ),
        SectionSpec("public_space", _("Espace public"), PUBLIC_SPACE),
        SectionSpec("means", _("Financements"), ("funding",)),
        SectionSpec(
            "actions",
            _("Actions du plan"),
            (),
            _(
                "Avancement des 33 actions : non suivi dans Halte (19 sur 33 mises en œuvre en juin "
                "2021 selon la Cour des comptes)."
            ),
        ),
    ),
    Framework.MONTHLY_SCS: (
        SectionSpec(
            "attendance",
            _("Fréquentation"),
            ("file_active", "new_people", "visits", "visits_per_day", "share_women"),
        ),
        SectionSpec(
            "consumption",
            _("Consommations"),
            ("sessions", "sessions_by_route", "sessions_by_product", "booth_occupancy"),
        ),
        SectionSpec("room", _("Refus et attentes"), ROOM),
        SectionSpec("safety", _("Événements indésirables et interventions"), SAFETY),
        SectionSpec(
            "services",
            _("Services et orientations"),
            ("care_acts", "screenings", "social_acts", "referrals", "referrals_treatment"),
        ),
    ),
}


@dataclass
class Section:
    key: str
    title: str
    note: str
    lines: list[Shown]


@dataclass
class TargetRow:
    label: str
    actual: str
    target: str
    share: str
    source: str


@dataclass
class Report:
    framework: str
    title: str
    scope: Scope
    suppressed: bool
    sections: list[Section]
    targets: list[TargetRow] = field(default_factory=list)
    generated_at: dt.datetime = field(default_factory=now)

    def rows(self) -> list[list[str]]:
        """Flat rows for CSV and XLSX: section, code, indicator, category, value, unit."""
        out = []
        for section in self.sections:
            if section.note:
                out.append([section.title, "", section.note, "", "", ""])
            for line in section.lines:
                out.append([section.title, line.code, line.label, "", line.value, line.unit])
                for cell in line.cells:
                    out.append(
                        [section.title, line.code, line.label, cell.label, cell.value, line.unit]
                    )
        for target in self.targets:
            out.append(
                [str(_("Objectifs")), "", target.label, target.target, target.actual, target.share]
            )
        return out


def framework_title(framework: str) -> str:
    return str(Framework(framework).label)


def evaluate(codes: list[str], scope: Scope) -> dict[str, Result]:
    """Each indicator once, on the replica when there is one."""
    results: dict[str, Result] = {}
    with reading_replica():
        for code in codes:
            if code not in results:
                results[code] = REGISTRY[code].evaluate(scope)
    return results


def build_sections(
    specs: tuple[SectionSpec, ...],
    scope: Scope,
    *,
    suppressed: bool,
    tick: Iterator[str] | None = None,
) -> list[Section]:
    """The sections with their lines; ``tick`` (a progress bar) advances once per indicator."""
    results: dict[str, Result] = {}
    with reading_replica():
        for spec in specs:
            for code in spec.codes:
                if code not in results:
                    results[code] = REGISTRY[code].evaluate(scope)
                if tick is not None:
                    next(tick, None)
    return [
        Section(
            spec.key,
            str(spec.title),
            str(spec.note),
            [present_line(REGISTRY[c], results[c], suppressed=suppressed) for c in spec.codes],
        )
        for spec in specs
    ]


def finish_report(
    framework: str, scope: Scope, sections: list[Section], *, suppressed: bool
) -> Report:
    report = Report(framework, framework_title(framework), scope, suppressed, sections)
    if framework == Framework.PLAN_CRACK:
        report.targets = plan_targets(scope)
    return report


def build_report(framework: str, scope: Scope, *, suppressed: bool) -> Report:
    """The framework's sections for this scope, masked if ``suppressed``."""
    with reading_replica():  # one block: the figures it reads several times are read once
        sections = build_sections(FRAMEWORKS[framework], scope, suppressed=suppressed)
        return finish_report(framework, scope, sections, suppressed=suppressed)


def _sub_scope(scope: Scope, kinds: tuple[str, ...]) -> Scope:
    ids = Site.objects.filter(pk__in=scope.site_ids, kind__in=kinds).values_list("pk", flat=True)
    return Scope(tuple(ids), scope.start, scope.end, scope.network, scope.label)


def plan_targets(scope: Scope) -> list[TargetRow]:
    """Places and attendance against the plan's targets, and plan spending against its budget."""
    rows = []
    for target in PLAN_TARGETS:
        sub = _sub_scope(scope, target.kinds)
        indicator: Indicator = REGISTRY[target.code]
        value = evaluate([target.code], sub)[target.code].value if sub.site_ids else None
        share = None if value is None else 100 * float(value) / target.target
        rows.append(
            TargetRow(
                str(target.label),
                format_number(value, indicator.decimals),
                format_number(target.target, 0),
                "—" if share is None else f"{share:.0f} %",
                target.source,
            )
        )
    spent = plan_spending(scope)
    budget = PLAN_BUDGET_PER_YEAR * sum(scope.year_share(y) for y in scope.years())
    rows.append(
        TargetRow(
            gettext("Dépenses du plan crack (€) contre budget prévu"),
            format_number(spent, 0),
            format_number(budget, 0),
            f"{100 * spent / budget:.0f} %" if budget else "—",
            PLAN_BUDGET_SOURCE,
        )
    )
    return rows


def plan_spending(scope: Scope) -> float:
    """Funding lines attached to a plan-crack action, spread over the period's days."""
    with reading_replica():
        rows = (
            FundingLine.objects.filter(
                site_id__in=scope.site_ids, year__in=scope.years(), plan_action__isnull=False
            )
            .values("year")
            .annotate(total=Sum("amount"))
        )
        return sum(float(r["total"]) * scope.year_share(r["year"]) for r in rows)
