from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RECEPTION = "reception", _("Accueil")
    NURSE = "nurse", _("Infirmier·e / soignant·e")
    EDUCATOR = "educator", _("Éducateur·rice")
    OUTREACH = "outreach", _("Maraude")
    PEER = "peer", _("Pair·e aidant·e")
    MANAGER = "manager", _("Responsable de site")
    COORDINATOR = "coordinator", _("Coordination réseau")
    EVALUATOR = "evaluator", _("Évaluation / financeur")
    ADMIN = "admin", _("Administration")


# Roles that act on the whole network rather than on sites.
NETWORK_ROLES = frozenset({Role.COORDINATOR, Role.EVALUATOR, Role.ADMIN})
# Roles that run a site's day.
SITE_ROLES = frozenset(
    {Role.RECEPTION, Role.NURSE, Role.EDUCATOR, Role.OUTREACH, Role.PEER, Role.MANAGER}
)
