"""A few consented social files for the demo: INVENTED people, clearly labelled. The names are
put together from syllables drawn by the run's ``rng`` and prefixed "DÉMO", the documents'
numbers start with "DEMO-": none is, or can be mistaken for, a real person or a real document.

They go to the people who had an AME, CSS or domiciliation step recorded (care's social acts) at
the run's sites, a handful per site [assumption: a site keeps a few dozen such files a year].
Sealed with the server's key like any file; no audit events (synthetic rows)."""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
from django.db.models import Exists, OuterRef

from halte.care.models import SocialAct
from halte.core.timeutils import paris_date
from halte.demo.activity.run import Run
from halte.pathway.models import SocialFile
from halte.pathway.socialfile import Document, Identity, seal

PER_SITE = 5
SYLLABLES = ("ba", "lo", "mi", "ra", "ten", "vo", "zu", "ké", "lin", "dar", "sé", "mo")
PURPOSE_OF = {
    "rights_ame": "rights_ame",
    "rights_css": "rights_css",
    "rights_puma": "rights_css",
    "domiciliation": "domiciliation",
    "id_papers": "papers",
}
DOCUMENTS = ("passport", "id_card", "residence_permit", "health_insurance", "domiciliation")


def _word(rng: np.random.Generator, syllables: int) -> str:
    return "".join(SYLLABLES[int(rng.integers(len(SYLLABLES)))] for _ in range(syllables))


def fake_identity(rng: np.random.Generator) -> Identity:
    """An invented identity, labelled as such in every field a screen shows."""
    born = dt.date(1960, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365 * 40)))
    document = DOCUMENTS[int(rng.integers(len(DOCUMENTS)))]
    return Identity(
        family_name=f"DÉMO {_word(rng, 3).capitalize()}",
        given_names=_word(rng, 2).capitalize(),
        birth_date=born,
        documents=(Document(document, f"DEMO-{int(rng.integers(10**6, 10**7))}"),),
    )


def generate(run: Run) -> dict[str, int]:
    """A few invented social files per site, for people with a rights or address step."""
    rows = []
    for site in run.sites:
        acts = (
            SocialAct.objects.filter(
                site=site,
                kind__in=list(PURPOSE_OF),
                client__isnull=False,
                performed_at__date__range=(run.start, run.end),
            )
            .exclude(
                Exists(SocialFile.objects.filter(client=OuterRef("client"), site=OuterRef("site")))
            )
            .order_by("performed_at", "pk")
        )
        seen: set[int] = set()
        for act in acts:
            if act.client_id is None or act.client_id in seen:
                continue
            seen.add(act.client_id)
            rows.append(
                SocialFile(
                    public_id=uuid.uuid5(
                        uuid.NAMESPACE_URL, f"halte-social:{act.public_id}:{run.rng.bytes(8).hex()}"
                    ),
                    client_id=act.client_id,
                    site=site,
                    purpose=PURPOSE_OF[act.kind],
                    consent_on=paris_date(act.performed_at),
                    consent_recorded_by=run.actor,
                    sealed=seal(fake_identity(run.rng)),
                )
            )
            if len(seen) >= PER_SITE:
                break
    SocialFile.objects.bulk_create(rows)
    return {"social files (invented)": len(rows)}
