"""What the pathway app keeps and for how long: the consented social files.

A social file holds a person's identity, kept for a procedure (AME, domiciliation, a hospital
appointment); it goes two years after it was last updated (the CNIL's reference period for social
support records: two years after the last contact), or earlier on the person's request
(``socialfile.social_file_delete``), or with the person when the clients' rule removes them.
The situations, pathways and accompaniments follow the person (the clients' rule)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models

from halte.pathway.models import SocialFile
from halte.retention.rules import Rule, register

SOCIAL_FILE_KEEP = dt.timedelta(days=730)


def _keep() -> dt.timedelta:
    return SOCIAL_FILE_KEEP


def _expired_social_files(cutoff: dt.datetime) -> models.QuerySet[Any]:
    return SocialFile.objects.filter(updated_at__lt=cutoff)


register(Rule(name="social_files", keep=_keep, expired=_expired_social_files))
