"""The consented social file: a person's identity and documents' references, kept by a site's
social workers with the person's consent, sealed at rest, every read traced.

Who: the social and care roles of the site that keeps the file. Halte has no "social worker"
role: the site's educators (éducateur·rice, who carry the social support in a CAARUD or HSA) are
its social workers, its nurses its care roles; reception, peers, outreach, the manager, other
sites and every network role never see a file exists (404).

What never happens: the identity in a log, a URL, an audit payload, an export, a report or the
admin. It is only ever in ``SocialFile.sealed`` (Fernet: AES-128-CBC with an HMAC), opened here
for one reader at a time, each opening written in the audit trail (who, which file; never what).
Deleted on the person's request or after the retention period (``halte.pathway.retention``)."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from halte.accounts.enums import Role
from halte.accounts.models import User
from halte.accounts.permissions import _roles_on, can_record_at
from halte.audit.services import audit_record
from halte.clients.models import Client
from halte.core.errors import ConflictError, DomainError, integrity_as_conflict
from halte.core.models import validate_fields
from halte.core.timeutils import local_today
from halte.network.models import Site
from halte.pathway.enums import DocumentKind, SocialFileEnd
from halte.pathway.models import SocialFile
from halte.pathway.permissions import reader_site_ids

# The educators are the site's social workers; the nurses its care roles.
SOCIAL_FILE_ROLES = frozenset({Role.EDUCATOR, Role.NURSE})
NAME_MAX_LENGTH = 80
REFERENCE_MAX_LENGTH = 60
MAX_DOCUMENTS = 12
CONSENT_BACKDATE = dt.timedelta(days=31)


def can_keep_social_file(user: User | AnonymousUser, site: Site) -> bool:
    """A site's social files are opened, read, corrected and deleted by its social workers
    (educators) and care roles (nurses) only: not its reception, peers, outreach or manager,
    not another site, not the network roles."""
    return can_record_at(user, site) and bool(_roles_on(user, site) & SOCIAL_FILE_ROLES)


@dataclass(frozen=True)
class Document:
    kind: str
    reference: str

    @property
    def kind_label(self) -> str:
        return str(DocumentKind(self.kind).label)


@dataclass(frozen=True)
class Identity:
    """What the file keeps, sealed. Every field is about a person: never logged or audited."""

    family_name: str
    given_names: str
    birth_date: dt.date | None = None
    documents: tuple[Document, ...] = field(default_factory=tuple)

    def to_json(self) -> bytes:
        data = asdict(self)
        data["birth_date"] = self.birth_date.isoformat() if self.birth_date else None
        return json.dumps(data, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Identity:
        data: dict[str, Any] = json.loads(raw)
        born = data.get("birth_date")
        return cls(
            family_name=data["family_name"],
            given_names=data["given_names"],
            birth_date=dt.date.fromisoformat(born) if born else None,
            documents=tuple(Document(**d) for d in data.get("documents", [])),
        )


def _fernet() -> Fernet:
    return Fernet(settings.HALTE_SOCIAL_FILE_KEY)


def seal(identity: Identity) -> str:
    """The identity encrypted for ``SocialFile.sealed`` (services and the demo generator only)."""
    return _fernet().encrypt(identity.to_json()).decode()


def _unseal(social_file: SocialFile) -> Identity:
    try:
        return Identity.from_json(_fernet().decrypt(social_file.sealed.encode()))
    except InvalidToken as exc:
        # The key changed or the row was tampered with: say so, never guess.
        raise ConflictError(
            _("Ce dossier ne peut pas être ouvert avec la clé du serveur (clé changée ?).")
        ) from exc


def _clean_text(value: str, *, field_name: str, limit: int, required: bool) -> str:
    value = " ".join((value or "").split())
    if required and not value:
        raise DomainError(_("Ce champ est obligatoire."), field=field_name)
    if len(value) > limit:
        raise DomainError(
            _("Trop long (%(max)s caractères au plus).") % {"max": limit}, field=field_name
        )
    if any(unicodedata.category(c).startswith("C") for c in value):
        raise DomainError(_("Ce champ contient un caractère invalide."), field=field_name)
    return value


def clean_identity(identity: Identity) -> Identity:
    """The identity checked and tidied (spaces), or a DomainError naming the field."""
    if identity.birth_date is not None and not (
        dt.date(1900, 1, 1) <= identity.birth_date <= local_today()
    ):
        raise DomainError(_("Date de naissance impossible."), field="birth_date")
    if len(identity.documents) > MAX_DOCUMENTS:
        raise DomainError(_("Douze documents au plus."), field="documents")
    documents = []
    for document in identity.documents:
        if document.kind not in DocumentKind.values:
            raise DomainError(_("Type de document inconnu."), field="documents")
        reference = _clean_text(
            document.reference, field_name="documents", limit=REFERENCE_MAX_LENGTH, required=True
        )
        documents.append(Document(document.kind, reference))
    return Identity(
        family_name=_clean_text(
            identity.family_name, field_name="family_name", limit=NAME_MAX_LENGTH, required=True
        ),
        given_names=_clean_text(
            identity.given_names, field_name="given_names", limit=NAME_MAX_LENGTH, required=True
        ),
        birth_date=identity.birth_date,
        documents=tuple(documents),
    )


# Reads -----------------------------------------------------------------------------------------


def social_files_for(user: User | AnonymousUser, client: Client) -> list[SocialFile]:
    """The person's social files the user may open (the files of the sites where the user is a
    social worker or care role): their purpose and consent, never their content."""
    sites = reader_site_ids(user, client)
    files = SocialFile.objects.filter(client=client, site_id__in=sites).select_related(
        "site", "consent_recorded_by"
    )
    return [f for f in files.order_by("site__name") if can_keep_social_file(user, f.site)]


def get_social_file_for_user(user: User | AnonymousUser, public_id: uuid.UUID | str) -> SocialFile:
    """A social file the user may open; 404 for anyone else (its existence included)."""
    try:
        social_file = SocialFile.objects.select_related("site", "client").get(public_id=public_id)
    except (SocialFile.DoesNotExist, ValueError) as exc:
        raise Http404("Introuvable.") from exc
    if not can_keep_social_file(user, social_file.site):
        raise Http404("Introuvable.")
    return social_file


# Writes ----------------------------------------------------------------------------------------


def _check_keeper(actor: User, site: Site) -> None:
    if not can_record_at(actor, site):
        raise Http404(_("Site introuvable."))
    if not can_keep_social_file(actor, site):
        raise DomainError(
            _("Le dossier social est tenu par les travailleurs sociaux et soignants du site.")
        )


@transaction.atomic
def social_file_open(
    *,
    actor: User,
    site: Site,
    client: Client,
    purpose: str,
    consent: bool,
    identity: Identity,
    consent_on: dt.date | None = None,
) -> SocialFile:
    """Open the person's social file at the site, with their consent (``consent`` must be
    true: it is asked, and its date and who recorded it are kept). One file per person and
    site. The audit row says a file was opened and for which purpose: nothing of the identity."""
    _check_keeper(actor, site)
    if site.pk not in reader_site_ids(actor, client):
        raise Http404(_("Personne introuvable."))
    if consent is not True:
        raise DomainError(
            _("Le dossier social ne s'ouvre qu'avec le consentement de la personne."),
            field="consent",
        )
    validate_fields(SocialFile(purpose=purpose), "purpose")
    today = local_today()
    consent_on = consent_on or today
    if not today - CONSENT_BACKDATE <= consent_on <= today:
        raise DomainError(
            _("Date du consentement impossible (aujourd'hui ou dans le mois passé)."),
            field="consent_on",
        )
    sealed = seal(clean_identity(identity))
    with integrity_as_conflict(
        _("Cette personne a déjà un dossier social sur ce site."), field="client"
    ):
        social_file = SocialFile.objects.create(
            client=client,
            site=site,
            purpose=purpose,
            consent_on=consent_on,
            consent_recorded_by=actor,
            sealed=sealed,
        )
    audit_record(
        actor=actor,
        action="social_file.opened",
        subject=social_file,
        site=site,
        payload={"purpose": purpose, "consent_on": consent_on.isoformat()},
    )
    return social_file


@transaction.atomic
def social_file_read(*, actor: User, social_file: SocialFile) -> Identity:
    """Open the file for reading: each opening is an audit row (who, which file), nothing of
    what was read."""
    _check_keeper(actor, social_file.site)
    identity = _unseal(social_file)
    audit_record(actor=actor, action="social_file.read", subject=social_file, site=social_file.site)
    return identity


@transaction.atomic
def social_file_update(
    *, actor: User, social_file: SocialFile, identity: Identity, purpose: str | None = None
) -> SocialFile:
    """Correct the identity or the documents (sealed again), or change the purpose. The audit
    row counts the documents; it never says what changed."""
    _check_keeper(actor, social_file.site)
    if purpose is not None:
        validate_fields(SocialFile(purpose=purpose), "purpose")
    cleaned = clean_identity(identity)
    social_file.sealed = seal(cleaned)
    social_file.purpose = purpose or social_file.purpose
    social_file.save(update_fields=["sealed", "purpose", "updated_at"])
    audit_record(
        actor=actor,
        action="social_file.updated",
        subject=social_file,
        site=social_file.site,
        payload={"purpose": social_file.purpose, "documents": len(cleaned.documents)},
    )
    return social_file


@transaction.atomic
def social_file_delete(
    *, actor: User | None, social_file: SocialFile, reason: str = SocialFileEnd.REQUEST
) -> None:
    """Delete the file, identity and all: on the person's request (by the site's social
    workers or care roles), or at the end of its retention period (``actor`` None: the purge).
    What remains is the audit trail, which never held the identity."""
    if actor is not None:
        _check_keeper(actor, social_file.site)
    if reason not in SocialFileEnd.values:
        raise DomainError(_("Motif de suppression inconnu."), field="reason")
    audit_record(
        actor=actor,
        action="social_file.deleted",
        subject=social_file,
        site=social_file.site,
        payload={"reason": reason},
    )
    SocialFile.objects.filter(pk=social_file.pk).delete()
