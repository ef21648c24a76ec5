"""The hash chains (R19, ADR 0006): sealing after the commit gives contiguous ranks and valid hashes."""

from __future__ import annotations

import contextlib
import datetime
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from documents.models import Document
from fonds.models import EcritureFonds
from journal.chaine import GENESE, TeteDeChaine, empreinte_texte, empreinte_textes, forme_canonique, sceller
from journal.models import TransitionLog
from journal.verification import verifier
from tests.journal.outils import document, ligne_journal, mouvement


def test_la_forme_canonique_est_stable():
    """Pinned: changing this output breaks every chain already written."""
    valeurs = {
        "montant": Decimal("1500.50"),
        "zero": Decimal("0.00"),
        "entier": Decimal("10.00"),
        "quand": datetime.datetime(2027, 3, 1, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
        "jour": datetime.date(2027, 3, 1),
        "texte": "Élodie « test »",
        "rien": None,
    }
    assert forme_canonique(valeurs) == (
        '{"entier":"10","jour":"2027-03-01","montant":"1500.5","quand":"2027-03-01T09:30:00+00:00",'
        '"rien":null,"texte":"Élodie « test »","zero":"0"}'
    )


@pytest.mark.django_db
def test_le_scellement_donne_des_rangs_contigus_et_des_empreintes_chainees():
    lignes = [ligne_journal(f"Commentaire {n}") for n in range(3)]
    document()
    mouvement()
    assert {ligne.rang for ligne in TransitionLog.objects.all()} == {None}

    scellees = sceller()

    assert scellees["journal_transitionlog"] == 3
    assert scellees["documents_document"] == 1
    assert scellees["fonds_ecriturefonds"] == 2
    journal = list(TransitionLog.objects.order_by("rang"))
    assert [ligne.rang for ligne in journal] == [1, 2, 3]
    assert [ligne.pk for ligne in journal] == [ligne.pk for ligne in lignes]
    assert journal[0].empreinte_precedente == GENESE
    assert [ligne.empreinte_precedente for ligne in journal[1:]] == [ligne.empreinte for ligne in journal[:-1]]
    assert len({ligne.empreinte for ligne in journal}) == 3
    tete = TeteDeChaine.objects.get(table="journal_transitionlog")
    assert (tete.rang, tete.empreinte) == (3, journal[-1].empreinte)
    assert list(EcritureFonds.objects.order_by("rang").values_list("rang", flat=True)) == [1, 2]

    resultat = verifier()
    assert resultat.ok, resultat.erreurs
    assert resultat.lignes["journal_transitionlog"] == 3
    assert resultat.lignes["documents_document"] == 1


@pytest.mark.django_db
def test_un_second_scellement_continue_la_chaine():
    ligne_journal()
    sceller()
    premiere = TransitionLog.objects.get()
    seconde = ligne_journal()

    assert sceller()["journal_transitionlog"] == 1
    assert sceller()["journal_transitionlog"] == 0
    seconde = TransitionLog.objects.get(pk=seconde.pk)
    assert (seconde.rang, seconde.empreinte_precedente) == (2, premiere.empreinte)
    assert verifier().ok


@pytest.mark.django_db
def test_une_tete_de_chaine_perdue_repart_de_la_derniere_ligne_scellee():
    ligne_journal()
    ligne_journal()
    sceller()
    TeteDeChaine.objects.all().delete()
    ligne_journal()

    sceller()

    assert list(TransitionLog.objects.order_by("pk").values_list("rang", flat=True)) == [1, 2, 3]
    assert TeteDeChaine.objects.get(table="journal_transitionlog").rang == 3
    assert verifier().ok


@pytest.mark.django_db
def test_le_texte_libre_n_entre_que_par_son_empreinte():
    ligne_journal("Camille Martin a déposé")
    sceller()
    ligne = TransitionLog.objects.get()

    assert ligne.empreinte_textes == empreinte_textes({"commentaire": empreinte_texte("Camille Martin a déposé")})
    assert "commentaire" not in TransitionLog.CHAMPS_CHAINES


@pytest.mark.django_db
def test_les_ecritures_attendent_le_commit_pour_un_seul_scellement(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as rappels:
        ligne_journal()
        ligne_journal()
        document()
        mouvement()  # bulk_create

    assert len(rappels) == 1  # one sealing per transaction, whatever was written
    assert TransitionLog.objects.filter(rang__isnull=True).count() == 2
    rappels[0]()
    assert not TransitionLog.objects.filter(rang__isnull=True).exists()
    assert not Document.objects.filter(rang__isnull=True).exists()
    assert not EcritureFonds.objects.filter(rang__isnull=True).exists()


@pytest.mark.django_db
def test_les_gardes_python_restent():
    ligne = ligne_journal()
    with pytest.raises(ValueError, match="ajout seul"):
        ligne.save()
    with pytest.raises(ValueError, match="ajout seul"):
        TransitionLog.objects.filter(pk=ligne.pk).update(cible="acceptee")
    with pytest.raises(ValueError, match="ajout seul"):
        TransitionLog.objects.all().delete()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_le_scellement_suit_le_commit():
    with transaction.atomic():
        ligne_journal("dans la transaction")
        # A rolled-back savepoint drops its callback: the next write re-schedules.
        with contextlib.suppress(RuntimeError), transaction.atomic():
            ligne_journal("annulée")
            raise RuntimeError
        ligne_journal("après le point de sauvegarde")
        assert TransitionLog.objects.filter(rang__isnull=True).count() == 2

    assert list(TransitionLog.objects.order_by("rang").values_list("rang", "commentaire")) == [
        (1, "dans la transaction"),
        (2, "après le point de sauvegarde"),
    ]
    ligne_journal("hors transaction")  # autocommit: sealed at once
    assert TransitionLog.objects.get(commentaire="hors transaction").rang == 3
    assert verifier().ok


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_deux_ecrivains_concurrents_finissent_scelles_dans_une_chaine_valide():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers anyway")
    depart = threading.Barrier(2)
    erreurs: list[BaseException] = []

    def ecrivain(numero: int) -> None:
        try:
            depart.wait()
            for n in range(15):
                with transaction.atomic():
                    ligne_journal(f"écrivain {numero}, ligne {n}", object_id=numero)
        except BaseException as erreur:  # reported to the main thread
            erreurs.append(erreur)
        finally:
            connections.close_all()

    fils = [threading.Thread(target=ecrivain, args=(numero,)) for numero in (1, 2)]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join()

    assert erreurs == []
    assert TransitionLog.objects.count() == 30
    assert not TransitionLog.objects.filter(rang__isnull=True).exists()
    assert list(TransitionLog.objects.order_by("rang").values_list("rang", flat=True)) == list(range(1, 31))
    resultat = verifier()
    assert resultat.ok, resultat.erreurs
