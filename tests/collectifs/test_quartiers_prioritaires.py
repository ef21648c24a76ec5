"""R17: a collectif names the quartiers prioritaires de la politique de la ville (QPV) where it acts — each in its
département (the services refuse another's, in French, next to the field) — through the collectif's form (the
département's quartiers as checkboxes) and through the API (a list of official codes, read and written)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from rest_framework.test import APIClient

from collectifs.forms import CollectifForm
from collectifs.models import Collectif
from collectifs.services import collectif_creer, collectif_modifier
from territoires.models import Departement, QuartierPrioritaire
from territoires.services import FICHIER_QUARTIERS_DEMO, quartiers_prioritaires_importer
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.comptes.factories import UserFactory
from tests.vues import Page

pytestmark = pytest.mark.django_db

HORS_LOIRE = "Ce quartier prioritaire n'est pas dans le département Loire (42) : Les Minguettes (QN06901X)."


@pytest.fixture
def quartiers() -> dict[str, QuartierPrioritaire]:
    """The demo's Loire quartiers, and one of the Rhône."""
    quartiers_prioritaires_importer(chemin=FICHIER_QUARTIERS_DEMO)
    QuartierPrioritaire.objects.create(code="QN06901X", nom="Les Minguettes", departement_id="69", code_insee="69259")
    return {q.code: q for q in QuartierPrioritaire.objects.all()}


def _codes(collectif: Collectif) -> list[str]:
    return sorted(collectif.quartiers_prioritaires.values_list("code", flat=True))


# --- The services ---------------------------------------------------------------------------------------------------


def test_la_creation_garde_les_quartiers_du_departement(quartiers):
    collectif = collectif_creer(
        acteur=UserFactory(),
        nom="Collectif de Montreynaud",
        departement=Departement.objects.get(code="42"),
        territoire="Montreynaud et Crêt de Roc, Saint-Étienne",
        codes_communes="42218",
        quartiers_prioritaires=[quartiers["QN04201M"], quartiers["QN04203C"]],
    )
    assert _codes(collectif) == ["QN04201M", "QN04203C"]


def test_un_quartier_d_un_autre_departement_est_refuse_a_la_creation(quartiers):
    with pytest.raises(ValidationError) as erreur:
        collectif_creer(
            acteur=UserFactory(),
            nom="Collectif des deux rives",
            departement=Departement.objects.get(code="42"),
            territoire="Saint-Étienne et Vénissieux",
            quartiers_prioritaires=[quartiers["QN04201M"], quartiers["QN06901X"]],
        )
    assert erreur.value.message_dict == {"quartiers_prioritaires": [HORS_LOIRE]}
    assert not Collectif.objects.filter(nom="Collectif des deux rives").exists()


def test_la_modification_remplace_garde_ou_vide_les_quartiers(quartiers):
    referent = UserFactory()
    collectif = CollectifFactory(referent=referent)
    collectif.quartiers_prioritaires.set([quartiers["QN04201M"]])

    def modifier(codes_communes="42218", **kwargs):
        return collectif_modifier(
            acteur=referent,
            collectif=collectif,
            nom=collectif.nom,
            territoire=collectif.territoire,
            codes_communes=codes_communes,
            **kwargs,
        )

    modifier()  # not given: unchanged
    assert _codes(collectif) == ["QN04201M"]
    modifier(quartiers_prioritaires=[quartiers["QN04206L"], quartiers["QN04207D"]])
    assert _codes(collectif) == ["QN04206L", "QN04207D"]
    # Another département's quartier, even beside good ones: refused, nothing changed.
    with pytest.raises(ValidationError) as erreur:
        modifier(quartiers_prioritaires=[quartiers["QN04201M"], quartiers["QN06901X"]], codes_communes="42095")
    assert erreur.value.message_dict == {"quartiers_prioritaires": [HORS_LOIRE]}
    collectif.refresh_from_db()
    assert _codes(collectif) == ["QN04206L", "QN04207D"]
    assert collectif.codes_communes == "42218"
    modifier(quartiers_prioritaires=[])
    assert _codes(collectif) == []


def test_plusieurs_quartiers_hors_departement_sont_tous_nommes(quartiers):
    QuartierPrioritaire.objects.create(code="QN06902Y", nom="Mas du Taureau", departement_id="69", code_insee="69256")
    with pytest.raises(ValidationError) as erreur:
        collectif_modifier(
            acteur=(referent := UserFactory()),
            collectif=CollectifFactory(referent=referent),
            nom="Collectif",
            territoire="Loire",
            quartiers_prioritaires=list(QuartierPrioritaire.objects.filter(departement_id="69").order_by("code")),
        )
    assert erreur.value.message_dict["quartiers_prioritaires"] == [
        "Ces quartiers prioritaires ne sont pas dans le département Loire (42) : "
        "Les Minguettes (QN06901X), Mas du Taureau (QN06902Y)."
    ]


# --- The form -------------------------------------------------------------------------------------------------------


def _donnees(collectif: Collectif, *quartiers: QuartierPrioritaire) -> dict[str, object]:
    return {
        "nom": collectif.nom,
        "territoire": collectif.territoire,
        "codes_communes": collectif.codes_communes,
        "quartiers_prioritaires": [str(q.pk) for q in quartiers],
    }


def test_le_formulaire_propose_les_quartiers_du_departement_et_fait_l_aller_retour(quartiers):
    referent = UserFactory()
    collectif = CollectifFactory(referent=referent)
    collectif.quartiers_prioritaires.set([quartiers["QN04201M"]])
    form = CollectifForm(modification=True, collectif=collectif)
    champ = form.fields["quartiers_prioritaires"]
    assert champ.label == "Quartiers prioritaires de la politique de la ville (facultatif)"
    assert not champ.required
    assert "Cochez les quartiers prioritaires du département" in champ.help_text
    # Checkboxes (no JavaScript needed): the Loire's quartiers only, the current one ticked.
    html = str(form)
    cases = Page(HttpResponse(html)).tous('input[type="checkbox"][name="quartiers_prioritaires"]')
    assert len(cases) == 8
    coches = [Page.attribut(c, "value") for c in cases if Page.attribut(c, "checked") is not None]
    assert coches == [str(quartiers["QN04201M"].pk)]
    assert "Montreynaud (QN04201M)" in html and "Les Minguettes" not in html
    # Posted, cleaned, written by the service, then shown ticked again.
    poste = CollectifForm(
        _donnees(collectif, quartiers["QN04206L"], quartiers["QN04208G"]), modification=True, collectif=collectif
    )
    assert poste.is_valid(), poste.errors
    collectif_modifier(
        acteur=referent,
        collectif=collectif,
        nom=poste.cleaned_data["nom"],
        territoire=poste.cleaned_data["territoire"],
        codes_communes=poste.cleaned_data["codes_communes"],
        quartiers_prioritaires=poste.cleaned_data["quartiers_prioritaires"],
    )
    assert _codes(collectif) == ["QN04206L", "QN04208G"]
    relu = CollectifForm(modification=True, collectif=Collectif.objects.get(pk=collectif.pk))
    assert sorted(q.code for q in relu.initial["quartiers_prioritaires"]) == ["QN04206L", "QN04208G"]
    # Nothing ticked is allowed (the field is optional) and empties the list.
    vide = CollectifForm(_donnees(collectif), modification=True, collectif=collectif)
    assert vide.is_valid(), vide.errors
    assert list(vide.cleaned_data["quartiers_prioritaires"]) == []


def test_le_formulaire_refuse_un_quartier_hors_de_la_liste(quartiers):
    collectif = CollectifFactory()
    form = CollectifForm(_donnees(collectif, quartiers["QN06901X"]), modification=True, collectif=collectif)
    assert not form.is_valid()
    assert form.errors["quartiers_prioritaires"] == ["Ce quartier prioritaire n'est pas dans la liste du département."]


def test_sans_quartier_dans_le_departement_ni_collectif_le_champ_n_apparait_pas(quartiers):
    assert "quartiers_prioritaires" not in CollectifForm().fields  # creation: the département is not chosen yet
    ain = CollectifFactory(departement=Departement.objects.get(code="01"), codes_communes="01053")
    assert "quartiers_prioritaires" not in CollectifForm(modification=True, collectif=ain).fields
    assert "quartiers_prioritaires" in CollectifForm(modification=True, collectif=CollectifFactory()).fields


# --- The API --------------------------------------------------------------------------------------------------------


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def test_l_api_lit_et_ecrit_les_codes_des_quartiers(quartiers, api):
    referent = UserFactory()
    api.force_login(referent)
    cree = api.post(
        "/api/v1/collectifs/",
        {
            "nom": "Collectif de Firminy-Vert",
            "departement": "42",
            "territoire": "Firminy-Vert",
            "codes_communes": "42095",
            "quartiers_prioritaires": ["QN04206L"],
        },
        format="json",
    )
    assert cree.status_code == 201, cree.json()
    assert cree.json()["quartiers_prioritaires"] == ["QN04206L"]
    url = f"/api/v1/collectifs/{cree.json()['id']}/"
    assert api.get(url).json()["quartiers_prioritaires"] == ["QN04206L"]
    # A PATCH without the field keeps them; with it, replaces them.
    assert api.patch(url, {"nom": "Firminy-Vert en commun"}, format="json").json()["quartiers_prioritaires"] == [
        "QN04206L"
    ]
    remplace = api.patch(url, {"quartiers_prioritaires": ["QN04201M", "QN04206L"]}, format="json")
    assert remplace.status_code == 200
    assert sorted(remplace.json()["quartiers_prioritaires"]) == ["QN04201M", "QN04206L"]
    liste = api.get("/api/v1/collectifs/").json()["results"]
    assert [sorted(c["quartiers_prioritaires"]) for c in liste] == [["QN04201M", "QN04206L"]]
    assert api.patch(url, {"quartiers_prioritaires": []}, format="json").json()["quartiers_prioritaires"] == []


def test_l_api_refuse_un_quartier_inconnu_ou_d_un_autre_departement(quartiers, api):
    referent = UserFactory()
    collectif = CollectifFactory(referent=referent)
    collectif.quartiers_prioritaires.set([quartiers["QN04201M"]])
    api.force_login(referent)
    url = f"/api/v1/collectifs/{collectif.pk}/"
    autre = api.patch(url, {"quartiers_prioritaires": ["QN06901X"]}, format="json")
    assert autre.status_code == 400
    assert autre.json()["quartiers_prioritaires"] == [HORS_LOIRE]
    inconnu = api.patch(url, {"quartiers_prioritaires": ["QN00000X"]}, format="json")
    assert inconnu.status_code == 400
    assert inconnu.json()["quartiers_prioritaires"] == ["Quartier prioritaire inconnu : QN00000X."]
    pas_une_liste = api.patch(url, {"quartiers_prioritaires": "QN04201M"}, format="json")
    assert pas_une_liste.status_code == 400
    assert pas_une_liste.json()["quartiers_prioritaires"] == ["Donnez une liste de codes de quartiers prioritaires."]
    assert _codes(collectif) == ["QN04201M"]
    creation = api.post(
        "/api/v1/collectifs/",
        {"nom": "Deux rives", "departement": "42", "territoire": "Loire", "quartiers_prioritaires": ["QN06901X"]},
        format="json",
    )
    assert creation.status_code == 400
    assert creation.json()["quartiers_prioritaires"] == [HORS_LOIRE]
    assert not Collectif.objects.filter(nom="Deux rives").exists()


def test_le_schema_documente_le_champ_en_francais(api, db):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for nom in ("Collectif", "CollectifRequest", "PatchedCollectifModificationRequest"):
        champ = schema["components"]["schemas"][nom]["properties"]["quartiers_prioritaires"]
        assert champ["type"] == "array"
        assert champ["items"]["type"] == "string"
        assert "Codes officiels (liste de l'ANCT, par exemple QN04201M)" in champ["description"]


# --- The page of the step « Le collectif » --------------------------------------------------------------------------


def test_la_page_du_collectif_enregistre_les_quartiers_coches(quartiers, client):
    referent = UserFactory()
    collectif = CollectifFactory(referent=referent)
    brouillon = DeclarationFactory(collectif=collectif)
    client.force_login(referent)
    url = reverse("collectifs:etape_collectif", args=[brouillon.pk])
    page = Page(client.get(url))
    groupe = page.un("fieldset#checkboxes-id_quartiers_prioritaires")
    assert "Quartiers prioritaires de la politique de la ville (facultatif)" in Page.texte(groupe)
    assert len(page.tous('input[type="checkbox"][name="quartiers_prioritaires"]')) == 8
    donnees = {
        **_donnees(collectif, quartiers["QN04201M"], quartiers["QN04203C"]),
        "institutions-TOTAL_FORMS": "0",
        "institutions-INITIAL_FORMS": "0",
        "institutions-MIN_NUM_FORMS": "0",
        "institutions-MAX_NUM_FORMS": "10",
    }
    reponse = client.post(url, donnees)
    assert reponse.status_code == 302
    assert _codes(collectif) == ["QN04201M", "QN04203C"]
    coches = [
        Page.attribut(c, "value")
        for c in Page(client.get(url)).tous('input[name="quartiers_prioritaires"]')
        if Page.attribut(c, "checked") is not None
    ]
    assert sorted(coches) == sorted([str(quartiers["QN04201M"].pk), str(quartiers["QN04203C"].pk)])
    # Another département's quartier is not in the list: refused next to the field, nothing changed.
    refuse = client.post(url, {**donnees, "quartiers_prioritaires": [str(quartiers["QN06901X"].pk)]})
    erreur = Page(refuse)
    assert "fr-fieldset--error" in Page.attribut(erreur.un("fieldset#checkboxes-id_quartiers_prioritaires"), "class")
    case = erreur.tous('input[name="quartiers_prioritaires"]')[0]
    assert Page.attribut(case, "aria-invalid") == "true"
    assert Page.texte(erreur.un(f"#{Page.attribut(case, 'aria-describedby')}")) == (
        "Ce quartier prioritaire n'est pas dans la liste du département."
    )
    assert _codes(collectif) == ["QN04201M", "QN04203C"]
