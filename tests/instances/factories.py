import datetime
from decimal import Decimal

import factory

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from territoires.models import Departement


class CampagneFactory(factory.django.DjangoModelFactory):
    """A campaign of the Loire; `ouverte=True` for an open one whose dates include today."""

    class Meta:
        model = Campagne
        django_get_or_create = ("departement", "annee")

    departement = factory.LazyFunction(lambda: Departement.objects.get(code="42"))
    annee = 2027
    quota = 5
    enveloppe_annuelle = Decimal("100000.00")
    montant_minimal_annuel = Decimal("15000.00")
    date_ouverture = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=10))  # noqa: DTZ011
    date_cloture = factory.LazyFunction(lambda: datetime.date.today() + datetime.timedelta(days=60))  # noqa: DTZ011

    class Params:
        ouverte = factory.Trait(etat=EtatCampagne.OUVERTE)
        close = factory.Trait(etat=EtatCampagne.CLOSE)
