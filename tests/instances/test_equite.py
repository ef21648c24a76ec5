"""R17 Equity at the decision: the warning when an originating institution already carries the campaign's cap of
funded collectifs in the département, the agreement refused without written reasons, the reasons kept with the
decision and printed on it; and the dashboard's aggregates (funded collectifs and money by territory, by quartier
prioritaire de la politique de la ville and by institution)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, Declaration, Organisation
from documents.enums import TypeDocument
from documents.selectors import documents_de
from documents.services import document_lire
from fonds.enums import EtatConvention
from fonds.models import Convention
from fonds.services import convention_annuler
from instances import tasks
from instances.enums import ResultatPoint
from instances.equite import SANS_COMMUNE, SANS_QUARTIER, alertes_du_collectif, repartition_equite
from instances.models import PointOrdreDuJour
from instances.services import (
    point_motiver_derogation_equite,
    point_statuer,
    seance_clore,
    seance_enregistrer_presences,
    seance_ouvrir,
    seance_preparer,
    votes_enregistrer,
)
from territoires.models import Departement, QuartierPrioritaire
from territoires.services import FICHIER_QUARTIERS_DEMO, quartiers_prioritaires_importer
from tests.collectifs.factories import CollectifFactory, DeclarationFactory, OrganisationFactory
from tests.documents.pdf import texte_pdf
from tests.fonds.parcours import LoireFinancee, campagne_ouverte, loire_financee

pytestmark = pytest.mark.django_db

MOTIFS = "Le quartier de la Cotonne n'a aucun autre collectif : la mairie y porte le seul projet possible."


def point_de(monde: LoireFinancee, campagne, collectif: Collectif) -> PointOrdreDuJour:
    """The collectif's recevable declaration alone on a séance in progress, every member present and « pour »."""
    declaration = DeclarationFactory(collectif=collectif, campagne=campagne, recevable=True)
    seance = seance_preparer(
        acteur=monde.instructeur,
        instance=monde.instance,
        campagne=campagne,
        date=datetime.datetime(campagne.annee, 3, 15, 14, 30, tzinfo=datetime.UTC),
        declarations=[declaration],
    )
    seance_ouvrir(acteur=monde.instructeur, seance=seance)
    seance_enregistrer_presences(acteur=monde.instructeur, seance=seance, presents=monde.membres)
    point = seance.points.get()
    votes_enregistrer(acteur=monde.instructeur, point=point, votes=dict.fromkeys(monde.membres, "pour"))
    return point


@pytest.fixture
def monde() -> LoireFinancee:
    return loire_financee()


@pytest.fixture
def mairie() -> Organisation:
    return OrganisationFactory(nom="Mairie de Saint-Étienne")


def agree(monde: LoireFinancee, campagne, collectif: Collectif) -> Declaration:
    point = point_statuer(acteur=monde.instructeur, point=point_de(monde, campagne, collectif))
    assert point.resultat == ResultatPoint.AGREEE
    return Declaration.objects.get(pk=point.declaration_id)


def test_l_alerte_apparait_au_plafond_et_l_agrement_sans_motifs_est_refuse(monde, mairie):
    campagne = campagne_ouverte(monde)
    assert campagne.plafond_par_institution == 1
    premier = CollectifFactory(nom="Collectif de la Cotonne", institutions=[mairie])
    second = CollectifFactory(nom="Collectif de Terrenoire", institutions=[mairie, OrganisationFactory()])
    # Below the cap: no warning, agreed as usual.
    assert alertes_du_collectif(premier, campagne) == []
    agree(monde, campagne, premier)
    # At the cap: the warning names the institution and the funded collectif.
    alertes = alertes_du_collectif(second, campagne)
    assert [(a.institution, a.collectifs) for a in alertes] == [
        ("Mairie de Saint-Étienne", ("Collectif de la Cotonne",))
    ]
    assert "porte déjà 1 collectif financé" in alertes[0].message
    point = point_de(monde, campagne, second)
    with pytest.raises(ValidationError) as erreur:
        point_statuer(acteur=monde.instructeur, point=point)
    assert "motifs_equite" in erreur.value.message_dict
    assert "Écrivez les motifs de la dérogation" in erreur.value.message_dict["motifs_equite"][0]
    point.refresh_from_db()
    assert point.resultat == ""
    assert point.declaration.etat == EtatDeclaration.INSCRITE_EN_SEANCE
    assert not Convention.objects.filter(declaration=point.declaration).exists()


def test_la_derogation_motivee_est_conservee_avec_la_decision(monde, mairie):
    campagne = campagne_ouverte(monde)
    agree(monde, campagne, CollectifFactory(nom="Collectif de la Cotonne", institutions=[mairie]))
    point = point_de(monde, campagne, CollectifFactory(nom="Collectif de Terrenoire", institutions=[mairie]))
    with pytest.raises(ValidationError) as vide:
        point_motiver_derogation_equite(acteur=monde.instructeur, point=point, motifs_equite="   ")
    assert vide.value.message_dict == {
        "motifs_equite": ["Écrivez les motifs de la dérogation au plafond par institution."]
    }
    point_motiver_derogation_equite(acteur=monde.instructeur, point=point, motifs_equite=f"  {MOTIFS} ")
    decide = point_statuer(acteur=monde.instructeur, point=point)
    decide.refresh_from_db()
    assert decide.resultat == ResultatPoint.AGREEE
    assert decide.motifs_equite == MOTIFS
    assert "Mairie de Saint-Étienne" in decide.alerte_equite
    assert "Collectif de la Cotonne" in decide.alerte_equite


def test_le_plafond_se_regle_par_campagne(monde, mairie):
    campagne = campagne_ouverte(monde, plafond_par_institution=2)
    agree(monde, campagne, CollectifFactory(nom="Premier", institutions=[mairie]))
    second = CollectifFactory(nom="Second", institutions=[mairie])
    assert alertes_du_collectif(second, campagne) == []
    agree(monde, campagne, second)  # 1 other funded < 2: no reasons needed
    troisieme = CollectifFactory(nom="Troisième", institutions=[mairie])
    assert [a.collectifs for a in alertes_du_collectif(troisieme, campagne)] == [("Premier", "Second")]


def test_seules_les_conventions_en_cours_du_departement_comptent(monde, mairie):
    campagne = campagne_ouverte(monde)
    premier = agree(monde, campagne, CollectifFactory(nom="Premier", institutions=[mairie]))
    second = CollectifFactory(nom="Second", institutions=[mairie])
    # A collectif of another département carried by the same institution does not count.
    CollectifFactory(
        nom="Collectif du Rhône",
        institutions=[mairie],
        departement=Departement.objects.get(code="69"),
        codes_communes="69123",
    )
    assert len(alertes_du_collectif(second, campagne)) == 1
    # A cancelled convention no longer counts.
    convention_annuler(acteur=monde.instructeur, convention=premier.convention, motifs="Le collectif s'est dissous.")
    assert Convention.objects.get(declaration=premier).etat == EtatConvention.ANNULEE
    assert alertes_du_collectif(second, campagne) == []


def test_un_collectif_deja_finance_ne_compte_pas_contre_lui_meme(monde, mairie):
    campagne = campagne_ouverte(monde)
    collectif = CollectifFactory(nom="Premier", institutions=[mairie])
    agree(monde, campagne, collectif)
    assert alertes_du_collectif(collectif, campagne) == []


def test_pas_de_derogation_a_motiver_sans_alerte(monde, mairie):
    campagne = campagne_ouverte(monde)
    point = point_de(monde, campagne, CollectifFactory(nom="Seul", institutions=[mairie]))
    with pytest.raises(ValidationError) as erreur:
        point_motiver_derogation_equite(acteur=monde.instructeur, point=point, motifs_equite=MOTIFS)
    assert "Aucune alerte d'équité" in erreur.value.message_dict["motifs_equite"][0]


def test_le_refus_sous_alerte_ne_demande_pas_de_derogation(monde, mairie):
    campagne = campagne_ouverte(monde)
    agree(monde, campagne, CollectifFactory(nom="Premier", institutions=[mairie]))
    point = point_de(monde, campagne, CollectifFactory(nom="Second", institutions=[mairie]))
    votes_enregistrer(acteur=monde.instructeur, point=point, votes=dict.fromkeys(monde.membres, "contre"))
    point.motif_refus, point.motifs = "territoire", "Territoire déjà couvert."
    point.save(update_fields=["motif_refus", "motifs"])
    assert point_statuer(acteur=monde.instructeur, point=point).resultat == ResultatPoint.REFUSEE


@pytest.mark.pdf
def test_les_motifs_de_la_derogation_figurent_sur_la_decision(monde, mairie):
    campagne = campagne_ouverte(monde)
    agree(monde, campagne, CollectifFactory(nom="Collectif de la Cotonne", institutions=[mairie]))
    point = point_de(monde, campagne, CollectifFactory(nom="Collectif de Terrenoire", institutions=[mairie]))
    point_motiver_derogation_equite(acteur=monde.instructeur, point=point, motifs_equite=MOTIFS)
    point_statuer(acteur=monde.instructeur, point=point)
    seance_clore(acteur=monde.instructeur, seance=point.seance)
    tasks.emettre_documents_seance.call(point.seance_id)
    texte = texte_pdf(document_lire(documents_de(point, TypeDocument.DECISION).get()))
    assert "Dérogation au plafond par institution d'origine" in texte
    assert "« Mairie de Saint-Étienne » porte déjà 1 collectif financé" in texte
    assert MOTIFS in texte


# --- The dashboard's aggregates -----------------------------------------------------------------------------------


def test_repartition_par_territoire_et_par_institution(monde, mairie):
    campagne = campagne_ouverte(monde, montant_minimal_annuel=Decimal("10000.00"), plafond_par_institution=10)
    agree(monde, campagne, CollectifFactory(nom="Cotonne", institutions=[mairie], codes_communes="42218"))
    agree(monde, campagne, CollectifFactory(nom="Firminy", institutions=[mairie], codes_communes="42218 42095"))
    agree(monde, campagne, CollectifFactory(nom="Sans commune", institutions=[], codes_communes=""))
    annule = agree(monde, campagne, CollectifFactory(nom="Annulé", institutions=[mairie], codes_communes="42095"))
    convention_annuler(acteur=monde.instructeur, convention=annule.convention, motifs="Dissous.")
    loire = Departement.objects.get(code="42")
    repartition = repartition_equite(loire)
    assert repartition.collectifs == 3
    assert repartition.montant == Decimal("90000.00")  # 3 collectifs × 3 tranches of 10 000 €
    territoires = {ligne.libelle: (ligne.nombre, ligne.montant) for ligne in repartition.par_territoire}
    assert territoires == {
        "42218": (2, Decimal("60000.00")),
        "42095": (1, Decimal("30000.00")),
        SANS_COMMUNE: (1, Decimal("30000.00")),
    }
    institutions = [(ligne.libelle, ligne.nombre, ligne.montant) for ligne in repartition.par_institution]
    assert institutions == [
        ("Mairie de Saint-Étienne", 2, Decimal("60000.00")),
        ("Sans institution d'origine", 1, Decimal("30000.00")),
    ]
    nationale = repartition_equite(None)
    assert [(ligne.libelle, ligne.nombre) for ligne in nationale.par_territoire] == [("Loire", 3)]
    assert repartition_equite(Departement.objects.get(code="69")).collectifs == 0


def test_repartition_par_quartier_prioritaire(monde, mairie):
    quartiers_prioritaires_importer(chemin=FICHIER_QUARTIERS_DEMO)
    qpv = {q.code: q for q in QuartierPrioritaire.objects.all()}
    campagne = campagne_ouverte(monde, montant_minimal_annuel=Decimal("10000.00"), plafond_par_institution=10)

    def financer(nom: str, *codes: str) -> Declaration:
        collectif = CollectifFactory(nom=nom, institutions=[mairie])
        collectif.quartiers_prioritaires.set([qpv[code] for code in codes])
        return agree(monde, campagne, collectif)

    financer("Montreynaud et Crêt de Roc", "QN04201M", "QN04203C")
    financer("Montreynaud", "QN04201M")
    financer("Sans quartier")
    annule = financer("Annulé à Firminy", "QN04206L")
    convention_annuler(acteur=monde.instructeur, convention=annule.convention, motifs="Dissous.")
    # A quartier no funded collectif names has no row.
    CollectifFactory(nom="Non financé").quartiers_prioritaires.set([qpv["QN04207D"]])
    attendu = [
        ("Montreynaud (QN04201M)", 2, Decimal("60000.00")),
        ("Crêt de Roc (QN04203C)", 1, Decimal("30000.00")),
        (SANS_QUARTIER, 1, Decimal("30000.00")),
    ]
    loire = repartition_equite(Departement.objects.get(code="42"))
    assert loire.collectifs == 3
    assert [(ligne.libelle, ligne.nombre, ligne.montant) for ligne in loire.par_quartier] == attendu
    assert SANS_QUARTIER == "Hors quartier prioritaire ou non renseigné"
    # Nationally, the same quartiers (their codes name their département).
    nationale = repartition_equite(None)
    assert [(ligne.libelle, ligne.nombre, ligne.montant) for ligne in nationale.par_quartier] == attendu
    assert repartition_equite(Departement.objects.get(code="69")).par_quartier == []
