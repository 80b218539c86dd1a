from django.db import models
from django.utils.translation import gettext_lazy as _

# The refusals' vocabulary is the door's (``visits``, below this app); the room uses it too.
from halte.visits.enums import RefusalReason as RefusalReason
from halte.visits.enums import RefusalStage as RefusalStage


class Product(models.TextChoices):
    MORPHINE = "morphine", _("Sulfate de morphine (Skenan)")
    HEROIN = "heroin", _("Héroïne")
    COCAINE = "cocaine", _("Cocaïne")
    CRACK = "crack", _("Crack / free base")
    BUPRENORPHINE = "buprenorphine", _("Buprénorphine")
    METHADONE = "methadone", _("Méthadone")
    FENTANYL = "fentanyl", _("Fentanyl")
    OTHER = "other", _("Autre")


# Products a session may declare beside its main one, as bits of ``Session.other_products`` (as the
# purposes of a visit): append new products at the end, never reorder.
PRODUCT_BITS = {product: 1 << i for i, product in enumerate(Product.values)}


def products_to_mask(products: list[str]) -> int:
    """The bit mask of ``products``; ValueError for an unknown one."""
    mask = 0
    for product in products:
        if product not in PRODUCT_BITS:
            raise ValueError(product)
        mask |= PRODUCT_BITS[product]
    return mask


def mask_to_products(mask: int) -> list[str]:
    return [product for product, bit in PRODUCT_BITS.items() if mask & bit]


class SessionRoute(models.TextChoices):
    """How a product is taken in a session: the routes of the booths, and the oral route, which
    needs no booth of its own (the person takes a free place of any route, under the same watch)."""

    INJECTION = "injection", _("Injection")
    INHALATION = "inhalation", _("Inhalation")
    NASAL = "nasal", _("Voie nasale")
    ORAL = "oral", _("Voie orale")


class WaitOutcome(models.TextChoices):
    SERVED = "served", _("Poste obtenu")
    LEFT = "left", _("Partie sans consommer")


class IncidentKind(models.TextChoices):
    OPIOID_OVERDOSE = "opioid_overdose", _("Surdose opioïde")
    STIMULANT_TOXICITY = "stimulant_toxicity", _("Intoxication aux stimulants")
    SEIZURE = "seizure", _("Convulsions")
    MALAISE = "malaise", _("Malaise")
    INJURY = "injury", _("Blessure")
    VIOLENCE = "violence", _("Violence")


class Outcome(models.TextChoices):
    RECOVERED_ON_SITE = "recovered_on_site", _("Rétabli sur place")
    TRANSFERRED = "transferred", _("Transféré à l'hôpital")
    LEFT_AGAINST_ADVICE = "left_against_advice", _("Parti contre avis")
    DEATH = "death", _("Décès")
    OTHER = "other", _("Autre")


ROUTE_PREFIX = {"injection": "I", "inhalation": "F", "nasal": "N"}
