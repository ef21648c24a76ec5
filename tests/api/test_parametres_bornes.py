"""Parameters the database cannot hold answer 400 (or 404 for an id in the path) with a French message, never
500: an organisation without a name, huge or negative pagination, ids beyond BIGINT, an absurd quota, oversized
texts and bodies. The schema's enums admit the "" that undecided points return."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import RequestDataTooBig

from collectifs.models import (
    LONGUEUR_COMPLEMENTS,
    LONGUEUR_MESSAGE,
    LONGUEUR_TEXTE_DECLARATION,
    Message,
    Organisation,
)
from core.api import exception_handler
from tests.api.instruction import construire
from tests.collectifs.factories import DeclarationFactory, MembreFactory

R = "/api/v1/"
ENORME = 10**20  # beyond 2**63 - 1: overflows SQLite's INTEGER
MESSAGE_OBLIGATOIRE = "Ce champ est obligatoire."


# --- an organisation always has a name, even in a partial update ----------------------------------------------


def test_modifier_un_membre_avec_une_organisation_sans_nom(api, distribution):
    membre = MembreFactory(collectif=distribution.collectif_a)
    url = R + f"collectifs/{distribution.collectif_a.pk}/membres/{membre.pk}/"
    reponse = api.en(distribution.referent_a).patch(url, {"organisation": {}}, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"organisation": {"nom": [MESSAGE_OBLIGATOIRE]}}
    membre.refresh_from_db()
    assert membre.organisation is None


def test_modifier_les_institutions_d_un_collectif_sans_nom(api, distribution):
    avant = Organisation.objects.count()
    url = R + f"collectifs/{distribution.collectif_a.pk}/"
    corps = {"institutions_origine": [{"siret": "", "rna": ""}]}
    reponse = api.en(distribution.referent_a).patch(url, corps, format="json")
    assert reponse.status_code == 400
    # In a partial update, DRF keys the errors of a list by position.
    assert reponse.json() == {"institutions_origine": {"0": {"nom": [MESSAGE_OBLIGATOIRE]}}}
    assert Organisation.objects.count() == avant


# --- pagination -------------------------------------------------------------------------------------------


LISTES = ["collectifs/", "campagnes/", "declarations/"]


@pytest.mark.parametrize("liste", LISTES)
def test_limit_enorme_plafonnee(api, distribution, liste):
    reponse = api.en(distribution.national).get(R + liste, {"limit": str(ENORME)})
    assert reponse.status_code == 200
    assert "limit=200" in (reponse.json()["next"] or "limit=200")


@pytest.mark.parametrize("liste", LISTES)
@pytest.mark.parametrize(
    ("parametres", "erreurs"),
    [
        ({"limit": "-1"}, {"limit": ["Le paramètre « limit » doit valoir au moins 1."]}),
        ({"limit": "0"}, {"limit": ["Le paramètre « limit » doit valoir au moins 1."]}),
        ({"limit": "dix"}, {"limit": ["Le paramètre « limit » doit être un nombre entier."]}),
        ({"offset": "-5"}, {"offset": ["Le paramètre « offset » doit valoir au moins 0."]}),
        ({"offset": str(ENORME)}, {"offset": ["Le paramètre « offset » ne peut pas dépasser 1000000000."]}),
        ({"offset": str(-ENORME)}, {"offset": ["Le paramètre « offset » doit valoir au moins 0."]}),
    ],
    ids=["limit-negatif", "limit-nul", "limit-texte", "offset-negatif", "offset-enorme", "offset-tres-negatif"],
)
def test_pagination_invalide_400(api, distribution, liste, parametres, erreurs):
    reponse = api.en(distribution.national).get(R + liste, parametres)
    assert reponse.status_code == 400
    assert reponse.json() == erreurs


def test_pagination_ordinaire_inchangee(api, distribution):
    reponse = api.en(distribution.referent_a).get(R + "collectifs/", {"limit": "1", "offset": "0"})
    assert reponse.status_code == 200
    assert len(reponse.json()["results"]) == 1


# --- ids: filters, path, references in a body ------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "champ"),
    [
        ("declarations/?collectif=-92973077937316659200", "collectif"),
        (f"declarations/?collectif={ENORME}", "collectif"),
        ("declarations/?collectif=0", "collectif"),
        (f"seances/?instance={ENORME}", "instance"),
    ],
    ids=["collectif-tres-negatif", "collectif-enorme", "collectif-nul", "instance-enorme"],
)
def test_filtre_par_identifiant_hors_bornes_400(api, distribution, url, champ):
    reponse = api.en(distribution.national).get(R + url)
    assert reponse.status_code == 400
    erreurs = reponse.json()[champ]
    assert erreurs[0] in ("Cet identifiant est trop grand.", "Un identifiant est un entier positif.")


@pytest.mark.parametrize(
    "chemin",
    [
        f"collectifs/{ENORME}/",
        f"collectifs/{ENORME}/composition/",
        f"collectifs/{ENORME}/membres/",
        f"declarations/{ENORME}/",
        f"declarations/{ENORME}/messages/",
        f"instances/{ENORME}/",
        f"seances/{ENORME}/",
        f"seances/{ENORME}/points/",
        f"campagnes/{ENORME}/",
    ],
)
def test_identifiant_de_chemin_hors_bornes_404(api, distribution, chemin):
    reponse = api.en(distribution.national).get(R + chemin)
    assert reponse.status_code == 404
    assert reponse.json() == {"detail": "Ressource introuvable."}


def test_membre_hors_bornes_404(api, distribution):
    url = R + f"collectifs/{distribution.collectif_a.pk}/membres/{ENORME}/"
    reponse = api.en(distribution.referent_a).get(url)
    assert reponse.status_code == 404


def test_reference_hors_bornes_dans_le_corps_400(api, monde):
    mi = construire(monde)
    url = R + f"declarations/{mi.declaration.pk}/messages/"
    reponse = api.en(mi.d.referent_a).post(url, {"texte": "Bonjour", "parent": ENORME}, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"parent": ["Ce message ne fait pas partie de cette déclaration."]}
    assert not Message.objects.filter(declaration=mi.declaration).exists()


# --- campaigns: a plausible quota -------------------------------------------------------------------------


@pytest.mark.parametrize("quota", [10**12, 10_001])
def test_quota_demesure_refuse(api, distribution, quota):
    corps = {
        "departement": "42",
        "annee": 2030,
        "quota": quota,
        "enveloppe_annuelle": "30000.00",
        "montant_minimal_annuel": "15000.00",
        "date_ouverture": "2030-02-01",
        "date_cloture": "2030-03-01",
    }
    reponse = api.en(distribution.instructeur_42).post(R + "campagnes/", corps, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"quota": ["Le nombre de places ne peut pas dépasser 10 000."]}


# --- texts: bounded in the API, and bodies too ------------------------------------------------------------


def test_textes_de_la_declaration_bornes(api, distribution):
    brouillon = DeclarationFactory(collectif=distribution.collectif_a)
    url = R + f"declarations/{brouillon.pk}/"
    client = api.en(distribution.referent_a)
    trop = "a" * (LONGUEUR_TEXTE_DECLARATION + 1)
    reponse = client.patch(url, {"projet": trop}, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"projet": ["Assurez-vous que ce champ comporte au plus 5000\u00a0caractères."]}
    brouillon.refresh_from_db()
    assert brouillon.projet == ""
    juste = "a" * LONGUEUR_TEXTE_DECLARATION
    corps = {"projet": juste, "dynamique_preexistante": juste, "additionnalite": juste}
    assert client.patch(url, corps, format="json").status_code == 200


def test_message_et_complements_bornes(api, monde):
    mi = construire(monde)
    url = R + f"declarations/{mi.declaration.pk}/"
    reponse = api.en(mi.d.referent_a).post(url + "messages/", {"texte": "a" * (LONGUEUR_MESSAGE + 1)}, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"texte": ["Assurez-vous que ce champ comporte au plus 2000\u00a0caractères."]}
    reponse = api.en(mi.d.instructeur_42).post(
        url + "complements/", {"message": "a" * (LONGUEUR_COMPLEMENTS + 1)}, format="json"
    )
    assert reponse.status_code == 400
    assert reponse.json() == {"message": ["Assurez-vous que ce champ comporte au plus 5000\u00a0caractères."]}


def test_corps_trop_volumineux_413_en_json(api, distribution):
    brouillon = DeclarationFactory(collectif=distribution.collectif_a)
    corps = {"projet": "a" * (1024 * 1024)}
    reponse = api.en(distribution.referent_a).patch(R + f"declarations/{brouillon.pk}/", corps, format="json")
    assert reponse.status_code == 413
    assert reponse["Content-Type"] == "application/json"
    assert reponse.json() == {"detail": "La requête est trop volumineuse : 512 Kio au plus."}


def test_corps_lu_trop_volumineux_413_en_json():
    """A body found too large while Django reads it (a form, a chunked body) ends the same way."""
    reponse = exception_handler(RequestDataTooBig("trop"), {})
    assert reponse is not None
    assert reponse.status_code == 413
    assert reponse.data == {"detail": "La requête est trop volumineuse."}


# --- schema: undecided points return "" -------------------------------------------------------------------


def test_schema_admet_le_vide_des_points_non_decides(client, db):
    schema = json.loads(client.get(R + "schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content)
    composants = schema["components"]["schemas"]
    for champ in ("motif_refus", "resultat"):
        variantes = composants["Point"]["properties"][champ]["oneOf"]
        enums = [composants[v["$ref"].rsplit("/", 1)[1]].get("enum") for v in variantes]
        assert [""] in enums, champ
