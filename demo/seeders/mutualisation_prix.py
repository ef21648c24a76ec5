"""Seeds the Loire's departmental prize of this year (R18) from published sheets given by the sheets' seeder
(`mutualisation_fiches.fiches_pratiques_charger`): the Loire's public sheets are nominated, a jury mirrors the three
colleges (the instance's présidente and a member with their accounts, an inhabitant without account), the jurors
with an account score every sheet they have no conflict of interest with, and the laureate is proclaimed. Everything
goes through the services. Idempotent: an existing prize of the year is left as it is."""

from __future__ import annotations

from django.utils import timezone

from collectifs.enums import College
from comptes.models import User
from mutualisation.enums import FICHE_PUBLIQUE, NiveauPrix
from mutualisation.models import FichePratique, Nomination, Prix
from mutualisation.permissions.prix import en_conflit
from mutualisation.services import prix as services
from territoires.models import Departement

# A juror's score of a sheet: a fixed spread, so that the demo's result is the same on every run.
NOTES = (8, 6, 9, 5, 7)


def prix_loire(comptes: dict[str, User], fiches: list[FichePratique]) -> Prix | None:
    """R18: the Loire's prize of this year, with its jury and laureate. `comptes`: the demo accounts (the
    instructrice of the Loire organises; the instance's présidente and member sit on the jury)."""
    loire = Departement.objects.get(code="42")
    annee = timezone.localdate().year
    existant = Prix.objects.filter(niveau=NiveauPrix.DEPARTEMENTAL, departement=loire, annee=annee).first()
    if existant is not None:
        return existant
    nominables = [f for f in fiches if f.departement_id == "42" and f.etat in FICHE_PUBLIQUE]
    if not nominables:
        return None
    instructrice = comptes["instructrice_42"]
    prix = services.prix_creer(
        acteur=instructrice,
        niveau=NiveauPrix.DEPARTEMENTAL,
        annee=annee,
        titre=f"Prix des pratiques inspirantes de la Loire {annee}",
        departement=loire,
    )
    for fiche in nominables:
        services.nomination_ajouter(acteur=instructrice, prix=prix, fiche=fiche)
    jures = [
        (comptes["presidente_instance"], College.ELU_RESPONSABLE),
        (comptes["membre_instance"], College.PROFESSIONNEL),
    ]
    for compte, college in jures:
        services.membre_jury_ajouter(
            acteur=instructrice, prix=prix, prenom=compte.prenom, nom=compte.nom, college=college, email=compte.email
        )
    services.membre_jury_ajouter(
        acteur=instructrice, prix=prix, prenom="Rachida", nom="Belkacem", college=College.HABITANT
    )
    services.prix_ouvrir_jury(acteur=instructrice, prix=prix)
    nominations = list(Nomination.objects.filter(prix=prix).select_related("fiche__collectif").order_by("pk"))
    for decalage, (compte, _college) in enumerate(jures):
        for rang, nomination in enumerate(nominations):
            if not en_conflit(compte, nomination.fiche.collectif):
                note = NOTES[(rang + decalage) % len(NOTES)]
                services.note_enregistrer(acteur=compte, nomination=nomination, note=note)
    services.prix_proclamer(acteur=instructrice, prix=prix)
    return Prix.objects.get(pk=prix.pk)
