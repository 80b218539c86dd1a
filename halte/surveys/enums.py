"""The coded answers of the ENa-CAARUD questionnaire and of the non-respondents' box.

The categories are the ones the person's situation already uses (``halte.pathway.enums``, aligned
on the national CAARUD survey and RECAP; ``docs/surveys.md`` gives the codes and their source),
with one more answer everywhere: "non renseigné", the survey's own word for an item left blank,
whether the question was not asked or the person did not answer it."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from halte.clients.enums import SexGender
from halte.network.enums import SiteKind
from halte.pathway.enums import Coverage, Housing, Product, Resources, Route

NOT_GIVEN = "not_given"
NOT_GIVEN_LABEL = _("Non renseigné")

# The survey is run by every CAARUD: its fixed places, antennas and mobile units, and the harm
# reduction rooms (HSA), which CAARUD operators run (art. 43 of the 2022 social security financing
# law, in docs/domain.md).
SURVEY_SITE_KINDS = frozenset(
    {SiteKind.CAARUD, SiteKind.CAARUD_ANTENNA, SiteKind.MOBILE_UNIT, SiteKind.HSA}
)

# The first national edition was 2006 (circulaire DGS of 2 January 2006).
FIRST_EDITION = 2006
WEEK_DAYS = 7


class Sex(models.TextChoices):
    MAN = SexGender.MAN.value, SexGender.MAN.label
    WOMAN = SexGender.WOMAN.value, SexGender.WOMAN.label
    OTHER = SexGender.OTHER.value, SexGender.OTHER.label
    NOT_GIVEN = NOT_GIVEN, NOT_GIVEN_LABEL


class SurveyHousing(models.TextChoices):
    STREET = Housing.STREET.value, Housing.STREET.label
    SQUAT = Housing.SQUAT.value, Housing.SQUAT.label
    EMERGENCY_SHELTER = Housing.EMERGENCY_SHELTER.value, Housing.EMERGENCY_SHELTER.label
    HOTEL = Housing.HOTEL.value, Housing.HOTEL.label
    INSTITUTION = Housing.INSTITUTION.value, Housing.INSTITUTION.label
    FAMILY_FRIENDS = Housing.FAMILY_FRIENDS.value, Housing.FAMILY_FRIENDS.label
    OWN_HOME = Housing.OWN_HOME.value, Housing.OWN_HOME.label
    NOT_GIVEN = NOT_GIVEN, NOT_GIVEN_LABEL


class SurveyCoverage(models.TextChoices):
    NONE = Coverage.NONE.value, Coverage.NONE.label
    PENDING = Coverage.PENDING.value, Coverage.PENDING.label
    PUMA = Coverage.PUMA.value, Coverage.PUMA.label
    PUMA_COMPLEMENTARY = Coverage.PUMA_COMPLEMENTARY.value, Coverage.PUMA_COMPLEMENTARY.label
    CSS = Coverage.CSS.value, Coverage.CSS.label
    AME = Coverage.AME.value, Coverage.AME.label
    NOT_GIVEN = NOT_GIVEN, NOT_GIVEN_LABEL


class SurveyResources(models.TextChoices):
    WORK = Resources.WORK.value, Resources.WORK.label
    UNEMPLOYMENT = Resources.UNEMPLOYMENT.value, Resources.UNEMPLOYMENT.label
    RSA = Resources.RSA.value, Resources.RSA.label
    AAH = Resources.AAH.value, Resources.AAH.label
    OTHER_BENEFITS = Resources.OTHER_BENEFITS.value, Resources.OTHER_BENEFITS.label
    THIRD_PARTY = Resources.THIRD_PARTY.value, Resources.THIRD_PARTY.label
    UNOFFICIAL = Resources.UNOFFICIAL.value, Resources.UNOFFICIAL.label
    NONE = Resources.NONE.value, Resources.NONE.label
    NOT_GIVEN = NOT_GIVEN, NOT_GIVEN_LABEL


class ListAnswer(models.TextChoices):
    """Whether a question answered by a list (products, routes) was answered: an empty list
    answered says "none", which is not the same as a blank."""

    GIVEN = "given", _("Renseigné")
    NOT_GIVEN = NOT_GIVEN, NOT_GIVEN_LABEL


# The products and routes of the last 30 days are the situation's lists.
SurveyProduct = Product
SurveyRoute = Route
NO_MAIN_PRODUCT = "none"


class MainProduct(models.TextChoices):
    """The product the person names as the one that matters most to them: one of the products
    of the last 30 days, none, or blank."""

    HEROIN = Product.HEROIN.value, Product.HEROIN.label
    BUPRENORPHINE = Product.BUPRENORPHINE.value, Product.BUPRENORPHINE.label
    METHADONE = Product.METHADONE.value, Product.METHADONE.label
    MORPHINE = Product.MORPHINE.value, Product.MORPHINE.label
    OTHER_OPIOIDS = Product.OTHER_OPIOIDS.value, Product.OTHER_OPIOIDS.label
    COCAINE = Product.COCAINE.value, Product.COCAINE.label
    CRACK = Product.CRACK.value, Product.CRACK.label
    AMPHETAMINES = Product.AMPHETAMINES.value, Product.AMPHETAMINES.label
    CATHINONES = Product.CATHINONES.value, Product.CATHINONES.label
    KETAMINE = Product.KETAMINE.value, Product.KETAMINE.label
    HALLUCINOGENS = Product.HALLUCINOGENS.value, Product.HALLUCINOGENS.label
    BENZODIAZEPINES = Product.BENZODIAZEPINES.value, Product.BENZODIAZEPINES.label
    CANNABIS = Product.CANNABIS.value, Product.CANNABIS.label
    ALCOHOL = Product.ALCOHOL.value, Product.ALCOHOL.label
    NONE = NO_MAIN_PRODUCT, _("Aucun")
    NOT_GIVEN = NOT_GIVEN, NOT_GIVEN_LABEL


class YesNo(models.TextChoices):
    YES = "yes", _("Oui")
    NO = "no", _("Non")
    NOT_GIVEN = NOT_GIVEN, NOT_GIVEN_LABEL


class Substitution(models.TextChoices):
    """Opioid substitution treatment (TSO) in progress, prescribed."""

    NONE = "none", _("Aucun")
    METHADONE = "methadone", _("Méthadone")
    BUPRENORPHINE = "buprenorphine", _("Buprénorphine (BHD, Subutex, Suboxone…)")
    OTHER = "other", _("Autre traitement (sulfate de morphine prescrit…)")
    NOT_GIVEN = NOT_GIVEN, NOT_GIVEN_LABEL


class NonResponseReason(models.TextChoices):
    """Why someone who came during the week has no questionnaire: counted, never linked."""

    REFUSED = "refused", _("A refusé")
    UNABLE = "unable", _("Pas en état ou barrière de langue")
    ALREADY_ANSWERED = "already_answered", _("A déjà répondu ailleurs")


# Those who cannot answer again are not counted among the people asked.
OUT_OF_SCOPE_REASONS = frozenset({NonResponseReason.ALREADY_ANSWERED})


class AgeGroup(models.TextChoices):
    """The age groups of the aggregate sheet."""

    UNDER_25 = "lt25", _("Moins de 25 ans")
    FROM_25 = "25_34", _("25–34 ans")
    FROM_35 = "35_44", _("35–44 ans")
    FROM_45 = "45_plus", _("45 ans et plus")
    NOT_GIVEN = NOT_GIVEN, NOT_GIVEN_LABEL


def age_group(age: int | None) -> str:
    if age is None:
        return AgeGroup.NOT_GIVEN
    if age < 25:
        return AgeGroup.UNDER_25
    if age < 35:
        return AgeGroup.FROM_25
    if age < 45:
        return AgeGroup.FROM_35
    return AgeGroup.FROM_45
