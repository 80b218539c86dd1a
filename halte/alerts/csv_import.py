"""Import a laboratory's results from CSV (columns in docs/alerts.md).

One row per substance found; the rows of one sample are its whole result and replace any result
already entered. The file is checked completely first: one error anywhere and nothing is written,
and every error says its line.

Columns (header required, ``;`` or ``,`` separated, UTF-8):
``reference`` (the sample's reference, E-XXXXXXXX), ``result_date`` (YYYY-MM-DD or DD/MM/YYYY),
``substance`` (a code of halte.alerts.enums.Substance), ``role`` (``active`` or ``adulterant``;
empty means active), ``purity`` (percent, dot or comma, optional), ``label`` (a few words, required
for ``other``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.models import User
from halte.alerts.enums import Substance, SubstanceRole
from halte.alerts.models import Sample
from halte.alerts.permissions import can_enter_result
from halte.alerts.selectors import get_sample_by_reference
from halte.alerts.services import Found, result_record
from halte.core.errors import DomainError

COLUMNS = ("reference", "result_date", "substance", "role", "purity", "label")
REQUIRED = ("reference", "result_date", "substance")
MAX_BYTES = 512 * 1024
MAX_ROWS = 2000


@dataclass
class ImportReport:
    samples: int = 0
    substances: int = 0
    errors: list[str] = field(default_factory=list)


def _date(text: str) -> dt.date:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValueError(text)


def _purity(text: str) -> Decimal | None:
    text = text.strip().replace(",", ".").rstrip("%").strip()
    if not text:
        return None
    value = Decimal(text)
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise InvalidOperation
    return value


def _rows(data: bytes) -> list[dict[str, str]]:
    if len(data) > MAX_BYTES:
        raise DomainError(_("Fichier trop gros (512 Ko au plus)."), field="file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DomainError(_("Fichier illisible : enregistrez-le en UTF-8."), field="file") from exc
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DomainError(
            _("Colonnes manquantes : %(cols)s.") % {"cols": ", ".join(missing)}, field="file"
        )
    reader.fieldnames = header
    rows = [{k: (v or "") for k, v in row.items() if k in COLUMNS} for row in reader]
    if not rows:
        raise DomainError(_("Le fichier ne contient aucune ligne de résultat."), field="file")
    if len(rows) > MAX_ROWS:
        raise DomainError(_("Trop de lignes (2 000 au plus)."), field="file")
    return rows


def _parse(
    actor: User, rows: list[dict[str, str]], report: ImportReport
) -> dict[str, tuple[Sample, dt.date, list[Found]]]:
    parsed: dict[str, tuple[Sample, dt.date, list[Found]]] = {}
    found: defaultdict[str, list[Found]] = defaultdict(list)
    for line, row in enumerate(rows, start=2):
        reference = row.get("reference", "").strip().upper()
        sample = get_sample_by_reference(actor, reference) if reference else None
        if sample is None or not can_enter_result(actor, sample.site):
            report.errors.append(
                _("Ligne %(n)s : échantillon « %(ref)s » introuvable.")
                % {"n": line, "ref": reference[:20]}
            )
            continue
        try:
            day = _date(row.get("result_date", ""))
        except ValueError:
            report.errors.append(_("Ligne %(n)s : date illisible.") % {"n": line})
            continue
        substance = row.get("substance", "").strip().lower()
        role = row.get("role", "").strip().lower() or SubstanceRole.ACTIVE
        if substance not in Substance.values:
            report.errors.append(_("Ligne %(n)s : substance inconnue.") % {"n": line})
            continue
        if role not in SubstanceRole.values:
            report.errors.append(
                _("Ligne %(n)s : rôle inconnu (active ou adulterant).") % {"n": line}
            )
            continue
        try:
            purity = _purity(row.get("purity", ""))
        except (InvalidOperation, ValueError):
            report.errors.append(
                _("Ligne %(n)s : pureté illisible (un pourcentage de 0 à 100).") % {"n": line}
            )
            continue
        if reference in parsed and parsed[reference][1] != day:
            report.errors.append(
                _("Ligne %(n)s : deux dates de résultat pour le même échantillon.") % {"n": line}
            )
            continue
        found[reference].append(
            Found(substance=substance, role=role, purity=purity, label=row.get("label", ""))
        )
        parsed[reference] = (sample, day, found[reference])
    return parsed


def results_import(*, actor: User, data: bytes) -> ImportReport:
    """Check the whole file, then record each sample's result; all or nothing."""
    report = ImportReport()
    rows = _rows(data)
    parsed = _parse(actor, rows, report)
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for reference, (sample, day, items) in parsed.items():
                try:
                    result_record(
                        actor=actor, sample=sample, found=items, result_on=day, source="csv"
                    )
                except DomainError as exc:
                    report.errors.append(f"{reference} : {exc.message}")
                    raise
                report.samples += 1
                report.substances += len(items)
    except (DomainError, Http404):
        report.samples = report.substances = 0
    return report
