"""Free texts have a maximum length that fits their purpose (collectifs.models.LONGUEUR_*): the forms show it
(« 5 000 caractères au plus », `maxlength`) and refuse longer texts with a French message."""

from __future__ import annotations

import pytest

from collectifs.forms import CollectifForm, MessageForm, ProjetForm, ReponseComplementsForm, RetraitForm
from collectifs.models import (
    LONGUEUR_COMPLEMENTS,
    LONGUEUR_MESSAGE,
    LONGUEUR_MOTIF,
    LONGUEUR_TERRITOIRE,
    LONGUEUR_TEXTE_DECLARATION,
    Declaration,
    DemandeComplements,
    Message,
)

CAS = [
    (ProjetForm, {}, "projet", LONGUEUR_TEXTE_DECLARATION, "5 000 caractères au plus"),
    (ProjetForm, {}, "dynamique_preexistante", LONGUEUR_TEXTE_DECLARATION, "5 000 caractères au plus"),
    (ProjetForm, {}, "additionnalite", LONGUEUR_TEXTE_DECLARATION, "5 000 caractères au plus"),
    (RetraitForm, {}, "motif", LONGUEUR_MOTIF, "5 000 caractères au plus"),
    (ReponseComplementsForm, {}, "reponse", LONGUEUR_COMPLEMENTS, "5 000 caractères au plus"),
    (MessageForm, {"fil": []}, "texte", LONGUEUR_MESSAGE, "2 000 caractères au plus"),
]


@pytest.mark.parametrize(("formulaire", "options", "champ", "longueur", "aide"), CAS)
def test_formulaire_montre_et_verifie_la_longueur(formulaire, options, champ, longueur, aide):
    vierge = formulaire(**options)
    assert aide in str(vierge.fields[champ].help_text)
    assert f'maxlength="{longueur}"' in str(vierge[champ])

    trop = formulaire(data={champ: "a" * (longueur + 1)}, **options)
    assert not trop.is_valid()
    assert trop.errors[champ] == [
        f"Assurez-vous que cette valeur comporte au plus {longueur} caractères (actuellement {longueur + 1})."
    ]
    juste = formulaire(data={champ: "a" * longueur}, **options)
    juste.is_valid()
    assert champ not in juste.errors


def test_territoire_du_collectif_borne():
    formulaire = CollectifForm(modification=True, data={"nom": "Collectif", "territoire": "a" * 1001})
    assert not formulaire.is_valid()
    assert "territoire" in formulaire.errors
    assert "1 000 caractères au plus" in str(formulaire.fields["territoire"].help_text)
    assert LONGUEUR_TERRITOIRE == 1000


@pytest.mark.parametrize(
    ("modele", "champ", "longueur"),
    [
        (Declaration, "dynamique_preexistante", 5000),
        (Declaration, "projet", 5000),
        (Declaration, "additionnalite", 5000),
        (Declaration, "motif_retrait", 5000),
        (Declaration, "motifs_classement", 5000),
        (DemandeComplements, "message", 5000),
        (DemandeComplements, "reponse", 5000),
        (Message, "texte", 2000),
    ],
)
def test_champs_de_texte_des_modeles_bornes(modele, champ, longueur):
    assert modele._meta.get_field(champ).max_length == longueur
