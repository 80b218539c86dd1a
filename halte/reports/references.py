"""The official references of the four report frameworks, item by item.

Each reference lists its items in its own order and words; each item names the indicator codes
that fill it or, when Halte cannot fill it, why. The frameworks' sections (``frameworks.py``) are
built from these lists, the exports show every item (a "ne peut pas être rempli" row for those
without an indicator), and the tables of docs/reports.md are generated from them
(``manage.py reference_tables``; a test checks that the documentation matches the code).

Sources (docs/domain.md):
- ASA-CAARUD: the structure of OFDT's analyses of the standardised annual activity reports
  (OFDT, "Les CAARUD en 2006 et 2007", Dec. 2009; "Les CAARUD en 2014", 2015; note 2020-07), §1.6,
  §1.7 and the indicator list §7. The current official ASA form's exact fields are unverified
  (§9.3): the items follow the groups the OFDT analyses publish.
- HSA: the national specification approved by the arrêté of 26 January 2022 (JO 23 Feb. 2022) and,
  for its evaluation, the criteria of the evaluation annex (§1.2–1.3, §1.6, §3). The annual report's
  official template is unverified: the items follow the specification's missions and the annex.
- Plan crack: the board of the "plan de mobilisation coordonnée sur la problématique du crack à
  Paris" (27 May 2019, 33 actions) and its audit (Cour des comptes / CRC Île-de-France, Dec. 2021),
  §4.2 and §7 M.
- Monthly report: the lines of Health Canada's monthly supervised-consumption-site reporting as
  described in docs/reports.md (unique people, new people, visits, consumption by method and
  substance, adverse events and interventions, services and referrals); the exact form is
  unverified here."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from halte.reports.enums import Framework


@dataclass(frozen=True)
class Item:
    """One item of a reference: its number and words; the indicators that fill it, or the reason
    it cannot be filled (with codes, ``reason`` says what part stays unfilled)."""

    number: str
    words: str | Promise
    codes: tuple[str, ...] = ()
    reason: str | Promise = ""

    @property
    def fillable(self) -> bool:
        return bool(self.codes)


@dataclass(frozen=True)
class Part:
    """A group of items; ``key`` names the report's section (stable: screens and tests use it)."""

    key: str
    title: str | Promise
    items: tuple[Item, ...]
    note: str | Promise = ""


@dataclass(frozen=True)
class Reference:
    framework: str
    document: str | Promise
    caveat: str | Promise
    parts: tuple[Part, ...]

    def items(self) -> list[tuple[Part, Item]]:
        return [(part, item) for part in self.parts for item in part.items]

    def codes(self) -> list[str]:
        """Every indicator code the reference uses, once, in order."""
        seen: dict[str, None] = {}
        for _part, item in self.items():
            for code in item.codes:
                seen.setdefault(code, None)
        return list(seen)


NOT_RECORDED = _("Halte n'enregistre pas cette activité.")

ASA_CAARUD = Reference(
    Framework.ASA_CAARUD,
    _(
        "OFDT, analyses nationales des rapports d'activité annuels standardisés des CAARUD "
        "(ASA-CAARUD) : « Les CAARUD en 2006 et 2007 » (déc. 2009), « Les CAARUD en 2014 » "
        "(2015), « Les CAARUD : évolutions récentes (2014-2018) » (note 2020-07)."
    ),
    _(
        "Les champs exacts du formulaire ASA-CAARUD en vigueur ne sont pas vérifiés (modèle "
        "officiel à obtenir auprès de l'ARS ou de la DGS) : les éléments suivent les groupes "
        "publiés par les analyses de l'OFDT."
    ),
    (
        Part(
            "organisation",
            _("1. Organisation générale"),
            (
                Item("1.1", _("Nombre et implantation des sites et antennes"), ("sites",)),
                Item(
                    "1.2",
                    _("Modalités d'intervention : local fixe, unité mobile"),
                    ("places",),
                    _("Les sites par type (local fixe, unité mobile) : élément 1.1."),
                ),
                Item(
                    "1.3",
                    _("Modalités d'intervention : travail de rue, maraudes"),
                    ("outreach_rounds", "outreach_contacts", "outreach_new_people", "head_counts"),
                ),
                Item(
                    "1.4",
                    _("Modalités d'intervention : squats, permanences extérieures, prison"),
                    reason=NOT_RECORDED,
                ),
                Item(
                    "1.5",
                    _("Horaires et jours d'ouverture"),
                    ("hours_per_week", "days_with_activity"),
                ),
                Item("1.6", _("Personnel (ETP par profession)"), ("staff_fte", "staff_sites")),
                Item("1.7", _("Financement (budget)"), ("funding",)),
            ),
        ),
        Part(
            "people",
            _("2. Personnes accueillies"),
            (
                Item("2.1", _("File active annuelle (personnes distinctes)"), ("file_active",)),
                Item("2.2", _("Part des nouvelles personnes dans l'année"), ("new_people",)),
                Item("2.3", _("Sexe"), ("people_by_sex", "share_women")),
                Item("2.4", _("Tranches d'âge"), ("age_groups", "median_age")),
                Item(
                    "2.5",
                    _("Fréquence des contacts"),
                    ("visits", "anonymous_contacts", "contacts_per_person"),
                ),
                Item(
                    "2.6",
                    _("Profil d'usage : produits, voies d'administration"),
                    ("situation_people", "situation_products", "situation_routes"),
                ),
                Item(
                    "2.7",
                    _("Précarité : logement"),
                    ("situation_housing", "share_without_housing"),
                ),
                Item(
                    "2.8",
                    _("Couverture sociale"),
                    ("situation_coverage", "share_without_coverage"),
                ),
            ),
        ),
        Part(
            "services",
            _("3. Services et prestations"),
            (
                Item(
                    "3.1",
                    _("Mesures d'accueil : collation, douche, laverie, bagagerie"),
                    ("visits_by_purpose", "visits_per_day", "visits_peak_day"),
                    _("La bagagerie n'est pas enregistrée."),
                ),
                Item(
                    "3.2",
                    _("Éducation à la santé, conseils de réduction des risques"),
                    ("care_acts",),
                    _(
                        "Seules les formations à la naloxone sont enregistrées ; les conseils "
                        "donnés à l'accueil ne le sont pas."
                    ),
                ),
                Item("3.3", _("Soins de première nécessité, soins infirmiers"), ("care_acts",)),
                Item(
                    "3.4",
                    _("Dépistage (TROD VIH, VHC, VHB)"),
                    ("screenings", "screening_positives", "pathways_opened", "hcv_cascade"),
                ),
                Item("3.5", _("Vaccination"), ("vaccinations",)),
                Item(
                    "3.6",
                    _("Orientation vers le soin"),
                    ("referrals", "referrals_treatment", "referral_completion"),
                ),
                Item(
                    "3.7",
                    _(
                        "Accès aux droits et insertion : couverture sociale, logement, papiers, "
                        "domiciliation"
                    ),
                    ("social_acts", "accompaniments", "accompaniment_hours", "interpretings"),
                ),
                Item(
                    "3.8",
                    _(
                        "Mise à disposition de matériel de prévention : seringues, trousses, "
                        "matériel d'inhalation, de sniff, préservatifs, naloxone"
                    ),
                    ("material_given", "syringe_equivalents_given", "syringe_coverage"),
                ),
                Item(
                    "3.9",
                    _("Récupération du matériel usagé"),
                    ("material_returned", "syringe_return_rate"),
                ),
            ),
        ),
        Part(
            "mediation",
            _("4. Interventions en milieu festif et médiation sociale"),
            (
                Item("4.1", _("Interventions en milieu festif"), reason=NOT_RECORDED),
                Item(
                    "4.2",
                    _("Médiation avec les riverains : tournées, rencontres"),
                    ("mediation_rounds", "residents_met"),
                ),
                Item(
                    "4.3",
                    _("Comités de voisinage et leurs décisions"),
                    ("committees_held", "decisions_done", "decisions_overdue"),
                ),
                Item(
                    "4.4",
                    _("Ramassage du matériel dans l'espace public"),
                    ("pickup_rounds", "pickups_items", "pickups_by_item"),
                ),
                Item(
                    "4.5",
                    _("Consommations et regroupements dans l'espace public"),
                    ("public_consumption_seen", "gatherings_seen"),
                ),
                Item(
                    "4.6",
                    _("Signalements des riverains"),
                    (
                        "neighbourhood_reports",
                        "neighbourhood_reports_by_kind",
                        "report_answer_hours",
                    ),
                ),
            ),
            _(
                "Tournées, ramassages et signalements enregistrés par les équipes du site "
                "(signalements : ceux qui lui ont été attribués)."
            ),
        ),
    ),
)

SAFETY_ITEMS = (
    Item(
        "4.1",
        _("Surdoses et urgences médicales"),
        (
            "opioid_overdoses",
            "stimulant_toxicities",
            "opioid_overdoses_per_1000",
            "stimulant_toxicities_per_1000",
            "incidents_by_kind",
        ),
    ),
    Item("4.2", _("Administrations de naloxone"), ("incidents_naloxone", "incidents_doses")),
    Item(
        "4.3",
        _("Appels au SAMU et transferts aux urgences"),
        ("incidents_calls", "incidents_transfers"),
    ),
    Item("4.4", _("Décès (objectif : aucun)"), ("incidents_deaths",)),
)

HSA_ANNUAL = Reference(
    Framework.HSA_ANNUAL,
    _(
        "Cahier des charges national des haltes « soins addictions », approuvé par l'arrêté du "
        "26 janvier 2022 (JO du 23 février 2022), et les critères de son évaluation (annexe)."
    ),
    _(
        "Le modèle officiel du rapport annuel n'est pas vérifié : les éléments suivent les "
        "missions du cahier des charges (accueil, usage supervisé, accès aux soins, réduction des "
        "risques, orientation, relations avec le voisinage) et les critères de l'évaluation."
    ),
    (
        Part(
            "organisation",
            _("1. Fonctionnement et moyens"),
            (
                Item(
                    "1.1",
                    _("Ouverture tous les jours, au moins une demi-journée (4 à 7 heures)"),
                    ("hours_per_week", "days_with_activity"),
                ),
                Item(
                    "1.2",
                    _("Espaces : postes de consommation, espace de repos"),
                    ("sites", "places"),
                ),
                Item("1.3", _("Équipe pluridisciplinaire (ETP)"), ("staff_fte", "staff_sites")),
                Item(
                    "1.4",
                    _("Financement et coûts"),
                    ("funding", "cost_per_visit", "cost_per_place"),
                ),
            ),
        ),
        Part(
            "people",
            _("2. Public accueilli"),
            (
                Item(
                    "2.1",
                    _("Usagers majeurs, vulnérables et cumulant les risques : file active"),
                    ("file_active", "new_people"),
                ),
                Item(
                    "2.2",
                    _("Sexe et âge"),
                    ("people_by_sex", "share_women", "median_age", "age_groups"),
                ),
                Item(
                    "2.3",
                    _("Précarité : logement, couverture santé"),
                    (
                        "situation_people",
                        "situation_housing",
                        "share_without_housing",
                        "situation_coverage",
                        "share_without_coverage",
                    ),
                ),
                Item(
                    "2.4",
                    _("Produits et voies de consommation déclarés"),
                    ("situation_products", "situation_routes"),
                ),
            ),
        ),
        Part(
            "consumption",
            _("3. Usage supervisé"),
            (
                Item(
                    "3.1",
                    _("Passages"),
                    ("visits", "visits_per_day", "visits_peak_day", "contacts_per_person"),
                ),
                Item(
                    "3.2",
                    _(
                        "Consommations supervisées par voie (injection, inhalation, voie nasale) "
                        "et par produit"
                    ),
                    (
                        "sessions",
                        "sessions_per_day",
                        "sessions_by_route",
                        "sessions_by_product",
                        "sessions_several_products",
                    ),
                ),
                Item(
                    "3.3",
                    _("Une consommation par passage : durée, occupation des postes"),
                    ("session_duration", "booth_occupancy", "sessions_led_by_peers"),
                ),
                Item("3.4", _("Espace de repos avant la sortie"), ("watch_minutes",)),
                Item(
                    "3.5",
                    _("Accès refusé et attentes (mineurs, exclusions, capacité)"),
                    (
                        "refusals",
                        "refusals_by_reason",
                        "saturation_by_hour",
                        "waits",
                        "waits_given_up",
                        "wait_minutes",
                    ),
                ),
            ),
        ),
        Part("safety", _("4. Sécurité et urgences"), SAFETY_ITEMS),
        Part(
            "care",
            _("5. Accès aux soins et accompagnement"),
            (
                Item("5.1", _("Soins infirmiers et consultations médicales"), ("care_acts",)),
                Item(
                    "5.2",
                    _("Dépistage (VIH, VHB, VHC) et parcours après un résultat positif"),
                    ("screenings", "screening_positives", "pathways_opened", "hcv_cascade"),
                ),
                Item("5.3", _("Vaccination"), ("vaccinations",)),
                Item(
                    "5.4",
                    _("Accompagnement social et accès aux droits"),
                    ("social_acts", "accompaniments", "accompaniment_hours", "interpretings"),
                ),
                Item(
                    "5.5",
                    _("Orientation vers les structures de soin et médico-sociales"),
                    ("referrals", "referrals_treatment", "referral_completion"),
                ),
            ),
        ),
        Part(
            "material",
            _("6. Matériel stérile et récupération"),
            (
                Item(
                    "6.1",
                    _("Matériel stérile remis"),
                    ("material_given", "syringe_equivalents_given", "syringe_coverage"),
                ),
                Item(
                    "6.2",
                    _("Matériel usagé récupéré"),
                    ("material_returned", "syringe_return_rate"),
                ),
            ),
        ),
        Part(
            "drug_checking",
            _("7. Veille : analyse de produits et alertes"),
            (
                Item(
                    "7.1",
                    _("Échantillons collectés et résultats"),
                    (
                        "samples_collected",
                        "samples_by_circumstance",
                        "sample_results",
                        "results_by_substance",
                    ),
                ),
                Item("7.2", _("Alertes produits émises"), ("alerts_issued",)),
            ),
        ),
        Part(
            "environment",
            _("8. Relations avec le voisinage et tranquillité publique"),
            (
                Item(
                    "8.1",
                    _("Seringues et matériel retrouvés aux abords"),
                    ("pickups_items", "pickups_syringes"),
                ),
                Item(
                    "8.2",
                    _("Consommations et regroupements dans l'espace public"),
                    ("public_consumption_seen", "gatherings_seen"),
                ),
                Item(
                    "8.3",
                    _("Plaintes et signalements des riverains"),
                    (
                        "neighbourhood_reports",
                        "neighbourhood_reports_by_kind",
                        "report_answer_hours",
                    ),
                ),
                Item("8.4", _("Tournées de médiation"), ("mediation_rounds",)),
                Item(
                    "8.5",
                    _("Comité de voisinage"),
                    ("committees_held", "decisions_done", "decisions_overdue"),
                ),
            ),
            _(
                "Ce que les équipes du site ont ramassé, constaté et reçu comme signalements "
                "(ceux qui lui ont été attribués) ; le tableau des abords du site compte ce qui "
                "s'est passé dans son périmètre."
            ),
        ),
        Part(
            "evaluation",
            _("9. Évaluation (annexe) : critères de l'évaluation"),
            (
                Item(
                    "9.1",
                    _("Réduction des pratiques à risque de transmission du VHC et du VIH"),
                    reason=_(
                        "Mesurée par la cohorte de l'évaluation (questionnaires individuels à "
                        "l'inclusion, à 6 et 12 mois) : Halte n'enregistre pas les pratiques "
                        "d'une personne."
                    ),
                ),
                Item(
                    "9.2",
                    _("Santé mentale"),
                    reason=_("Donnée individuelle de la cohorte, non enregistrée par Halte."),
                ),
                Item(
                    "9.3",
                    _("Insertion socio-professionnelle"),
                    reason=_("Donnée individuelle de la cohorte, non enregistrée par Halte."),
                ),
                Item(
                    "9.4",
                    _("Accès au logement"),
                    ("situation_housing", "share_without_housing"),
                    _("Situation déclarée au moment où elle est demandée, pas son évolution."),
                ),
                Item(
                    "9.5",
                    _("Réduction de la délinquance"),
                    reason=_(
                        "Statistiques de police et de justice : hors des données d'un réseau "
                        "de soins."
                    ),
                ),
                Item(
                    "9.6",
                    _("Accès aux soins"),
                    ("referrals_treatment", "referral_completion", "hcv_cascade"),
                ),
            ),
        ),
    ),
)

PLAN_CRACK = Reference(
    Framework.PLAN_CRACK,
    _(
        "Plan de mobilisation coordonnée sur la problématique du crack à Paris (27 mai 2019, "
        "33 actions) ; Cour des comptes / CRC Île-de-France, « La mise en œuvre du plan crack "
        "à Paris » (déc. 2021)."
    ),
    _(
        "Le tableau de bord officiel du comité de pilotage n'est pas publié : les éléments suivent "
        "les actions annoncées au lancement du plan et les points suivis par la Cour des comptes."
    ),
    (
        Part(
            "lodging",
            _("1. Hébergement et mise à l'abri (places d'hôtel, ASSORE)"),
            (
                Item(
                    "1.1",
                    _("Nuitées et taux d'occupation"),
                    ("bed_nights", "bed_occupancy", "cost_per_night"),
                ),
                Item("1.2", _("Personnes hébergées"), ("people_housed",)),
                Item("1.3", _("Sorties d'hébergement"), ("stay_exits",)),
            ),
        ),
        Part(
            "attendance",
            _("2. Espaces de repos et accueil"),
            (
                Item(
                    "2.1",
                    _("Fréquentation des espaces de repos"),
                    ("visits", "file_active", "visits_per_day"),
                ),
            ),
        ),
        Part(
            "outreach",
            _("3. Maraudes renforcées (rue et métro)"),
            (
                Item(
                    "3.1",
                    _("Maraudes et personnes rencontrées"),
                    ("outreach_rounds", "outreach_contacts", "outreach_new_people"),
                ),
                Item(
                    "3.2", _("Personnes présentes sur les lieux de regroupement"), ("head_counts",)
                ),
            ),
        ),
        Part(
            "evacuations",
            _("4. Évacuations des lieux de regroupement"),
            (
                Item("4.1", _("Évacuations"), ("evacuations",)),
                Item(
                    "4.2",
                    _("Suivi des personnes orientées : revues à 7, 30 et 90 jours"),
                    ("evacuation_followup",),
                ),
            ),
        ),
        Part(
            "public_space",
            _("5. Espace public et médiation avec les riverains"),
            (
                Item(
                    "5.1",
                    _("Équipe de médiation pour les riverains"),
                    ("mediation_rounds", "residents_met"),
                ),
                Item(
                    "5.2",
                    _("Matériel ramassé, consommations constatées, signalements"),
                    ("pickups_items", "public_consumption_seen", "neighbourhood_reports"),
                ),
                Item(
                    "5.3",
                    _("Groupe de police spécialisé"),
                    reason=_("Action de la préfecture de police : hors des données du réseau."),
                ),
            ),
        ),
        Part(
            "actions",
            _("6. Actions du plan"),
            (
                Item(
                    "6.1",
                    _("Actions mises en œuvre (sur 33)"),
                    ("plan_actions", "plan_actions_done", "plan_actions_overdue"),
                ),
            ),
        ),
        Part(
            "means",
            _("7. Financement"),
            (
                Item(
                    "7.1",
                    _("Dépenses contre budget prévu, par année"),
                    ("plan_budget_by_year",),
                ),
                Item("7.2", _("Financements des sites par financeur"), ("funding",)),
            ),
        ),
    ),
)

MONTHLY_SCS = Reference(
    Framework.MONTHLY_SCS,
    _(
        "Santé Canada, rapport mensuel des sites de consommation supervisée (lignes décrites "
        "dans docs/reports.md)."
    ),
    _(
        "Le libellé exact du formulaire de Santé Canada n'est pas vérifié ici : les éléments "
        "suivent ses lignes (personnes, visites, consommations par mode et substance, événements "
        "indésirables et interventions, services et orientations)."
    ),
    (
        Part(
            "attendance",
            _("1. Personnes et visites"),
            (
                Item("1.1", _("Visites"), ("visits", "visits_per_day", "anonymous_contacts")),
                Item("1.2", _("Personnes uniques"), ("file_active",)),
                Item("1.3", _("Nouvelles personnes"), ("new_people",)),
                Item("1.4", _("Genre"), ("people_by_sex", "share_women")),
                Item("1.5", _("Âge"), ("age_groups",)),
            ),
        ),
        Part(
            "consumption",
            _("2. Consommations"),
            (
                Item(
                    "2.1",
                    _("Consommations par mode (injection, inhalation, voie nasale, voie orale)"),
                    ("sessions", "sessions_by_route"),
                ),
                Item("2.2", _("Substances consommées"), ("sessions_by_product",)),
                Item("2.3", _("Occupation des postes"), ("booth_occupancy",)),
            ),
        ),
        Part(
            "safety",
            _("3. Événements indésirables et interventions"),
            (
                Item(
                    "3.1",
                    _("Surdoses et autres événements médicaux"),
                    (
                        "opioid_overdoses",
                        "stimulant_toxicities",
                        "opioid_overdoses_per_1000",
                        "stimulant_toxicities_per_1000",
                        "incidents_by_kind",
                    ),
                ),
                Item(
                    "3.2",
                    _("Interventions : naloxone, appels aux services d'urgence, transferts"),
                    (
                        "incidents_naloxone",
                        "incidents_doses",
                        "incidents_calls",
                        "incidents_transfers",
                    ),
                ),
                Item("3.3", _("Décès"), ("incidents_deaths",)),
            ),
        ),
        Part(
            "services",
            _("4. Services et orientations"),
            (
                Item(
                    "4.1",
                    _("Services offerts sur place"),
                    ("care_acts", "screenings", "social_acts"),
                ),
                Item("4.2", _("Orientations"), ("referrals", "referrals_treatment")),
            ),
        ),
        Part(
            "room",
            _("5. Refus et attentes (complément du réseau, hors lignes de Santé Canada)"),
            (
                Item(
                    "5.1",
                    _("Personnes refusées et attentes"),
                    (
                        "refusals",
                        "refusals_by_reason",
                        "saturation_by_hour",
                        "waits",
                        "waits_given_up",
                        "wait_minutes",
                    ),
                ),
            ),
        ),
    ),
)

REFERENCES: dict[str, Reference] = {
    r.framework: r for r in (ASA_CAARUD, HSA_ANNUAL, PLAN_CRACK, MONTHLY_SCS)
}


DOC_START = "<!-- reference-tables:start (generated: manage.py reference_tables --write) -->"
DOC_END = "<!-- reference-tables:end -->"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def markdown_tables(labels: dict[str, str]) -> str:
    """docs/reports.md's tables of every reference, item by item (``labels``: indicator code →
    label; a code missing there is marked "not yet available")."""
    out: list[str] = []
    for reference in REFERENCES.values():
        items = reference.items()
        filled = sum(1 for _part, item in items if item.fillable)
        out += [
            f"### `{reference.framework}`: {Framework(reference.framework).label}",
            "",
            f"Source: {reference.document}",
            "",
            f"Réserve : {reference.caveat}",
            "",
            f"{filled} of {len(items)} items filled ({round(100 * filled / len(items))} %).",
            "",
            "| section | n° | élément du référentiel | indicateurs | ne peut pas être rempli / "
            "non couvert |",
            "|---|---|---|---|---|",
        ]
        for part, item in items:
            codes = ", ".join(
                f"`{c}` ({labels[c]})" if c in labels else f"`{c}` (pas encore disponible)"
                for c in item.codes
            )
            out.append(
                f"| {_cell(part.title)} | {item.number} | {_cell(item.words)} | {codes} | "
                f"{_cell(item.reason)} |"
            )
        out.append("")
    return "\n".join([DOC_START, "", *out, DOC_END])


def replace_tables(document: str, tables: str) -> str:
    """``document`` with its generated block replaced by ``tables``."""
    start, end = document.index(DOC_START), document.index(DOC_END) + len(DOC_END)
    return document[:start] + tables + document[end:]
