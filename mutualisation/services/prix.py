"""R18: the yearly prizes. A département's instructeurs create its prize and nominate published sheets of the
département; national staff create the national prize, whose nominees are the departmental laureates of the year.
The jury mirrors the three colleges of the collectifs: the jury phase opens only when each college has a juror.
During the « jury » phase each juror with an account scores each nomination from 0 to 10, except the nominations of
a collectif they belong to (conflict of interest: the service refuses). Then the organisers proclaim.

Proclamation rule (kept simple, and shown on the page): each scored nomination gets the mean of its scores; the
nominations are ranked by mean, best first, with equal means sharing a rank (1, 1, 3…); the laureates are the
nominations ranked within `nombre_laureats` (1 by default), so a tie at the last place makes several laureates.
Unscored nominations are not ranked. Means are compared exactly (fractions), never as floats.

Transitions go through `journal.fsm.transition_appliquer` (R19), with the predicates of
`mutualisation.permissions.prix` on the model's transitions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from collectifs.enums import College
from comptes.models import Acteur, User, personne
from core.permissions import exiger
from journal.fsm import transition_appliquer
from mutualisation.enums import EtatPrix, NiveauPrix
from mutualisation.models import FichePratique, MembreJury, Nomination, NoteJury, Prix
from mutualisation.models.prix import NOTE_MAX
from mutualisation.permissions import prix as permissions
from mutualisation.selectors.prix import colleges_manquants, fiches_nominables, moyenne, nominations_du_prix
from territoires.models import Departement

LONGUEUR_TITRE = 200
LONGUEUR_NOM = 100
LONGUEUR_COMMENTAIRE = 2000
ANNEE_MIN, ANNEE_MAX = 2000, 2100


def _auteur(acteur: Acteur) -> User:
    auteur = personne(acteur)
    assert auteur is not None  # the predicates let only logged-in people through
    return auteur


@transaction.atomic(durable=True)
def prix_creer(*, acteur: Acteur, niveau: str, annee: int, titre: str, departement: Departement | None = None) -> Prix:
    """R18: create the yearly prize: a département's (its instructeurs) or the nation's (national staff). One per
    département and year, one national per year."""
    if niveau not in NiveauPrix.values:
        raise ValidationError({"niveau": ["Choisissez un prix départemental ou national."]})
    if niveau == NiveauPrix.NATIONAL:
        departement = None
    elif departement is None:
        raise ValidationError({"departement": ["Choisissez le département du prix."]})
    exiger(permissions.can_creer_prix(acteur, niveau, departement.code if departement else None))
    erreurs: dict[str, list[str]] = {}
    titre = titre.strip()
    if not titre:
        erreurs["titre"] = ["Donnez un titre au prix."]
    elif len(titre) > LONGUEUR_TITRE:
        erreurs["titre"] = [f"{LONGUEUR_TITRE} caractères au plus."]
    if not ANNEE_MIN <= annee <= ANNEE_MAX:
        erreurs["annee"] = [f"Une année entre {ANNEE_MIN} et {ANNEE_MAX}."]
    existe = Prix.objects.filter(niveau=niveau, annee=annee, departement=departement).exists()
    if existe and "annee" not in erreurs:
        erreurs["annee"] = [
            f"Le prix national {annee} existe déjà."
            if niveau == NiveauPrix.NATIONAL
            else f"Le prix {annee} de ce département existe déjà."
        ]
    if erreurs:
        raise ValidationError(erreurs)
    return Prix.objects.create(
        niveau=niveau, annee=annee, titre=titre, departement=departement, cree_par=_auteur(acteur)
    )


def _verrouiller(prix: Prix) -> Prix:
    return Prix.objects.select_for_update(of=("self",)).select_related("departement").get(pk=prix.pk)


def _exiger_nominations_ouvertes(prix: Prix) -> None:
    if prix.etat != EtatPrix.NOMINATIONS:
        raise ValidationError(f"Les nominations sont closes ({prix.get_etat_display().lower()}).")


@transaction.atomic(durable=True)
def nomination_ajouter(*, acteur: Acteur, prix: Prix, fiche: FichePratique) -> Nomination:
    """R18: nominate a sheet while nominations are open: a published sheet of the département for its prize; a
    departmental laureate of the year for the national prize."""
    prix = _verrouiller(prix)
    exiger(permissions.can_gerer_prix(acteur, prix))
    _exiger_nominations_ouvertes(prix)
    if not fiches_nominables(prix).filter(pk=fiche.pk).exists():
        if Nomination.objects.filter(prix=prix, fiche=fiche).exists():
            message = "Cette fiche est déjà nominée."
        elif prix.niveau == NiveauPrix.NATIONAL:
            message = "Le prix national ne nomine que les lauréates des prix départementaux de l'année."
        else:
            message = "Seules les fiches publiées du département peuvent être nominées."
        raise ValidationError({"fiche": [message]})
    return Nomination.objects.create(prix=prix, fiche=fiche, nominee_par=_auteur(acteur))


@transaction.atomic(durable=True)
def prix_nominer_laureats_departementaux(*, acteur: Acteur, prix: Prix) -> list[Nomination]:
    """R18: national staff nominate, for the national prize, every departmental laureate of the year not nominated
    yet. Returns the new nominations."""
    prix = _verrouiller(prix)
    exiger(permissions.can_gerer_prix(acteur, prix))
    _exiger_nominations_ouvertes(prix)
    if prix.niveau != NiveauPrix.NATIONAL:
        raise ValidationError("Seul le prix national reprend les lauréates des prix départementaux.")
    auteur = _auteur(acteur)
    return [Nomination.objects.create(prix=prix, fiche=f, nominee_par=auteur) for f in fiches_nominables(prix)]


@transaction.atomic(durable=True)
def membre_jury_ajouter(
    *, acteur: Acteur, prix: Prix, prenom: str, nom: str, college: str, email: str = ""
) -> MembreJury:
    """R18: add a juror to one of the three colleges, before the proclamation. With the e-mail address of an
    existing account, the juror scores online."""
    prix = _verrouiller(prix)
    exiger(permissions.can_gerer_prix(acteur, prix))
    if prix.etat == EtatPrix.PROCLAME:
        raise ValidationError("Les lauréates sont proclamées : le jury ne change plus.")
    erreurs: dict[str, list[str]] = {}
    prenom, nom, email = prenom.strip(), nom.strip(), email.strip()
    for champ, valeur in (("prenom", prenom), ("nom", nom)):
        if not valeur:
            erreurs[champ] = ["Ce champ est obligatoire."]
        elif len(valeur) > LONGUEUR_NOM:
            erreurs[champ] = [f"{LONGUEUR_NOM} caractères au plus."]
    if college not in College.values:
        erreurs["college"] = ["Choisissez l'un des trois collèges."]
    compte = None
    if email:
        compte = User.objects.filter(email__iexact=email, is_active=True).first()
        if compte is None:
            erreurs["email"] = ["Aucun compte actif avec cette adresse : laissez vide pour un·e juré·e sans compte."]
        elif MembreJury.objects.filter(prix=prix, user=compte).exists():
            erreurs["email"] = ["Cette personne fait déjà partie du jury."]
    if erreurs:
        raise ValidationError(erreurs)
    return MembreJury.objects.create(prix=prix, user=compte, prenom=prenom, nom=nom, college=college)


@transaction.atomic(durable=True)
def prix_ouvrir_jury(*, acteur: Acteur, prix: Prix) -> Prix:
    """R18: close the nominations and open the jury phase: at least one nomination, and a jury that mirrors the
    three colleges (each has at least one juror)."""
    prix = _verrouiller(prix)
    exiger(permissions.can_gerer_prix(acteur, prix))
    erreurs = []
    if not Nomination.objects.filter(prix=prix).exists():
        erreurs.append("Nominez au moins une fiche avant d'ouvrir la délibération du jury.")
    manquants = colleges_manquants(prix)
    if manquants:
        erreurs.append(
            "Le jury doit refléter les trois collèges ; il manque au moins un·e juré·e pour : "
            + ", ".join(f"« {m} »" for m in manquants)
            + "."
        )
    if erreurs:
        raise ValidationError(erreurs)
    transition_appliquer(prix, "ouvrir_jury", acteur=acteur, commentaire="Nominations closes ; le jury délibère.")
    return prix


@transaction.atomic(durable=True)
def note_enregistrer(*, acteur: Acteur, nomination: Nomination, note: int, commentaire: str = "") -> NoteJury:
    """R18: a juror scores a nomination (0 to 10) during the « jury » phase, and may change the score until the
    proclamation. Refused when the juror belongs to the nominated sheet's collectif (conflict of interest)."""
    prix = _verrouiller(nomination.prix)
    nomination = Nomination.objects.select_related("fiche__collectif").get(pk=nomination.pk)
    nomination.prix = prix
    if not permissions.est_jure(acteur, prix):
        exiger(False, "Seul·es les juré·es de ce prix notent ses nominations.")
    if prix.etat != EtatPrix.JURY:
        raise ValidationError(f"Le jury ne note pas en ce moment ({prix.get_etat_display().lower()}).")
    if permissions.en_conflit(acteur, nomination.fiche.collectif):
        exiger(False, "Conflit d'intérêts : vous faites partie de ce collectif, vous ne pouvez pas noter sa fiche.")
    erreurs: dict[str, list[str]] = {}
    if not 0 <= note <= NOTE_MAX:
        erreurs["note"] = [f"Une note entre 0 et {NOTE_MAX}."]
    commentaire = commentaire.strip()
    if len(commentaire) > LONGUEUR_COMMENTAIRE:
        erreurs["commentaire"] = [f"{LONGUEUR_COMMENTAIRE} caractères au plus."]
    if erreurs:
        raise ValidationError(erreurs)
    membre = MembreJury.objects.get(prix=prix, user=personne(acteur))
    resultat, _ = NoteJury.objects.update_or_create(
        nomination=nomination,
        membre_jury=membre,
        defaults={"note": note, "commentaire": commentaire, "notee_le": timezone.now()},
    )
    return resultat


@transaction.atomic(durable=True)
def prix_proclamer(*, acteur: Acteur, prix: Prix, nombre_laureats: int = 1) -> list[Nomination]:
    """R18: proclaim the laureates (see the module's rule: ranked by mean score, ties share a rank, laureates within
    `nombre_laureats`). Returns the laureates."""
    prix = _verrouiller(prix)
    exiger(permissions.can_gerer_prix(acteur, prix))
    if prix.etat != EtatPrix.JURY:
        raise ValidationError(f"Seul un prix en délibération se proclame ({prix.get_etat_display().lower()}).")
    if nombre_laureats < 1:
        raise ValidationError({"nombre_laureats": ["Au moins une lauréate."]})
    nominations = nominations_du_prix(prix)
    notees = [(moyenne(n), n) for n in nominations if moyenne(n) is not None]
    if not notees:
        raise ValidationError("Aucune nomination n'a encore été notée par le jury.")
    moyennes = [m for m, _ in notees if m is not None]
    for valeur, nomination in notees:
        assert valeur is not None
        rang = 1 + len([autre for autre in moyennes if autre > valeur])
        nomination.rang = rang
        nomination.laureat = rang <= nombre_laureats
    Nomination.objects.bulk_update([n for _, n in notees], ["rang", "laureat"])
    laureats = sorted((n for _, n in notees if n.laureat), key=lambda n: (n.rang, n.pk))
    noms = ", ".join(f"« {n.fiche.titre} »" for n in laureats)
    transition_appliquer(
        prix, "proclamer", acteur=acteur, commentaire=f"Lauréate(s) : {noms}.", update_fields=["proclame_le"]
    )
    return laureats
