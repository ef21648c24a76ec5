"""The narrow way through the chained tables for an anonymisation (R20, ADR 0006): only free texts (and a
document's `remplace_par`, once) change, each change is recorded, and `verifier_journal` still passes; any other
change, or a text changed without it, is refused by the triggers (PostgreSQL) or caught by the verifier."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from documents.models import Document
from fonds.models import EcritureFonds
from journal.anonymisation import anonymisation_enregistrer, lignes_reecrire
from journal.chaine import empreinte_texte, sceller
from journal.condense import condense_ecrire
from journal.models import Anonymisation, LigneAnonymisee, TransitionLog
from journal.verification import verifier
from tests.comptes.factories import UserFactory
from tests.journal.outils import document, ligne_journal, mouvement, sql_attaquant

NOM = "Camille Martin"


@pytest.fixture
def anonymisation(db) -> Anonymisation:
    return anonymisation_enregistrer(
        acteur=UserFactory(), motif="Demande de la personne", pseudonyme="Personne 8F3A", reference="c" * 64
    )


@pytest.fixture
def lignes(db) -> tuple[TransitionLog, Document, list[EcritureFonds]]:
    journal = ligne_journal(f"Déposé par {NOM}")
    ancien = document(f"Récépissé de {NOM}")
    ecritures = mouvement(f"Apport de {NOM}")
    sceller()
    return journal, ancien, ecritures


@pytest.mark.django_db
def test_la_reecriture_des_textes_garde_la_chaine_verifiable(anonymisation, lignes):
    journal, ancien, ecritures = lignes
    nouveau = document("Récépissé de Personne 8F3A", sequence=2)

    lignes_reecrire(anonymisation, journal, {"commentaire": "Déposé par Personne 8F3A"})
    lignes_reecrire(anonymisation, ancien, {"titre": "Récépissé de Personne 8F3A", "remplace_par": nouveau})
    for ecriture in ecritures:
        lignes_reecrire(anonymisation, ecriture, {"libelle": "Apport de Personne 8F3A"})
    sceller()

    assert TransitionLog.objects.get(pk=journal.pk).commentaire == "Déposé par Personne 8F3A"
    assert Document.objects.get(pk=ancien.pk).remplace_par == nouveau
    assert list(nouveau.remplace.all()) == [ancien]
    assert journal.commentaire == "Déposé par Personne 8F3A"  # the object is updated in place
    enregistrees = LigneAnonymisee.objects.filter(
        content_type=ContentType.objects.get_for_model(Document), object_id=ancien.pk
    ).order_by("champ")
    assert [(ligne.champ, ligne.empreinte_nouvelle) for ligne in enregistrees] == [
        ("remplace_par", empreinte_texte(nouveau.pk)),
        ("titre", empreinte_texte("Récépissé de Personne 8F3A")),
    ]
    assert enregistrees.get(champ="titre").empreinte_ancienne == empreinte_texte(f"Récépissé de {NOM}")
    assert LigneAnonymisee.objects.count() == 5
    assert not LigneAnonymisee.objects.filter(rang__isnull=True).exists()
    assert Anonymisation.objects.get().rang == 1
    resultat = verifier()
    assert resultat.ok, resultat.erreurs


@pytest.mark.django_db
def test_deux_anonymisations_successives_restent_verifiables(anonymisation, lignes):
    journal = lignes[0]
    lignes_reecrire(anonymisation, journal, {"commentaire": "Déposé par Personne 8F3A"})
    seconde = anonymisation_enregistrer(
        acteur=anonymisation.acteur, motif="Seconde demande", pseudonyme="Personne 8F3A", reference="c" * 64
    )
    lignes_reecrire(seconde, journal, {"commentaire": "Déposé"})
    sceller()

    assert verifier().ok


@pytest.mark.django_db
def test_une_anonymisation_avant_le_scellement_reste_verifiable(anonymisation):
    journal = ligne_journal(f"Déposé par {NOM}")
    lignes_reecrire(anonymisation, journal, {"commentaire": "Déposé par Personne 8F3A"})
    sceller()

    assert verifier().ok


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("quoi", "valeurs"),
    [
        ("journal", {"cible": "acceptee"}),
        ("journal", {"commentaire": "ok", "acteur": None}),
        ("document", {"sha256": "b" * 64}),
        ("ecriture", {"montant": 1}),
    ],
)
def test_une_colonne_hors_textes_libres_est_refusee(anonymisation, lignes, quoi, valeurs):
    objet = {"journal": lignes[0], "document": lignes[1], "ecriture": lignes[2][0]}[quoi]

    with pytest.raises(ValueError, match="ne réécrit que les textes libres"):
        lignes_reecrire(anonymisation, objet, valeurs)

    assert not LigneAnonymisee.objects.exists()
    assert verifier().ok


@pytest.mark.django_db
def test_remplace_par_ne_se_renseigne_qu_une_fois(anonymisation, lignes):
    ancien = lignes[1]
    lignes_reecrire(anonymisation, ancien, {"remplace_par": document("Nouveau", sequence=2)})

    with pytest.raises(ValueError, match="déjà renseigné"):
        lignes_reecrire(anonymisation, ancien, {"remplace_par": document("Autre", sequence=3)})


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_la_reecriture_exige_une_transaction():
    anonymisation = anonymisation_enregistrer(
        acteur=UserFactory(), motif="Demande", pseudonyme="Personne 8F3A", reference="c" * 64
    )
    journal = ligne_journal(f"Déposé par {NOM}")

    with pytest.raises(ValueError, match="dans une transaction"):
        lignes_reecrire(anonymisation, journal, {"commentaire": "Déposé"})

    with transaction.atomic():
        lignes_reecrire(anonymisation, journal, {"commentaire": "Déposé"})
    assert not LigneAnonymisee.objects.filter(rang__isnull=True).exists()  # sealed after the commit
    assert verifier().ok


@pytest.mark.django_db
def test_un_texte_change_hors_anonymisation_est_nomme(lignes):
    journal = lignes[0]
    sql_attaquant(
        "UPDATE journal_transitionlog SET commentaire = 'Rien' WHERE id = %s", [journal.pk], "journal_transitionlog"
    )

    assert verifier().erreurs == [
        f"journal_transitionlog rang 1 (id {journal.pk}) : texte libre modifié hors anonymisation."
    ]


@pytest.mark.django_db
def test_un_texte_change_apres_une_anonymisation_est_nomme(anonymisation, lignes):
    journal = lignes[0]
    lignes_reecrire(anonymisation, journal, {"commentaire": "Déposé par Personne 8F3A"})
    sql_attaquant(
        "UPDATE journal_transitionlog SET commentaire = 'Rien' WHERE id = %s", [journal.pk], "journal_transitionlog"
    )

    assert (
        verifier().erreurs[0]
        == f"journal_transitionlog rang 1 (id {journal.pk}) : texte libre modifié hors anonymisation."
    )


@pytest.mark.django_db
def test_remplace_par_hors_anonymisation_est_nomme(lignes):
    ancien = lignes[1]
    nouveau = document("Nouveau", sequence=2)
    sceller()
    sql_attaquant(
        "UPDATE documents_document SET remplace_par_id = %s WHERE id = %s",
        [nouveau.pk, ancien.pk],
        "documents_document",
    )

    assert verifier().erreurs == [
        f"documents_document rang 1 (id {ancien.pk}) : « remplace_par » renseigné hors anonymisation."
    ]


# PostgreSQL: the triggers let only the sealing and the anonymisation's texts through.


@pytest.fixture
def postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: on SQLite only the Python guards apply")


def _sql(requete: str, parametres: list[Any], anonymisation: Anonymisation | None = None) -> None:
    with transaction.atomic(), connection.cursor() as curseur:
        if anonymisation is not None:
            curseur.execute("SELECT set_config('collectifs.anonymisation', %s, true)", [str(anonymisation.pk)])
        curseur.execute(requete, parametres)


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    "requete",
    [
        "UPDATE journal_transitionlog SET cible = 'acceptee' WHERE id = %s",
        "UPDATE journal_transitionlog SET commentaire = 'Déposé', cible = 'acceptee' WHERE id = %s",
        "UPDATE journal_transitionlog SET rang = 7 WHERE id = %s",
        "DELETE FROM journal_transitionlog WHERE id = %s",
    ],
    ids=["colonne", "texte-et-colonne", "rang-deja-scelle", "delete"],
)
def test_le_declencheur_refuse_tout_sauf_les_textes_meme_sous_anonymisation(postgresql, anonymisation, lignes, requete):
    journal = lignes[0]
    with pytest.raises(DatabaseError, match="en ajout seul"):
        _sql(requete, [journal.pk], anonymisation)

    assert verifier().ok


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("requete", "table"),
    [
        ("UPDATE journal_transitionlog SET commentaire = 'Déposé' WHERE id = %s", "journal"),
        ("UPDATE documents_document SET titre = 'Récépissé' WHERE id = %s", "document"),
        ("UPDATE fonds_ecriturefonds SET libelle = 'Apport' WHERE id = %s", "ecriture"),
    ],
)
def test_le_declencheur_refuse_un_texte_sans_anonymisation(postgresql, lignes, requete, table):
    objet = {"journal": lignes[0], "document": lignes[1], "ecriture": lignes[2][0]}[table]
    with pytest.raises(DatabaseError, match="refusé"):
        _sql(requete, [objet.pk])


@pytest.mark.postgres
@pytest.mark.django_db
def test_le_declencheur_laisse_passer_les_textes_sous_anonymisation(postgresql, anonymisation, lignes):
    journal, ancien, ecritures = lignes
    nouveau = document("Nouveau", sequence=2)
    _sql("UPDATE journal_transitionlog SET commentaire = 'Déposé' WHERE id = %s", [journal.pk], anonymisation)
    _sql(
        "UPDATE documents_document SET titre = 'Récépissé', remplace_par_id = %s WHERE id = %s",
        [nouveau.pk, ancien.pk],
        anonymisation,
    )
    with pytest.raises(DatabaseError, match="refusé"):  # remplace_par is set once
        _sql("UPDATE documents_document SET remplace_par_id = NULL WHERE id = %s", [ancien.pk], anonymisation)
    with pytest.raises(DatabaseError, match="refusé"):
        _sql("DELETE FROM documents_document WHERE id = %s", [ancien.pk], anonymisation)
    with pytest.raises(DatabaseError, match="refusé"):
        _sql("DELETE FROM fonds_ecriturefonds WHERE id = %s", [ecritures[0].pk], anonymisation)

    assert TransitionLog.objects.get(pk=journal.pk).commentaire == "Déposé"
    # Raw SQL left no anonymisation line: the verifier names the rewritten text.
    assert (
        verifier().erreurs[0] == f"documents_document rang 1 (id {ancien.pk}) : texte libre modifié hors anonymisation."
    )


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("table", ["journal_anonymisation", "journal_ligneanonymisee", "journal_condense"])
@pytest.mark.parametrize("requete", ["DELETE FROM {table}", "UPDATE {table} SET id = id + 1000"])
def test_les_traces_d_anonymisation_et_les_condenses_sont_en_ajout_seul(
    postgresql, anonymisation, lignes, table, requete, tmp_path
):
    lignes_reecrire(anonymisation, lignes[0], {"commentaire": "Déposé"})
    condense_ecrire(dossier=tmp_path)

    with pytest.raises(DatabaseError, match="ajout seul"):
        _sql(requete.format(table=table), [], anonymisation)
