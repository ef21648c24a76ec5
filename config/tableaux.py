"""The dashboard's composition: one block per role the user holds (référent, instructeur, instance member or
president, accompagnateur, employer, funder, national staff), each saying what to do now and what is coming, with
counts and links; staff blocks add the key figures of their scope with one chart and its table.

This module reads every app through its selectors (the composition root may); it holds no rule of its own beyond
how the dashboard words and orders things. Each block runs a constant number of queries whatever the volume of
data, except the référent's, whose drafts' blockers are computed for the first `BROUILLONS_DETAILLES` drafts only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from campagnes.models import Campagne
from campagnes.selectors import campagne_de_depot
from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, Declaration, DemandeComplements, Organisation
from collectifs.selectors import collectifs_du_referent
from collectifs.selectors_tableau import Delais, declarations_par_etat, delais_instruction, demandes_a_repondre
from collectifs.services import ETAPE_DE_LA_CONDITION, conditions_de_depot
from comptes.context_processors import Roles
from comptes.models import Acteur
from comptes.permissions import est_equipe_nationale
from core.graphiques import Graphique, Serie, graphique_barres
from fonds.enums import EtatMiseADisposition
from fonds.models import BilanAnnuel, Convention, Financeur
from fonds.selectors.mises_a_disposition import mises_a_disposition_de_l_employeur
from fonds.selectors.tableau import (
    ETATS_BILAN_ATTENDU,
    Argent,
    ConventionsEnAttente,
    argent,
    bilans_a_venir,
    bilans_en_retard_du_perimetre,
    conventions_des_declarations,
    conventions_en_attente,
    mises_a_disposition_en_attente,
)
from fonds.selectors.tableaux import AnneeDuFinanceur, vue_du_financeur
from instances.models import AffectationAccompagnateur, MembreInstance, PointOrdreDuJour, Seance
from instances.selectors import accompagnements_de
from instances.selectors_tableau import (
    campagnes_ouvertes_avec_places,
    departements_et_instances,
    dernieres_decisions,
    mandats_de,
    prochaine_seance,
    recevables_sans_seance,
    seances_a_venir_du_membre,
)
from mutualisation.enums import EtatSynthese
from mutualisation.models import RapportNational, SyntheseDepartementale
from mutualisation.selectors.rencontres import CompteurRencontres, compteurs_rencontres
from territoires.models import Departement
from workflow.selectors_tableau import CompteTaches, compte_taches

# The référent's drafts whose blockers are listed (each costs a few queries); the others link to their summary.
BROUILLONS_DETAILLES = 5
# An accompagnateur is reminded to write in a collectif's journal after this long without an entry (R10).
JOURNAL_A_TENIR_APRES = timedelta(days=30)
# The blocks, in the order shown when none or several have something to do.
ORDRE_DES_ROLES = ("instructeur", "instance", "accompagnateur", "employeur", "referent", "financeur", "national")

# What a filed declaration's state means for the collectif, and what comes next, in plain words (R4, R5).
EN_CLAIR: dict[str, tuple[str, str]] = {
    EtatDeclaration.DEPOSEE: (
        "Votre déclaration est déposée.",
        "L'équipe du département va vérifier qu'elle est complète.",
    ),
    EtatDeclaration.EN_INSTRUCTION: (
        "Un·e instructeur·rice examine votre déclaration.",
        "Elle sera déclarée recevable, ou des compléments vous seront demandés.",
    ),
    EtatDeclaration.A_COMPLETER: (
        "L'instruction vous demande des compléments.",
        "Répondez à la demande : l'examen reprend dès votre réponse.",
    ),
    EtatDeclaration.RECEVABLE: (
        "Votre déclaration est recevable.",
        "Elle sera inscrite à la prochaine séance de l'instance départementale, qui décide de l'agrément.",
    ),
    EtatDeclaration.INSCRITE_EN_SEANCE: (
        "Votre déclaration est à l'ordre du jour d'une séance de l'instance départementale.",
        "L'instance vote, puis vous recevez sa décision.",
    ),
    EtatDeclaration.AGREEE: (
        "Votre collectif est agréé.",
        "La convention de financement fixe les versements et les bilans annuels.",
    ),
    EtatDeclaration.REFUSEE: (
        "L'instance n'a pas agréé votre collectif ; ses motifs figurent dans la décision.",
        "Vous pourrez déposer une nouvelle déclaration lors d'une prochaine campagne.",
    ),
    EtatDeclaration.EN_ATTENTE: (
        "Votre déclaration est en liste d'attente : toutes les places de la campagne sont prises.",
        "Si une place se libère, elle repasse en séance.",
    ),
    EtatDeclaration.RETIREE: ("Vous avez retiré cette déclaration.", ""),
    EtatDeclaration.CLASSEE_SANS_SUITE: ("Cette déclaration a été classée sans suite.", ""),
}
# States in which the instruction deadline runs (R4).
ETATS_EN_INSTRUCTION = (EtatDeclaration.DEPOSEE, EtatDeclaration.EN_INSTRUCTION)


@dataclass
class Bloc:
    """One role's block: its heading, its template under pages/tableau_de_bord/, how many things wait for the
    user (`a_faire`, which orders the blocks) and what the template shows."""

    role: str
    titre: str
    a_faire: int
    donnees: dict[str, Any]

    @property
    def gabarit(self) -> str:
        return f"pages/tableau_de_bord/_{self.role}.html"


# --- Référent -----------------------------------------------------------------------------------------------------


@dataclass
class LigneDeclaration:
    """One declaration of the référent's collectif, as the dashboard says it."""

    declaration: Declaration
    # A draft: ready to file (None when its blockers were not computed), what is missing, the step to continue at.
    prete: bool | None = None
    manques: list[str] = field(default_factory=list)
    etape: str = ""
    url_continuer: str = ""
    # A filed declaration: its state and what comes next, in words; the instruction deadline while it runs.
    situation: str = ""
    suite: str = ""
    echeance: datetime | None = None
    demande: DemandeComplements | None = None
    convention: Convention | None = None
    prochain_bilan: BilanAnnuel | None = None


@dataclass
class CarteCollectif:
    collectif: Collectif
    lignes: list[LigneDeclaration]


def _brouillon(ligne: LigneDeclaration, campagnes: dict[str, Campagne | None]) -> None:
    """R1, R2: the draft's blockers, as the récapitulatif lists them, and the step where the first one is fixed."""
    collectif = ligne.declaration.collectif
    code = collectif.departement_id
    if code not in campagnes:
        campagnes[code] = campagne_de_depot(collectif.departement)
    erreurs = conditions_de_depot(ligne.declaration, campagnes[code])
    ligne.prete = not erreurs
    ligne.manques = [message for messages in erreurs.values() for message in messages]
    premier = next(iter(erreurs), None)
    ligne.etape = ETAPE_DE_LA_CONDITION.get(premier, "recapitulatif") if premier else "recapitulatif"


def _url_etape(ligne: LigneDeclaration) -> str:
    return reverse(f"collectifs:etape_{ligne.etape}", args=[ligne.declaration.pk])


def _bloc_referent(collectifs: list[Collectif]) -> Bloc:
    declarations = [d for c in collectifs for d in c.declarations.all()]
    deposees = [d.pk for d in declarations if d.etat != EtatDeclaration.BROUILLON]
    demandes = demandes_a_repondre([d.pk for d in declarations if d.etat == EtatDeclaration.A_COMPLETER])
    conventions = conventions_des_declarations([d.pk for d in declarations if d.etat == EtatDeclaration.AGREEE])
    aujourdhui = timezone.localdate()
    campagnes: dict[str, Campagne | None] = {}
    brouillons_vus = 0
    a_faire = 0
    cartes = []
    for collectif in collectifs:
        lignes = []
        for declaration in collectif.declarations.all():
            declaration.collectif = collectif  # already loaded: no query per declaration
            ligne = LigneDeclaration(declaration=declaration)
            if declaration.etat == EtatDeclaration.BROUILLON:
                a_faire += 1
                if brouillons_vus < BROUILLONS_DETAILLES:
                    _brouillon(ligne, campagnes)
                else:
                    ligne.etape = "recapitulatif"
                ligne.url_continuer = _url_etape(ligne)
                brouillons_vus += 1
            else:
                ligne.situation, ligne.suite = EN_CLAIR.get(declaration.etat, (declaration.get_etat_display(), ""))
                if declaration.etat in ETATS_EN_INSTRUCTION:
                    ligne.echeance = declaration.echeance_instruction
                ligne.demande = demandes.get(declaration.pk)
                a_faire += ligne.demande is not None
                ligne.convention = conventions.get(declaration.pk)
                if ligne.convention is not None:
                    bilans: list[BilanAnnuel] = ligne.convention.bilans_du_tableau  # type: ignore[attr-defined]
                    attendus = [b for b in bilans if b.etat in ETATS_BILAN_ATTENDU]
                    ligne.prochain_bilan = attendus[0] if attendus else None
                    a_faire += bool(ligne.prochain_bilan and ligne.prochain_bilan.echeance <= aujourdhui)
            lignes.append(ligne)
        cartes.append(CarteCollectif(collectif=collectif, lignes=lignes))
    return Bloc(
        role="referent",
        titre="Mes collectifs",
        a_faire=a_faire,
        donnees={"cartes": cartes, "deposees": len(deposees), "aujourdhui": aujourdhui},
    )


# --- Staff: instructeur and national ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Places:
    quota: int
    occupees: int


def _places(campagnes: list[Campagne]) -> Places:
    return Places(
        quota=sum(c.quota for c in campagnes),
        occupees=sum(getattr(c, "places_occupees", 0) for c in campagnes),
    )


def _graphique_etats(identifiant: str, titre: str, description: str, par_etat: dict[str, int]) -> Graphique | None:
    """The one chart of a staff block: the filed declarations per state (states with none left out)."""
    libelles = dict(EtatDeclaration.choices)
    lignes = [(libelles[etat], nombre) for etat, nombre in par_etat.items() if nombre]
    if not lignes:
        return None
    return graphique_barres(
        identifiant=identifiant,
        titre=titre,
        description=description,
        libelle_categories="État de la déclaration",
        categories=[libelle for libelle, _ in lignes],
        series=[Serie("Déclarations", [nombre for _, nombre in lignes])],
    )


def duree_en_clair(duree: timedelta | None) -> str:
    """A median delay in words: « moins d'un jour », « 1 jour », « 12 jours »; « — » when nothing to measure."""
    if duree is None:
        return "—"
    jours = duree.days
    if jours < 1:
        return "moins d'un jour"
    return f"{jours} jour{'s' if jours > 1 else ''}"


@dataclass
class ChiffresStaff:
    """The key figures of a staff block's scope."""

    par_etat: dict[str, int]
    total_deposees: int
    campagnes: list[Campagne]
    places: Places
    argent: Argent
    delais: Delais
    bilans_en_retard: int
    graphique: Graphique | None

    @property
    def delai_recevable(self) -> str:
        return duree_en_clair(self.delais.recevable)

    @property
    def delai_decision(self) -> str:
        return duree_en_clair(self.delais.decision)


def _chiffres(departements: list[str] | None, aujourdhui: date, identifiant: str, portee: str) -> ChiffresStaff:
    par_etat = declarations_par_etat(departements)
    campagnes = campagnes_ouvertes_avec_places(departements)
    return ChiffresStaff(
        par_etat=par_etat,
        total_deposees=sum(par_etat.values()),
        campagnes=campagnes,
        places=_places(campagnes),
        argent=argent(departements),
        delais=delais_instruction(departements),
        bilans_en_retard=bilans_en_retard_du_perimetre(departements, aujourdhui).count(),
        graphique=_graphique_etats(
            identifiant,
            f"Déclarations déposées par état — {portee}",
            f"Nombre de déclarations déposées, par état, brouillons exclus ({portee}).",
            par_etat,
        ),
    )


@dataclass
class DonneesInstructeur:
    departements: list[Departement]
    sans_instance: list[Departement]
    taches: CompteTaches
    prochaine_seance: Seance | None
    recevables_sans_seance: int
    conventions: ConventionsEnAttente
    mises_a_disposition: int
    chiffres: ChiffresStaff
    compteurs_rencontres: list[CompteurRencontres]


def _bloc_instructeur(user: Acteur, departements: list[Departement], maintenant: datetime) -> Bloc:
    codes = [d.code for d in departements]
    aujourdhui = timezone.localdate(maintenant)
    portee = ", ".join(str(d) for d in departements)
    donnees = DonneesInstructeur(
        departements=departements,
        sans_instance=[d for d in departements if getattr(d, "instance", None) is None],
        taches=compte_taches(user, maintenant),
        prochaine_seance=prochaine_seance(codes),
        recevables_sans_seance=recevables_sans_seance(codes),
        conventions=conventions_en_attente(codes),
        mises_a_disposition=mises_a_disposition_en_attente(codes),
        chiffres=_chiffres(codes, aujourdhui, "graphique-instruction", portee),
        compteurs_rencontres=compteurs_rencontres(user),
    )
    a_faire = (
        donnees.taches.a_prendre
        + donnees.taches.miennes
        + donnees.conventions.a_signer
        + donnees.conventions.tranches_a_verser
        + donnees.chiffres.bilans_en_retard
        + len(donnees.sans_instance)
    )
    return Bloc(role="instructeur", titre=f"Instruction — {portee}", a_faire=a_faire, donnees={"d": donnees})


@dataclass
class DonneesNational:
    chiffres: ChiffresStaff
    departements_actifs: int
    annee_syntheses: int
    syntheses_transmises: int
    syntheses_brouillons: int
    departements_attendus: int
    rapport: RapportNational | None


def _bloc_national(maintenant: datetime) -> Bloc:
    aujourdhui = timezone.localdate(maintenant)
    chiffres = _chiffres(None, aujourdhui, "graphique-national", "France entière")
    annee = aujourdhui.year - 1
    syntheses = SyntheseDepartementale.objects.filter(annee=annee).aggregate(
        transmises=Count("pk", filter=Q(etat__in=(EtatSynthese.TRANSMISE, EtatSynthese.CONSOLIDEE))),
        brouillons=Count("pk", filter=Q(etat=EtatSynthese.BROUILLON)),
    )
    donnees = DonneesNational(
        chiffres=chiffres,
        departements_actifs=len({c.departement_id for c in chiffres.campagnes}),
        annee_syntheses=annee,
        syntheses_transmises=syntheses["transmises"],
        syntheses_brouillons=syntheses["brouillons"],
        departements_attendus=Departement.objects.count(),
        rapport=RapportNational.objects.filter(annee=annee).select_related("travail").first(),
    )
    return Bloc(role="national", titre="Pilotage national", a_faire=0, donnees={"d": donnees})


# --- Instance member and president --------------------------------------------------------------------------------


@dataclass
class DonneesInstance:
    mandats: list[MembreInstance]
    preside: MembreInstance | None
    prochaine: Seance | None
    suivantes: list[Seance]
    decisions: list[PointOrdreDuJour]
    recevables_sans_seance: int


def _bloc_instance(user: Acteur, mandats: list[MembreInstance]) -> Bloc:
    seances = seances_a_venir_du_membre(user, [m.instance_id for m in mandats])
    preside = next((m for m in mandats if m.preside), None)  # type: ignore[attr-defined]
    donnees = DonneesInstance(
        mandats=mandats,
        preside=preside,
        prochaine=seances[0] if seances else None,
        suivantes=seances[1:],
        decisions=dernieres_decisions([m.instance_id for m in mandats]),
        recevables_sans_seance=recevables_sans_seance([preside.instance.departement_id]) if preside else 0,
    )
    noms = ", ".join(str(m.instance.departement) for m in mandats)
    titre = f"Présidence de l'instance — {noms}" if preside else f"Instance départementale — {noms}"
    convoquee = [s for s in seances if s.convoque]  # type: ignore[attr-defined]
    a_faire = len(convoquee) + int(bool(preside and seances))
    return Bloc(role="instance", titre=titre, a_faire=a_faire, donnees={"d": donnees})


# --- Accompagnateur, employer, funder -----------------------------------------------------------------------------


def _bloc_accompagnateur(accompagnements: list[AffectationAccompagnateur], aujourdhui: date) -> Bloc:
    limite = aujourdhui - JOURNAL_A_TENIR_APRES
    journal_a_tenir = [
        a
        for a in accompagnements
        if a.derniere_entree is None or a.derniere_entree < limite  # type: ignore[attr-defined]
    ]
    bilans = bilans_a_venir([a.collectif_id for a in accompagnements])
    en_retard = [b for b in bilans if b.echeance < aujourdhui]
    return Bloc(
        role="accompagnateur",
        titre="Collectifs que vous accompagnez",
        a_faire=len(journal_a_tenir) + len(en_retard),
        donnees={
            "accompagnements": accompagnements,
            "journal_a_tenir": journal_a_tenir,
            "bilans": bilans,
            "aujourdhui": aujourdhui,
            "jours_journal": JOURNAL_A_TENIR_APRES.days,
        },
    )


def _bloc_employeur(user: Acteur, employeur: Organisation, aujourdhui: date) -> Bloc:
    mises = mises_a_disposition_de_l_employeur(user)
    a_repondre = list(mises.filter(etat=EtatMiseADisposition.DEMANDEE))
    en_cours = list(mises.filter(etat=EtatMiseADisposition.PRISE_ACTE, date_fin__gte=aujourdhui))
    return Bloc(
        role="employeur",
        titre=f"Mises à disposition — {employeur}",
        a_faire=len(a_repondre),
        donnees={"employeur": employeur, "a_repondre": a_repondre, "en_cours": en_cours},
    )


def _bloc_financeur(financeur: Financeur, annee: int) -> Bloc:
    vue = vue_du_financeur(financeur)
    cette_annee = next((a for a in vue.annees if a.annee == annee), AnneeDuFinanceur(annee=annee))
    return Bloc(
        role="financeur",
        titre=f"Fonds d'innovation — {financeur}",
        a_faire=0,
        donnees={"financeur": financeur, "annee": cette_annee, "total": vue.total},
    )


# --- The page ---------------------------------------------------------------------------------------------------


@dataclass
class Tableau:
    """What the dashboard shows: the blocks, the most actionable first, and whether to offer declaring a
    collectif (to référents, and to people holding no other role)."""

    blocs: list[Bloc]
    proposer_declaration: bool
    roles: Roles


def _ordonner(blocs: list[Bloc]) -> list[Bloc]:
    return sorted(blocs, key=lambda b: (b.a_faire == 0, ORDRE_DES_ROLES.index(b.role)))


def tableau_de_bord(user: Acteur, maintenant: datetime | None = None) -> Tableau:
    """The dashboard of `user`: one block per role held (see the module's docstring)."""
    maintenant = maintenant or timezone.now()
    aujourdhui = timezone.localdate(maintenant)
    national = est_equipe_nationale(user)
    collectifs = list(collectifs_du_referent(user))
    departements = departements_et_instances(user)
    mandats = mandats_de(user)
    accompagnements = list(accompagnements_de(user))
    employeur = Organisation.objects.filter(acces_employeur__utilisateur_id=user.pk).order_by("pk").first()
    financeur = Financeur.objects.filter(acces__utilisateur_id=user.pk).order_by("pk").first()

    constructeurs: list[Callable[[], Bloc]] = []
    if departements:
        constructeurs.append(lambda: _bloc_instructeur(user, departements, maintenant))
    if national:
        constructeurs.append(lambda: _bloc_national(maintenant))
    if mandats:
        constructeurs.append(lambda: _bloc_instance(user, mandats))
    if accompagnements:
        constructeurs.append(lambda: _bloc_accompagnateur(accompagnements, aujourdhui))
    if employeur is not None:
        constructeurs.append(lambda: _bloc_employeur(user, employeur, aujourdhui))
    if financeur is not None:
        constructeurs.append(lambda: _bloc_financeur(financeur, aujourdhui.year))
    autres_roles = bool(constructeurs)
    referent = bool(collectifs) or not autres_roles
    if referent:
        constructeurs.append(lambda: _bloc_referent(collectifs))
    roles = Roles(user)
    # The header reads the same roles: tell it what is already known, so that it asks no query again.
    roles.renseigner(
        referent=bool(collectifs),
        instructeur=bool(departements) or None,
        national=national,
        membre_instance=bool(mandats),
        president=any(m.preside for m in mandats),  # type: ignore[attr-defined]
        accompagnateur=bool(accompagnements),
        employeur=employeur is not None,
        financeur=financeur is not None,
    )
    return Tableau(
        blocs=_ordonner([construire() for construire in constructeurs]), proposer_declaration=referent, roles=roles
    )
