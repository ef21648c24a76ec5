"""Behaviour of the instance and séance forms (SPEC §9, R5, R6): French errors next to their field, nothing
typed is lost, the quorum and conflicts of interest are enforced through the pages, and a whole séance runs
from the pages to its downloadable documents. States are built with the services (factories_seances)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from collectifs.services import declaration_retirer
from documents.enums import TypeDocument
from documents.selectors import documents_de
from instances.enums import EtatSeance, ResultatPoint
from instances.models import ConflitInterets, PointOrdreDuJour, Seance, Vote
from instances.selectors import presidence_en_cours
from territoires.models import Departement
from tests.instances.factories import CampagneFactory
from tests.instances.factories_seances import (
    PARIS,
    MondeSeances,
    construire_monde_seances,
    emettre_documents,
    en_seance,
    votes,
)
from tests.vues import PDF, Page


@pytest.fixture
def monde(distribution) -> MondeSeances:
    return construire_monde_seances(distribution)


def _url_seance(m: MondeSeances) -> str:
    return reverse("instances:seance", args=[m.seance.pk])


def _url_point(m: MondeSeances, vue: str) -> str:
    return reverse(f"instances:{vue}", args=[m.seance.pk, m.point.pk])


def _champ(m: MondeSeances, nom: str) -> str:
    return f"point-{m.point.pk}-{nom}"


def _point(m: MondeSeances) -> PointOrdreDuJour:
    return PointOrdreDuJour.objects.get(pk=m.point.pk)


# --- Preparing a séance --------------------------------------------------------------------------------------

SEANCE_VALIDE = {"jour": "2027-04-12", "heure": "09:30", "lieu": "Maison des associations, Firminy"}


def test_preparer_propose_tous_les_membres_actifs_et_l_ordre_du_jour(monde, client):
    client.force_login(monde.instructeur_42)
    page = Page(client.get(reverse("instances:seance_nouvelle", args=[monde.instance.pk])))
    coches = [Page.attribut(c, "value") for c in page.tous('input[name="convoques"][checked]')]
    assert coches == [str(mb.pk) for mb in monde.membres.values()]
    assert page.valeur("campagne") == str(monde.campagne.pk)
    # The agenda: collectif B's recevable declaration, with its filing date; A is already on a séance.
    ordre_du_jour = Page.texte(page.un("ol"))
    assert "Collectif B de Firminy — déposée le" in ordre_du_jour
    assert "Collectif A" not in ordre_du_jour


def test_preparer_cree_la_seance_avec_l_ordre_du_jour_par_defaut(monde, client):
    client.force_login(monde.president)
    convoques = [monde.membres["Hélène"], monde.membres["Jean"], monde.membres["Paul"]]
    reponse = client.post(
        reverse("instances:seance_nouvelle", args=[monde.instance.pk]),
        {**SEANCE_VALIDE, "campagne": monde.campagne.pk, "convoques": [mb.pk for mb in convoques]},
        follow=True,
    )
    seance = Seance.objects.exclude(pk=monde.seance.pk).get()
    assert reponse.redirect_chain == [(reverse("instances:seance", args=[seance.pk]), 302)]
    assert seance.date == datetime.datetime(2027, 4, 12, 9, 30, tzinfo=PARIS)
    assert seance.lieu == "Maison des associations, Firminy"
    assert set(seance.convoques.all()) == set(convoques)
    assert [p.declaration for p in seance.points.all()] == [monde.declaration_b]
    page = reponse.content.decode()
    assert "préparée : 1 déclaration(s) à l&#x27;ordre du jour." in page
    assert "1. Collectif B de Firminy" in page


def _erreur_des_cases(page: Page, nom: str) -> str:
    """The error of a group of checkboxes: the fieldset is in error and every box points to the message."""
    groupe = page.un(f"#checkboxes-id_{nom}")
    assert "fr-fieldset--error" in (Page.attribut(groupe, "class") or "").split()
    cases = page.tous(f'input[name="{nom}"]')
    assert {Page.attribut(c, "aria-describedby") for c in cases} == {f"id_{nom}-desc-error"}
    assert {Page.attribut(c, "aria-invalid") for c in cases} == {"true"}
    return Page.texte(page.un(f"#checkboxes-id_{nom} #id_{nom}-desc-error"))


@pytest.mark.parametrize(
    ("donnees", "champ", "message"),
    [
        pytest.param({"heure": ""}, "heure", "Ce champ est obligatoire.", id="heure-manquante"),
        pytest.param({"jour": "2027-02-31"}, "jour", "Saisissez une date valide.", id="date-invalide"),
        pytest.param({"convoques": []}, "convoques", "Convoquez au moins un membre de l'instance.", id="personne"),
        pytest.param({"campagne": "rhone"}, "campagne", "Sélectionnez un choix valide.", id="autre-departement"),
    ],
)
def test_preparer_erreur_a_cote_du_champ_et_rien_de_perdu(donnees, champ, message, monde, client):
    rhone = CampagneFactory(departement=Departement.objects.get(code="69"), annee=2027, ouverte=True)
    choisis = [monde.membres["Jean"].pk, monde.membres["Nadia"].pk]
    envoi = {**SEANCE_VALIDE, "campagne": monde.campagne.pk, "convoques": choisis, **donnees}
    if envoi["campagne"] == "rhone":
        envoi["campagne"] = rhone.pk
    client.force_login(monde.instructeur_42)
    reponse = client.post(reverse("instances:seance_nouvelle", args=[monde.instance.pk]), envoi)
    assert reponse.status_code == 200
    page = Page(reponse)
    assert message in (_erreur_des_cases(page, champ) if champ == "convoques" else page.erreur_du_champ(champ))
    assert "Vos saisies sont conservées." in Page.texte(page.un("#resume-erreurs"))
    assert page.valeur("lieu") == "Maison des associations, Firminy"
    coches = [int(Page.attribut(c, "value")) for c in page.tous('input[name="convoques"][checked]')]
    assert coches == envoi["convoques"]
    assert Seance.objects.count() == 1


# --- Quorum (R5) ---------------------------------------------------------------------------------------------------


def test_statuer_sans_quorum_refuse_avec_le_message(monde, client):
    en_seance(monde, presents=["Hélène", "Lucie"])  # 1 voting member present out of 4
    votes(monde, {"Hélène": "pour"})
    client.force_login(monde.instructeur_42)
    reponse = client.post(_url_point(monde, "point_statuer"), follow=True)
    assert reponse.redirect_chain == [(_url_seance(monde) + f"#point-{monde.point.pk}", 302)]
    page = reponse.content.decode()
    assert (
        "Aucune décision n&#x27;est possible sans quorum. "
        "Quorum non atteint : 1 membre(s) votant(s) présent(s) sur 4, 3 requis."
    ) in page
    assert _point(monde).resultat == ""
    assert Declaration.objects.get(pk=monde.declaration_a.pk).etat == EtatDeclaration.INSCRITE_EN_SEANCE


def test_clore_sans_quorum_refuse(monde, client):
    en_seance(monde, presents=["Hélène", "Jean"])
    votes(monde, {"Hélène": "pour", "Jean": "pour"})
    client.force_login(monde.president)
    reponse = client.post(reverse("instances:seance_clore", args=[monde.seance.pk]), follow=True)
    assert "Quorum non atteint : 2 membre(s) votant(s) présent(s) sur 4, 3 requis." in reponse.content.decode()
    assert Seance.objects.get(pk=monde.seance.pk).etat == EtatSeance.EN_COURS


def test_presences_donnent_le_quorum(monde, client):
    client.force_login(monde.instructeur_42)
    client.post(reverse("instances:seance_ouvrir", args=[monde.seance.pk]))
    presents = [monde.membres[p].pk for p in ("Hélène", "Jean", "Nadia", "Lucie")]
    reponse = client.post(reverse("instances:seance_presences", args=[monde.seance.pk]), {"presents": presents})
    assert reponse.status_code == 302
    page = client.get(_url_seance(monde)).content.decode()
    assert "Présences enregistrées. Quorum atteint : 3 membre(s) votant(s) présent(s) sur 4, 3 requis." in page
    assert set(Seance.objects.get(pk=monde.seance.pk).presents.values_list("pk", flat=True)) == set(presents)


# --- Conflicts of interest (R5) -----------------------------------------------------------------------------------


def test_membre_en_conflit_absent_du_formulaire_de_vote(monde, client):
    en_seance(monde)
    # Jean Morel declares his own conflict from the séance page.
    client.force_login(monde.membre)
    reponse = client.post(
        _url_point(monde, "point_conflit"),
        {_champ(monde, "membre"): monde.membres["Jean"].pk, _champ(monde, "commentaire"): "Administrateur du porteur"},
    )
    assert reponse.status_code == 302
    client.force_login(monde.instructeur_42)
    page = Page(client.get(_url_seance(monde)))
    noms = {Page.attribut(e, "name") for e in page.tous('input[type="radio"]')}
    attendus = {_champ(monde, f"vote_{monde.membres[p].pk}") for p in ("Hélène", "Nadia", "Paul")}
    assert noms == attendus  # neither Jean (conflict) nor Lucie (non-voting)
    assert "Jean Morel (CAF de la Loire) : « Administrateur du porteur »" in Page.texte(
        page.un(f"#point-{monde.point.pk}")
    )
    # A vote forged for him is not recorded; the majority counts the votes cast.
    envoi = {_champ(monde, f"vote_{mb.pk}"): "contre" for mb in monde.votants}
    envoi[_champ(monde, f"vote_{monde.membres['Hélène'].pk}")] = "pour"
    envoi[_champ(monde, f"vote_{monde.membres['Paul'].pk}")] = "abstention"
    reponse = client.post(_url_point(monde, "point_votes"), envoi, follow=True)
    assert "Votes enregistrés pour Collectif A de Montreynaud : 1 pour, 1 contre, 1 abstention(s)." in (
        reponse.content.decode()
    )
    assert not Vote.objects.filter(membre=monde.membres["Jean"]).exists()


def test_conflit_sans_membre_erreur_a_cote_et_precision_conservee(monde, client):
    client.force_login(monde.instructeur_42)
    reponse = client.post(_url_point(monde, "point_conflit"), {_champ(monde, "commentaire"): "Trésorière du porteur"})
    assert reponse.status_code == 422
    page = Page(reponse)
    assert "Ce champ est obligatoire." in page.erreur_du_champ(_champ(monde, "membre"))
    assert page.valeur(_champ(monde, "commentaire")) == "Trésorière du porteur"
    assert not ConflitInterets.objects.exists()


def test_conflit_apres_le_vote_refuse_a_cote_du_champ(monde, client):
    en_seance(monde)
    votes(monde, {"Nadia": "pour"})
    client.force_login(monde.instructeur_42)
    reponse = client.post(_url_point(monde, "point_conflit"), {_champ(monde, "membre"): monde.membres["Nadia"].pk})
    assert reponse.status_code == 422
    assert "a déjà voté sur ce point : un conflit se déclare avant le vote." in Page(reponse).erreur_du_champ(
        _champ(monde, "membre")
    )
    assert not ConflitInterets.objects.exists()


# --- Votes and refusals (R5) ---------------------------------------------------------------------------------------


def test_votes_vides_refuses(monde, client):
    en_seance(monde)
    client.force_login(monde.instructeur_42)
    reponse = client.post(_url_point(monde, "point_votes"), {})
    assert reponse.status_code == 422
    resume = Page.texte(Page(reponse).un("#resume-erreurs"))
    assert "Indiquez le vote d'au moins un membre." in resume
    assert not Vote.objects.exists()


def test_votes_corriges_avant_la_decision(monde, client):
    en_seance(monde)
    votes(monde, {"Hélène": "contre"})
    client.force_login(monde.instructeur_42)
    page = Page(client.get(_url_seance(monde)))
    assert page.valeur(_champ(monde, f"vote_{monde.membres['Hélène'].pk}")) == "contre"
    client.post(_url_point(monde, "point_votes"), {_champ(monde, f"vote_{monde.membres['Hélène'].pk}"): "pour"})
    assert Vote.objects.get(membre=monde.membres["Hélène"]).choix == "pour"


def test_refus_sans_motifs_renvoie_aux_champs_des_motifs(monde, client):
    en_seance(monde)
    votes(monde, {"Hélène": "contre", "Jean": "contre", "Nadia": "pour", "Paul": "contre"})
    client.force_login(monde.instructeur_42)
    reponse = client.post(_url_point(monde, "point_statuer"))
    assert reponse.status_code == 422
    page = Page(reponse)
    assert "Choisissez le motif du refus" in page.erreur_du_champ(_champ(monde, "motif_refus"))
    assert "Un refus doit être motivé par écrit." in page.erreur_du_champ(_champ(monde, "motifs"))
    assert _point(monde).resultat == ""


def test_motifs_incomplets_rien_de_perdu_puis_refus(monde, client):
    en_seance(monde)
    votes(monde, {"Hélène": "contre", "Jean": "contre", "Nadia": "pour"})
    client.force_login(monde.instructeur_42)
    texte = "Aucun habitant ne siège dans le collectif."
    reponse = client.post(_url_point(monde, "point_refus"), {_champ(monde, "motifs"): texte})
    assert reponse.status_code == 422
    page = Page(reponse)
    assert "Choisissez le motif du refus" in page.erreur_du_champ(_champ(monde, "motif_refus"))
    assert page.valeur(_champ(monde, "motifs")).strip() == texte
    reponse = client.post(
        _url_point(monde, "point_refus"), {_champ(monde, "motif_refus"): "composition", _champ(monde, "motifs"): texte}
    )
    assert reponse.status_code == 302
    reponse = client.post(_url_point(monde, "point_statuer"), follow=True)
    assert "Collectif A de Montreynaud : refus (1 pour, 2 contre, 0 abstention(s))." in reponse.content.decode()
    point = _point(monde)
    assert (point.resultat, point.motif_refus, point.motifs) == (ResultatPoint.REFUSEE, "composition", texte)
    section = Page.texte(Page(reponse).un(f"#point-{point.pk}"))
    assert "Refus" in section and "Composition du collectif. Aucun habitant ne siège" in section
    assert "Statuer" not in section


# --- A whole séance, from the pages --------------------------------------------------------------------------------


def test_seance_complete_jusqu_aux_documents(monde, client):
    client.force_login(monde.president)
    url = _url_seance(monde)
    assert client.post(reverse("instances:seance_ouvrir", args=[monde.seance.pk])).status_code == 302
    presents = [monde.membres[p].pk for p in ("Hélène", "Jean", "Nadia", "Paul")]
    client.post(reverse("instances:seance_presences", args=[monde.seance.pk]), {"presents": presents})
    client.post(_url_point(monde, "point_conflit"), {_champ(monde, "membre"): monde.membres["Paul"].pk})
    envoi = {_champ(monde, f"vote_{monde.membres[p].pk}"): "pour" for p in ("Hélène", "Jean")}
    envoi[_champ(monde, f"vote_{monde.membres['Nadia'].pk}")] = "contre"
    client.post(_url_point(monde, "point_votes"), envoi)
    reponse = client.post(_url_point(monde, "point_statuer"), follow=True)
    assert "Collectif A de Montreynaud : agrément (2 pour, 1 contre, 0 abstention(s))." in reponse.content.decode()
    reponse = client.post(reverse("instances:seance_clore", args=[monde.seance.pk]), follow=True)
    assert "La séance est close." in reponse.content.decode()
    assert "Le procès-verbal et les décisions sont en cours d'émission." in reponse.content.decode()
    assert Declaration.objects.get(pk=monde.declaration_a.pk).etat == EtatDeclaration.AGREEE

    emettre_documents(monde.seance)  # the job queued on commit
    page = Page(client.get(url))
    proces_verbal = documents_de(monde.seance, TypeDocument.PROCES_VERBAL).get()
    decision = documents_de(monde.point, TypeDocument.DECISION).get()
    liens = {Page.attribut(a, "href"): Page.texte(a) for a in page.tous("a[href$='.pdf']")}
    assert liens[reverse("instances:seance_proces_verbal", args=[monde.seance.pk])].startswith(
        f"Télécharger le procès-verbal {proces_verbal.numero}"
    )
    assert liens[_url_point(monde, "point_decision")].startswith(f"Télécharger la décision {decision.numero}")
    for url_pdf, document in [
        (reverse("instances:seance_proces_verbal", args=[monde.seance.pk]), proces_verbal),
        (_url_point(monde, "point_decision"), decision),
    ]:
        reponse = client.get(url_pdf)
        assert reponse["Content-Type"] == PDF
        assert reponse["Content-Disposition"] == f'attachment; filename="{document.numero}.pdf"'


def test_ouvrir_deux_fois_explique(monde, client):
    client.force_login(monde.instructeur_42)
    client.post(reverse("instances:seance_ouvrir", args=[monde.seance.pk]))
    reponse = client.post(reverse("instances:seance_ouvrir", args=[monde.seance.pk]), follow=True)
    assert "Cette action n&#x27;est pas possible dans l&#x27;état actuel" in reponse.content.decode()
    assert Seance.objects.get(pk=monde.seance.pk).etat == EtatSeance.EN_COURS


# --- Presidency (R6) --------------------------------------------------------------------------------------------


def test_passer_la_presidence_au_suivant(monde, client):
    client.force_login(monde.instructeur_42)
    reponse = client.post(reverse("instances:presidence_tourner", args=[monde.instance.pk]), follow=True)
    courante = presidence_en_cours(monde.instance)
    assert courante is not None and courante.membre == monde.membres["Jean"]
    page = Page(reponse)
    assert f"La présidence passe à Jean Morel (CAF de la Loire), jusqu'au {courante.fin_prevue:%d/%m/%Y}." in (
        Page.texte(page.un('[role="status"]'))
    )
    callouts = [Page.texte(c) for c in page.tous(".fr-callout")]
    assert "Jean Morel — CAF de la Loire" in callouts[0]
    assert "Nadia Haddad — CCAS de Saint-Étienne" in callouts[1]
    historique = [Page.texte(tr) for tr in page.tous("#titre-presidence ~ .fr-table tbody tr")]
    assert [ligne.split(" ")[0:2] for ligne in historique] == [["Jean", "Morel"], ["Hélène", "Roux"]]
    assert "en cours" in historique[0] and "en cours" not in historique[1]


# --- Navigation ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "visible"), [("instructeur_42", True), ("national", True), ("referent_a", False)])
def test_lien_instance_dans_le_menu(role, visible, monde, client):
    client.force_login(monde.utilisateur(role))
    page = Page(client.get(reverse("tableau_de_bord")))
    liens = [Page.texte(a) for a in page.tous("#navigation-principale a")]
    assert ("Instance" in liens) is visible


def test_declaration_retiree_en_seance_n_est_plus_a_statuer(monde, client):
    """Withdrawn while on the agenda: it stays listed, undecided, and the séance closes without it (R19)."""
    en_seance(monde)
    declaration_retirer(acteur=monde.referent_a, declaration=monde.declaration_a, motif="Le collectif se dissout.")
    client.force_login(monde.instructeur_42)
    section = Page.texte(Page(client.get(_url_seance(monde))).un(f"#point-{monde.point.pk}"))
    assert "Retirée" in section
    assert "Statuer" not in section and "Enregistrer les votes" not in section
    reponse = client.post(reverse("instances:seance_clore", args=[monde.seance.pk]), follow=True)
    assert "La séance est close." in reponse.content.decode()
    assert _point(monde).resultat == ""
