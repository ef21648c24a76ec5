"""The PDFs of instruction and séances (R4, R5, SPEC §6): demande de compléments, décisions, procès-verbal."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from collectifs.services import (
    complements_demander,
    declaration_declarer_recevable,
    declaration_deposer,
    declaration_retirer,
)
from documents.enums import TypeDocument
from documents.models import Document
from documents.selectors import documents_de
from documents.services import document_lire
from instances.enums import ChoixVote, CollegeInstance, MotifRefus, ResultatPoint
from instances.models import InstanceDepartementale, MembreInstance, PointOrdreDuJour, Seance
from instances.services import (
    conflit_declarer,
    point_motiver_refus,
    presidence_faire_tourner,
    seance_clore,
    seance_enregistrer_presences,
    seance_ouvrir,
    seance_preparer,
    votes_enregistrer,
)
from instances.tasks import emettre_documents_seance
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.documents.pdf import polices_pdf, texte_pdf

pytestmark = pytest.mark.pdf

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
MARIANNE = {"Marianne", "Marianne-Bold", "Marianne-Italic"}  # the only typeface, never a fallback
MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)

JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")

POUR, CONTRE, ABSTENTION = ChoixVote.POUR, ChoixVote.CONTRE, ChoixVote.ABSTENTION


def en_francais(jour: datetime.date) -> str:
    """« 7 mars 2027 »: the documents' date format, written independently of Django's translations."""
    return f"{jour.day} {MOIS[jour.month - 1]} {jour.year}"


def avec_le_jour(jour: datetime.date) -> str:
    """« dimanche 7 mars 2027 »."""
    return f"{JOURS[jour.weekday()]} {en_francais(jour)}"


def deposer(declaration: Declaration) -> Declaration:
    declaration_deposer(acteur=declaration.collectif.referents.first(), declaration=declaration)
    declaration.refresh_from_db()
    return declaration


def texte_du(objet: Any, type: str) -> tuple[Document, str]:
    document = documents_de(objet, type).get()
    return document, texte_pdf(document_lire(document))


# ---------------------------------------------------------------------------------------------------------------
# Demande de compléments (R4)
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_la_demande_de_complements_dit_quoi_fournir_avant_quand_et_comment(
    distribution, declaration_prete, django_capture_on_commit_callbacks
):
    declaration = deposer(declaration_prete)
    echeance = timezone.localdate() + datetime.timedelta(days=21)
    message = (
        "Merci de préciser depuis quand les trois structures travaillent ensemble.\n"
        "Joignez le compte rendu de la réunion <b>du 12 mars</b>."
    )

    with django_capture_on_commit_callbacks(execute=True):
        demande = complements_demander(
            acteur=distribution.instructeur_42, declaration=declaration, message=message, echeance=echeance
        )
    document, texte = texte_du(demande, TypeDocument.DEMANDE_COMPLEMENTS)

    assert document.numero == "DEM-42-2027-00001"
    assert "DEM-42-2027-00001" in texte
    assert "Demande de compléments — Collectif A de Montreynaud" in texte
    assert "Collectif A de Montreynaud" in texte
    assert "Loire (42)" in texte
    assert "Campagne 2027" in texte
    assert f"Demandée le {avec_le_jour(timezone.localdate())} à" in texte
    # The message, line by line, escaped: typed markup shows as text.
    assert "Merci de préciser depuis quand les trois structures travaillent ensemble." in texte
    assert "Joignez le compte rendu de la réunion <b>du 12 mars</b>." in texte
    # The deadline, in French, and what happens after it.
    assert f"Des compléments sont à fournir avant le {avec_le_jour(echeance)}." in texte
    assert f"À fournir avant le {avec_le_jour(echeance)}" in texte
    assert f"Sans réponse au {en_francais(echeance)}" in texte
    assert "classée sans suite" in texte
    # How to answer.
    assert "sur la page de la déclaration" in texte
    assert "par courrier adressé au secrétariat de l'instance départementale" in texte
    assert polices_pdf(document_lire(document)) <= MARIANNE


# ---------------------------------------------------------------------------------------------------------------
# A séance: three favourable votes against a quota of two, one refusal; decisions and minutes (R5)
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class SeanceTenue:
    seance: Seance
    membres: dict[str, MembreInstance]
    points: dict[str, PointOrdreDuJour]
    noms: dict[str, str]


MEMBRES = (
    # key, prénom, nom, institution, college, votant, présent
    ("presidente", "Martine", "Ferrand", "Conseil départemental de la Loire", CollegeInstance.ELUS, True, True),
    ("ccas", "Karim", "Haddad", "CCAS de Saint-Étienne", CollegeInstance.TRAVAILLEURS_SOCIAUX, True, True),
    ("habitante", "Josiane", "Vial", "Amicale des locataires", CollegeInstance.HABITANTS_USAGERS, True, True),
    ("caf", "Paul", "Mercier", "CAF de la Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, True, True),
    ("msa", "Inès", "Robert", "MSA Ardèche Drôme Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, True, True),
    ("usagere", "Lucie", "Garnier", "Comité d'usagers", CollegeInstance.HABITANTS_USAGERS, False, True),
    ("maire", "Thomas", "Blanc", "Mairie de Firminy", CollegeInstance.ELUS, True, False),
)

MOTIFS_REFUS = (
    "Le collectif ne décrit aucune action menée en commun avant sa déclaration.\n"
    "Les trois institutions d'origine se sont rencontrées pour la première fois en 2027.\n"
    'Le compte rendu <img src="file:///etc/hostname"> annoncé manque.'
)


def ouvrir_seance(distribution: Any, collectifs: dict[str, Any]) -> tuple[Seance, dict, dict]:
    """The Loire's instance (Martine Ferrand presiding), a séance held yesterday with the declarations of
    these collectifs on its agenda (filed in this order), opened, with attendance recorded (quorum met)."""
    instructeur = distribution.instructeur_42
    campagne = Campagne.objects.get(pk=distribution.campagne.pk)
    instance = InstanceDepartementale.objects.create(departement_id="42", nom="Instance départementale de la Loire")
    membres = {
        cle: MembreInstance.objects.create(
            instance=instance,
            prenom=prenom,
            nom=nom,
            institution=institution,
            college=college,
            votant=votant,
            rang_rotation=rang,
        )
        for rang, (cle, prenom, nom, institution, college, votant, _) in enumerate(MEMBRES, start=1)
    }
    presidence_faire_tourner(acteur=instructeur, instance=instance)  # Martine Ferrand, first in rotation
    for collectif in collectifs.values():
        declaration = deposer(DeclarationFactory(collectif=collectif, prete=True, campagne=campagne))
        declaration_declarer_recevable(acteur=instructeur, declaration=declaration)
    date = datetime.datetime.combine(
        timezone.localdate() - datetime.timedelta(days=1), datetime.time(14, 30), tzinfo=PARIS
    )
    seance = seance_preparer(
        acteur=instructeur, instance=instance, campagne=campagne, date=date, lieu="Hôtel du Département, Saint-Étienne"
    )
    seance_ouvrir(acteur=instructeur, seance=seance)
    presents = [membres[cle] for cle, *_, present in MEMBRES if present]
    seance_enregistrer_presences(acteur=instructeur, seance=seance, presents=presents)
    points = {cle: seance.points.get(declaration__collectif=collectif) for cle, collectif in collectifs.items()}
    return seance, membres, points


@pytest.fixture
def seance_tenue(distribution, django_capture_on_commit_callbacks) -> SeanceTenue:
    """A closed séance of the Loire, quota 2: A and B agreed, C refused (additionnalité), D waitlisted."""
    instructeur = distribution.instructeur_42
    Campagne.objects.filter(pk=distribution.campagne.pk).update(quota=2)
    collectifs = {
        "a": distribution.collectif_a,
        "b": distribution.collectif_b,
        "c": CollectifFactory(nom="Collectif C du Crêt de Roch"),
        "d": CollectifFactory(nom="Collectif D de Roanne"),
    }
    seance, m, points = ouvrir_seance(distribution, collectifs)

    conflit_declarer(acteur=instructeur, point=points["a"], membre=m["ccas"], commentaire="Finance le centre social")
    votes = {
        "a": {m["presidente"]: POUR, m["habitante"]: POUR, m["caf"]: POUR, m["msa"]: ABSTENTION},
        "b": {m["presidente"]: POUR, m["ccas"]: POUR, m["habitante"]: POUR, m["caf"]: POUR, m["msa"]: POUR},
        "c": {m["presidente"]: POUR, m["ccas"]: CONTRE, m["habitante"]: CONTRE, m["caf"]: CONTRE, m["msa"]: ABSTENTION},
        "d": {m["presidente"]: POUR, m["ccas"]: POUR, m["habitante"]: POUR, m["caf"]: POUR, m["msa"]: CONTRE},
    }
    for cle, choix in votes.items():
        votes_enregistrer(acteur=instructeur, point=points[cle], votes=choix)
    point_motiver_refus(
        acteur=instructeur, point=points["c"], motif_refus=MotifRefus.ADDITIONNALITE, motifs=MOTIFS_REFUS
    )

    with django_capture_on_commit_callbacks(execute=True):
        seance_clore(acteur=instructeur, seance=seance)

    for point in points.values():
        point.refresh_from_db()
    seance.refresh_from_db()
    return SeanceTenue(
        seance=seance, membres=m, points=points, noms={cle: collectif.nom for cle, collectif in collectifs.items()}
    )


@pytest.mark.django_db
def test_la_seance_decide_dans_la_limite_du_quota(seance_tenue):
    points = seance_tenue.points
    assert [points[cle].resultat for cle in "abcd"] == [
        ResultatPoint.AGREEE,
        ResultatPoint.AGREEE,
        ResultatPoint.REFUSEE,
        ResultatPoint.EN_ATTENTE,
    ]
    assert [points[cle].declaration.etat for cle in "abcd"] == [
        EtatDeclaration.AGREEE,
        EtatDeclaration.AGREEE,
        EtatDeclaration.REFUSEE,
        EtatDeclaration.EN_ATTENTE,
    ]


@pytest.mark.django_db
def test_chaque_decision_porte_son_numero_le_vote_et_la_decision(seance_tenue):
    seance, points, noms = seance_tenue.seance, seance_tenue.points, seance_tenue.noms
    attendus = {
        "a": ("DEC-42-2027-00001", "3 voix pour, 0 voix contre, 1 abstention", "Décision : agrément du collectif"),
        "b": ("DEC-42-2027-00002", "5 voix pour, 0 voix contre, 0 abstention.", "Décision : agrément du collectif"),
        "c": ("DEC-42-2027-00003", "1 voix pour, 3 voix contre, 1 abstention", "Décision : refus"),
        "d": ("DEC-42-2027-00004", "4 voix pour, 1 voix contre, 0 abstention.", "Décision : mise en liste d'attente"),
    }
    for cle, (numero, resultat, decision) in attendus.items():
        document, texte = texte_du(points[cle], TypeDocument.DECISION)
        assert document.numero == numero
        assert numero in texte
        assert polices_pdf(document_lire(document)) <= MARIANNE
        assert f"Décision — {noms[cle]}" in texte
        assert f"collectif « {noms[cle]} »" in texte
        for autre in set(noms) - {cle}:
            assert noms[autre] not in texte
        assert "Pour Contre Abstention Suffrages exprimés" in texte
        assert f"Résultat du vote : {resultat}" in texte
        assert decision in texte
        assert f"séance le {en_francais(timezone.localtime(seance.date).date())}" in texte
        assert "à 14:30, Hôtel du Département, Saint-Étienne" in texte
        assert "Instance départementale de la Loire" in texte
        assert "Présidence de la séance Martine Ferrand (Conseil départemental de la Loire)" in texte
        assert "Quorum atteint : 5 membres votants présents sur 6, 4 requis." in texte
        assert "Voies de recours" in texte
        assert "recours gracieux auprès du président ou de la présidente de l'instance départementale" in texte
        assert "tribunal administratif" in texte
        assert "dans un délai de deux mois" in texte
        depot = timezone.localtime(points[cle].declaration.deposee_le)
        assert f"{en_francais(depot.date())} à {depot:%H:%M:%S} (heure de Paris)" in texte


@pytest.mark.django_db
def test_la_decision_d_agrement_rappelle_le_financement_triennal_et_les_conflits(seance_tenue):
    _, texte = texte_du(seance_tenue.points["a"], TypeDocument.DECISION)

    assert "Agrément. Le collectif « Collectif A de Montreynaud » est agréé au titre de la campagne 2027." in texte
    assert "au moins 15 000 € par année budgétaire, pendant trois années budgétaires" in texte
    assert "2027 15 000 € 2028 15 000 € 2029 15 000 €" in texte
    assert "convention triennale de financement" in texte
    assert "La majorité simple des suffrages exprimés est favorable." in texte
    assert (
        "1 membre a déclaré un conflit d'intérêts avec le collectif et n'a pas pris part au vote : "
        "Karim Haddad (CCAS de Saint-Étienne)"
    ) in texte
    # The conflict's comment stays in the minutes; the decision names the member only.
    assert "Finance le centre social" not in texte

    _, texte_b = texte_du(seance_tenue.points["b"], TypeDocument.DECISION)
    assert "Aucun membre n'a déclaré de conflit d'intérêts avec le collectif." in texte_b
    assert "Karim Haddad" not in texte_b


@pytest.mark.django_db
def test_la_decision_de_refus_donne_le_motif_et_la_motivation(seance_tenue):
    _, texte = texte_du(seance_tenue.points["c"], TypeDocument.DECISION)

    assert "Refus. La déclaration du collectif « Collectif C du Crêt de Roch » n'est pas acceptée." in texte
    assert "Motif du refus Additionnalité" in texte
    for ligne in MOTIFS_REFUS.splitlines():
        assert ligne in texte
    assert "La majorité des suffrages exprimés est défavorable." in texte
    assert "Agrément." not in texte
    assert "financement triennal" not in texte


@pytest.mark.django_db
def test_la_mise_en_attente_dit_l_ordre_de_depot_et_la_promotion(seance_tenue):
    point = seance_tenue.points["d"]
    _, texte = texte_du(point, TypeDocument.DECISION)
    depot = timezone.localtime(point.declaration.deposee_le)

    assert "Mise en liste d'attente. Le vote est favorable, mais les 2 places de la campagne 2027" in texte
    assert f"elle y prend rang à sa date de dépôt, le {en_francais(depot.date())} à {depot:%H:%M:%S}" in texte
    assert "classée dans l'ordre de dépôt" in texte
    assert "Dès qu'une place se libère" in texte
    assert "remise à l'ordre du jour d'une prochaine séance" in texte


@pytest.mark.django_db
def test_le_proces_verbal_reprend_presences_quorum_decisions_et_bilan(seance_tenue):
    seance, membres, noms = seance_tenue.seance, seance_tenue.membres, seance_tenue.noms
    document, texte = texte_du(seance, TypeDocument.PROCES_VERBAL)

    assert document.numero == "PV-42-2027-00001"
    assert "PV-42-2027-00001" in texte
    jour = en_francais(timezone.localtime(seance.date).date())
    assert f"Procès-verbal — Séance du {timezone.localtime(seance.date):%d/%m/%Y}" in texte
    assert "s'est réunie le" in texte and f"{jour} à 14:30, Hôtel du Département, Saint-Étienne" in texte
    assert "sous la présidence de Martine Ferrand (Conseil départemental de la Loire)" in texte
    assert "Présidence de la séance Martine Ferrand" in texte
    # Attendance by college: everyone convened, the absent one marked so.
    assert "7 membres convoqués, 6 présents." in texte
    for libelle in CollegeInstance.labels:
        assert libelle in texte
    for membre in membres.values():
        assert f"{membre.prenom} {membre.nom}" in texte
        assert membre.institution in texte
    assert "Thomas Blanc Mairie de Firminy délibérative Absent·e" in texte
    assert "Lucie Garnier Comité d'usagers consultative Présent·e" in texte
    assert "Martine Ferrand (présidence) Conseil départemental de la Loire délibérative Présent·e" in texte
    # Quorum.
    assert "Membres votants 6 Votants présents 5 Requis 4 Quorum atteint" in texte
    assert "Plus de 50 % des membres votants présents" in texte
    # The agenda, each declaration with its vote, conflicts and decision.
    for cle in "abcd":
        assert noms[cle] in texte
    assert "3 pour, 0 contre, 1 abstention ; 3 suffrages exprimés, majorité favorable" in texte
    assert "1 pour, 3 contre, 1 abstention ; 4 suffrages exprimés, majorité non atteinte" in texte
    assert "Karim Haddad (CCAS de Saint-Étienne) — Finance le centre social, n'a pas pris part au vote" in texte
    assert texte.count("Décision Agrément") == 2
    assert "Décision Refus Motif du refus Additionnalité" in texte
    for ligne in MOTIFS_REFUS.splitlines():
        assert ligne in texte
    assert "Décision Mise en liste d'attente : avis favorable, places de la campagne attribuées" in texte
    # Totals, then the signatures.
    assert "Déclarations agréées 2" in texte
    assert "Déclarations refusées 1" in texte
    assert "Déclarations en liste d'attente 1" in texte
    assert "Déclarations inscrites à l'ordre du jour 4" in texte
    assert "Places de la campagne 2027 2" in texte
    assert "La présidence de séance Martine Ferrand" in texte
    assert "Le secrétariat de l'instance" in texte
    assert polices_pdf(document_lire(document)) <= MARIANNE


@pytest.mark.django_db
def test_le_proces_verbal_donne_les_places_restantes(seance_tenue):
    _, texte = texte_du(seance_tenue.seance, TypeDocument.PROCES_VERBAL)

    assert "Places restantes à l'issue de la séance 0" in texte


@pytest.mark.django_db
def test_les_documents_d_une_seance_ne_sont_pas_emis_deux_fois(seance_tenue, django_capture_on_commit_callbacks):
    avant = set(
        Document.objects.filter(type__in=[TypeDocument.DECISION, TypeDocument.PROCES_VERBAL]).values_list(
            "numero", "sha256"
        )
    )
    assert len(avant) == 5

    with django_capture_on_commit_callbacks(execute=True) as rappels:
        assert emettre_documents_seance.call(seance_tenue.seance.pk) == []

    assert rappels == []  # no second notification either
    apres = set(
        Document.objects.filter(type__in=[TypeDocument.DECISION, TypeDocument.PROCES_VERBAL]).values_list(
            "numero", "sha256"
        )
    )
    assert apres == avant


# ---------------------------------------------------------------------------------------------------------------
# A declaration withdrawn while on the agenda (SPEC §5): it stays on the minutes, undecided
# ---------------------------------------------------------------------------------------------------------------


@pytest.fixture
def seance_avec_retrait(distribution, django_capture_on_commit_callbacks) -> SeanceTenue:
    instructeur = distribution.instructeur_42
    collectifs = {"a": distribution.collectif_a, "b": distribution.collectif_b}
    seance, m, points = ouvrir_seance(distribution, collectifs)
    votes_enregistrer(acteur=instructeur, point=points["a"], votes={m["presidente"]: POUR, m["caf"]: POUR})
    declaration_retirer(
        acteur=distribution.referent_b, declaration=points["b"].declaration, motif="Le collectif se dissout."
    )
    with django_capture_on_commit_callbacks(execute=True):
        seance_clore(acteur=instructeur, seance=seance)
    seance.refresh_from_db()
    return SeanceTenue(
        seance=seance, membres=m, points=points, noms={cle: collectif.nom for cle, collectif in collectifs.items()}
    )


@pytest.mark.django_db
def test_le_proces_verbal_montre_la_declaration_retiree_sans_decision(seance_avec_retrait):
    _, texte = texte_du(seance_avec_retrait.seance, TypeDocument.PROCES_VERBAL)

    assert "2 Collectif B de Firminy" in texte
    assert "Retirée par le collectif" in texte
    assert "Décision Sans objet : déclaration retirée par le collectif" in texte
    assert "Déclarations agréées 1" in texte
    assert "Déclarations inscrites à l'ordre du jour 2" in texte


@pytest.mark.django_db
def test_aucune_decision_n_est_emise_pour_une_declaration_retiree(seance_avec_retrait):
    assert documents_de(seance_avec_retrait.points["a"], TypeDocument.DECISION).exists()
    assert not documents_de(seance_avec_retrait.points["b"], TypeDocument.DECISION).exists()
