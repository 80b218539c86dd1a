"""Seed the default material catalogue (the official list of harm-reduction material) and tie the
material already recorded to it: each line points at its catalogue version and counts its
syringe equivalents (a Stéribox: two). Frozen here on purpose: the catalogue changes afterwards
through new versions made by the coordinator, never by editing this migration."""

from django.db import migrations
from django.db.models import F

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


def seed_catalogue(apps, using="default"):
    """Create what is missing of the default catalogue; answer its items by code. Also what
    ``halte.care.defaults`` puts back in a flushed database: the one list."""
    CatalogueItem = apps.get_model("care", "CatalogueItem")
    KitComponent = apps.get_model("care", "KitComponent")
    made = {}
    for position, (code, label, category, syringes, collected, lots) in enumerate(ITEMS):
        made[code], _created = CatalogueItem.objects.using(using).get_or_create(
            code=code,
            version=1,
            defaults={
                "label": label,
                "category": category,
                "syringe_equivalents": syringes,
                "collected": collected,
                "tracks_lots": lots,
                "is_kit": code in KITS,
                "position": position * 10,
            },
        )
    for kit, components in KITS.items():
        total = 0
        for component, quantity in components:
            KitComponent.objects.using(using).get_or_create(
                kit=made[kit], component=made[component], defaults={"quantity": quantity}
            )
            total += made[component].syringe_equivalents * quantity
        CatalogueItem.objects.using(using).filter(pk=made[kit].pk).update(syringe_equivalents=total)
        made[kit].syringe_equivalents = total
    return made


def seed(apps, schema_editor):
    using = schema_editor.connection.alias
    DistributionLine = apps.get_model("care", "DistributionLine")
    # The material recorded before the catalogue: one UPDATE per code, portable SQL.
    for code, item in seed_catalogue(apps, using).items():
        DistributionLine.objects.using(using).filter(item=code, catalogue_item=None).update(
            catalogue_item=item, syringe_equivalents=F("quantity") * item.syringe_equivalents
        )


def unseed(apps, schema_editor):
    DistributionLine = apps.get_model("care", "DistributionLine")
    KitComponent = apps.get_model("care", "KitComponent")
    CatalogueItem = apps.get_model("care", "CatalogueItem")
    DistributionLine.objects.update(catalogue_item=None, syringe_equivalents=0, lot=None)
    # Plain DELETEs: the deletion collector trips on the historical models' protected keys.
    quote = schema_editor.quote_name
    for model in (KitComponent, CatalogueItem):
        schema_editor.execute(f"DELETE FROM {quote(model._meta.db_table)}")


class Migration(migrations.Migration):
    dependencies = [("care", "0004_material_catalogue")]

    operations = [migrations.RunPython(seed, unseed)]
