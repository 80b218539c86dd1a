"""RECAP API: a CSAPA's yearly anonymised extract (``halte.reports.recap``). ``format=json`` (the
default) gives the counts, masked for an evaluator; ``csv`` and ``xlsx`` give the per-person file,
for the places' manager and the coordination only (403 otherwise), each download audited. A site
the user does not see answers 404; a place that is not a CSAPA, an unknown FINESS number or a bad
year answer 422 with the field named."""

from __future__ import annotations

import uuid
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from halte.core.errors import DomainError
from halte.network.models import Authorisation
from halte.reports import recap
from halte.reports.selectors import get_report_site

router = Router(tags=["recap"])


class RecapQuery(Schema):
    model_config = {"extra": "forbid"}

    site: uuid.UUID | None = Field(None, description="Un lieu CSAPA (son identifiant public).")
    authorisation: str | None = Field(
        None, description="Ou le n° FINESS d'une autorisation de CSAPA : ses lieux CSAPA."
    )
    year: int = Field(description="L'année des personnes vues (AAAA).")
    format: Literal["json", "csv", "xlsx"] = "json"


class RowOut(Schema):
    label: str
    value: str


class TableOut(Schema):
    title: str
    exclusive: bool
    rows: list[RowOut]


class SummaryOut(Schema):
    scope: str
    year: int
    masked: bool
    persons: str
    tables: list[TableOut]


def _scope(request: HttpRequest, query: RecapQuery) -> recap.RecapScope:
    if (query.site is None) == (query.authorisation is None):
        raise DomainError(_("Choisissez un lieu CSAPA ou une autorisation, un seul."), field="site")
    if query.site is not None:
        return recap.site_scope(get_report_site(request.user, query.site), query.year)
    assert query.authorisation is not None
    authorisation = Authorisation.objects.filter(finess=query.authorisation.strip().upper()).first()
    if authorisation is None:
        raise DomainError(
            _("Aucune autorisation n'a ce n° FINESS : %(finess)s.")
            % {"finess": query.authorisation},
            field="authorisation",
        )
    return recap.authorisation_scope(authorisation, query.year)


@router.get("/recap", response=SummaryOut)
def get_recap(request: HttpRequest, query: Query[RecapQuery]) -> HttpResponse | dict[str, object]:
    """A CSAPA's RECAP for ``year``: for ``site`` (a CSAPA place) or ``authorisation`` (the FINESS
    number of a CSAPA authorisation: its CSAPA places, each person once)."""
    scope = _scope(request, query)
    if query.format == "json":
        summary = recap.recap_summary(user=request.user, scope=scope)
        return {
            "scope": scope.name,
            "year": scope.year,
            "masked": summary["masked"],
            "persons": summary["persons"],
            "tables": [
                {
                    "title": t.title,
                    "exclusive": t.exclusive,
                    "rows": [{"label": label, "value": value} for label, value in t.rows],
                }
                for t in summary["tables"]
            ],
        }
    body = recap.recap_export(actor=request.user, scope=scope, fmt=query.format)
    response = HttpResponse(body, content_type=recap.CONTENT_TYPES[query.format])
    response["Content-Disposition"] = (
        f'attachment; filename="{recap.filename(scope, query.format)}"'
    )
    return response
