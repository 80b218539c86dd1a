"""Reports API: the indicator registry, and any report for a site, an authorisation (FINESS) or the
network as JSON, CSV or XLSX. Same rules as the screens: another site answers 404, the network is for network roles (403
otherwise), evaluators always get masked figures (rounded to 5, "<10" below), and masked figures
only for a whole month, quarter or year that is over; bad parameters answer 422."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from halte.core.errors import DomainError
from halte.reports import exports
from halte.reports.enums import Framework
from halte.reports.frameworks import Report, ShownItem, build_report
from halte.reports.indicators import REGISTRY
from halte.reports.permissions import must_suppress
from halte.reports.selectors import report_scope
from halte.reports.suppression import ROUNDING_BASE

router = Router(tags=["rapports"])


class IndicatorOut(Schema):
    code: str
    label: str
    definition: str
    group: str
    unit: str
    app: str
    breakdown: bool
    sensitive: bool


@router.get("/indicators", response=list[IndicatorOut])
def list_indicators(request: HttpRequest) -> list[dict[str, object]]:
    """Every indicator with its definition."""
    return [
        {
            "code": i.code,
            "label": str(i.label),
            "definition": str(i.definition),
            "group": i.group,
            "unit": str(i.unit),
            "app": i.app,
            "breakdown": i.breakdown,
            "sensitive": i.sensitive,
        }
        for i in REGISTRY.values()
    ]


class ReportQuery(Schema):
    model_config = {"extra": "forbid"}

    site: uuid.UUID | None = None
    authorisation: str | None = Field(
        None,
        description="N° FINESS d'une autorisation : le rapport de ses lieux, chaque personne "
        "comptée une fois. Ni avec site, ni avec network.",
    )
    network: bool = False
    start: dt.date = Field(
        description="Premier jour. Chiffres masqués : premier jour d'un mois, trimestre ou année."
    )
    end: dt.date = Field(
        description="Dernier jour, inclus. Chiffres masqués : dernier jour du même mois, trimestre "
        "ou année, déjà écoulé."
    )
    format: Literal["json", "csv", "xlsx"] = "json"
    external: bool = Field(False, description="Export destiné à sortir du réseau : masqué.")


class CellOut(Schema):
    key: str
    label: str
    value: str
    number: float | None


class LineOut(Schema):
    code: str
    label: str
    unit: str
    value: str
    number: float | None
    masked: bool
    cells: list[CellOut]


class ItemOut(Schema):
    number: str
    words: str
    codes: list[str]
    reason: str = Field(
        description="Pourquoi l'élément ne peut pas être rempli, ou ce qu'il ne couvre pas."
    )

    @staticmethod
    def resolve_codes(item: ShownItem) -> list[str]:
        return [line.code for line in item.lines]


class SectionOut(Schema):
    key: str
    title: str
    note: str
    items: list[ItemOut]
    lines: list[LineOut]


class TargetOut(Schema):
    label: str
    actual: str
    target: str
    share: str
    source: str


class ReportOut(Schema):
    framework: str
    title: str
    scope: str = Field(alias="scope.label")
    network: bool = Field(alias="scope.network")
    start: dt.date = Field(alias="scope.start")
    end: dt.date = Field(alias="scope.end")
    suppressed: bool
    rounded_to: int | None = Field(
        description="Chiffres masqués : effectifs de personnes et d'événements rares arrondis à "
        "ce multiple ; null pour des chiffres exacts."
    )
    sections: list[SectionOut]
    targets: list[TargetOut]

    @staticmethod
    def resolve_rounded_to(report: Report) -> int | None:
        return ROUNDING_BASE if report.suppressed else None


@router.get("/reports/{framework}", response=ReportOut)
def get_report(
    request: HttpRequest, framework: Framework, query: Query[ReportQuery]
) -> HttpResponse | Report:
    """One report for a site (``site``), an authorisation (``authorisation``: its FINESS number)
    or the network (``network=true``) over ``start``–``end``; ``format=csv`` or ``xlsx`` returns
    the file. Every item of the framework's reference is listed, with its lines or why it cannot
    be filled. Masked figures (an evaluator, ``external``) need a whole month, quarter or year
    that is over: any other period answers 422 on ``start``. An unknown FINESS number, or one
    given with ``site`` or ``network``, answers 422 on ``authorisation``."""
    if query.site is not None and query.network:
        raise DomainError(_("Choisissez un site ou le réseau, pas les deux."), field="network")
    suppressed = must_suppress(request.user, external=query.external)
    scope = report_scope(
        request.user,
        site_id=query.site,
        network=query.network,
        start=query.start,
        end=query.end,
        masked=suppressed,
        authorisation=query.authorisation,
    )
    report = build_report(framework.value, scope, suppressed=suppressed)
    if query.format == "json":
        return report
    content = exports.render(report, query.format)
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[query.format])
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.filename(report, query.format)}"'
    )
    return response
