"""A séance cannot be set in year 1 or 9999: its date lies around its campaign's year (core.dates), and the
message stands next to the date field of the preparation form."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from instances.models import Seance
from instances.services import seance_preparer
from tests.instances.factories_seances import construire_monde_seances

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    "jour",
    [datetime.datetime(9999, 3, 15, 14, 30, tzinfo=PARIS), datetime.datetime(2020, 3, 15, 14, 30, tzinfo=PARIS)],
)
def test_une_seance_hors_de_l_annee_de_sa_campagne_est_refusee(distribution, jour):
    m = construire_monde_seances(distribution)
    avant = Seance.objects.count()
    with pytest.raises(ValidationError) as erreur:
        seance_preparer(acteur=m.instructeur_42, instance=m.instance, campagne=m.campagne, date=jour)
    # The 2027 campaign: between 1 January 2026 and 31 December 2029.
    assert erreur.value.message_dict["date"] == [
        "Cette date n'est pas plausible : choisissez-la entre le 1 janvier 2026 et le 31 décembre 2029."
    ]
    assert Seance.objects.count() == avant


def test_le_formulaire_montre_l_erreur_a_cote_de_la_date(distribution, client):
    m = construire_monde_seances(distribution)
    client.force_login(m.instructeur_42)
    reponse = client.post(
        reverse("instances:seance_nouvelle", args=[m.instance.pk]),
        {
            "campagne": m.campagne.pk,
            "jour": "9999-03-15",
            "heure": "14:30",
            "lieu": "Saint-Étienne",
            "convoques": [membre.pk for membre in m.instance.membres.all()],
        },
    )
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "Cette date n&#x27;est pas plausible" in page
    assert 'value="9999-03-15"' in page
    assert 'value="Saint-Étienne"' in page
