"""The default material catalogue (the official list of harm-reduction material), put back by a
``post_migrate`` receiver whenever the catalogue is empty: a flushed database (``manage.py
flush``, the tests that run in transactions) would otherwise lose what the data migration
``care/0005`` seeded. The migration keeps its own frozen copy; this one may grow with the code."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.apps.registry import Apps

# code, label, category, syringe equivalents of one unit, collected, tracks lots
ITEMS = [
    ("syringe_1ml", "Seringue 1 ml", "injection", 1, False, False),
    ("syringe_2ml", "Seringue 2 ml", "injection", 1, False, False),
    ("needle_21g", "Aiguille 21G (verte)", "injection", 0, False, False),
    ("needle_23g", "Aiguille 23G (bleue)", "injection", 0, False, False),
    ("needle_25g", "Aiguille 25G (orange)", "injection", 0, False, False),
    ("needle_26g", "Aiguille 26G (marron)", "injection", 0, False, False),
    ("needle_30g", "Aiguille 30G (jaune)", "injection", 0, False, False),
    ("injection_kit", "Kit d'injection (Stéribox)", "injection", 0, False, False),
    ("kit_plus", "Kit+ (trousse d'injection)", "injection", 0, False, False),
    ("cup", "Cupule (Stéricup)", "injection", 0, False, False),
    ("filter", "Filtre coton", "injection", 0, False, False),
    ("sterifilt", "Filtre Stérifilt", "injection", 0, False, False),
    ("water", "Ampoule d'eau", "injection", 0, False, False),
    ("swab", "Tampon alcoolisé", "injection", 0, False, False),
    ("ascorbic_acid", "Acide ascorbique (sachet)", "injection", 0, False, False),
    ("tourniquet", "Garrot", "injection", 0, False, False),
    ("crack_kit", "Kit base", "inhalation", 0, False, False),
    ("pipe", "Pipe / doseur", "inhalation", 0, False, False),
    ("mouthpiece", "Embout", "inhalation", 0, False, False),
    ("grille", "Filtre / grille pour pipe", "inhalation", 0, False, False),
    ("lip_balm", "Baume à lèvres", "inhalation", 0, False, False),
    ("foil", "Feuille d'aluminium", "inhalation", 0, False, False),
    ("nasal_kit", "Kit « roule ta paille »", "sniffing", 0, False, False),
    ("naloxone_kit", "Kit de naloxone", "naloxone", 0, False, True),
    ("condom", "Préservatif", "sexual_health", 0, False, False),
    ("lubricant", "Gel lubrifiant", "sexual_health", 0, False, False),
    ("hiv_self_test", "Autotest VIH", "self_test", 0, False, False),
    ("syphilis_rapid_test", "Test rapide syphilis", "self_test", 0, False, False),
    ("used_syringe", "Seringues usagées récupérées", "collected", 1, True, False),
    ("sharps_container", "Collecteur rendu", "collected", 0, True, False),
]

# What the kits hold (the Stéribox 2 and the Kit+ of the national programme; the "kit base").
KITS = {
    "injection_kit": [
        ("syringe_1ml", 2),
        ("cup", 2),
        ("filter", 2),
        ("water", 2),
        ("swab", 2),
        ("condom", 1),
    ],
    "kit_plus": [("syringe_1ml", 2), ("cup", 2), ("filter", 2), ("water", 2), ("swab", 2)],
    "crack_kit": [("pipe", 1), ("mouthpiece", 2), ("grille", 2), ("lip_balm", 1)],
}


def seed_default_catalogue(apps: Apps, using: str = "default") -> int:
    """Create the default catalogue if it is empty; answer the number of items made."""
    catalogue_item = apps.get_model("care", "CatalogueItem")
    kit_component = apps.get_model("care", "KitComponent")
    if catalogue_item.objects.using(using).exists():
        return 0
    made: dict[str, Any] = {}
    for position, (code, label, category, syringes, collected, lots) in enumerate(ITEMS):
        made[code] = catalogue_item.objects.using(using).create(
            code=code,
            version=1,
            label=label,
            category=category,
            syringe_equivalents=syringes,
            collected=collected,
            tracks_lots=lots,
            is_kit=code in KITS,
            position=position * 10,
        )
    for kit, components in KITS.items():
        for component, quantity in components:
            kit_component.objects.using(using).create(
                kit=made[kit], component=made[component], quantity=quantity
            )
        total = sum(made[c].syringe_equivalents * q for c, q in components)
        catalogue_item.objects.using(using).filter(pk=made[kit].pk).update(
            syringe_equivalents=total
        )
    return len(made)


def reseed_after_flush(
    sender: AppConfig, *, using: str = "default", apps: Apps | None = None, **kwargs: Any
) -> None:
    """``post_migrate`` receiver: a flushed (or freshly migrated) database gets the catalogue.
    ``flush`` sends no ``apps``: the project's models are the current state then."""
    if apps is None:
        from django.apps import apps as current

        apps = current
    try:
        apps.get_model("care", "KitComponent")
    except LookupError:  # migrating backwards, before the catalogue existed
        return
    seed_default_catalogue(apps, using)
