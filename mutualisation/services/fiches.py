"""R14: the practice sheets, and the closing of a collectif's three-year cycle (SPEC §5).

The collectif's référents write a sheet about their *approach* (its accompagnateur may, on the collectif's behalf
and with its consent: R10, R20), save it as a draft and propose it to the département; the département's
instructeurs publish it in the public catalogue or return it with a comment; national staff retain a published
sheet for the national capitalisation. Every state change goes through `journal.fsm.transition_appliquer`.

A sheet is public once published: it names no one, unless the credits name people who consented
(`credits_consentis`). On PostgreSQL every save refreshes its weighted search vector (`recherche_mettre_a_jour`).

The cycle closes (`convention_cloturer`) once the year-3 check-in is validated and a sheet of the collectif
proposed; it also closes by itself when the last of the two happens: when the sheet is proposed (here) and when the
year-3 check-in is validated (`sur_transition_validee`, connected in `mutualisation.apps`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from collectifs.models import Collectif, Consentement
from collectifs.services import DonneesConsentement, consentement_enregistrer
from comptes.models import Acteur, personne
from core.permissions import exiger
from fonds import permissions as permissions_fonds
from fonds.enums import EtatConvention
from fonds.models import BilanAnnuel, Convention
from journal.fsm import transition_appliquer
from mutualisation import tasks_fiches as tasks
from mutualisation.enums import EtatFiche
from mutualisation.models import FichePratique, Theme
from mutualisation.models.fiches import LONGUEUR_CREDITS, LONGUEUR_MESSAGE, LONGUEUR_PARTIE, LONGUEUR_RESUME
from mutualisation.permissions import fiches as permissions
from mutualisation.selectors.fiches import (
    CONFIG_RECHERCHE,
    RANG_DERNIER_BILAN,
    ce_qui_manque_pour_cloturer,
    convention_de_la_fiche,
    est_postgresql,
)

logger = logging.getLogger(__name__)

LONGUEUR_TITRE = 200
LONGUEUR_TERRITOIRE = 200
ANNEE_MIN = 2000


def _limite(longueur: int) -> str:
    return f"{longueur:,} caractères au plus.".replace(",", " ")


@dataclass(frozen=True)
class DonneesFiche:
    """A sheet as typed (R14): its texts, its year, its territory and its themes (Theme pks)."""

    titre: str = ""
    annee: int | None = None
    resume: str = ""
    contexte: str = ""
    demarche: str = ""
    difficultes: str = ""
    ressources: str = ""
    paroles_habitants: str = ""
    credits: str = ""
    credits_consentis: bool = False
    territoire: str = ""
    themes: tuple[int, ...] = field(default_factory=tuple)


TEXTES = {
    "titre": LONGUEUR_TITRE,
    "resume": LONGUEUR_RESUME,
    "contexte": LONGUEUR_PARTIE,
    "demarche": LONGUEUR_PARTIE,
    "difficultes": LONGUEUR_PARTIE,
    "ressources": LONGUEUR_PARTIE,
    "paroles_habitants": LONGUEUR_PARTIE,
    "credits": LONGUEUR_CREDITS,
    "territoire": LONGUEUR_TERRITOIRE,
}


def _verifier(donnees: DonneesFiche) -> dict[str, list[str]]:
    """What even a draft may not hold: texts too long, an impossible year, unknown themes, names without consent."""
    erreurs: dict[str, list[str]] = {}
    if not donnees.titre.strip():
        erreurs["titre"] = ["Donnez un titre à la fiche, même provisoire."]
    for nom, longueur in TEXTES.items():
        if len(getattr(donnees, nom).strip()) > longueur:
            erreurs[nom] = [_limite(longueur)]
    annee_max = timezone.localdate().year + 1
    if donnees.annee is not None and not ANNEE_MIN <= donnees.annee <= annee_max:
        erreurs["annee"] = [f"Une année entre {ANNEE_MIN} et {annee_max}."]
    if set(donnees.themes) - set(Theme.objects.filter(pk__in=donnees.themes).values_list("pk", flat=True)):
        erreurs["themes"] = ["Choisissez les thèmes dans la liste."]
    if donnees.credits.strip() and not donnees.credits_consentis:
        erreurs["credits_consentis"] = [
            "La fiche sera publique : cochez cette case seulement si chaque personne nommée dans les crédits a donné "
            "son accord ; sinon, retirez les noms (« les habitant·es du quartier », « le centre social »…)."
        ]
    return erreurs


def _manques(fiche: FichePratique) -> dict[str, list[str]]:
    """R14: what a sheet needs to be proposed: a title, the context, the approach (002:844: the approach, not the
    action) and at least one theme."""
    erreurs: dict[str, list[str]] = {}
    if not fiche.titre.strip():
        erreurs["titre"] = ["Donnez un titre à la fiche."]
    if not fiche.contexte.strip():
        erreurs["contexte"] = [
            "Décrivez le contexte : le territoire, les personnes concernées, ce qui a fait naître la démarche."
        ]
    if not fiche.demarche.strip():
        erreurs["demarche"] = ["Racontez la démarche : comment le collectif s'y est pris, étape par étape."]
    if not fiche.themes.exists():
        erreurs["themes"] = ["Choisissez au moins un thème."]
    return erreurs


def recherche_mettre_a_jour(fiches: models.QuerySet[FichePratique]) -> int:
    """R14, PostgreSQL: refresh the weighted French search vector of these sheets in one UPDATE: title A; summary,
    themes and territory B; context, approach, difficulties, resources and the inhabitants' words C. Nothing on
    SQLite (the catalogue falls back to a plain search). Returns the number of rows updated."""
    if not est_postgresql():
        return 0
    libelles = Subquery(
        Theme.fiches.through.objects.filter(fichepratique_id=OuterRef("pk"))
        .values("fichepratique_id")
        .annotate(texte=StringAgg("theme__libelle", delimiter=" "))
        .values("texte")[:1],  # type: ignore[misc]  # django-stubs does not see the annotation
        output_field=models.TextField(),
    )
    vecteur = (
        SearchVector("titre", weight="A", config=CONFIG_RECHERCHE)
        + SearchVector(
            "resume",
            Coalesce(libelles, Value(""), output_field=models.TextField()),
            "territoire",
            weight="B",
            config=CONFIG_RECHERCHE,
        )
        + SearchVector(
            "contexte",
            "demarche",
            "difficultes",
            "ressources",
            "paroles_habitants",
            weight="C",
            config=CONFIG_RECHERCHE,
        )
    )
    return fiches.update(recherche=vecteur)


def _verrouiller(fiche: FichePratique) -> FichePratique:
    return (
        FichePratique.objects.select_for_update(of=("self",))
        .select_related("collectif", "departement", "convention")
        .get(pk=fiche.pk)
    )


def _consentement(
    acteur: Acteur, collectif: Collectif, consentement: DonneesConsentement | None, erreurs: dict[str, list[str]]
) -> bool:
    """R10, R20: a proxy entry by the accompagnateur needs the collectif's consent; says whether it is one."""
    pour_le_compte = permissions.redige_pour_le_compte(acteur, collectif)
    if pour_le_compte and consentement is None:
        erreurs["consentement"] = [
            "Vous rédigez pour le compte du collectif : indiquez qui a donné son accord, comment et quand."
        ]
    return pour_le_compte


def _appliquer(fiche: FichePratique, donnees: DonneesFiche, accord: Consentement | None) -> None:
    for nom in TEXTES:
        setattr(fiche, nom, getattr(donnees, nom).strip())
    fiche.annee = donnees.annee or timezone.localdate().year
    fiche.credits_consentis = donnees.credits_consentis and bool(fiche.credits)
    fiche.modifiee_le = timezone.now()
    if accord is not None:
        fiche.consentement = accord
    if fiche.convention_id is None:
        fiche.convention = convention_de_la_fiche(fiche.collectif)


@transaction.atomic(durable=True)
def fiche_creer(
    *,
    acteur: Acteur,
    collectif: Collectif,
    donnees: DonneesFiche,
    consentement: DonneesConsentement | None = None,
) -> FichePratique:
    """R14: start a sheet as a draft (the collectif's référents; its accompagnateur with its consent, R10, R20).
    Its département is the collectif's; its convention, the collectif's latest one still running (SPEC §5)."""
    exiger(permissions.can_creer_fiche(acteur, collectif))
    erreurs = _verifier(donnees)
    pour_le_compte = _consentement(acteur, collectif, consentement, erreurs)
    if erreurs:
        raise ValidationError(erreurs)
    accord = None
    if pour_le_compte:
        assert consentement is not None
        accord = consentement_enregistrer(acteur=acteur, collectif=collectif, donnees=consentement)
    auteur = personne(acteur)
    assert auteur is not None  # the predicate lets only logged-in users through
    fiche = FichePratique(collectif=collectif, departement_id=collectif.departement_id, cree_par=auteur)
    _appliquer(fiche, donnees, accord)
    fiche.full_clean(exclude=["recherche", "etat"])
    fiche.save()
    fiche.themes.set(donnees.themes)
    recherche_mettre_a_jour(FichePratique.objects.filter(pk=fiche.pk))
    return fiche


@transaction.atomic(durable=True)
def fiche_enregistrer(
    *,
    acteur: Acteur,
    fiche: FichePratique,
    donnees: DonneesFiche,
    consentement: DonneesConsentement | None = None,
) -> FichePratique:
    """R14: save a draft as typed (it may be incomplete). Only a draft changes: a proposed sheet is the
    département's to examine, a published one is public as it was published."""
    fiche = _verrouiller(fiche)
    exiger(permissions.can_voir_fiche(acteur, fiche))
    if fiche.etat != EtatFiche.BROUILLON:
        raise ValidationError(f"Cette fiche est {fiche.get_etat_display().lower()} : elle ne se modifie plus.")
    exiger(permissions.can_rediger_fiche(acteur, fiche))
    erreurs = _verifier(donnees)
    pour_le_compte = _consentement(acteur, fiche.collectif, consentement, erreurs)
    if erreurs:
        raise ValidationError(erreurs)
    accord = None
    if pour_le_compte:
        assert consentement is not None
        accord = consentement_enregistrer(acteur=acteur, collectif=fiche.collectif, donnees=consentement)
    _appliquer(fiche, donnees, accord)
    fiche.full_clean(exclude=["recherche", "etat"])
    fiche.save()
    fiche.themes.set(donnees.themes)
    recherche_mettre_a_jour(FichePratique.objects.filter(pk=fiche.pk))
    return fiche


def _cloturer(acteur: Acteur | None, convention: Convention, commentaire: str) -> None:
    transition_appliquer(convention, "cloturer", acteur=acteur, commentaire=commentaire, update_fields=["cloturee_le"])


def _cloturer_si_complet(acteur: Acteur | None, convention_id: int, commentaire: str) -> bool:
    """SPEC §5: close the convention now if nothing is missing any more (its row locked). Says whether it closed."""
    convention = Convention.objects.select_for_update(of=("self",)).filter(pk=convention_id).first()
    if convention is None or convention.etat != EtatConvention.ACTIVE or ce_qui_manque_pour_cloturer(convention):
        return False
    _cloturer(acteur, convention, commentaire)
    return True


@transaction.atomic(durable=True)
def fiche_proposer(*, acteur: Acteur, fiche: FichePratique) -> FichePratique:
    """R14: the collectif proposes its complete sheet to the département (title, context, approach, a theme).
    If the year-3 check-in of its convention is already validated, the three-year cycle closes now (SPEC §5)."""
    fiche = _verrouiller(fiche)
    exiger(permissions.can_voir_fiche(acteur, fiche))
    if fiche.etat != EtatFiche.BROUILLON:
        raise ValidationError(f"Cette fiche est {fiche.get_etat_display().lower()} : elle a déjà été proposée.")
    exiger(permissions.can_proposer_fiche(acteur, fiche))
    manques = _manques(fiche)
    if manques:
        raise ValidationError(manques)
    if fiche.convention_id is None:
        fiche.convention = convention_de_la_fiche(fiche.collectif)
    transition_appliquer(
        fiche,
        "proposer",
        acteur=acteur,
        commentaire="Fiche pratique proposée au département.",
        update_fields=["proposee_le", "convention"],
    )
    conventions = Convention.objects.filter(
        declaration__collectif=fiche.collectif, etat=EtatConvention.ACTIVE
    ).values_list("pk", flat=True)
    for convention_id in conventions:
        _cloturer_si_complet(
            acteur,
            convention_id,
            "Cycle de trois ans clôturé : le bilan de l'année 3 est validé et la fiche pratique vient d'être proposée.",
        )
    return fiche


def _examinee(acteur: Acteur, fiche: FichePratique) -> FichePratique:
    fiche = _verrouiller(fiche)
    exiger(permissions.can_voir_fiche(acteur, fiche))
    if fiche.etat != EtatFiche.PROPOSEE:
        raise ValidationError(
            f"Cette fiche est {fiche.get_etat_display().lower()} : seule une fiche proposée s'examine."
        )
    exiger(permissions.can_examiner_fiche(acteur, fiche))
    return fiche


@transaction.atomic(durable=True)
def fiche_retourner(*, acteur: Acteur, fiche: FichePratique, message: str) -> FichePratique:
    """R14: the département's instructeurs return a proposed sheet to the collectif, saying what to rework; it is a
    draft again."""
    fiche = _examinee(acteur, fiche)
    message = message.strip()
    if not message:
        raise ValidationError({"message": ["Dites au collectif ce qu'il faudrait reprendre."]})
    if len(message) > LONGUEUR_MESSAGE:
        raise ValidationError({"message": [_limite(LONGUEUR_MESSAGE)]})
    fiche.message_retour = message
    transition_appliquer(
        fiche, "retourner", acteur=acteur, commentaire=message, update_fields=["retournee_le", "message_retour"]
    )
    return fiche


@transaction.atomic(durable=True)
def fiche_publier(*, acteur: Acteur, fiche: FichePratique) -> FichePratique:
    """R14: the département's instructeurs publish a proposed sheet: it enters the public catalogue. Its numbered
    PDF (Fiche pratique, FIP-DEPT-YEAR-SEQ) is issued once, by the worker after commit."""
    fiche = _examinee(acteur, fiche)
    transition_appliquer(
        fiche, "publier", acteur=acteur, commentaire="Fiche pratique publiée.", update_fields=["publiee_le"]
    )
    transaction.on_commit(partial(tasks.emettre_fiche_pratique.enqueue, fiche.pk))
    return fiche


@transaction.atomic(durable=True)
def fiche_retenir(*, acteur: Acteur, fiche: FichePratique) -> FichePratique:
    """R14: national staff retain a published sheet for the national capitalisation (it stays public)."""
    fiche = _verrouiller(fiche)
    if fiche.etat != EtatFiche.PUBLIEE:
        raise ValidationError(
            f"Cette fiche est {fiche.get_etat_display().lower()} : seule une fiche publiée peut être retenue."
        )
    exiger(permissions.can_retenir_fiche(acteur, fiche))
    transition_appliquer(
        fiche,
        "retenir",
        acteur=acteur,
        commentaire="Fiche pratique retenue pour la capitalisation nationale.",
        update_fields=["retenue_le"],
    )
    return fiche


@transaction.atomic(durable=True)
def convention_cloturer(*, acteur: Acteur, convention: Convention) -> Convention:
    """SPEC §5, R14: the département's instructeurs close a collectif's convention at the end of its three-year
    cycle: only once its year-3 check-in is validated and a practice sheet of the collectif proposed; otherwise a
    French error names what is missing."""
    convention = Convention.objects.select_for_update(of=("self",)).get(pk=convention.pk)
    exiger(permissions_fonds.can_gerer_convention(acteur, convention))
    if convention.etat == EtatConvention.CLOTUREE:
        raise ValidationError("Cette convention est déjà clôturée.")
    manques = ce_qui_manque_pour_cloturer(convention)
    if manques:
        raise ValidationError(manques)
    _cloturer(acteur, convention, "Cycle de trois ans clôturé.")
    return convention


def sur_transition_validee(
    sender: type[models.Model], *, modele: type[models.Model], pk: int, transition: str, **kwargs: Any
) -> None:
    """SPEC §5: after the commit of a year-3 check-in's validation, close its convention if the collectif's sheet
    was already proposed. The validation is committed: a failure here is logged (the instructeur can still close
    the convention from its page)."""
    if modele is not BilanAnnuel or transition != "valider":
        return
    try:
        bilan = BilanAnnuel.objects.filter(pk=pk, rang=RANG_DERNIER_BILAN).only("convention_id").first()
        if bilan is None:
            return
        with transaction.atomic():
            _cloturer_si_complet(
                None,
                bilan.convention_id,
                "Cycle de trois ans clôturé : la fiche pratique était proposée et le bilan de l'année 3 vient "
                "d'être validé.",
            )
    except Exception:
        logger.exception("La convention du bilan %s n'a pas pu être clôturée après sa validation.", pk)
