"""Date the beds that exist: each active bed is in service from the night of its site's opening
(the day it first became operational, else its first status date, else the day the site was
registered). A bed already withdrawn gets no period: when it served is not known, and the reports
never counted it before either."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.db import migrations

PARIS = ZoneInfo("Europe/Paris")


def _opening(apps: Any, site: Any) -> Any:
    changes = apps.get_model("network", "StatusChange").objects.filter(site=site)
    changes = changes.order_by("effective_on", "pk")
    opened = changes.filter(to_status="operational").first() or changes.first()
    return opened.effective_on if opened is not None else site.created_at.astimezone(PARIS).date()


def date_beds(apps: Any, schema_editor: Any) -> None:
    Bed = apps.get_model("lodging", "Bed")
    Period = apps.get_model("lodging", "BedServicePeriod")
    Site = apps.get_model("network", "Site")
    for site in Site.objects.filter(pk__in=Bed.objects.values("site_id")):
        start = _opening(apps, site)
        Period.objects.bulk_create(
            Period(bed=bed, start=start)
            for bed in Bed.objects.filter(site=site, is_active=True).exclude(
                service_periods__isnull=False
            )
        )


def undate_beds(apps: Any, schema_editor: Any) -> None:
    apps.get_model("lodging", "BedServicePeriod").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lodging", "0003_bed_service_periods"),
        ("network", "0002_site_publication"),
    ]

    operations = [migrations.RunPython(date_beds, undate_beds)]
