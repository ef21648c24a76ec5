"""The narrow way through the append-only tables for an anonymisation (R20, ADR 0006).

An `Anonymisation` record (chained) says who anonymised whom (by pseudonym and an opaque reference), when and why;
`lignes_reecrire` rewrites only the free-text columns of a chained row (and sets a document's `remplace_par`) and
records, per column, a chained `LigneAnonymisee` with the hash of the value before and after. On PostgreSQL the
trigger lets that update through only under `SET LOCAL collectifs.anonymisation`. `verifier_journal` accepts a
changed text only where such a line covers it."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, router, transaction

from journal.chaine import Chainee, colonne, empreinte_texte
from journal.models import Anonymisation, LigneAnonymisee


def anonymisation_enregistrer(*, acteur: Any, motif: str, pseudonyme: str, reference: str) -> Anonymisation:
    """Record one anonymisation (R20): who, why, the stable pseudonym and the opaque reference of the person (an
    HMAC of their key, never their name). The caller checks the permission (national staff) and holds the
    transaction in which it then calls `lignes_reecrire`."""
    anonymisation = Anonymisation(acteur=acteur, motif=motif, pseudonyme=pseudonyme, reference=reference)
    anonymisation.full_clean()
    anonymisation.save()
    return anonymisation


def lignes_reecrire(anonymisation: Anonymisation, objet: models.Model, valeurs: dict[str, object]) -> None:
    """Rewrite free-text columns of one chained row (its model's TEXTES_LIBRES, plus COLONNES_REMPLACEMENT such as
    a document's `remplace_par`) and record one LigneAnonymisee per changed column. Any other column is refused.
    Must run inside transaction.atomic() (the PostgreSQL setting is local to the transaction). `objet` is
    updated in place."""
    modele = type(objet)
    if not issubclass(modele, Chainee):
        raise ValueError(f"{modele._meta.label} n’est pas une table chaînée : rien à réécrire par anonymisation.")
    permis = {*modele.TEXTES_LIBRES, *modele.COLONNES_REMPLACEMENT}
    refuses = sorted(set(valeurs) - permis)
    if refuses:
        raise ValueError(
            f"Une anonymisation ne réécrit que les textes libres de {modele._meta.label} "
            f"({', '.join(sorted(permis)) or 'aucun'}), pas : {', '.join(refuses)}."
        )
    using = router.db_for_write(modele, instance=objet)
    if not transaction.get_connection(using).in_atomic_block:
        raise ValueError("lignes_reecrire doit être appelée dans une transaction (transaction.atomic()).")
    if not valeurs:
        return

    attnames = {nom: colonne(modele, nom) for nom in valeurs}
    nouvelles = {
        attnames[nom]: valeur.pk if isinstance(valeur, models.Model) else valeur for nom, valeur in valeurs.items()
    }
    brut: Any = models.QuerySet(model=modele, using=using).filter(pk=objet.pk)  # the model's own refuses update()
    anciennes = brut.values(*nouvelles).get()
    for nom in valeurs:
        if nom in modele.COLONNES_REMPLACEMENT and anciennes[attnames[nom]] is not None:
            raise ValueError(f"{modele._meta.label} #{objet.pk} : « {nom} » est déjà renseigné.")
    changees = {colonne: valeur for colonne, valeur in nouvelles.items() if anciennes[colonne] != valeur}
    if not changees:
        return

    connexion = transaction.get_connection(using)
    if connexion.vendor == "postgresql":
        with connexion.cursor() as curseur:
            curseur.execute("SELECT set_config('collectifs.anonymisation', %s, true)", [str(anonymisation.pk)])
    brut.update(**changees)

    type_contenu = ContentType.objects.db_manager(using).get_for_model(modele)
    LigneAnonymisee.objects.using(using).bulk_create(
        [
            LigneAnonymisee(
                anonymisation=anonymisation,
                content_type=type_contenu,
                object_id=objet.pk,
                champ=nom,
                empreinte_ancienne=empreinte_texte(anciennes[attnames[nom]]),
                empreinte_nouvelle=empreinte_texte(nouvelles[attnames[nom]]),
            )
            for nom in valeurs
            if attnames[nom] in changees
        ]
    )
    for nom_colonne, valeur in changees.items():
        setattr(objet, nom_colonne, valeur)
