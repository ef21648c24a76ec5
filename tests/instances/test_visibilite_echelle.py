"""What an instructeur of one département pays for the scoped reads does not depend on the rest of the country:
the visibility selectors (declaration_visible_to, collectif_visible_to) and R17's financements_anterieurs.

The cost is measured deterministically as the number of SQLite virtual-machine steps the request runs (a
progress handler called on every step), and by the wall clock (best of a few runs, a generous bound): once with
the Loire alone, once with ten other départements of the same size, their instructeurs, instance members and
accompagnateurs. The number of queries is the same in both."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, CommuneCollectif, Declaration, Organisation
from collectifs.selectors import collectif_visible_to, declaration_visible_to, financements_anterieurs
from comptes.models import Instructeur, User
from instances.enums import CollegeInstance
from instances.models import Accompagnateur, AffectationAccompagnateur, InstanceDepartementale, MembreInstance
from territoires.models import Departement

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="VM steps are SQLite's")

PAR_DEPARTEMENT = 60
AUTRES_DEPARTEMENTS = 10
RATIO_ETAPES = 1.2  # deterministic
RATIO_TEMPS = 3.0  # very generous: the wall clock of a shared machine is noisy; the steps above are the pin


def _peupler(departement: Departement, rang: int) -> None:
    """PAR_DEPARTEMENT collectifs with one filed and one agreed declaration each, on communes of the
    département; an instructeur, an instance of 5 members with accounts and an assigned accompagnateur."""
    aujourd_hui = timezone.localdate()
    campagnes = {
        etat: Campagne.objects.create(
            departement=departement,
            annee=annee,
            quota=3,
            enveloppe_annuelle="90000.00",
            montant_minimal_annuel="15000.00",
            date_ouverture=aujourd_hui,
            date_cloture=aujourd_hui + datetime.timedelta(days=60),
        )
        for etat, annee in ((EtatDeclaration.AGREEE, 2030), (EtatDeclaration.DEPOSEE, 2031))
    }
    collectifs = Collectif.objects.bulk_create(
        Collectif(
            nom=f"Collectif {i:03d} du {departement.code}",
            departement=departement,
            territoire="Quartier",
            codes_communes=f"{departement.code}{i % 50:03d} {departement.code}{(i + 1) % 50:03d}",
        )
        for i in range(PAR_DEPARTEMENT)
    )
    CommuneCollectif.objects.bulk_create(
        CommuneCollectif(collectif=c, code_insee=code) for c in collectifs for code in c.liste_codes_communes
    )
    organisation = Organisation.objects.create(nom=f"Centre social {departement.code}")
    Collectif.institutions_origine.through.objects.bulk_create(
        Collectif.institutions_origine.through(collectif=c, organisation=organisation) for c in collectifs[::10]
    )
    maintenant = timezone.now()
    Declaration.objects.bulk_create(
        Declaration(
            collectif=c,
            campagne=campagnes[etat],
            etat=etat,
            deposee_le=maintenant - datetime.timedelta(minutes=i),
            dynamique_preexistante="Un long texte. " * 200,
            projet="Un long projet. " * 200,
        )
        for i, c in enumerate(collectifs)
        for etat in (EtatDeclaration.DEPOSEE, EtatDeclaration.AGREEE)
    )
    for c in collectifs[:3]:
        c.referents.add(User.objects.create_user(email=f"referent.{departement.code}.{c.pk}@exemple.fr"))
    if rang:  # the Loire's instructeur is the one measured
        instructeur = Instructeur.objects.create(
            user=User.objects.create_user(email=f"instructeur.{departement.code}@exemple.fr")
        )
        instructeur.departements.add(departement)
    instance = InstanceDepartementale.objects.create(departement=departement, nom=f"Instance {departement.code}")
    for j in range(5):
        MembreInstance.objects.create(
            instance=instance,
            prenom="Membre",
            nom=f"{j}",
            institution="Institution",
            college=CollegeInstance.ELUS,
            rang_rotation=j + 1,
            user=User.objects.create_user(email=f"membre.{departement.code}.{j}@exemple.fr"),
        )
    accompagnateur = Accompagnateur.objects.create(
        departement=departement,
        prenom="Alex",
        nom=departement.code,
        structure="Coopérative",
        email=f"accompagnement.{departement.code}@exemple.fr",
        user=User.objects.create_user(email=f"accompagnateur.{departement.code}@exemple.fr"),
    )
    affecte_par = User.objects.create_user(email=f"affecte.{departement.code}@exemple.fr")
    AffectationAccompagnateur.objects.bulk_create(
        AffectationAccompagnateur(collectif=c, accompagnateur=accompagnateur, affecte_par=affecte_par)
        for c in collectifs[::5]
    )


@contextmanager
def _etapes() -> Iterator[list[int]]:
    """Counts the SQLite VM steps run inside the block (the handler is called every 100 steps)."""
    compte = [0]

    def pas() -> int:
        compte[0] += 1
        return 0

    connection.ensure_connection()
    brut = connection.connection
    brut.set_progress_handler(pas, 100)
    try:
        yield compte
    finally:
        brut.set_progress_handler(None, 100)


def _mesurer(appel: Callable[[], Any]) -> tuple[int, float, int]:
    """(VM steps / 100, best wall time of 3 runs, number of queries) of one call."""
    appel()  # warm-up
    with _etapes() as compte, CaptureQueriesContext(connection) as requetes:
        appel()
    temps = []
    for _ in range(3):
        debut = time.perf_counter()
        appel()
        temps.append(time.perf_counter() - debut)
    return compte[0], min(temps), len(requetes)


@pytest.fixture
def loire(db) -> dict[str, Any]:
    loire = Departement.objects.get(code="42")
    _peupler(loire, 0)
    instructeur = Instructeur.objects.create(user=User.objects.create_user(email="instructrice.loire@exemple.fr"))
    instructeur.departements.add(loire)
    return {"instructeur": instructeur.user, "membre": MembreInstance.objects.filter(instance__departement=loire)}


def _le_reste_du_pays() -> None:
    for rang, departement in enumerate(Departement.objects.exclude(code="42").order_by("code")[:AUTRES_DEPARTEMENTS]):
        _peupler(departement, rang + 1)


def _comparer(nom: str, appel: Callable[[], Any]) -> None:
    etapes_seul, temps_seul, requetes_seul = _mesurer(appel)
    _le_reste_du_pays()
    etapes_pays, temps_pays, requetes_pays = _mesurer(appel)
    print(  # noqa: T201 - the measure, shown with -s
        f"\n{nom}: VM steps/100 {etapes_seul} -> {etapes_pays} (×{etapes_pays / etapes_seul:.2f}); "
        f"time {temps_seul * 1000:.1f} ms -> {temps_pays * 1000:.1f} ms (×{temps_pays / temps_seul:.2f})"
    )
    assert requetes_pays == requetes_seul
    assert etapes_pays <= RATIO_ETAPES * etapes_seul, (etapes_seul, etapes_pays)
    assert temps_pays <= RATIO_TEMPS * temps_seul, (temps_seul, temps_pays)


def test_liste_api_des_declarations_d_un_instructeur(loire, client):
    client.force_login(loire["instructeur"])

    def appel() -> None:
        reponse = client.get("/api/v1/declarations/")
        assert reponse.status_code == 200
        assert reponse.json()["count"] == 2 * PAR_DEPARTEMENT

    _comparer("API /declarations/ (instructeur 42)", appel)


def test_selecteurs_de_visibilite_d_un_instructeur(loire):
    instructeur = loire["instructeur"]

    def appel() -> None:
        assert declaration_visible_to(instructeur).count() == 2 * PAR_DEPARTEMENT
        assert len(list(declaration_visible_to(instructeur)[:50])) == 50
        assert collectif_visible_to(instructeur).count() == PAR_DEPARTEMENT
        assert len(list(collectif_visible_to(instructeur)[:50])) == 50

    _comparer("declaration_visible_to + collectif_visible_to (instructeur 42)", appel)


def test_financements_anterieurs_sans_like(loire):
    """R17 on a Loire declaration: the communes are found through CommuneCollectif's index."""
    declaration = Declaration.objects.filter(collectif__departement_id="42", etat=EtatDeclaration.DEPOSEE).first()
    assert declaration is not None
    requete = str(financements_anterieurs(declaration).query).upper()
    assert "LIKE" not in requete
    attendu = financements_anterieurs(declaration).count()
    assert attendu > 0

    def appel() -> None:
        assert len(list(financements_anterieurs(declaration))) == attendu

    _comparer("financements_anterieurs (R17)", appel)
