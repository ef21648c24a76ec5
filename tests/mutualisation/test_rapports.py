"""R15: the national report: consolidation of the transmitted syntheses with a missing département (listed), totals
equal to the sum of the syntheses to the cent, a re-run gives the same figures, progress moves while it runs, the
job is never stuck after its worker died, the comparison with the previous year, the PDF's text."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from pypdf import PdfReader

from documents.services import document_lire
from journal.fsm import historique
from mutualisation import tasks_syntheses as tasks
from mutualisation.enums import EtatSynthese, EtatTravail
from mutualisation.models import BATTEMENT, RapportNational, SyntheseDepartementale, Travail
from mutualisation.services import rapports as services
from mutualisation.services import travaux
from territoires.models import Departement
from tests.comptes.factories import InstructeurFactory, UserFactory
from tests.mutualisation.parcours_syntheses import synthese_transmise

pytestmark = pytest.mark.django_db

ANNEE = 2026  # the current year at most: the report covers a year that has begun


@pytest.fixture
def national():
    return UserFactory(email="national.rapport@exemple.fr", national=True)


@pytest.fixture
def syntheses():
    """Loire, Rhône and Haute-Loire transmitted (amounts chosen to catch any rounding); Ardèche only a draft."""
    return [
        synthese_transmise("42", ANNEE, agreees=3, engage="30000.01", verse="12345.67", fiches=2, refusees=1),
        synthese_transmise("69", ANNEE, agreees=2, engage="20000.10", verse="0.01"),
        synthese_transmise("43", ANNEE, agreees=1, engage="9999.99", verse="9999.99", fiches=0),
        SyntheseDepartementale.objects.create(departement_id="07", annee=ANNEE, texte_instance="Brouillon."),
    ]


def executer(national, annee=ANNEE) -> RapportNational:
    rapport = services.rapport_lancer(acteur=national, annee=annee)
    resultat = tasks.rapport_executer(rapport.travail_id)
    assert resultat is not None
    resultat.refresh_from_db()
    return resultat


def test_consolidation_avec_departements_manquants(national, syntheses):
    rapport = executer(national)
    c = rapport.chiffres
    assert c["departements"] == {"total": 101, "avec_synthese": 3, "manquants": 98}
    manquants = {d["code"] for d in rapport.departements_manquants}
    assert len(manquants) == 98 and "07" in manquants and not {"42", "69", "43"} & manquants
    assert {"code": "07", "nom": "Ardèche"} in rapport.departements_manquants
    # Totals: the exact sum of the transmitted syntheses, to the cent.
    transmises = syntheses[:3]
    for section, cle in (("argent", "engage"), ("argent", "verse"), ("argent", "reste_a_verser")):
        attendu = sum((Decimal(s.chiffres[section][cle]) for s in transmises), Decimal("0"))
        assert Decimal(c["totaux"][section][cle]) == attendu
    assert c["totaux"]["argent"]["engage"] == "60000.10"
    assert c["totaux"]["argent"]["verse"] == "22345.67"
    assert c["totaux"]["declarations"]["par_etat"]["agreee"] == 6
    assert c["totaux"]["declarations"]["par_etat"]["refusee"] == 1
    assert c["totaux"]["fiches"]["publiees"] == 3
    assert c["totaux"]["fiches"]["par_theme"] == {"alimentation": 3}
    assert c["totaux"]["mises_a_disposition"]["quotite_totale"] == "37.50"
    lignes = {ligne["code"]: ligne for ligne in c["par_departement"]}
    assert len(lignes) == 101
    assert lignes["42"]["transmise"] and lignes["42"]["engage"] == "30000.01" and lignes["42"]["agreees"] == 3
    assert not lignes["07"]["transmise"] and lignes["07"]["engage"] is None
    assert sum(Decimal(ligne["verse"]) for ligne in lignes.values() if ligne["transmise"]) == Decimal("22345.67")
    # The transmitted syntheses are consolidated (journaled); the draft is untouched.
    for synthese in transmises:
        synthese.refresh_from_db()
        assert synthese.etat == EtatSynthese.CONSOLIDEE and synthese.rapport == rapport
        assert [(j.source, j.cible, j.acteur) for j in historique(synthese)] == [("transmise", "consolidee", national)]
    syntheses[3].refresh_from_db()
    assert syntheses[3].etat == EtatSynthese.BROUILLON and syntheses[3].rapport is None
    assert rapport.travail.etat == EtatTravail.TERMINE and rapport.travail.pourcentage == 100
    assert rapport.document.numero == f"RNC-FR-{ANNEE}-00001"
    assert rapport.genere_par == national


def test_une_relance_donne_les_memes_chiffres(national, syntheses):
    premier = executer(national)
    chiffres, manquants = premier.chiffres, premier.departements_manquants
    second = executer(national)
    assert second.pk == premier.pk
    assert second.chiffres == chiffres and second.departements_manquants == manquants
    assert second.document.numero == f"RNC-FR-{ANNEE}-00002"  # a new numbered document; the first one stays
    assert Travail.objects.filter(cle=services.cle_rapport(ANNEE)).count() == 2


def test_une_synthese_transmise_depuis_entre_a_la_relance(national, syntheses):
    executer(national)
    synthese_transmise("01", ANNEE, agreees=1, engage="0.01", verse="0.00")
    rapport = executer(national)
    assert rapport.chiffres["departements"]["avec_synthese"] == 4
    assert rapport.chiffres["totaux"]["argent"]["engage"] == "60000.11"


def test_comparaison_avec_l_annee_precedente(national, syntheses):
    synthese_transmise("42", ANNEE - 1, agreees=2, engage="15000.00", verse="15000.00")
    executer(national, ANNEE - 1)
    rapport = executer(national)
    comparaison = {ligne["cle"]: ligne for ligne in rapport.chiffres["comparaison"]["lignes"]}
    assert rapport.chiffres["comparaison"]["disponible"] and rapport.chiffres["comparaison"]["annee"] == ANNEE - 1
    assert comparaison["agreees"] == {
        "cle": "agreees",
        "libelle": "Collectifs agréés",
        "precedent": 2,
        "actuel": 6,
        "ecart": 4,
    }
    assert comparaison["engage"]["ecart"] == "45000.10"


def test_sans_rapport_precedent_pas_de_comparaison(national, syntheses):
    rapport = executer(national)
    assert rapport.chiffres["comparaison"]["disponible"] is False
    assert all(ligne["precedent"] is None for ligne in rapport.chiffres["comparaison"]["lignes"])


def test_la_progression_avance_pendant_le_travail(national, syntheses, monkeypatch):
    """Each step writes the row (read back from the database at each call): one step per département, then the
    PDF; the percentage only grows."""
    lus: list[tuple[str, int, int, int]] = []
    original = travaux.avancer

    def espion(travail, etape, fait, total):
        original(travail, etape, fait, total)
        ligne = Travail.objects.get(pk=travail.pk)
        lus.append((ligne.etape, ligne.fait, ligne.total, ligne.pourcentage))

    monkeypatch.setattr(travaux, "avancer", espion)
    executer(national)
    assert len(lus) == 1 + 101 + 1
    assert lus[0][1:3] == (0, 102)
    assert lus[1] == ("Département Ain (01)", 1, 102, 0)
    rang = list(Departement.objects.order_by("code").values_list("code", flat=True)).index("42") + 1
    assert ("Département Loire (42)", rang, 102, 100 * rang // 102) in lus
    assert lus[-1] == ("Rédaction du rapport PDF", 101, 102, 99)
    pourcentages = [p for *_debut, p in lus]
    assert pourcentages == sorted(pourcentages) and pourcentages[-1] < 100


def test_un_travail_qui_echoue_est_marque_echoue_et_se_relance(national, syntheses, monkeypatch):
    """The worker fails mid-run (an exception in the middle of the départements): the job is « échoué » with its
    error, nothing is half-written (no synthesis consolidated, no figures), and a relaunch completes."""
    original = travaux.avancer

    def panne(travail, etape, fait, total):
        if fait == 50:
            raise RuntimeError("worker arrêté")
        original(travail, etape, fait, total)

    monkeypatch.setattr(travaux, "avancer", panne)
    rapport = services.rapport_lancer(acteur=national, annee=ANNEE)
    with pytest.raises(RuntimeError):
        tasks.rapport_executer(rapport.travail_id)
    rapport.refresh_from_db()
    assert rapport.travail.etat == EtatTravail.ECHOUE
    assert "worker arrêté" in rapport.travail.erreurs[-1]["message"]
    assert rapport.genere_le is None and rapport.chiffres == {}
    assert not SyntheseDepartementale.objects.filter(etat=EtatSynthese.CONSOLIDEE).exists()
    monkeypatch.setattr(travaux, "avancer", original)
    assert executer(national).chiffres["departements"]["avec_synthese"] == 3


def test_un_worker_tue_ne_laisse_pas_le_travail_en_cours(national, syntheses):
    """The worker was killed (no exception, no more heartbeats): the job stays « en cours » until it is stale, then
    a relaunch (page or `travaux_relancer`) replaces it and completes; the dead worker's job cannot finish."""
    rapport = services.rapport_lancer(acteur=national, annee=ANNEE)
    mort = travaux.travail_demarrer(rapport.travail_id)
    travaux.avancer(mort, "Département Ain (01)", 1, 102)
    with pytest.raises(ValidationError, match="déjà en cours"):
        services.rapport_lancer(acteur=national, annee=ANNEE)
    plus_tard = timezone.now() + 2 * BATTEMENT + datetime.timedelta(seconds=5)
    with time_machine.travel(plus_tard, tick=True):
        relances = services.rapports_relancer_bloques()
        assert [r.annee for r in relances] == [ANNEE]
        rapport.refresh_from_db()
        assert rapport.travail_id != mort.pk
        assert tasks.rapport_executer(rapport.travail_id) is not None
    mort.refresh_from_db()
    assert mort.etat == EtatTravail.ECHOUE
    rapport.refresh_from_db()
    assert rapport.travail.etat == EtatTravail.TERMINE and rapport.genere_le is not None
    assert tasks.rapport_executer(mort.pk) is None  # the dead job never runs again


def test_le_lancement_passe_par_le_worker_apres_validation(national, syntheses, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rapport = services.rapport_lancer(acteur=national, annee=ANNEE)
    rapport.refresh_from_db()
    assert rapport.travail.etat == EtatTravail.TERMINE and rapport.genere_le is not None


def test_seule_l_equipe_nationale_lance(syntheses):
    instructeur = InstructeurFactory(user__email="instructrice.rapport@exemple.fr", departements=["42"]).user
    with pytest.raises(PermissionDenied):
        services.rapport_lancer(acteur=instructeur, annee=ANNEE)
    assert not RapportNational.objects.exists()


def test_une_annee_a_venir_est_refusee(national):
    with pytest.raises(ValidationError) as erreur:
        services.rapport_lancer(acteur=national, annee=timezone.localdate().year + 1)
    assert "annee" in erreur.value.message_dict


@pytest.mark.pdf
def test_le_pdf_du_rapport(national, syntheses):
    rapport = executer(national)
    contenu = document_lire(rapport.document)
    lecteur = PdfReader(io.BytesIO(contenu))
    texte = " ".join(" ".join(page.extract_text() for page in lecteur.pages).split())
    assert f"Rapport national de capitalisation {ANNEE}" in texte
    assert f"RNC-FR-{ANNEE}-00001" in texte
    assert "3 départements sur 101 ont transmis leur synthèse" in texte
    assert "Ardèche (07)" in texte  # a missing département, named
    assert "60 000,10 €" in texte  # the national total committed, to the cent
    assert "Collectifs agréés par département" in texte  # the map's title
    assert "Départements ayant transmis leur synthèse" in texte  # a chart's title
    assert "Loire (42)" in texte and "30 000,01 €" in texte  # the per-département table
    assert "Données de la carte : colonne « Collectifs agréés »" in texte
    assert len(lecteur.pages) <= 10  # the per-département part is one table, not 101 charts
