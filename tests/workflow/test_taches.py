"""The task list and the instruction task page (R4, R10, R17): what they show, the actions through the domain
services with French errors next to their field, the process chart, and the task list's query count."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.status import STATUS

from collectifs.enums import College, EtatDeclaration
from collectifs.models import Declaration, Membre
from instances.models import Accompagnateur, AffectationAccompagnateur
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.comptes.factories import InstructeurFactory
from tests.vues import Page, composer_fixe
from tests.workflow.scenario import construire_scene, demander, tache_instruction
from workflow import flows

E = EtatDeclaration


@pytest.fixture
def scene(distribution, django_capture_on_commit_callbacks):
    return construire_scene(distribution, django_capture_on_commit_callbacks)


def _deposee_sans_service(collectif, campagne, *, etat=E.DEPOSEE, deposee_le=None, complete=True):
    """A filed declaration written directly (the list tests need many), its process started as the receiver does."""
    declaration = DeclarationFactory(
        collectif=collectif, campagne=campagne, prete=complete, etat=etat, deposee_le=deposee_le or timezone.now()
    )
    flows.processus_demarrer(declaration.pk)
    return Declaration.objects.get(pk=declaration.pk)


def _lignes(page: Page, tableau: str) -> list[list[str]]:
    return [[Page.texte(c) for c in ligne.query_all("th, td")] for ligne in page.tous(f"#tableau-{tableau} tbody tr")]


# --- The task list ---------------------------------------------------------------------------------------------------


def test_la_liste_montre_controles_attente_echeance_et_financements_anterieurs(scene, client):
    # R17: collectif C, agreed earlier, shares collectif A's originating institution.
    institution = scene.collectif_a.institutions_origine.get()
    anterieure = CollectifFactory(nom="Collectif C déjà financé", institutions=[institution])
    DeclarationFactory(collectif=anterieure, campagne=scene.campagne, agreee=True)
    # Collectif D filed 20 days ago with an incomplete composition (written directly, as a legacy import would).
    incomplet = CollectifFactory(nom="Collectif D incomplet", codes_communes="69123")
    composer_fixe(incomplet, [(College.HABITANT, "Jeanne", "Seule")])
    with time_machine.travel(timezone.now() - timedelta(days=20), tick=False):
        _deposee_sans_service(incomplet, scene.campagne, complete=False)
    flows.processus_annuler(scene.declaration.pk)  # collectif A's own task is recreated below, after collectif C
    Declaration.objects.filter(pk=scene.declaration.pk).update(etat=E.RETIREE)
    a = _deposee_sans_service(scene.collectif_a, scene.campagne)

    client.force_login(scene.instructeur_42)
    page = Page(client.get(reverse("workflow:taches")))

    (ligne_d, ligne_a) = _lignes(page, "file")
    assert ligne_d[:4] == ["Collectif D incomplet", "Loire (42)", ligne_d[2], "20 jours"]
    assert "Il manque" in ligne_d[5] and "À vérifier" in ligne_d[5]
    assert "La charte des collectifs doit être acceptée." in ligne_d[5]
    assert "Ces communes ne sont pas dans le département" in ligne_d[5]
    assert ligne_d[6] == "0"
    assert ligne_a[0] == "Collectif A de Montreynaud"
    assert ligne_a[2] == f"{timezone.localtime(a.deposee_le):%-d/%m/%Y}"
    assert ligne_a[3] == "Moins d'un jour"  # never « 0 jour »
    assert ligne_a[4] == f"{timezone.localtime(a.echeance_instruction):%-d/%m/%Y}"
    assert ligne_a[5].startswith("Conforme")
    assert ligne_a[6] == "1"
    assert page.un("#titre-mes-taches").etree_element.text == "Prises en charge par vous (0)"
    lien = page.un("#tableau-file tbody tr:last-child th a")
    assert Page.attribut(lien, "href") == reverse("workflow:tache", args=[a.pk])


def test_boite_de_reception_file_et_collegues(scene, client, django_capture_on_commit_callbacks):
    collegue = InstructeurFactory(user__email="collegue.42@exemple.fr", departements=["42"]).user
    client.force_login(scene.instructeur_42)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workflow:prendre_en_charge", args=[scene.declaration.pk]))
    page = Page(client.get(reverse("workflow:taches")))
    assert [ligne[0] for ligne in _lignes(page, "mes-taches")] == ["Collectif A de Montreynaud"]
    assert page.tous("#tableau-file") == []

    client.force_login(collegue)
    page = Page(client.get(reverse("workflow:taches")))
    assert page.tous("#tableau-mes-taches") == [] and page.tous("#tableau-file") == []
    (ligne,) = _lignes(page, "collegues")
    assert ligne[0] == "Collectif A de Montreynaud" and ligne[-1] == str(scene.instructeur_42)


@pytest.mark.parametrize("nombre", [3, 40])
def test_nombre_de_requetes_constant(distribution, client, django_assert_num_queries, nombre):
    for rang in range(nombre):
        _deposee_sans_service(CollectifFactory(nom=f"Collectif {rang:02d}"), distribution.campagne)
    client.force_login(distribution.instructeur_42)
    # Session, user, instructeur (the task list's guard, cached for the header's role check), the user's campaigns
    # (the choices of the filters), and the tasks with their declarations (one query), then the late yearly
    # check-ins (one query, R11).
    with django_assert_num_queries(6):
        reponse = client.get(reverse("workflow:taches"))
    assert len(_lignes(Page(reponse), "file")) == nombre


# --- The instruction task page ---------------------------------------------------------------------------------------


def test_la_page_de_tache_montre_le_dossier_et_les_actions(scene, client):
    institution = scene.collectif_a.institutions_origine.get()
    anterieure = CollectifFactory(nom="Collectif C déjà financé", institutions=[institution])
    DeclarationFactory(collectif=anterieure, campagne=scene.campagne, agreee=True)
    client.force_login(scene.instructeur_42)
    reponse = client.get(reverse("workflow:tache", args=[scene.declaration.pk]))
    texte = reponse.content.decode()
    assert "aujourd&#x27;hui" in texte or "aujourd'hui" in texte
    assert "il y a 0 jour" not in texte
    assert "(R17)" not in texte and "(R1)" not in texte  # no rule numbers for users
    page = Page(reponse)
    assert "Conforme" in Page.texte(page.un("#controles"))
    assert _lignes(page, "financements") == [["Collectif C déjà financé", "2027", anterieure.territoire]]
    assert "À prendre en charge" in Page.texte(page.un("#responsable"))
    boutons = [Page.texte(b) for b in page.tous("form button")]
    assert "Prendre en charge" in boutons and "Déclarer recevable" in boutons
    assert "Demander des compléments" in boutons and "Affecter" in boutons
    assert "Classer sans suite" not in boutons
    # The deadline defaults to the campaign's delay.
    assert page.valeur("complements-echeance") == f"{timezone.localdate() + timedelta(days=30):%Y-%m-%d}"
    assert "Léa Accompagne" in Page.texte(page.un("#accompagnement-actuel"))


def test_prendre_en_charge(scene, client, django_capture_on_commit_callbacks):
    client.force_login(scene.instructeur_42)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(reverse("workflow:prendre_en_charge", args=[scene.declaration.pk]))
    assert reponse.status_code == 302
    assert Declaration.objects.get(pk=scene.declaration.pk).etat == E.EN_INSTRUCTION
    tache = tache_instruction(scene.declaration)
    assert (tache.status, tache.owner) == (STATUS.ASSIGNED, scene.instructeur_42)
    page = Page(client.get(reverse("workflow:tache", args=[scene.declaration.pk])))
    assert f"Prise en charge par {scene.instructeur_42}" in Page.texte(page.un("#responsable"))
    assert "Prendre en charge" not in [Page.texte(b) for b in page.tous("form button")]


def test_une_tache_prise_par_un_collegue_ne_se_prend_pas(scene, client, django_capture_on_commit_callbacks):
    collegue = InstructeurFactory(user__email="collegue.42@exemple.fr", departements=["42"]).user
    flows.tache_prendre_en_charge(acteur=collegue, declaration=scene.declaration)
    client.force_login(scene.instructeur_42)
    reponse = client.post(reverse("workflow:prendre_en_charge", args=[scene.declaration.pk]))
    assert reponse.status_code == 422
    assert f"Cette tâche est déjà prise en charge par {collegue}." in reponse.content.decode()
    assert tache_instruction(scene.declaration).owner == collegue


def test_demander_des_complements(scene, client, django_capture_on_commit_callbacks):
    client.force_login(scene.instructeur_42)
    url = reverse("workflow:demander_complements", args=[scene.declaration.pk])
    reponse = client.post(url, {"complements-message": " ", "complements-echeance": ""})
    assert reponse.status_code == 422
    assert Page(reponse).erreur_du_champ("complements-message") == "Dites au collectif ce qui manque."
    hier = timezone.localdate() - timedelta(days=1)
    reponse = client.post(url, {"complements-message": "La délibération.", "complements-echeance": f"{hier:%Y-%m-%d}"})
    assert Page(reponse).erreur_du_champ("complements-echeance") == "L'échéance doit être postérieure à aujourd'hui."
    assert Declaration.objects.get(pk=scene.declaration.pk).etat == E.DEPOSEE

    echeance = timezone.localdate() + timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(
            url, {"complements-message": "Ajoutez la délibération.", "complements-echeance": f"{echeance:%Y-%m-%d}"}
        )
    assert reponse.status_code == 302
    assert Declaration.objects.get(pk=scene.declaration.pk).etat == E.A_COMPLETER
    page = Page(client.get(reverse("workflow:tache", args=[scene.declaration.pk])))
    assert "Ajoutez la délibération." in Page.texte(page.un("#titre-demande").parent)
    # Classement sans suite is announced, not offered, before the deadline.
    assert "Classer sans suite" not in [Page.texte(b) for b in page.tous("form button")]
    assert f"{echeance.day}" in Page.texte(page.un("#sans-suite-impossible"))
    assert flows.processus_de(scene.declaration) is not None


def test_classer_sans_suite_apres_l_echeance(scene, client, django_capture_on_commit_callbacks):
    demande = demander(scene.declaration, scene.instructeur_42, django_capture_on_commit_callbacks)
    apres = timezone.make_aware(datetime.combine(demande.echeance + timedelta(days=1), time(9)))
    url = reverse("workflow:classer_sans_suite", args=[scene.declaration.pk])
    with time_machine.travel(apres, tick=False):
        client.force_login(scene.instructeur_42)
        page = Page(client.get(reverse("workflow:tache", args=[scene.declaration.pk])))
        assert "Classer sans suite" in [Page.texte(b) for b in page.tous("form button")]
        reponse = client.post(url, {"sans_suite-motifs": ""})
        assert reponse.status_code == 422
        assert Page(reponse).erreur_du_champ("sans_suite-motifs") == "Indiquez les motifs du classement sans suite."
        with django_capture_on_commit_callbacks(execute=True):
            reponse = client.post(url, {"sans_suite-motifs": "Aucune réponse du collectif."})
    assert reponse.status_code == 302
    declaration = Declaration.objects.get(pk=scene.declaration.pk)
    assert (declaration.etat, declaration.motifs_classement) == (E.CLASSEE_SANS_SUITE, "Aucune réponse du collectif.")
    assert flows.processus_de(declaration).status == "DONE"


def test_recevable_refuse_quand_les_controles_echouent(scene, client, django_capture_on_commit_callbacks):
    Membre.objects.filter(collectif=scene.collectif_a, college=College.HABITANT).update(
        date_debut=timezone.localdate() - timedelta(days=10), date_fin=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(scene.instructeur_42)
    url = reverse("workflow:declarer_recevable", args=[scene.declaration.pk])
    reponse = client.post(url)
    assert reponse.status_code == 422
    resume = Page.texte(Page(reponse).un("#resume-erreurs"))
    assert "Il manque 2 représentant" in resume
    assert Declaration.objects.get(pk=scene.declaration.pk).etat != E.RECEVABLE
    # The live checks on the page say the same.
    assert "Il manque" in Page.texte(Page(reponse).un("#controles"))

    Membre.objects.filter(collectif=scene.collectif_a).update(date_fin=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert Declaration.objects.get(pk=scene.declaration.pk).etat == E.RECEVABLE
    assert flows.attente_active(flows.processus_de(scene.declaration)).flow_task.name == "seance"


def test_affecter_un_accompagnateur(scene, client):
    client.force_login(scene.instructeur_42)
    url = reverse("workflow:affecter_accompagnateur", args=[scene.declaration.pk])
    rhone = Accompagnateur.objects.create(departement_id="69", prenom="Rémi", nom="Ailleurs")
    reponse = client.post(url, {"accompagnement-accompagnateur": rhone.pk})
    assert reponse.status_code == 422
    assert (
        Page(reponse).erreur_du_champ("accompagnement-accompagnateur")
        == "Choisissez un·e accompagnateur·rice du registre du département."
    )
    paul = Accompagnateur.objects.create(departement_id="42", prenom="Paul", nom="Relais")
    assert client.post(url, {"accompagnement-accompagnateur": paul.pk}).status_code == 302
    affectation = AffectationAccompagnateur.objects.get(collectif=scene.collectif_a, fin__isnull=True)
    assert affectation.accompagnateur == paul


# --- The process chart -----------------------------------------------------------------------------------------------


def test_le_schema_met_en_evidence_l_etape_en_cours(scene, client, django_capture_on_commit_callbacks):
    client.force_login(scene.referent_a)
    url = reverse("workflow:processus_declaration", args=[scene.declaration.pk])
    page = Page(client.get(url))
    assert Page.texte(page.un("#etapes-en-cours")).startswith("Instruire la recevabilité (en attente)")
    assert Page.attribut(page.un("svg g#noeud-instruction"), "class") == "new"
    assert Page.attribut(page.un("svg g#noeud-depot"), "class") == "done"
    assert Page.attribut(page.un("svg"), "role") == "img"

    client.force_login(scene.instructeur_42)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("workflow:declarer_recevable", args=[scene.declaration.pk]))
    client.force_login(scene.referent_a)
    page = Page(client.get(url))
    assert Page.texte(page.un("#etapes-en-cours")).startswith("Attendre l'inscription en séance")
    assert Page.attribut(page.un("svg g#noeud-instruction"), "class") == "done"
    assert Page.attribut(page.un("svg g#noeud-seance"), "class") == "new"
    etapes = [ligne[0] for ligne in _lignes(page, "etapes")]
    assert etapes[:2] == ["Instruire la recevabilité", "Rappel avant l'échéance"]


def test_export_bpmn(scene, client):
    client.force_login(scene.referent_a)
    reponse = client.get(reverse("workflow:processus_bpmn", args=[scene.declaration.pk]))
    assert reponse["Content-Disposition"] == 'attachment; filename="processus-declaration.bpmn"'
    contenu = reponse.content.decode()
    assert 'name="Instruire la recevabilité"' in contenu
    assert "bpmn:userTask" in contenu and "bpmn:boundaryEvent" in contenu


def test_une_demande_de_complements_trop_longue_est_refusee_et_gardee(scene, client):
    """Item 12 of the defects issue: the request for more is bounded (5 000 characters), said in the form, and a
    longer text comes back with its error next to the field, nothing lost."""
    client.force_login(scene.instructeur_42)
    page = Page(client.get(reverse("workflow:tache", args=[scene.declaration.pk])))
    champ = page.un("#id_complements-message")
    assert Page.attribut(champ, "maxlength") == "5000"
    assert "5 000 caractères au plus." in Page.texte(champ.parent)

    trop_long = "x" * 5001
    reponse = client.post(
        reverse("workflow:demander_complements", args=[scene.declaration.pk]),
        {"complements-message": trop_long, "complements-echeance": ""},
    )
    assert reponse.status_code == 422
    assert "5000 caractères" in Page(reponse).erreur_du_champ("complements-message").replace("\u202f", "")
    assert trop_long in reponse.content.decode()
    assert Declaration.objects.get(pk=scene.declaration.pk).etat == E.DEPOSEE
