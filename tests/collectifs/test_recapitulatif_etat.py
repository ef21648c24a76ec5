"""Issue 11, « Smaller things »: the récapitulatif's « Déposer » stays disabled while something blocks the filing,
with the blockers linked to the step and field that fix them; the step list says which step is complete.

Both come from one function, `collectifs.etapes.etats_des_etapes`, built on the filing conditions (R1, R2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from collectifs.enums import EtatDeclaration
from collectifs.etapes import ETAPES, declaration_prete, etats_des_etapes
from collectifs.models import Declaration
from collectifs.services import conditions_de_depot
from tests.vues import Page, brouillon, brouillon_pret, composer_fixe

DEPOSER = 'form[action$="/deposer/"] button[type="submit"]'


def _sans_institution(declaration: Declaration) -> Declaration:
    declaration.collectif.institutions_origine.clear()
    return declaration


def _page(client, declaration: Declaration, etape: str = "recapitulatif") -> Page:
    reponse = client.get(reverse(f"collectifs:etape_{etape}", args=[declaration.pk]))
    assert reponse.status_code == 200
    return Page(reponse)


def _etats_affiches(page: Page) -> dict[str, str]:
    """Each step of the side menu, as read: its title and the text of its state's badge."""
    etats = {}
    for lien in page.tous(".fr-sidemenu__link"):
        badge = Page.texte(lien.query(".fr-badge"))
        titre = Page.texte(lien).removesuffix(badge).strip().removesuffix(":").strip()
        etats[titre] = badge
    return etats


# --- The function --------------------------------------------------------------------------------------------------


def test_chaque_condition_de_depot_est_rangee_sur_l_etape_qui_la_regle(distribution):
    """Empty draft: every blocker of conditions_de_depot, none restated, on the step where it is fixed."""
    declaration = _sans_institution(brouillon(distribution.collectif_a))
    erreurs = conditions_de_depot(declaration, distribution.campagne)
    etats = {e.code: e for e in etats_des_etapes(declaration)}

    assert list(etats) == [code for code, _ in ETAPES]
    assert etats["membres"].manques == tuple(erreurs["membres"])
    assert etats["projet"].manques == (*erreurs["dynamique_preexistante"], *erreurs["additionnalite"])
    assert etats["charte"].manques == ("La charte des collectifs doit être acceptée.",)
    assert etats["collectif"].manques == ("Nommez au moins une institution d'origine du collectif.",)
    assert etats["indicateurs"].complete and etats["recapitulatif"].complete
    every = [m for e in etats.values() for m in e.manques]
    assert sorted(every) == sorted(m for messages in erreurs.values() for m in messages)
    assert not declaration_prete(list(etats.values()))


def test_une_declaration_prete_n_a_plus_rien_a_completer(distribution):
    declaration = brouillon_pret(distribution.collectif_a)
    etats = etats_des_etapes(declaration)
    assert all(e.complete for e in etats)
    assert declaration_prete(etats)


def test_hors_campagne_seul_le_recapitulatif_attend(distribution):
    """No open campaign: nothing to fix on the steps, the filing waits for the campaign."""
    declaration = brouillon_pret(distribution.collectif_a)
    distribution.campagne.delete()
    etats = {e.code: e for e in etats_des_etapes(declaration)}
    assert [code for code, e in etats.items() if not e.complete] == ["recapitulatif"]
    assert "Aucune campagne" in etats["recapitulatif"].manques[0]


# --- The récapitulatif -------------------------------------------------------------------------------------------


def test_le_bouton_deposer_est_desactive_tant_qu_il_reste_des_blocages(distribution, client):
    declaration = _sans_institution(brouillon(distribution.collectif_a))
    client.force_login(distribution.referent_a)
    page = _page(client, declaration)

    bouton = page.un(DEPOSER)
    assert Page.texte(bouton) == "Déposer"
    assert Page.attribut(bouton, "disabled") is not None
    assert Page.attribut(bouton, "aria-disabled") == "true"
    # The explanation it points to exists, and lists every blocker with a link to its step and field.
    decrit = (Page.attribut(bouton, "aria-describedby") or "").split()
    assert decrit == ["depot-impossible", "conditions-depot"]
    assert "Le dépôt sera possible quand" in Page.texte(page.un("#depot-impossible"))
    liens = {Page.attribut(a, "href") for a in page.tous("#conditions-depot a")}
    pk = declaration.pk
    assert liens == {
        reverse("collectifs:etape_collectif", args=[pk]) + "#id_institutions-0-nom",
        reverse("collectifs:etape_membres", args=[pk]) + "#composition",
        reverse("collectifs:etape_projet", args=[pk]) + "#id_dynamique_preexistante",
        reverse("collectifs:etape_projet", args=[pk]) + "#id_additionnalite",
        reverse("collectifs:etape_charte", args=[pk]) + "#id_accepte",
    }


def test_chaque_lien_mene_a_un_champ_qui_existe_sur_son_etape(distribution, client):
    declaration = _sans_institution(brouillon(distribution.collectif_a))
    client.force_login(distribution.referent_a)
    for lien in _page(client, declaration).tous("#conditions-depot a"):
        chemin, ancre = (Page.attribut(lien, "href") or "").split("#")
        cible = Page(client.get(chemin))
        assert cible.tous(f'[id="{ancre}"]'), (chemin, ancre)


def test_le_bouton_deposer_est_actif_quand_tout_est_pret(distribution, client):
    declaration = brouillon_pret(distribution.collectif_a)
    client.force_login(distribution.referent_a)
    page = _page(client, declaration)
    bouton = page.un(DEPOSER)
    assert Page.attribut(bouton, "disabled") is None
    assert Page.attribut(bouton, "aria-disabled") is None
    assert not page.tous("#depot-impossible")


def test_le_serveur_refuse_toujours_le_depot_bloque(distribution, client):
    """The disabled button is a help, not the guard: a forged POST is refused and the draft kept."""
    declaration = brouillon(distribution.collectif_a, textes=True, charte=True)
    client.force_login(distribution.referent_a)
    reponse = client.post(reverse("collectifs:deposer", args=[declaration.pk]))
    assert reponse.status_code == 422
    page = Page(reponse)
    assert "La déclaration n'a pas pu être déposée" in Page.texte(page.un("#conditions-depot"))
    assert Page.attribut(page.un(DEPOSER), "disabled") is not None
    assert Declaration.objects.get(pk=declaration.pk).etat == EtatDeclaration.BROUILLON


# --- The step list -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("etape", [code for code, _ in ETAPES])
def test_la_liste_des_etapes_dit_l_etat_de_chacune_en_texte(etape, distribution, client):
    """Texts and charter done, members missing: the state is written, not only coloured, on every step's page."""
    declaration = _sans_institution(brouillon(distribution.collectif_a, textes=True, charte=True))
    client.force_login(distribution.referent_a)
    page = _page(client, declaration, etape)
    assert _etats_affiches(page) == {
        "1. Le collectif": "À compléter",  # no institution of origin
        "2. Les membres": "À compléter",
        "3. Le projet": "Complète",
        "4. Les indicateurs": "Complète",
        "5. La charte": "Complète",
        "6. Récapitulatif et dépôt": "Pas encore prête",
    }
    actif = page.un('.fr-sidemenu__link[aria-current="page"]')
    assert Page.attribut(actif, "href") == reverse(f"collectifs:etape_{etape}", args=[declaration.pk])


def test_une_declaration_prete_est_complete_a_chaque_etape(distribution, client):
    declaration = brouillon_pret(distribution.collectif_a)
    client.force_login(distribution.referent_a)
    etats = _etats_affiches(_page(client, declaration, "charte"))
    assert set(list(etats.values())[:-1]) == {"Complète"}
    assert etats["6. Récapitulatif et dépôt"] == "Prête"


def test_l_etape_en_cours_dit_ce_qui_lui_manque(distribution, client):
    composer_fixe(distribution.collectif_a)
    declaration = brouillon(distribution.collectif_a, charte=True)
    client.force_login(distribution.referent_a)
    manques = Page.texte(_page(client, declaration, "projet").un("#manques-etape"))
    assert "Décrivez la dynamique collaborative qui existe déjà entre vous." in manques
    assert "Dites ce qui n'existerait pas sans le collectif." in manques
    assert not _page(client, declaration, "charte").tous("#manques-etape")
