"""R15: the departmental synthesis: figures generated from the data (a small Loire whose 2027 figures are known),
regenerated while a draft, the instance's text, transmission freezes the figures and issues the PDF; the transition
matrix of SyntheseDepartementale."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import can_proceed

from journal.fsm import TransitionInterdite, historique
from mutualisation.enums import EtatSynthese
from mutualisation.models import SyntheseDepartementale
from mutualisation.services import syntheses as services
from tests.comptes.factories import InstructeurFactory, UserFactory
from tests.mutualisation.parcours_syntheses import ANNEE, apres_l_annee, loire_2027

pytestmark = pytest.mark.django_db


@pytest.fixture
def loire():
    return loire_2027()


def presidente(loire):
    return loire.monde.instance.presidences.get(fin__isnull=True).membre


def generer(loire, annee=ANNEE):
    with apres_l_annee():
        return services.synthese_generer(acteur=loire.instructeur, departement=loire.loire, annee=annee)


def test_les_chiffres_sont_generes_a_partir_des_donnees(loire):
    synthese = generer(loire)
    c = synthese.chiffres
    assert c["version"] == 1 and c["annee"] == ANNEE and c["departement"] == {"code": "42", "nom": "Loire"}
    assert c["declarations"]["total"] == 4  # 2 agreed, 1 recevable, 1 refused; the draft is not counted
    assert c["declarations"]["par_etat"]["agreee"] == 2
    assert c["declarations"]["par_etat"]["recevable"] == 1
    assert c["declarations"]["par_etat"]["refusee"] == 1
    assert "brouillon" not in c["declarations"]["par_etat"]
    assert c["places"] == {"quota": 5, "agreees": 2}
    # Tranches of budget year 2027: 10 000 € each, only the first collectif's paid; amounts are exact strings.
    assert c["argent"] == {"engage": "20000.00", "verse": "10000.00", "reste_a_verser": "10000.00", "conventions": 2}
    assert c["bilans"]["valides"] == 1
    assert c["bilans"]["collectifs"] == 1
    assert c["bilans"]["indicateurs_renseignes"] == 2
    assert c["bilans"]["niveaux"] == {"information": 0, "consultation": 0, "co_construction": 1, "co_decision": 0}
    assert (c["bilans"]["rencontres"], c["bilans"]["participants"], c["bilans"]["habitants"]) == (14, 60, 45)
    assert c["fiches"] == {"publiees": 2, "par_theme": {"alimentation": 2, "logement-habitat": 1}}
    assert c["rencontres"] == {"tenues": 2, "objectif": 2, "collectifs_presents": 1, "personnes": 8}
    assert c["mises_a_disposition"] == {"personnes": 1, "quotite_totale": "15.00"}
    assert synthese.generee_par == loire.instructeur and synthese.etat == EtatSynthese.BROUILLON


def test_les_chiffres_ne_contiennent_aucun_nom(loire):
    texte = str(generer(loire).chiffres)
    for nom in ("Collectif du Soleil", "Collectif de la Lune", "Benali", "Odile Marchand", "@"):
        assert nom not in texte


def test_regenerer_un_brouillon_garde_le_texte_et_suit_les_donnees(loire):
    synthese = generer(loire)
    services.synthese_rediger(acteur=loire.instructeur, synthese=synthese, texte="Notre année.")
    loire.premier.convention.tranches.get(rang=1)  # unchanged data: same figures
    assert generer(loire).chiffres == synthese.chiffres
    synthese.refresh_from_db()
    assert synthese.texte_instance == "Notre année."
    assert SyntheseDepartementale.objects.count() == 1


def test_transmettre_fige_les_chiffres_et_journalise(loire, django_capture_on_commit_callbacks):
    synthese = generer(loire)
    services.synthese_rediger(acteur=loire.instructeur, synthese=synthese, texte="Notre année.")
    with django_capture_on_commit_callbacks(execute=True):
        synthese = services.synthese_transmettre(acteur=loire.instructeur, synthese=synthese)
    synthese.refresh_from_db()
    assert synthese.etat == EtatSynthese.TRANSMISE
    assert synthese.transmise_par == loire.instructeur and synthese.transmise_le is not None
    assert synthese.document is not None and synthese.document.numero == f"SYN-42-{ANNEE}-00001"
    assert [(j.source, j.cible) for j in historique(synthese)] == [("brouillon", "transmise")]
    figes = synthese.chiffres
    with pytest.raises(ValidationError, match="chiffres sont figés"):
        generer(loire)
    with pytest.raises(ValidationError, match="chiffres sont figés"):
        services.synthese_rediger(acteur=loire.instructeur, synthese=synthese, texte="Autre chose.")
    synthese.refresh_from_db()
    assert synthese.chiffres == figes and synthese.texte_instance == "Notre année."


def test_transmettre_demande_chiffres_et_texte(loire):
    synthese = generer(loire)
    with pytest.raises(ValidationError) as erreur:
        services.synthese_transmettre(acteur=loire.instructeur, synthese=synthese)
    assert erreur.value.message_dict == {
        "texte_instance": ["Ajoutez le texte de l'instance avant de transmettre la synthèse."]
    }
    vide = SyntheseDepartementale.objects.create(departement=loire.loire, annee=ANNEE - 1, texte_instance="Texte.")
    with pytest.raises(ValidationError) as erreur:
        services.synthese_transmettre(acteur=loire.instructeur, synthese=vide)
    assert "Générez les chiffres" in str(erreur.value)


def test_la_presidence_de_l_instance_redige_et_transmet(loire):
    synthese = generer(loire)
    president = UserFactory(email="presidente@exemple.fr")
    votant = presidente(loire)
    votant.user = president
    votant.save()
    services.synthese_rediger(acteur=president, synthese=synthese, texte="Le mot de la présidente.")
    services.synthese_transmettre(acteur=president, synthese=synthese)
    synthese.refresh_from_db()
    assert synthese.etat == EtatSynthese.TRANSMISE and synthese.transmise_par == president


def test_seules_les_bonnes_personnes_agissent(loire):
    synthese = generer(loire)
    autre = InstructeurFactory(user__email="instructeur.69@exemple.fr", departements=["69"]).user
    membre = UserFactory(email="membre@exemple.fr")
    votant = next(m for m in loire.monde.membres if m != presidente(loire))  # a member, not the president
    votant.user = membre
    votant.save()
    for acteur in (autre, membre, loire.national):
        with pytest.raises(PermissionDenied):
            services.synthese_rediger(acteur=acteur, synthese=synthese, texte="Non.")
        with pytest.raises(PermissionDenied):
            services.synthese_transmettre(acteur=acteur, synthese=synthese)
        with pytest.raises(PermissionDenied), apres_l_annee():
            services.synthese_generer(acteur=acteur, departement=loire.loire, annee=ANNEE)


def test_une_annee_a_venir_est_refusee(loire):
    with pytest.raises(ValidationError) as erreur:
        services.synthese_generer(acteur=loire.instructeur, departement=loire.loire, annee=2099)
    assert "annee" in erreur.value.message_dict


@pytest.mark.parametrize(
    ("etat", "transmettre", "consolider"),
    [
        (EtatSynthese.BROUILLON, True, False),
        (EtatSynthese.TRANSMISE, False, True),
        (EtatSynthese.CONSOLIDEE, False, False),
    ],
)
def test_matrice_des_transitions(etat, transmettre, consolider):
    from territoires.models import Departement

    synthese = SyntheseDepartementale(departement=Departement.objects.get(code="42"), annee=ANNEE, etat=etat)
    assert can_proceed(synthese.transmettre) is transmettre
    assert can_proceed(synthese.consolider) is consolider


def test_une_synthese_transmise_ne_se_transmet_pas_deux_fois(loire):
    synthese = generer(loire)
    services.synthese_rediger(acteur=loire.instructeur, synthese=synthese, texte="Texte.")
    services.synthese_transmettre(acteur=loire.instructeur, synthese=synthese)
    with pytest.raises((ValidationError, TransitionInterdite)):
        services.synthese_transmettre(acteur=loire.instructeur, synthese=synthese)


@pytest.mark.pdf
def test_le_pdf_de_la_synthese(loire, django_capture_on_commit_callbacks):
    import io

    from pypdf import PdfReader

    from documents.services import document_lire

    synthese = generer(loire)
    services.synthese_rediger(acteur=loire.instructeur, synthese=synthese, texte="Deux rencontres riches en 2027.")
    with django_capture_on_commit_callbacks(execute=True):
        services.synthese_transmettre(acteur=loire.instructeur, synthese=synthese)
    synthese.refresh_from_db()
    lecteur = PdfReader(io.BytesIO(document_lire(synthese.document)))
    texte = " ".join(" ".join(page.extract_text() for page in lecteur.pages).split())
    assert f"Synthèse départementale {ANNEE} — Loire" in texte
    assert f"SYN-42-{ANNEE}-00001" in texte
    assert "Deux rencontres riches en 2027." in texte
    assert "Montant engagé (tranches de l'année) 20 000,00 €" in texte
    assert "Montant versé 10 000,00 €" in texte
    assert "Fiches pratiques publiées 2" in texte
    assert "Déclarations par état" in texte and "Niveaux de participation atteints" in texte
    assert "Karim Benali" not in texte and "Collectif du Soleil" not in texte


def test_la_demo_des_syntheses_et_du_rapport(loire):
    from demo.seeders.mutualisation_syntheses import syntheses_et_rapport
    from mutualisation.models import RapportNational

    with apres_l_annee():
        rapport = syntheses_et_rapport(instructeurs={"42": loire.instructeur}, national=loire.national, annee=ANNEE)
        again = syntheses_et_rapport(instructeurs={"42": loire.instructeur}, national=loire.national, annee=ANNEE)
    assert rapport is not None and again.pk == rapport.pk and RapportNational.objects.count() == 1
    etats = dict(SyntheseDepartementale.objects.values_list("departement_id", "etat"))
    assert etats == {"42": "consolidee", "69": "consolidee", "43": "consolidee", "07": "brouillon"}
    assert rapport.chiffres["departements"]["avec_synthese"] == 3
    assert {"code": "07", "nom": "Ardèche"} in rapport.departements_manquants
    assert rapport.chiffres["totaux"]["argent"]["engage"] == "20000.00"  # only the Loire has money in 2027
