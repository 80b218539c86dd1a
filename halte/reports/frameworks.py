"""Report frameworks: which indicators, in which sections, make each report Halte produces.

Every framework is built from the shared indicator registry for any scope (a site, an
authorisation's places or the network) and any period; its sections are the parts of its official
reference, item by item (``halte.reports.references``). ``build_report`` evaluates each indicator once (on the replica when one is
configured) and ``present`` turns the results into what a screen or an export shows, with small
counts masked when the report is for an evaluator or leaves the network."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from halte.core.timeutils import now
from halte.network.enums import SiteKind
from halte.network.models import Site
from halte.reports.enums import Framework
from halte.reports.indicators import REGISTRY, Indicator, Result, Scope
from halte.reports.presentation import Shown, format_number, present_line
from halte.reports.references import REFERENCES, Item, Reference
from halte.reports.router import reading_replica


@dataclass(frozen=True)
class SectionSpec:
    """A section of a framework: a part of its reference (``halte.reports.references``)."""

    key: str
    title: object
    codes: tuple[str, ...]
    note: object = ""
    items: tuple[Item, ...] = ()


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
# designed for 200 people a day (about 40 reached in Feb. 2020). The plan's budget against its
# spending, year by year, is the indicator ``plan_budget_by_year`` (the plan's actions are tracked
# in Halte, halte.plan).
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


def _specs(reference: Reference) -> tuple[SectionSpec, ...]:
    return tuple(
        SectionSpec(
            part.key,
            part.title,
            tuple(dict.fromkeys(code for item in part.items for code in item.codes)),
            part.note,
            part.items,
        )
        for part in reference.parts
    )


# Each framework's sections are its reference's parts, in the reference's order and words.
FRAMEWORKS: dict[str, tuple[SectionSpec, ...]] = {
    framework: _specs(reference) for framework, reference in REFERENCES.items()
}


@dataclass
class ShownItem:
    """An item of the reference as shown: its lines, or why it cannot be filled."""

    number: str
    words: str
    lines: list[Shown]
    reason: str = ""

    @property
    def filled(self) -> bool:
        return bool(self.lines)


@dataclass
class Section:
    key: str
    title: str
    note: str
    lines: list[Shown]
    items: list[ShownItem] = field(default_factory=list)


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

    def entries(self) -> list[tuple[list[str], object]]:
        """Every row of the files, with the number behind its value (None for text): the
        section, the reference's item (number and words), the indicator's code and label, the
        category, the value and the unit (``HEADER`` in ``exports``). Every item of the reference
        is there: one row per line and category, or one saying why it cannot be filled."""
        out: list[tuple[list[str], object]] = []
        for section in self.sections:
            title = section.title
            if section.note:
                out.append(([title, "", "", "", section.note, "", "", ""], None))
            for item in section.items:
                head = [title, item.number, item.words]
                for line in item.lines:
                    out.append(
                        ([*head, line.code, line.label, "", line.value, line.unit], line.number)
                    )
                    for cell in line.cells:
                        row = [*head, line.code, line.label, cell.label, cell.value, line.unit]
                        out.append((row, cell.number))
                if item.reason:
                    out.append(([*head, "", item_reason_text(item), "", "", ""], None))
        for target in self.targets:
            goal = gettext("objectif : %(target)s") % {"target": target.target}
            row = [str(_("Objectifs")), "", target.label, "", target.source, goal]
            out.append(([*row, target.actual, target.share], None))
        return out

    def rows(self) -> list[list[str]]:
        return [row for row, _number in self.entries()]


def item_reason_text(item: ShownItem) -> str:
    """What the files say of an item Halte does not fill, or fills in part."""
    if item.filled:
        return gettext("Non couvert : %(reason)s") % {"reason": item.reason}
    return gettext("Ne peut pas être rempli : %(reason)s") % {"reason": item.reason}


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
    """The sections with their items and lines; ``tick`` (a progress bar) advances once per
    indicator. A code not (yet) in the registry leaves its item unfilled, with that reason."""
    results: dict[str, Result] = {}
    with reading_replica():
        for spec in specs:
            for code in spec.codes:
                if code not in results and code in REGISTRY:
                    results[code] = REGISTRY[code].evaluate(scope)
                if tick is not None:
                    next(tick, None)
    shown = {
        code: present_line(REGISTRY[code], result, suppressed=suppressed)
        for code, result in results.items()
    }
    return [
        Section(
            spec.key,
            str(spec.title),
            str(spec.note),
            [shown[c] for c in spec.codes if c in shown],
            [_shown_item(item, shown) for item in spec.items],
        )
        for spec in specs
    ]


def _shown_item(item: Item, shown: dict[str, Shown]) -> ShownItem:
    missing = [c for c in item.codes if c not in shown]
    reason = str(item.reason)
    if missing:
        absent = gettext("indicateur pas encore disponible (%(codes)s).") % {
            "codes": ", ".join(missing)
        }
        reason = f"{reason} {absent}".strip()
    return ShownItem(
        item.number, str(item.words), [shown[c] for c in item.codes if c in shown], reason
    )


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
    """Accommodation places and rest-space attendance against the plan's published targets."""
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
    return rows
