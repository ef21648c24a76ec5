"""`verifier_journal` (R19, ADR 0006): it passes on a clean chain and names the first row altered, deleted or
inserted out of order, even by an attacker with SQL access and the triggers off (but without the digests' key)."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from journal.chaine import sceller
from journal.condense import condense_ecrire, nom_fichier, signer
from journal.models import Condense, TransitionLog
from journal.verification import verifier
from tests.journal.outils import document, il_y_a_longtemps, ligne_journal, mouvement, rechainer, sql_attaquant

pytestmark = pytest.mark.django_db

TABLE = "journal_transitionlog"


@pytest.fixture
def chaine() -> list[TransitionLog]:
    """Four sealed journal rows, a document and a ledger movement."""
    for n in range(4):
        ligne_journal(f"Commentaire {n}", object_id=n + 1)
    document()
    mouvement()
    sceller()
    return list(TransitionLog.objects.order_by("rang"))


@pytest.fixture(autouse=True)
def dossier(tmp_path, settings):
    settings.JOURNAL_CONDENSES_DIR = tmp_path / "condenses"
    return settings.JOURNAL_CONDENSES_DIR


def test_une_chaine_intacte_passe(chaine, dossier, capsys):
    condense_ecrire()
    resultat = verifier(condenses_dir=dossier)

    assert resultat.ok, resultat.erreurs
    assert resultat.lignes["journal_transitionlog"] == 4
    assert resultat.lignes["documents_document"] == 1
    assert resultat.lignes["fonds_ecriturefonds"] == 2
    assert resultat.condenses == 1
    assert resultat.duree > 0

    call_command("verifier_journal")
    sortie = capsys.readouterr().out
    assert "Journal intègre" in sortie
    assert "1 condensé(s)" in sortie


def test_une_ligne_modifiee_est_nommee(chaine):
    cible = chaine[1]
    sql_attaquant("UPDATE journal_transitionlog SET cible = 'acceptee' WHERE id = %s", [cible.pk], TABLE)

    resultat = verifier()

    assert not resultat.ok
    assert resultat.erreurs[0] == (
        f"journal_transitionlog rang 2 (id {cible.pk}) : empreinte recalculée différente — ligne modifiée."
    )
    with pytest.raises(CommandError, match=rf"rang 2 \(id {cible.pk}\) : empreinte recalculée différente"):
        call_command("verifier_journal")


def test_une_ligne_supprimee_est_nommee(chaine):
    sql_attaquant("DELETE FROM journal_transitionlog WHERE id = %s", [chaine[1].pk], TABLE)

    resultat = verifier()

    assert resultat.erreurs[0] == "journal_transitionlog rang 2 manquant — ligne supprimée."


def test_la_derniere_ligne_supprimee_se_voit_a_la_tete_de_chaine(chaine):
    sql_attaquant("DELETE FROM journal_transitionlog WHERE id = %s", [chaine[-1].pk], TABLE)

    assert verifier().erreurs[0] == "journal_transitionlog rang 4 manquant (tête de chaîne) — ligne supprimée."


def test_la_derniere_ligne_supprimee_se_voit_au_condense_meme_tete_reecrite(chaine, dossier):
    condense_ecrire()
    sql_attaquant("DELETE FROM journal_transitionlog WHERE id = %s", [chaine[-1].pk], TABLE)
    sql_attaquant(
        'UPDATE journal_tetedechaine SET rang = 3, empreinte = %s WHERE "table" = %s',
        [chaine[2].empreinte, TABLE],
        "journal_tetedechaine",
    )

    erreurs = verifier(condenses_dir=dossier).erreurs

    assert erreurs[0].startswith("journal_transitionlog rang 4 manquant alors que le condensé signé du")


def _inserer_au_rang_3_et_rechainer(chaine: list[TransitionLog]) -> TransitionLog:
    """The attacker shifts ranks 3 and 4, inserts a row at rank 3 and recomputes every hash from there."""
    for ligne in reversed(chaine[2:]):
        sql_attaquant("UPDATE journal_transitionlog SET rang = rang + 1 WHERE id = %s", [ligne.pk], TABLE)
    intrus = ligne_journal("ajoutée après coup", object_id=99)
    sql_attaquant("UPDATE journal_transitionlog SET rang = 3 WHERE id = %s", [intrus.pk], TABLE)
    rechainer(TransitionLog, 3)
    return intrus


def test_une_insertion_au_milieu_rechainee_est_trahie_par_le_condense(chaine, dossier):
    condense_ecrire()
    _inserer_au_rang_3_et_rechainer(chaine)

    erreurs = verifier().erreurs

    # The digest fixed rank 4's hash: the row now there (the old rank 3) has another one.
    assert erreurs[0].startswith(f"journal_transitionlog rang 4 (id {chaine[2].pk}) : empreinte différente de celle")
    assert erreurs[0].endswith("— chaîne réécrite ou ligne insérée hors ordre.")


def test_l_insertion_se_voit_au_fichier_meme_condense_efface_de_la_base(chaine, dossier):
    condense, _, _ = condense_ecrire()
    _inserer_au_rang_3_et_rechainer(chaine)
    sql_attaquant("DELETE FROM journal_condense WHERE id = %s", [condense.pk], "journal_condense")

    assert verifier().ok  # self-consistent without any digest: that is what the off-server files are for
    erreurs = verifier(condenses_dir=dossier).erreurs

    assert erreurs[0].startswith(f"journal_transitionlog rang 4 (id {chaine[2].pk}) : empreinte différente de celle")
    assert f"Condensé du {condense.date:%d/%m/%Y} : présent en fichier, absent de la base — ligne supprimée." in erreurs


def test_une_ligne_inseree_hors_ordre_sans_rechainer_est_nommee(chaine):
    intrus = ligne_journal("ajoutée", object_id=99)
    sceller()
    # Re-attach the new (validly hashed) row to rank 2's predecessor: it no longer follows rank 4.
    sql_attaquant("DELETE FROM journal_transitionlog WHERE id = %s", [chaine[-1].pk], TABLE)
    sql_attaquant("UPDATE journal_transitionlog SET rang = 4 WHERE id = %s", [intrus.pk], TABLE)

    erreurs = verifier().erreurs

    assert (
        erreurs[0]
        == f"journal_transitionlog rang 4 (id {intrus.pk}) : empreinte recalculée différente — ligne modifiée."
    )


def test_une_ligne_forgee_en_fin_de_chaine_est_nommee(chaine):
    intrus = ligne_journal("forgée", object_id=99)
    sql_attaquant(
        "UPDATE journal_transitionlog SET rang = 5, empreinte = %s, empreinte_precedente = %s, "
        "empreinte_textes = %s WHERE id = %s",
        ["f" * 64, chaine[-1].empreinte, chaine[-1].empreinte_textes, intrus.pk],
        TABLE,
    )

    assert verifier().erreurs[0] == (
        f"journal_transitionlog rang 5 (id {intrus.pk}) : empreinte recalculée différente — ligne modifiée."
    )


def test_un_condense_a_la_signature_forgee_est_refuse(chaine, dossier):
    condense, _, _ = condense_ecrire()
    faux = {**condense.contenu, TABLE: {"rang": 4, "empreinte": "e" * 64}}
    sql_attaquant(
        "UPDATE journal_condense SET contenu = %s, signature = %s WHERE id = %s",
        [json.dumps(faux), "0" * 64, condense.pk],
        "journal_condense",
    )

    erreurs = verifier(condenses_dir=dossier).erreurs

    assert any("signature invalide — condensé falsifié" in erreur for erreur in erreurs)
    assert any("la base diffère du fichier signé" in erreur for erreur in erreurs)


def test_un_fichier_de_condense_falsifie_est_refuse(chaine, dossier):
    _, chemin, _ = condense_ecrire()
    donnees = json.loads(chemin.read_text())
    donnees["contenu"][TABLE]["rang"] = 3
    chemin.write_text(json.dumps(donnees))

    erreurs = verifier(condenses_dir=dossier).erreurs

    assert erreurs == [f"Fichier {chemin.name} : signature invalide — condensé falsifié."]


def test_les_lignes_non_scellees_depuis_une_heure_sont_signalees(chaine):
    ligne_journal("en attente", horodatage=il_y_a_longtemps())

    resultat = verifier()

    assert resultat.ok
    assert resultat.avertissements == [
        "journal_transitionlog : 1 ligne(s) non scellée(s) depuis plus d’une heure "
        "(lancez manage.py journal_condenser)."
    ]


def test_journal_condenser_ecrit_la_ligne_et_le_fichier_une_fois_par_jour(chaine, dossier, capsys):
    ligne_journal("pas encore scellée")

    call_command("journal_condenser")

    condense = Condense.objects.get()
    assert condense.date == timezone.localdate()
    assert condense.contenu[TABLE]["rang"] == 5  # sealed first
    assert condense.contenu[TABLE]["empreinte"] == TransitionLog.objects.get(rang=5).empreinte
    assert condense.contenu["fonds_ecriturefonds"]["rang"] == 2
    assert condense.signature == signer(condense.date, condense.contenu)
    fichier = json.loads((dossier / nom_fichier(condense.date)).read_text(encoding="utf-8"))
    assert fichier == {
        "date": condense.date.isoformat(),
        "contenu": condense.contenu,
        "signature": condense.signature,
    }
    assert "écrit" in capsys.readouterr().out

    ligne_journal("le lendemain ?")
    call_command("journal_condenser")

    assert Condense.objects.count() == 1
    assert Condense.objects.get().contenu == condense.contenu  # idempotent for the date
    assert "déjà écrit" in capsys.readouterr().out


def test_le_condense_est_en_ajout_seul(chaine):
    condense, _, _ = condense_ecrire(dossier=None)
    with pytest.raises(ValueError, match="ajout seul"):
        condense.save()
    with pytest.raises(ValueError, match="ajout seul"):
        Condense.objects.all().delete()
