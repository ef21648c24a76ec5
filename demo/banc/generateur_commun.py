"""Shared pieces of the benchmark generator: sizes, the states the bulk spreads, the transitions the services
journal on the way to each state, names and texts, and what is kept of a département between stages."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from viewflow.workflow.models import Process, Task

from campagnes.models import Campagne
from collectifs.enums import College, EtatDeclaration
from comptes.models import User
from instances.models import InstanceDepartementale, MembreInstance, Seance
from territoires.models import Departement

E = EtatDeclaration
# The viewflow rows of one process: the process's values, its tasks' values, the links between its tasks.
Instantane = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]
LOT = 2000
MONTANT_MINIMAL = Decimal("15000.00")
NOM_FONDS = "Fonds national d'innovation sociale (banc)"
EMAIL_NATIONAL = "national@banc.invalid"
MEMBRES_INSTANCE = 9
CAMPAGNES_MAX = 3  # the first campaign must still be openable today (core.dates.bornes_campagne)

# The states of the bulk declarations, cycled over the collectifs of a campaign: decided campaigns, then the open one.
ETATS_DECIDES = (E.AGREEE, E.REFUSEE, E.EN_ATTENTE, E.RETIREE, E.CLASSEE_SANS_SUITE, E.AGREEE, E.REFUSEE, E.AGREEE)
ETATS_OUVERTS = (
    E.BROUILLON,
    E.DEPOSEE,
    E.EN_INSTRUCTION,
    E.A_COMPLETER,
    E.RECEVABLE,
    E.INSCRITE_EN_SEANCE,
    E.DEPOSEE,
    E.EN_INSTRUCTION,
)
# The transitions the services journal on the way to each state (journal.fsm.transition_appliquer).
CHEMINS: dict[str, list[tuple[str, str, str]]] = {
    E.BROUILLON: [],
    E.DEPOSEE: [("deposer", E.BROUILLON, E.DEPOSEE)],
}
CHEMINS[E.EN_INSTRUCTION] = [*CHEMINS[E.DEPOSEE], ("instruire", E.DEPOSEE, E.EN_INSTRUCTION)]
CHEMINS[E.A_COMPLETER] = [*CHEMINS[E.EN_INSTRUCTION], ("demander_complements", E.EN_INSTRUCTION, E.A_COMPLETER)]
CHEMINS[E.CLASSEE_SANS_SUITE] = [
    *CHEMINS[E.A_COMPLETER],
    ("classer_sans_suite", E.A_COMPLETER, E.CLASSEE_SANS_SUITE),
]
CHEMINS[E.RECEVABLE] = [*CHEMINS[E.EN_INSTRUCTION], ("declarer_recevable", E.EN_INSTRUCTION, E.RECEVABLE)]
CHEMINS[E.RETIREE] = [*CHEMINS[E.RECEVABLE], ("retirer", E.RECEVABLE, E.RETIREE)]
CHEMINS[E.INSCRITE_EN_SEANCE] = [
    *CHEMINS[E.RECEVABLE],
    ("inscrire_en_seance", E.RECEVABLE, E.INSCRITE_EN_SEANCE),
]
CHEMINS[E.AGREEE] = [*CHEMINS[E.INSCRITE_EN_SEANCE], ("agreer", E.INSCRITE_EN_SEANCE, E.AGREEE)]
CHEMINS[E.REFUSEE] = [*CHEMINS[E.INSCRITE_EN_SEANCE], ("refuser", E.INSCRITE_EN_SEANCE, E.REFUSEE)]
CHEMINS[E.EN_ATTENTE] = [*CHEMINS[E.INSCRITE_EN_SEANCE], ("mettre_en_attente", E.INSCRITE_EN_SEANCE, E.EN_ATTENTE)]
# Which sampled process each bulk declaration's process copies, by the declaration's state: the same state where the
# sample passes through it; the nearest otherwise (a declaration taken into instruction keeps its instruction task,
# waitlisted ones wait like those on an agenda, every process that ended copies the agreed one's).
GABARITS = {
    E.DEPOSEE: E.DEPOSEE,
    E.EN_INSTRUCTION: E.DEPOSEE,
    E.A_COMPLETER: E.A_COMPLETER,
    E.RECEVABLE: E.RECEVABLE,
    E.INSCRITE_EN_SEANCE: E.INSCRITE_EN_SEANCE,
    E.EN_ATTENTE: E.INSCRITE_EN_SEANCE,
    E.AGREEE: E.AGREEE,
    E.REFUSEE: E.AGREEE,
    E.RETIREE: E.AGREEE,
    E.CLASSEE_SANS_SUITE: E.AGREEE,
}

PRENOMS = ("Camille", "Nadia", "Karim", "Élodie", "Louis", "Fatou", "Hugo", "Inès", "Paul", "Zohra", "Léa", "Samir")
NOMS = ("Martin", "Bernard", "Diallo", "Haddad", "Perrin", "Garnier", "Roux", "Faure", "Mercier", "Blanc", "Chaize")
TEXTE_DYNAMIQUE = (
    "Depuis trois ans, la mairie, le centre social et les habitant·es se retrouvent chaque mois autour d'un café "
    "du quartier."
)
TEXTE_PROJET = "Ouvrir une cuisine partagée au pied des immeubles, gérée par les habitant·es."
TEXTE_ADDITIONNALITE = "Aucune des structures ne peut porter seule ce lieu : il faut la salle, le temps et la présence."


@dataclass
class PartDepartement:
    """What the generator keeps of one département between stages."""

    departement: Departement
    instructeur: User
    instance: InstanceDepartementale | None = None
    membres_instance: list[MembreInstance] = field(default_factory=list)
    campagnes: list[Campagne] = field(default_factory=list)
    seances: dict[int, Seance] = field(default_factory=dict)  # campaign pk → the sampled séance


def college(rang: int) -> str:
    """R1 holds from 5 members: one élu·e, then professionals and inhabitants in turn."""
    if rang == 0:
        return College.ELU_RESPONSABLE
    return College.PROFESSIONNEL if rang % 2 else College.HABITANT


def etat_du_rang(rang: int, ouverte: bool) -> str:
    cycle = ETATS_OUVERTS if ouverte else ETATS_DECIDES
    return cycle[rang % len(cycle)]


def annees_des_campagnes(campagnes: int) -> list[int]:
    """Consecutive years ending next year: the last campaign is open, the others are decided."""
    prochaine = timezone.localdate().year + 1
    return list(range(prochaine - campagnes + 1, prochaine + 1))


def plan_de_campagne(collectifs: int, echantillon: int, ouverte: bool) -> list[str]:
    """The states of the bulk declarations of one campaign."""
    return [etat_du_rang(rang, ouverte) for rang in range(collectifs - echantillon)]


def quota_des_campagnes(collectifs: int, echantillon: int) -> int:
    """Places of a campaign: its agreements (the sample, then the bulk's) — the waiting list is beyond the quota."""
    return echantillon + plan_de_campagne(collectifs, echantillon, False).count(E.AGREEE)


def utilisateur(email: str, prenom: str, nom: str) -> User:
    user = User(email=email, prenom=prenom, nom=nom)
    user.set_unusable_password()
    return user


def instantane_processus(pk: int) -> Instantane:
    return (
        Process.objects.filter(pk=pk).values().get(),
        list(Task.objects.filter(process_id=pk).order_by("pk").values()),
        list(Task.previous.through.objects.filter(to_task__process_id=pk).values("from_task_id", "to_task_id")),
    )
