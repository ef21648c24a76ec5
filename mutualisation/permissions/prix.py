"""Who may do what on the prizes (R18). Pure predicates; deny by default (CONVENTIONS §3.7).

A departmental prize is organised by its département's instructeurs, the national prize by national staff. Jurors
with an account read the prize they sit on and score its nominations during the « jury » phase, except the
nominations of a collectif they belong to (conflict of interest). National staff read every prize; instructeurs
also read the national prize (their laureates are its nominees). The laureates are public once proclaimed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collectifs.permissions import est_referent
from comptes.models import Acteur
from comptes.permissions import connecte, est_equipe_nationale, est_instructeur, est_instructeur_de
from mutualisation.enums import EtatPrix, NiveauPrix

if TYPE_CHECKING:
    from collectifs.models import Collectif
    from mutualisation.models import Nomination, Prix


def can_creer_prix(user: Acteur, niveau: str, departement_code: str | None = None) -> bool:
    """R18: a département's instructeurs create its yearly prize; national staff create the national prize."""
    if niveau == NiveauPrix.NATIONAL:
        return est_equipe_nationale(user)
    return departement_code is not None and est_instructeur_de(user, departement_code)


def can_gerer_prix(user: Acteur, prix: Prix) -> bool:
    """R18: the organisers (the département's instructeurs, national staff for the national prize) nominate, form
    the jury, open the jury phase and proclaim the laureates."""
    if prix.niveau == NiveauPrix.NATIONAL:
        return est_equipe_nationale(user)
    return prix.departement_id is not None and est_instructeur_de(user, prix.departement_id)


def est_jure(user: Acteur, prix: Prix) -> bool:
    """A juror of this prize with an account."""
    return connecte(user) and prix.jury.filter(user_id=user.pk).exists()


def can_voir_prix(user: Acteur, prix: Prix) -> bool:
    """R18: the organisers, national staff, its jurors; every instructeur reads the national prize."""
    if can_gerer_prix(user, prix) or est_equipe_nationale(user) or est_jure(user, prix):
        return True
    return prix.niveau == NiveauPrix.NATIONAL and est_instructeur(user)


def can_ouvrir_jury(user: Acteur, prix: Prix) -> bool:
    """R18: the organisers close the nominations and open the jury phase (the service checks the jury mirrors the
    three colleges)."""
    return can_gerer_prix(user, prix)


def can_proclamer_prix(user: Acteur, prix: Prix) -> bool:
    """R18: the organisers proclaim the laureates once the jury has scored."""
    return can_gerer_prix(user, prix)


def en_conflit(user: Acteur, collectif: Collectif) -> bool:
    """R18: a juror has a conflict of interest with a collectif they belong to: one of its référents, or one of its
    members (past or present) recorded with the same e-mail address as their account."""
    if not connecte(user):
        return False
    return est_referent(user, collectif) or collectif.membres.filter(email__iexact=user.email).exists()


def can_noter(user: Acteur, nomination: Nomination) -> bool:
    """R18: during the « jury » phase, a juror with an account scores a nomination, unless they have a conflict of
    interest with its collectif."""
    prix = nomination.prix
    return prix.etat == EtatPrix.JURY and est_jure(user, prix) and not en_conflit(user, nomination.fiche.collectif)
