"""The person's situation, pathways after a test, accompaniments and interpreting.

Every POST honours an Idempotency-Key header (see halte.api.idempotency). The care-only answers of
a situation (resources, prison release, pregnancy) come back under ``care_only`` for care roles
only; for everyone else ``care_only`` is null: the values are never sent. Pathways tell a diagnosis:
they are read and written by care roles only (404 for anyone else). Every read of a situation or
of the pathways leaves a trace in the audit trail."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from halte.api.common import Strict, acting_user
from halte.care.models import CareAct
from halte.care.selectors import get_referral_for_user
from halte.clients.models import Client
from halte.clients.selectors import get_client_for_user
from halte.core.errors import DomainError
from halte.network.selectors import get_site_for_recording, get_site_for_user
from halte.pathway.enums import (
    AccompanimentOutcome,
    AccompanimentPlace,
    Asked,
    Coverage,
    DocumentKind,
    Housing,
    Infection,
    InterpretingMode,
    Language,
    Method,
    Place,
    Product,
    Resources,
    Route,
    SocialFilePurpose,
    Stage,
    StepOutcome,
    YesNo,
)
from halte.pathway.models import Accompaniment, Interpreting, Pathway, PathwayStep, SocialFile
from halte.pathway.permissions import can_see_pathways, can_see_sensitive_situation
from halte.pathway.selectors import (
    PathwayView,
    SituationView,
    accompaniments_for_user,
    get_pathway_for_user,
    interpretings_for_user,
    pathways_for_user,
    situation_view,
    situations_for_user,
)
from halte.pathway.services import (
    Answers,
    accompaniment_record,
    interpreting_record,
    pathway_open,
    pathway_read,
    pathway_step_record,
    situation_read,
    situation_record,
)
from halte.pathway.socialfile import (
    Document,
    Identity,
    get_social_file_for_user,
    social_file_delete,
    social_file_open,
    social_file_read,
    social_file_update,
    social_files_for,
)

router = Router(tags=["situation, parcours après dépistage, accompagnements"])


def _person(request: HttpRequest, client_id: uuid.UUID) -> Client:
    client = get_client_for_user(request.user, client_id)
    return client


class SituationIn(Strict):
    site: uuid.UUID = Field(..., description="Le site où la situation est demandée.")
    asked_on: dt.date | None = Field(
        None, description="Par défaut aujourd'hui (31 jours au plus en arrière)."
    )
    housing: Housing = Housing.NOT_ASKED
    coverage: Coverage = Coverage.NOT_ASKED
    resources: Resources = Field(Resources.NOT_ASKED, description="Équipe soignante seulement.")
    products_asked: Asked = Asked.NOT_ASKED
    products: list[Product] = Field(default_factory=list, max_length=len(Product))
    routes_asked: Asked = Asked.NOT_ASKED
    routes: list[Route] = Field(default_factory=list, max_length=len(Route))
    age_first_use_asked: Asked = Asked.NOT_ASKED
    age_first_use: int | None = None
    languages_asked: Asked = Asked.NOT_ASKED
    languages: list[Language] = Field(default_factory=list, max_length=len(Language))
    interpreter_needed: YesNo = YesNo.NOT_ASKED
    prison_release: YesNo = Field(YesNo.NOT_ASKED, description="Équipe soignante seulement.")
    pregnancy: YesNo = Field(YesNo.NOT_ASKED, description="Équipe soignante seulement.")

    def answers(self) -> Answers:
        return Answers(
            housing=self.housing,
            coverage=self.coverage,
            resources=self.resources,
            products_asked=self.products_asked,
            products=tuple(p.value for p in self.products),
            routes_asked=self.routes_asked,
            routes=tuple(r.value for r in self.routes),
            age_first_use_asked=self.age_first_use_asked,
            age_first_use=self.age_first_use,
            languages_asked=self.languages_asked,
            languages=tuple(lang.value for lang in self.languages),
            interpreter_needed=self.interpreter_needed,
            prison_release=self.prison_release,
            pregnancy=self.pregnancy,
        )


class AnswerOut(Schema):
    code: str = Field(
        ...,
        description="Le code, « not_asked », « declined », ou des codes séparés par des virgules.",
    )
    label: str


class CareOnlyOut(Schema):
    resources: AnswerOut
    prison_release: AnswerOut
    pregnancy: AnswerOut


class SituationOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    asked_on: dt.date
    site_name: str
    housing: AnswerOut
    coverage: AnswerOut
    products: AnswerOut
    routes: AnswerOut
    age_first_use: AnswerOut
    languages: AnswerOut
    interpreter_needed: AnswerOut
    care_only: CareOnlyOut | None = Field(
        None,
        description="Ressources, sortie de prison, grossesse : équipe soignante seulement, null sinon.",
    )


@router.post("/clients/{client_id}/situations", response={201: SituationOut})
def record_situation(
    request: HttpRequest, client_id: uuid.UUID, payload: SituationIn
) -> Status[SituationView]:
    """Record the person's situation of the day at a site (its front-line staff); asked again the
    same day, it replaces the day's answers. 422 when a non-care role sends a care-only answer,
    a list is empty but "answered", or an age is impossible."""
    client = _person(request, client_id)
    site = get_site_for_recording(request.user, payload.site)
    situation = situation_record(
        actor=acting_user(request),
        site=site,
        client=client,
        answers=payload.answers(),
        asked_on=payload.asked_on,
    )
    care_only = can_see_sensitive_situation(request.user, client)
    return Status(201, situation_view(situation, care_only=care_only))


@router.get("/clients/{client_id}/situations", response=list[SituationOut])
def list_situations(request: HttpRequest, client_id: uuid.UUID) -> list[SituationView]:
    """The person's situations, latest first (staff of the person's sites; 404 for others)."""
    client = _person(request, client_id)
    rows = situations_for_user(request.user, client)
    situation_read(
        actor=acting_user(request),
        client=client,
        sensitive=can_see_sensitive_situation(request.user, client),
        site=None,
    )
    return rows


class StepOut(Schema):
    stage: str
    done_on: dt.date
    method: str
    outcome: str
    place: str
    place_site: uuid.UUID | None
    referral: uuid.UUID | None

    @staticmethod
    def resolve_place_site(step: PathwayStep) -> uuid.UUID | None:
        return step.place_site.public_id if step.place_site else None

    @staticmethod
    def resolve_referral(step: PathwayStep) -> uuid.UUID | None:
        return step.referral.public_id if step.referral else None


class PathwayOut(Schema):
    id: uuid.UUID
    site: uuid.UUID
    infection: str
    tested_on: dt.date
    screening: uuid.UUID | None
    finished: bool
    steps: list[StepOut]


def _pathway_out(view: PathwayView) -> dict[str, object]:
    p = view.pathway
    screening: CareAct | None = p.screening
    return {
        "id": p.public_id,
        "site": p.site.public_id,
        "infection": p.infection,
        "tested_on": p.tested_on,
        "screening": screening.public_id if screening else None,
        "finished": view.finished,
        "steps": view.steps,
    }


def _one(request: HttpRequest, pathway: Pathway) -> dict[str, object]:
    views = [
        v for v in pathways_for_user(request.user, pathway.client) if v.pathway.pk == pathway.pk
    ]
    return _pathway_out(views[0])


class PathwayIn(Strict):
    site: uuid.UUID
    client: uuid.UUID
    infection: Infection
    screening: uuid.UUID | None = Field(None, description="Le dépistage positif enregistré ici.")
    tested_on: dt.date | None = Field(None, description="La date d'un dépistage fait ailleurs.")


@router.post("/pathways", response={201: PathwayOut})
def open_pathway(request: HttpRequest, payload: PathwayIn) -> Status[dict[str, object]]:
    """Open a pathway after a positive test (care roles of the site). 422 for a test that is not
    positive, not this person's, or already followed; one pathway at a time per infection."""
    site = get_site_for_recording(request.user, payload.site)
    client = _person(request, payload.client)
    screening = None
    if payload.screening:
        screening = CareAct.objects.filter(
            public_id=payload.screening, site=site, client=client
        ).first()
        if screening is None:
            raise DomainError(
                _("Dépistage introuvable pour cette personne ici."), field="screening"
            )
    pathway = pathway_open(
        actor=acting_user(request),
        site=site,
        client=client,
        infection=payload.infection,
        screening=screening,
        tested_on=payload.tested_on,
    )
    return Status(201, _one(request, pathway))


class StepIn(Strict):
    stage: Stage
    place: Place
    done_on: dt.date | None = None
    method: Method | None = None
    outcome: StepOutcome | None = None
    place_site: uuid.UUID | None = None
    referral: uuid.UUID | None = Field(None, description="L'orientation qui y a mené.")


@router.post("/pathways/{pathway_id}/steps", response={201: PathwayOut})
def record_step(
    request: HttpRequest, pathway_id: uuid.UUID, payload: StepIn
) -> Status[dict[str, object]]:
    """Record the next step of a pathway: in order, once each, with its date and place."""
    pathway = get_pathway_for_user(request.user, pathway_id)
    place_site = get_site_for_user(request.user, payload.place_site) if payload.place_site else None
    referral = get_referral_for_user(request.user, payload.referral) if payload.referral else None
    pathway_step_record(
        actor=acting_user(request),
        pathway=pathway,
        stage=payload.stage,
        place=payload.place,
        done_on=payload.done_on,
        method=payload.method or "",
        outcome=payload.outcome or "",
        place_site=place_site,
        referral=referral,
    )
    return Status(201, _one(request, pathway))


@router.get("/clients/{client_id}/pathways", response=list[PathwayOut])
def list_pathways(request: HttpRequest, client_id: uuid.UUID) -> list[dict[str, object]]:
    """The person's pathways (care roles of the person's sites; 404 for anyone else)."""
    client = _person(request, client_id)
    rows = pathways_for_user(request.user, client)
    if can_see_pathways(request.user, client):
        pathway_read(actor=acting_user(request), client=client, site=None)
    return [_pathway_out(v) for v in rows]


class AccompanimentIn(Strict):
    site: uuid.UUID
    client: uuid.UUID
    place: AccompanimentPlace
    minutes: int = Field(..., ge=5, le=720)
    outcome: AccompanimentOutcome
    role: str | None = Field(None, description="Le rôle de qui a accompagné ; le sien par défaut.")
    done_on: dt.date | None = None
    referral: uuid.UUID | None = None


class AccompanimentOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    site: uuid.UUID = Field(alias="site.public_id")
    done_on: dt.date
    role: str
    place: str
    minutes: int
    outcome: str


@router.post("/accompaniments", response={201: AccompanimentOut})
def record_accompaniment(request: HttpRequest, payload: AccompanimentIn) -> Status[Accompaniment]:
    """Record an accompaniment (front-line staff of the site): where, by which role, how long."""
    site = get_site_for_recording(request.user, payload.site)
    client = _person(request, payload.client)
    referral = get_referral_for_user(request.user, payload.referral) if payload.referral else None
    accompaniment = accompaniment_record(
        actor=acting_user(request),
        site=site,
        client=client,
        place=payload.place,
        minutes=payload.minutes,
        outcome=payload.outcome,
        role=payload.role,
        done_on=payload.done_on,
        referral=referral,
    )
    return Status(201, accompaniment)


@router.get("/clients/{client_id}/accompaniments", response=list[AccompanimentOut])
def list_accompaniments(request: HttpRequest, client_id: uuid.UUID) -> list[Accompaniment]:
    """The person's accompaniments at the user's sites among the person's (404 for others)."""
    return accompaniments_for_user(request.user, _person(request, client_id))


class InterpretingIn(Strict):
    site: uuid.UUID
    client: uuid.UUID
    language: Language
    mode: InterpretingMode
    minutes: int | None = Field(None, ge=1, le=480)
    done_on: dt.date | None = None


class InterpretingOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    site: uuid.UUID = Field(alias="site.public_id")
    done_on: dt.date
    language: str
    mode: str
    minutes: int | None


@router.post("/interpretings", response={201: InterpretingOut})
def record_interpreting(request: HttpRequest, payload: InterpretingIn) -> Status[Interpreting]:
    """Record interpreting given to the person (front-line staff of the site)."""
    site = get_site_for_recording(request.user, payload.site)
    interpreting = interpreting_record(
        actor=acting_user(request),
        site=site,
        client=_person(request, payload.client),
        language=payload.language,
        mode=payload.mode,
        minutes=payload.minutes,
        done_on=payload.done_on,
    )
    return Status(201, interpreting)


@router.get("/clients/{client_id}/interpretings", response=list[InterpretingOut])
def list_interpretings(request: HttpRequest, client_id: uuid.UUID) -> list[Interpreting]:
    return interpretings_for_user(request.user, _person(request, client_id))


# The consented social file ---------------------------------------------------------------------
# The identity is sent in the body of a POST and answered only by GET /social-files/{id} (each
# answer traced in the audit trail). POST answers carry no identity: an Idempotency-Key replay
# keeps the answer in the database, and that copy must hold nothing to protect.


class DocumentIn(Strict):
    kind: DocumentKind
    reference: str = Field(..., min_length=1, max_length=60)


class SocialIdentityIn(Strict):
    family_name: str = Field(..., min_length=1, max_length=80)
    given_names: str = Field(..., min_length=1, max_length=80)
    birth_date: dt.date | None = None
    documents: list[DocumentIn] = Field(default_factory=list, max_length=12)

    def identity(self) -> Identity:
        return Identity(
            family_name=self.family_name,
            given_names=self.given_names,
            birth_date=self.birth_date,
            documents=tuple(Document(d.kind.value, d.reference) for d in self.documents),
        )


class SocialFileIn(Strict):
    site: uuid.UUID
    purpose: SocialFilePurpose
    consent: bool = Field(..., description="La personne a donné son accord (obligatoire).")
    consent_on: dt.date | None = Field(None, description="Par défaut aujourd'hui.")
    identity: SocialIdentityIn


class SocialFileUpdateIn(Strict):
    purpose: SocialFilePurpose | None = None
    identity: SocialIdentityIn


class SocialFileOut(Schema):
    id: uuid.UUID = Field(alias="public_id")
    site: uuid.UUID = Field(alias="site.public_id")
    client: uuid.UUID = Field(alias="client.public_id")
    purpose: str
    consent_on: dt.date


class DocumentOut(Schema):
    kind: str
    reference: str


class IdentityOut(Schema):
    family_name: str
    given_names: str
    birth_date: dt.date | None
    documents: list[DocumentOut]


class SocialFileReadOut(Schema):
    id: uuid.UUID
    site: uuid.UUID
    client: uuid.UUID
    purpose: str
    consent_on: dt.date
    identity: IdentityOut


@router.post("/clients/{client_id}/social-files", response={201: SocialFileOut})
def open_social_file(
    request: HttpRequest, client_id: uuid.UUID, payload: SocialFileIn
) -> Status[SocialFile]:
    """Open the person's social file at a site, with their consent (``consent`` true; its date
    and who recorded it are kept): the site's social workers (educators) and care roles only.
    409 if the person already has one at that site."""
    site = get_site_for_recording(request.user, payload.site)
    made = social_file_open(
        actor=acting_user(request),
        site=site,
        client=_person(request, client_id),
        purpose=payload.purpose.value,
        consent=payload.consent,
        consent_on=payload.consent_on,
        identity=payload.identity.identity(),
    )
    return Status(201, made)


@router.get("/clients/{client_id}/social-files", response=list[SocialFileOut])
def list_social_files(request: HttpRequest, client_id: uuid.UUID) -> list[SocialFile]:
    """The person's social files the user keeps: purpose and consent, never the identity."""
    return social_files_for(request.user, _person(request, client_id))


@router.get("/social-files/{file_id}", response=SocialFileReadOut)
def read_social_file(request: HttpRequest, file_id: uuid.UUID) -> dict[str, object]:
    """The file with its identity: each read is an audit row (who, which file)."""
    found = get_social_file_for_user(request.user, file_id)
    identity = social_file_read(actor=acting_user(request), social_file=found)
    return {
        "id": found.public_id,
        "site": found.site.public_id,
        "client": found.client.public_id,
        "purpose": found.purpose,
        "consent_on": found.consent_on,
        "identity": identity,
    }


@router.post("/social-files/{file_id}/identity", response=SocialFileOut)
def update_social_file(
    request: HttpRequest, file_id: uuid.UUID, payload: SocialFileUpdateIn
) -> SocialFile:
    """Replace the identity and documents (sealed again), or change the purpose."""
    found = get_social_file_for_user(request.user, file_id)
    return social_file_update(
        actor=acting_user(request),
        social_file=found,
        identity=payload.identity.identity(),
        purpose=payload.purpose.value if payload.purpose else None,
    )


class DeletedOut(Schema):
    deleted: bool


@router.post("/social-files/{file_id}/delete", response=DeletedOut)
def delete_social_file(request: HttpRequest, file_id: uuid.UUID) -> dict[str, bool]:
    """Delete the file on the person's request: identity and documents are gone for good."""
    found = get_social_file_for_user(request.user, file_id)
    social_file_delete(actor=acting_user(request), social_file=found)
    return {"deleted": True}
