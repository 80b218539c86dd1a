"""Who sees which background jobs. Each predicate states its rule; views and services ask them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser

from halte.accounts.enums import Role
from halte.accounts.permissions import network_roles

if TYPE_CHECKING:
    from halte.accounts.models import User
    from halte.jobs.models import Job


def can_see_all_jobs(user: User | AnonymousUser) -> bool:
    """Coordinators and admins watch every job of the network (solves, exports, nightly work)."""
    return bool(network_roles(user) & {Role.COORDINATOR, Role.ADMIN})


def can_see_job(user: User | AnonymousUser, job: Job) -> bool:
    """A job is seen by who asked for it, and by coordinators and admins."""
    if not user.is_authenticated:
        return False
    return job.requested_by_id == user.pk or can_see_all_jobs(user)
