import datetime
from decimal import Decimal

import factory

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from core.dates import bornes_campagne
from territoires.models import Departement


def _plausible(annee: int, jours: int) -> datetime.date:
    """Today plus `jours`, clamped to the dates a campaign of `annee` may have."""
    debut, fin = bornes_campagne(annee)
    jour = datetime.date.today() + datetime.timedelta(days=jours)  # noqa: DTZ011 - like the form's input
    return min(max(jour, debut), fin)


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
    # Around today, brought within the plausible range of the campaign's year (core.dates.bornes_campagne).
    date_ouverture = factory.LazyAttribute(lambda o: _plausible(o.annee, -10))
    date_cloture = factory.LazyAttribute(lambda o: _plausible(o.annee, 60))

    class Params:
        ouverte = factory.Trait(etat=EtatCampagne.OUVERTE)
        close = factory.Trait(etat=EtatCampagne.CLOSE)
