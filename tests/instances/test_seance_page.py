"""The séance page's errors and details (R5, R7, R17): a refused closing names each point and links to its fields,
every séance form's error sits next to its field with its point named on top, the reasons of a refusal are asked
only where the votes allow a refusal, the attendance is listed once, a consultative member's conflict of interest
says what it means, and no rule number is shown. States are built with the services."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration
from instances.enums import EtatSeance, ResultatPoint
from instances.models import ConflitInterets, PointOrdreDuJour, Seance
from instances.services import (
    cle_erreur_point,
    conflit_declarer,
    erreurs_par_point,
    point_fixer_montants,
    point_motiver_refus,
    point_statuer,
    seance_clore,
    seance_enregistrer_presences,
    seance_inscrire,
    seance_ouvrir,
    seance_preparer,
    votes_enregistrer,
)
from tests.collectifs.factories import CollectifFactory, DeclarationFactory, OrganisationFactory
from tests.fonds.parcours import E, campagne_ouverte, loire_financee
from tests.instances.factories_seances import (
    MondeSeances,
    close,
    construire_monde_seances,
    en_seance,
    votes,
)
from tests.vues import Page

MOTIF_MANQUANT = "Choisissez le motif du refus : composition, charte, additionnalité, territoire ou autre."
MOTIFS_MANQUANTS = "Un refus doit être motivé par écrit."


@pytest.fixture
def monde(distribution) -> MondeSeances:
    return construire_monde_seances(distribution)


@pytest.fixture
def deux_points(monde) -> tuple[PointOrdreDuJour, PointOrdreDuJour]:
    """Collectif B's declaration added to the séance (point 2), then the séance in progress, everyone present."""
    seance_inscrire(acteur=monde.instructeur_42, seance=monde.seance, declaration=monde.declaration_b)
    en_seance(monde)
    premier, second = monde.seance.points.order_by("rang")
    return premier, second


def _url_seance(m: MondeSeances) -> str:
    return reverse("instances:seance", args=[m.seance.pk])


def _url_point(m: MondeSeances, vue: str, point: PointOrdreDuJour | None = None) -> str:
    return reverse(f"instances:{vue}", args=[m.seance.pk, (point or m.point).pk])


def _clore(m: MondeSeances, client):
    return client.post(reverse("instances:seance_clore", args=[m.seance.pk]))


def _voter(m: MondeSeances, point: PointOrdreDuJour, choix: dict[str, str]) -> None:
    votes_enregistrer(acteur=m.instructeur_42, point=point, votes={m.membres[p]: c for p, c in choix.items()})


def _resume(page: Page) -> dict[str, list[tuple[str | None, str]]]:
    """The error summary on top: for each entry (a point, or the attendance), its links (href, text)."""
    resume = page.un("#resume-erreurs")
    assert Page.attribut(resume, "role") == "alert"
    assert Page.attribut(resume, "aria-labelledby") == "titre-resume-erreurs"
    assert Page.attribut(resume, "tabindex") == "-1"
    entrees = {}
    for entree in resume.query_all("ul > li"):
        if Page.attribut(entree.parent.parent, "id") != "resume-erreurs":
            continue  # a link of an entry, not an entry
        titre = (entree.etree_element.text or "").strip()
        entrees[titre] = [(Page.attribut(a, "href"), Page.texte(a)) for a in entree.query_all("a")]
    return entrees


def _cible(page: Page, href: str | None) -> None:
    """The link of the summary leads to an element of the page."""
    assert href is not None and href.startswith("#")
    page.un(f'[id="{href[1:]}"]')


# --- 1. A refused closing names each point and links to its fields ------------------------------------------------


def test_clore_refusee_nomme_chaque_point_et_renvoie_a_ses_champs(monde, deux_points, client):
    premier, second = deux_points
    _voter(monde, premier, {"Hélène": "contre", "Jean": "contre", "Nadia": "pour"})
    _voter(monde, second, {"Hélène": "contre", "Jean": "contre", "Nadia": "contre"})
    # Point 2's written reasons are typed, not its ground: they are kept, and only the ground is asked.
    texte = "Le quartier relève d'un autre collectif agréé."
    PointOrdreDuJour.objects.filter(pk=second.pk).update(motifs=texte)
    client.force_login(monde.instructeur_42)

    reponse = _clore(monde, client)

    assert reponse.status_code == 422
    page = Page(reponse)
    titre = Page.texte(page.un("#titre-resume-erreurs"))
    assert titre == "La séance n’est pas close : 2 points à compléter"
    resume = _resume(page)
    assert resume == {
        "Point 1 — Collectif A de Montreynaud": [
            (f"#id_point-{premier.pk}-motif_refus", f"Motif du refus : {MOTIF_MANQUANT}"),
            (f"#id_point-{premier.pk}-motifs", f"Motivation écrite : {MOTIFS_MANQUANTS}"),
        ],
        "Point 2 — Collectif B de Firminy": [
            (f"#id_point-{second.pk}-motif_refus", f"Motif du refus : {MOTIF_MANQUANT}"),
        ],
    }
    for liens in resume.values():
        for href, _ in liens:
            _cible(page, href)
    # The messages sit next to the fields themselves, in error state, in each point's own section.
    assert MOTIF_MANQUANT in page.erreur_du_champ(f"point-{premier.pk}-motif_refus")
    assert MOTIFS_MANQUANTS in page.erreur_du_champ(f"point-{premier.pk}-motifs")
    groupe = page.groupe(f"point-{second.pk}-motif_refus")
    assert "fr-select-group--error" in (Page.attribut(groupe, "class") or "").split()
    assert page.tous(f"#point-{second.pk} .fr-error-text")
    assert MOTIF_MANQUANT in page.erreur_du_champ(f"point-{second.pk}-motif_refus")
    assert page.valeur(f"point-{second.pk}-motifs").strip() == texte
    # No alert on top without its point: the former flat messages are gone.
    assert not page.tous("main [role='status']")
    # Nothing decided, the séance still in progress.
    assert Seance.objects.get(pk=monde.seance.pk).etat == EtatSeance.EN_COURS
    assert set(PointOrdreDuJour.objects.values_list("resultat", flat=True)) == {""}


def test_clore_refusee_ne_decide_aucun_point_meme_les_points_complets(monde, deux_points, client):
    premier, second = deux_points
    _voter(monde, premier, {"Hélène": "pour", "Jean": "pour", "Nadia": "pour"})
    _voter(monde, second, {"Hélène": "contre", "Jean": "contre", "Nadia": "pour"})
    client.force_login(monde.president)

    reponse = _clore(monde, client)

    assert reponse.status_code == 422
    assert list(_resume(Page(reponse))) == ["Point 2 — Collectif B de Firminy"]
    # Point 1 would be agreed, but the closing was refused as a whole.
    assert PointOrdreDuJour.objects.get(pk=premier.pk).resultat == ""
    assert Declaration.objects.get(pk=premier.declaration_id).etat == EtatDeclaration.INSCRITE_EN_SEANCE

    # Once the reasons are recorded, the séance closes.
    point_motiver_refus(acteur=monde.instructeur_42, point=second, motif_refus="charte", motifs="Charte non signée.")
    reponse = client.post(reverse("instances:seance_clore", args=[monde.seance.pk]), follow=True)
    assert "La séance est close." in reponse.content.decode()
    assert PointOrdreDuJour.objects.get(pk=premier.pk).resultat == ResultatPoint.AGREEE
    assert PointOrdreDuJour.objects.get(pk=second.pk).resultat == ResultatPoint.REFUSEE


def test_le_service_de_cloture_donne_les_erreurs_par_point(monde, deux_points):
    premier, second = deux_points
    _voter(monde, premier, {"Hélène": "contre"})
    _voter(monde, second, {"Hélène": "contre"})

    with pytest.raises(ValidationError) as erreur:
        seance_clore(acteur=monde.instructeur_42, seance=monde.seance)

    assert erreur.value.message_dict == {
        f"point-{premier.pk}-motif_refus": [MOTIF_MANQUANT],
        f"point-{premier.pk}-motifs": [MOTIFS_MANQUANTS],
        f"point-{second.pk}-motif_refus": [MOTIF_MANQUANT],
        f"point-{second.pk}-motifs": [MOTIFS_MANQUANTS],
    }
    assert erreurs_par_point(erreur.value) == {
        premier.pk: {"motif_refus": [MOTIF_MANQUANT], "motifs": [MOTIFS_MANQUANTS]},
        second.pk: {"motif_refus": [MOTIF_MANQUANT], "motifs": [MOTIFS_MANQUANTS]},
    }
    assert cle_erreur_point(12) == "point-12"
    assert erreurs_par_point(ValidationError({"point-12": ["x"], "autre": ["y"]})) == {12: {"__all__": ["x"]}}


def test_l_api_de_cloture_nomme_chaque_point(monde, deux_points):
    """The API returns the same errors, keyed by point, and decides nothing."""
    premier, second = deux_points
    _voter(monde, premier, {"Hélène": "pour"})
    _voter(monde, second, {"Hélène": "contre"})
    api = APIClient()
    api.force_login(monde.instructeur_42)
    reponse = api.post(f"/api/v1/seances/{monde.seance.pk}/clore/", format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {
        f"point-{second.pk}-motif_refus": [MOTIF_MANQUANT],
        f"point-{second.pk}-motifs": [MOTIFS_MANQUANTS],
    }
    assert PointOrdreDuJour.objects.get(pk=premier.pk).resultat == ""


def test_clore_sans_quorum_reste_un_message_general(monde, client):
    en_seance(monde, presents=["Hélène", "Jean"])
    votes(monde, {"Hélène": "contre"})
    client.force_login(monde.instructeur_42)
    reponse = client.post(reverse("instances:seance_clore", args=[monde.seance.pk]), follow=True)
    page = reponse.content.decode()
    assert "Aucune décision n&#x27;est possible sans quorum." in page
    assert 'id="resume-erreurs"' not in page


@pytest.mark.django_db
def test_clore_refusee_pour_l_equite_et_les_montants_renvoie_a_ces_champs(client):
    """R17 and R7 at closing: an agreement under the equity warning without reasons, and tranches the reservation
    no longer covers, each named with its point and put next to its field."""
    monde = loire_financee()
    campagne = campagne_ouverte(monde, plafond_par_institution=1)  # 60 000 € reserved a year, minimum 10 000 €
    mairie = OrganisationFactory(nom="Mairie de Saint-Étienne")
    declarations = [
        DeclarationFactory(collectif=collectif, campagne=campagne, recevable=True)
        for collectif in (
            CollectifFactory(nom="Collectif de la Cotonne", institutions=[mairie]),
            CollectifFactory(nom="Collectif de Terrenoire", institutions=[mairie]),
            CollectifFactory(nom="Collectif du Soleil"),
        )
    ]
    seance = seance_preparer(
        acteur=monde.instructeur,
        instance=monde.instance,
        campagne=campagne,
        date=datetime.datetime(campagne.annee, 3, 15, 14, 30, tzinfo=datetime.UTC),
        declarations=declarations,
    )
    seance_ouvrir(acteur=monde.instructeur, seance=seance)
    seance_enregistrer_presences(acteur=monde.instructeur, seance=seance, presents=monde.membres)
    cotonne, terrenoire, soleil = seance.points.order_by("rang")
    for point in (cotonne, terrenoire, soleil):
        votes_enregistrer(acteur=monde.instructeur, point=point, votes=dict.fromkeys(monde.membres, "pour"))
    # Le Soleil asks the whole 2029 reservation; once La Cotonne is agreed, it is no longer covered.
    point_fixer_montants(acteur=monde.instructeur, point=soleil, montants=[None, None, E("60000")])
    point_statuer(acteur=monde.instructeur, point=cotonne)
    client.force_login(monde.instructeur)

    reponse = client.post(reverse("instances:seance_clore", args=[seance.pk]))

    assert reponse.status_code == 422
    page = Page(reponse)
    resume = _resume(page)
    assert list(resume) == ["Point 2 — Collectif de Terrenoire", "Point 3 — Collectif du Soleil"]
    [(href, texte)] = resume["Point 2 — Collectif de Terrenoire"]
    assert href == f"#id_point-{terrenoire.pk}-equite-motifs_equite"
    assert "Écrivez les motifs de la dérogation" in texte
    assert "Écrivez les motifs de la dérogation" in page.erreur_du_champ(f"point-{terrenoire.pk}-equite-motifs_equite")
    [(href, texte)] = resume["Point 3 — Collectif du Soleil"]
    assert href == f"#id_point-{soleil.pk}-montants-montant_annee_3"
    assert "La réservation de la campagne ne couvre pas ces tranches" in texte
    message = page.erreur_du_champ(f"point-{soleil.pk}-montants-montant_annee_3")
    assert "2029 : il reste 50 000,00 € pour 60 000,00 €" in message
    # The amounts shown are those recorded.
    assert page.valeur(f"point-{soleil.pk}-montants-montant_annee_3") == "60000.00"
    for liens in resume.values():
        for href, _ in liens:
            _cible(page, href)
    assert Seance.objects.get(pk=seance.pk).etat == EtatSeance.EN_COURS


# --- 2. The reasons of a refusal only where the votes allow a refusal ---------------------------------------------


def _bloc_refus(page: Page, point: PointOrdreDuJour) -> list:
    return page.tous(f"#point-{point.pk}-refus")


@pytest.mark.parametrize(
    ("choix", "affichage"),
    [
        pytest.param({}, "replie", id="aucun-vote"),
        pytest.param({"Hélène": "pour", "Jean": "pour", "Nadia": "pour", "Paul": "pour"}, None, id="unanime-pour"),
        pytest.param(
            {"Hélène": "pour", "Jean": "pour", "Nadia": "pour", "Paul": "abstention"}, None, id="pour-et-abstention"
        ),
        pytest.param({"Hélène": "pour", "Jean": "pour", "Nadia": "pour"}, None, id="majorite-acquise"),
        pytest.param({"Hélène": "pour", "Jean": "pour"}, "ouvert", id="deux-restants-peuvent-egaliser"),
        pytest.param({"Hélène": "pour"}, "ouvert", id="un-pour-trois-restants"),
        pytest.param({"Hélène": "contre", "Jean": "contre", "Nadia": "pour"}, "ouvert", id="refus-en-cours"),
        pytest.param(
            {"Hélène": "abstention", "Jean": "abstention", "Nadia": "abstention", "Paul": "abstention"},
            None,
            id="sans-suffrage-ajourne",
        ),
    ],
)
def test_motifs_de_refus_selon_les_votes(choix, affichage, monde, client):
    en_seance(monde)
    if choix:
        votes(monde, choix)
    client.force_login(monde.instructeur_42)

    page = Page(client.get(_url_seance(monde)))

    champ = f'[name="point-{monde.point.pk}-motif_refus"]'
    if affichage is None:
        assert not _bloc_refus(page, monde.point)
        assert not page.tous(champ)
        assert "Motifs en cas de refus" not in Page.texte(page.un(f"#point-{monde.point.pk}"))
        return
    [bloc] = _bloc_refus(page, monde.point)
    details = bloc.query_all("details")
    if affichage == "replie":
        [repli] = details
        assert Page.attribut(repli, "open") is None
        assert Page.texte(next(repli.query_all("summary"))).startswith("En cas de refus")
        assert list(repli.query_all(champ))
    else:
        assert not list(details)
        assert "Motifs en cas de refus" in Page.texte(bloc)
        assert list(bloc.query_all(champ))


def test_un_conflit_retire_un_votant_des_votes_restants(monde, client):
    """Two « pour », Nadia and Paul yet to vote: a tie is still possible, so a refusal. Once Paul declares a
    conflict, only Nadia remains: the majority is reached and the reasons are no longer asked."""
    en_seance(monde)
    votes(monde, {"Hélène": "pour", "Jean": "pour"})
    client.force_login(monde.instructeur_42)
    champ = f'[name="point-{monde.point.pk}-motif_refus"]'
    assert Page(client.get(_url_seance(monde))).tous(champ)

    conflit_declarer(acteur=monde.instructeur_42, point=monde.point, membre=monde.membres["Paul"])

    page = Page(client.get(_url_seance(monde)))
    assert not page.tous(champ)
    assert not _bloc_refus(page, monde.point)


def test_des_motifs_en_erreur_restent_affiches_et_ouverts(monde, client):
    en_seance(monde)
    client.force_login(monde.instructeur_42)
    reponse = client.post(_url_point(monde, "point_refus"), {f"point-{monde.point.pk}-motifs": "Hors champ."})
    assert reponse.status_code == 422
    page = Page(reponse)
    [bloc] = _bloc_refus(page, monde.point)
    assert not list(bloc.query_all("details"))
    assert MOTIF_MANQUANT in page.erreur_du_champ(f"point-{monde.point.pk}-motif_refus")
    assert page.valeur(f"point-{monde.point.pk}-motifs").strip() == "Hors champ."


# --- 3. The attendance is listed once ------------------------------------------------------------------------------


def _colonne_presences(page: Page) -> str:
    [titre] = [h for h in page.tous("h2") if Page.texte(h) == "Membres convoqués et présents"]
    return Page.texte(titre.parent)


def test_la_liste_des_presences_n_apparait_qu_une_fois(monde, client):
    seance_ouvrir(acteur=monde.instructeur_42, seance=monde.seance)
    seance_enregistrer_presences(
        acteur=monde.instructeur_42, seance=monde.seance, presents=[monde.membres["Hélène"], monde.membres["Jean"]]
    )
    client.force_login(monde.instructeur_42)
    page = Page(client.get(_url_seance(monde)))
    colonne = _colonne_presences(page)
    for membre in monde.membres.values():
        assert colonne.count(f"{membre.prenom} {membre.nom}") == 1, membre
    coches = [Page.attribut(c, "value") for c in page.tous('input[name="presents"][checked]')]
    assert coches == [str(monde.membres["Hélène"].pk), str(monde.membres["Jean"].pk)]

    # A member who does not conduct the séance reads the list, once.
    client.force_login(monde.membre)
    page = Page(client.get(_url_seance(monde)))
    colonne = _colonne_presences(page)
    assert not page.tous('input[name="presents"]')
    for membre in monde.membres.values():
        assert colonne.count(f"{membre.prenom} {membre.nom}") == 1, membre
    assert colonne.count("présent·e") == 2


def test_un_membre_non_convoque_est_signale_dans_les_presences(monde, client):
    monde.seance.convoques.remove(monde.membres["Lucie"])
    en_seance(monde)
    client.force_login(monde.instructeur_42)
    page = Page(client.get(_url_seance(monde)))
    libelles = {Page.texte(label) for label in page.tous("#presences label")}
    assert any(lib.startswith("Lucie Faure") and lib.endswith("non convoqué·e") for lib in libelles)
    assert sum("non convoqué·e" in lib for lib in libelles) == 1


# --- 4. A consultative member's conflict of interest -----------------------------------------------------------


def test_conflit_d_un_membre_consultatif_dit_ce_qu_il_signifie(monde, client):
    en_seance(monde)
    client.force_login(monde.instructeur_42)
    page = Page(client.get(_url_seance(monde)))
    options = [Page.texte(o) for o in page.tous(f'select[name="point-{monde.point.pk}-membre"] option')]
    assert any(o.startswith("Lucie Faure") and "voix consultative" in o for o in options)
    aide = Page.texte(page.un(f"#id_point-{monde.point.pk}-membre_helptext"))
    assert "se retire du débat sur ce point" in aide

    reponse = client.post(
        _url_point(monde, "point_conflit"), {f"point-{monde.point.pk}-membre": monde.membres["Lucie"].pk}, follow=True
    )

    contenu = reponse.content.decode()
    assert (
        "Conflit d&#x27;intérêts enregistré : Lucie Faure (MSA Ardèche Drôme Loire) (voix consultative) se retire "
        "du débat sur Collectif A de Montreynaud."
    ) in contenu
    assert ConflitInterets.objects.filter(point=monde.point, membre=monde.membres["Lucie"]).exists()
    section = Page.texte(Page(reponse).un(f"#point-{monde.point.pk}"))
    assert "Lucie Faure (MSA Ardèche Drôme Loire) — voix consultative : se retire du débat sur ce point" in section


def test_conflit_d_un_membre_votant_garde_son_message(monde, client):
    en_seance(monde)
    client.force_login(monde.instructeur_42)
    reponse = client.post(
        _url_point(monde, "point_conflit"), {f"point-{monde.point.pk}-membre": monde.membres["Paul"].pk}, follow=True
    )
    contenu = reponse.content.decode()
    assert "Paul Girard (Amicale des locataires de Montreynaud) ne vote pas sur Collectif A de Montreynaud." in contenu
    conflits = Page.texte(Page(reponse).un(f"#point-{monde.point.pk} dl"))
    assert "Paul Girard (Amicale des locataires de Montreynaud)" in conflits
    assert "voix consultative" not in conflits


# --- 5. The other forms: errors next to their fields, the point named on top ---------------------------------------


def _nom_point(m: MondeSeances) -> str:
    return f"Point 1 — {m.declaration_a.collectif.nom}"


def test_votes_vides_nommes_avec_leur_point(monde, client):
    en_seance(monde)
    client.force_login(monde.instructeur_42)
    reponse = client.post(_url_point(monde, "point_votes"), {})
    assert reponse.status_code == 422
    page = Page(reponse)
    assert _resume(page) == {
        _nom_point(monde): [(f"#point-{monde.point.pk}-votes", "Indiquez le vote d'au moins un membre.")]
    }
    assert "Indiquez le vote d'au moins un membre." in Page.texte(page.un(f"#point-{monde.point.pk}-votes"))
    assert Page.texte(page.un("#titre-resume-erreurs")) == "L’enregistrement n’a pas abouti"


def test_conflit_sans_membre_nomme_avec_son_point(monde, client):
    en_seance(monde)
    client.force_login(monde.instructeur_42)
    reponse = client.post(_url_point(monde, "point_conflit"), {f"point-{monde.point.pk}-commentaire": "Trésorière"})
    assert reponse.status_code == 422
    page = Page(reponse)
    champ = f"point-{monde.point.pk}-membre"
    assert _resume(page) == {
        _nom_point(monde): [(f"#id_{champ}", "Membre en conflit d'intérêts : Ce champ est obligatoire.")]
    }
    assert "Ce champ est obligatoire." in page.erreur_du_champ(champ)
    assert page.valeur(f"point-{monde.point.pk}-commentaire") == "Trésorière"


def test_montants_refuses_nommes_avec_leur_point(monde, client):
    en_seance(monde)
    client.force_login(monde.instructeur_42)
    prefixe = f"point-{monde.point.pk}-montants"
    reponse = client.post(
        _url_point(monde, "point_montants"),
        {f"{prefixe}-montant_annee_1": "", f"{prefixe}-montant_annee_2": "10", f"{prefixe}-montant_annee_3": ""},
    )
    assert reponse.status_code == 422
    page = Page(reponse)
    [(href, texte)] = _resume(page)[_nom_point(monde)]
    assert href == f"#id_{prefixe}-montant_annee_2"
    assert texte.startswith("Tranche 2 — 2028 (€) : La tranche 2 (2028) doit être d'au moins")
    assert "La tranche 2 (2028) doit être d'au moins" in page.erreur_du_champ(f"{prefixe}-montant_annee_2")
    assert page.valeur(f"{prefixe}-montant_annee_2") == "10"


def test_presences_refusees_renvoient_au_champ(monde, client):
    en_seance(monde)
    client.force_login(monde.instructeur_42)
    reponse = client.post(reverse("instances:seance_presences", args=[monde.seance.pk]), {"presents": ["999999"]})
    assert reponse.status_code == 422
    page = Page(reponse)
    [(href, texte)] = _resume(page)["Présences"]
    assert href == "#id_presents_0"
    _cible(page, href)
    assert "Membres présents : Sélectionnez un choix valide." in texte


def test_statuer_un_refus_sans_motifs_nomme_son_point(monde, client):
    en_seance(monde)
    votes(monde, {"Hélène": "contre", "Jean": "contre", "Nadia": "pour"})
    client.force_login(monde.instructeur_42)
    reponse = client.post(_url_point(monde, "point_statuer"))
    assert reponse.status_code == 422
    assert _resume(Page(reponse)) == {
        _nom_point(monde): [
            (f"#id_point-{monde.point.pk}-motif_refus", f"Motif du refus : {MOTIF_MANQUANT}"),
            (f"#id_point-{monde.point.pk}-motifs", f"Motivation écrite : {MOTIFS_MANQUANTS}"),
        ]
    }


def test_une_erreur_sans_champ_nomme_son_point(monde, client):
    """A point decided meanwhile: the message on top names the point it is about."""
    en_seance(monde)
    votes(monde, {"Hélène": "pour", "Jean": "pour", "Nadia": "pour"})
    client.force_login(monde.instructeur_42)
    formulaire = {f"point-{monde.point.pk}-membre": monde.membres["Paul"].pk}
    point_statuer(acteur=monde.instructeur_42, point=monde.point)
    reponse = client.post(_url_point(monde, "point_conflit"), formulaire, follow=True)
    assert "Point 1 — Collectif A de Montreynaud : Ce point est déjà décidé." in reponse.content.decode()


# --- 6. Plain French: no rule number on the page -------------------------------------------------------------------

REGLE = re.compile(r"\bR\d{1,2}\b")


@pytest.mark.parametrize("etat", ["en_cours", "erreur", "close"])
def test_aucun_numero_de_regle_sur_la_page(etat, monde, client):
    if etat == "close":
        close(monde)
    else:
        en_seance(monde)
        votes(monde, {"Hélène": "contre", "Jean": "contre"})
    client.force_login(monde.instructeur_42)
    reponse = _clore(monde, client) if etat == "erreur" else client.get(_url_seance(monde))
    assert reponse.status_code == (422 if etat == "erreur" else 200)
    texte = Page.texte(Page(reponse).un("main"))
    assert not REGLE.search(texte), REGLE.findall(texte)
