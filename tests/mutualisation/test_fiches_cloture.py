"""SPEC §5, R14: a collectif's convention closes only once its year-3 check-in is validated AND a practice sheet of
the collectif has been proposed; the collectif and the instructeur are told what is missing; it closes by itself
when the last of the two happens (the sheet proposed, or the year-3 check-in validated: after commit)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fonds.enums import EtatConvention
from fonds.models import Convention
from fonds.services import bilan_deposer, bilan_valider
from journal.fsm import historique
from mutualisation.enums import EtatFiche
from mutualisation.selectors.fiches import ce_qui_manque_pour_cloturer
from mutualisation.services import fiches as services
from tests.fonds.parcours_bilans import CollectifFinance, collectif_finance, donnees_completes
from tests.mutualisation.parcours_fiches import donnees

pytestmark = pytest.mark.django_db

MANQUE_FICHE = "Le collectif doit proposer sa fiche pratique au département."


@pytest.fixture
def finance() -> CollectifFinance:
    return collectif_finance()


def _valider(finance: CollectifFinance, rang: int) -> None:
    bilan = bilan_deposer(acteur=finance.referent, bilan=finance.bilan(rang), donnees=donnees_completes(finance))
    bilan_valider(acteur=finance.monde.instructeur, bilan=bilan)


def _valider_jusqu_a(finance: CollectifFinance, dernier: int) -> None:
    for rang in range(1, dernier + 1):
        _valider(finance, rang)


def _fiche(finance: CollectifFinance):
    return services.fiche_creer(acteur=finance.referent, collectif=finance.collectif, donnees=donnees())


def _etat(finance: CollectifFinance) -> str:
    return Convention.objects.get(pk=finance.convention.pk).etat


def test_rien_de_fait_les_deux_manques_sont_nommes(finance):
    manques = ce_qui_manque_pour_cloturer(finance.convention)
    assert manques == [
        "Le bilan de l'année 3 doit être validé par le département (il est attendu).",
        MANQUE_FICHE,
    ]
    with pytest.raises(ValidationError) as erreur:
        services.convention_cloturer(acteur=finance.monde.instructeur, convention=finance.convention)
    assert erreur.value.messages == manques
    assert _etat(finance) == EtatConvention.ACTIVE


def test_la_fiche_d_un_collectif_finance_porte_sa_convention(finance):
    fiche = _fiche(finance)
    assert fiche.convention_id == finance.convention.pk
    assert fiche.departement_id == "42"


def test_bilan_3_valide_sans_fiche_proposee_ne_cloture_pas(finance, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _valider_jusqu_a(finance, 3)
    assert _etat(finance) == EtatConvention.ACTIVE
    assert ce_qui_manque_pour_cloturer(finance.convention) == [MANQUE_FICHE]
    fiche = _fiche(finance)  # a draft is not enough
    assert ce_qui_manque_pour_cloturer(finance.convention) == [MANQUE_FICHE]
    with pytest.raises(ValidationError) as erreur:
        services.convention_cloturer(acteur=finance.monde.instructeur, convention=finance.convention)
    assert erreur.value.messages == [MANQUE_FICHE]
    assert fiche.etat == EtatFiche.BROUILLON


def test_fiche_proposee_sans_bilan_3_valide_ne_cloture_pas(finance, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _valider_jusqu_a(finance, 2)
        services.fiche_proposer(acteur=finance.referent, fiche=_fiche(finance))
    assert _etat(finance) == EtatConvention.ACTIVE
    assert ce_qui_manque_pour_cloturer(finance.convention) == [
        "Le bilan de l'année 3 doit être validé par le département (il est attendu)."
    ]


def test_proposer_la_fiche_apres_le_bilan_3_cloture_la_convention(finance, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _valider_jusqu_a(finance, 3)
    services.fiche_proposer(acteur=finance.referent, fiche=_fiche(finance))
    convention = Convention.objects.get(pk=finance.convention.pk)
    assert convention.etat == EtatConvention.CLOTUREE
    assert convention.cloturee_le is not None
    ligne = historique(convention).last()
    assert ligne.transition == "cloturer" and ligne.acteur == finance.referent
    assert ce_qui_manque_pour_cloturer(convention) == []


def test_valider_le_bilan_3_apres_la_fiche_cloture_la_convention_apres_validation(
    finance, django_capture_on_commit_callbacks
):
    _valider_jusqu_a(finance, 2)
    services.fiche_proposer(acteur=finance.referent, fiche=_fiche(finance))
    with django_capture_on_commit_callbacks(execute=True):
        _valider(finance, 3)
    convention = Convention.objects.get(pk=finance.convention.pk)
    assert convention.etat == EtatConvention.CLOTUREE
    ligne = historique(convention).last()
    assert ligne.transition == "cloturer" and ligne.acteur is None


def test_l_instructeur_cloture_a_la_main_quand_rien_ne_manque(finance, client):
    """Without the after-commit receiver (callbacks not run), the instructeur closes it from the page."""
    _valider_jusqu_a(finance, 2)
    services.fiche_proposer(acteur=finance.referent, fiche=_fiche(finance))
    _valider(finance, 3)
    assert _etat(finance) == EtatConvention.ACTIVE
    with pytest.raises(PermissionDenied):
        services.convention_cloturer(acteur=finance.referent, convention=finance.convention)
    client.force_login(finance.monde.instructeur)
    page = client.get(reverse("mutualisation:fiches_collectif", args=[finance.collectif.pk]))
    assert "la convention peut être clôturée" in page.content.decode()
    assert "Clôturer la convention" in page.content.decode()
    reponse = client.post(reverse("mutualisation:convention_cloturer", args=[finance.convention.pk]))
    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("fonds:convention", args=[finance.convention.pk])
    assert _etat(finance) == EtatConvention.CLOTUREE
    with pytest.raises(ValidationError):
        services.convention_cloturer(acteur=finance.monde.instructeur, convention=finance.convention)


def test_la_page_du_collectif_dit_ce_qui_manque(finance, client):
    client.force_login(finance.referent)
    page = client.get(reverse("mutualisation:fiches_collectif", args=[finance.collectif.pk])).content.decode()
    assert "Il manque encore" in page
    assert "Le bilan de l&#x27;année 3 doit être validé par le département (il est attendu)." in page
    assert MANQUE_FICHE in page
    assert "Clôturer la convention" not in page
    refus = client.post(reverse("mutualisation:convention_cloturer", args=[finance.convention.pk]))
    assert refus.status_code == 403
