from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    WAITING = "waiting", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")
    CANCELLED = "cancelled", _("Annulé")


OPEN_STATUSES = frozenset({JobStatus.WAITING, JobStatus.RUNNING})
FINISHED_STATUSES = frozenset({JobStatus.DONE, JobStatus.FAILED, JobStatus.CANCELLED})
