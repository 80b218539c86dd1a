"""The demo's authorisations (FINESS): one CAARUD of Aurore covering two of its places (the EGO
reception and the STEP syringe programme) and the Paris HSA of Gaïa-Paris.

The FINESS numbers are INVENTED: we have no sourced FINESS number for these establishments. They
are format-valid (department 75, then 999…, a range chosen to look invented) and each label's note
says so. Safe to run again: an authorisation whose number exists is left as it is."""

from __future__ import annotations

from halte.accounts.models import User
from halte.network.enums import AuthorisationKind
from halte.network.models import Authorisation, Operator, Site
from halte.network.services import authorisation_create

INVENTED = (
    "N° FINESS inventé pour la démonstration : aucun n° FINESS sourcé pour cet établissement."
)

# (FINESS, kind, operator, label, site slugs)
AUTHORISATIONS = (
    (
        "759999901",
        AuthorisationKind.CAARUD,
        "Aurore",
        "CAARUD EGO-STEP (Aurore)",
        ("ego-caarud", "step"),
    ),
    (
        "759999902",
        AuthorisationKind.HSA,
        "Gaïa-Paris",
        "Halte soins addictions de Paris (Gaïa-Paris)",
        ("paris-hsa",),
    ),
)


def load(*, actor: User) -> int:
    """Create the demo authorisations that do not exist yet; the number created."""
    created = 0
    for finess, kind, operator_name, label, slugs in AUTHORISATIONS:
        if Authorisation.objects.filter(finess=finess).exists():
            continue
        operator = Operator.objects.filter(name=operator_name).first()
        sites = list(Site.objects.filter(slug__in=slugs))
        if operator is None or len(sites) != len(slugs):
            continue  # a trimmed demo without these places
        authorisation_create(
            actor=actor,
            operator=operator,
            finess=finess,
            kind=kind,
            label=label,
            sites=sites,
            note=INVENTED,
        )
        created += 1
    return created
