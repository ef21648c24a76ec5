"""R12, R7: the composition of a funded collectif over time. A member change that makes it fall short of R1 (the
campaign's thresholds) makes its convention « non conforme » with the end of its grace period; restored within the
grace period it is active again; past it, the next unpaid tranche is suspended with the convention, and cannot be
paid; restored, the tranche is payable again. Time is moved with time-machine."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from collectifs.enums import College
from collectifs.models import Membre
from collectifs.services import DonneesMembre, membre_ajouter, membre_modifier
from comptes.models import User
from fonds.enums import EtatConvention, EtatTranche
from fonds.models import Convention, Tranche, Versement
from fonds.selectors.conformite import conformite_de, conventions_en_defaut
from fonds.services import (
    conformites_reverifier,
    convention_annuler,
    convention_signer,
    convention_suspendre_apres_grace,
    tranche_liberer,
    versement_enregistrer,
)
from journal.models import TransitionLog
from tests.collectifs.factories import composer
from tests.fonds.parcours import LoireFinancee, agreer, campagne_ouverte, loire_financee

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
DEBUT = datetime(2027, 1, 15, 10, 0, tzinfo=PARIS)
MANQUE_HABITANT = "Il manque 1 représentant·e d'habitants ou d'usagers"


def _signer(monde, convention: Convention) -> None:
    convention_signer(
        acteur=monde.instructeur,
        convention=convention,
        signee_le=timezone.localdate(),
        signataire_beneficiaire="Odile Marchand, référente",
        signataire_departement="Le président du Département",
    )


def collectif_finance() -> tuple[LoireFinancee, Convention]:
    """A Loire collectif agreed in the 2027 campaign, composed exactly at the thresholds (1/2/2), its convention
    signed on 15 January 2027: tranche 1 is payable."""
    with time_machine.travel(DEBUT, tick=False):
        monde = loire_financee()
        campagne = campagne_ouverte(monde)
        declaration = agreer(monde, campagne, "Collectif des Hauts de Firminy")
        composer(declaration.collectif)
        convention = Convention.objects.get(declaration=declaration)
        _signer(monde, convention)
    return monde, convention


@pytest.fixture
def financee():
    return collectif_finance()


def le_jour(jour: date) -> Any:
    """Travel to 10:00 on that day."""
    return time_machine.travel(datetime.combine(jour, time(10, 0), tzinfo=PARIS))


def referent(convention: Convention) -> User:
    return convention.declaration.collectif.referents.first()


def habitant(convention: Convention) -> Membre:
    return (
        convention.declaration.collectif.membres.filter(college=College.HABITANT, date_fin__isnull=True)
        .order_by("pk")
        .first()
    )


def faire_partir(convention: Convention, membre: Membre) -> None:
    """The référent ends a membership yesterday (R19: nothing is deleted)."""
    membre_modifier(
        acteur=referent(convention),
        membre=membre,
        donnees=DonneesMembre(
            college=membre.college,
            prenom=membre.prenom,
            nom=membre.nom,
            consentement=True,
            date_debut=membre.date_debut,
            date_fin=timezone.localdate() - timedelta(days=1),
        ),
    )


def ajouter_habitant(convention: Convention, prenom: str = "Yasmina") -> Membre:
    return membre_ajouter(
        acteur=referent(convention),
        collectif=convention.declaration.collectif,
        donnees=DonneesMembre(college=College.HABITANT, prenom=prenom, nom="Benali", consentement=True),
    )


def _verser(monde, tranche: Tranche, reference: str = "VIR-1"):
    return versement_enregistrer(
        acteur=monde.instructeur,
        tranche=tranche,
        date_versement=timezone.localdate(),
        montant=tranche.montant,
        reference_bancaire=reference,
    )


def _etats(convention: Convention) -> tuple[str, list[str]]:
    convention.refresh_from_db()
    return convention.etat, [t.etat for t in convention.tranches.order_by("rang")]


def test_un_membre_qui_part_rend_la_convention_non_conforme_avec_la_fin_du_delai_de_grace(financee):
    _monde, convention = financee

    with le_jour(date(2027, 2, 10)):
        faire_partir(convention, habitant(convention))

    convention.refresh_from_db()
    assert convention.etat == EtatConvention.NON_CONFORME
    assert convention.non_conforme_depuis == date(2027, 2, 10)
    assert convention.fin_de_grace == date(2027, 5, 10)  # the campaign's default: three months
    journal = TransitionLog.objects.get(object_id=convention.pk, transition="declarer_non_conforme")
    assert MANQUE_HABITANT in journal.commentaire and "10 mai 2027" in journal.commentaire
    with le_jour(date(2027, 2, 11)):
        conformite = conformite_de(convention)
    assert conformite is not None and conformite.manques == [MANQUE_HABITANT]
    assert conformite.fin_de_grace == date(2027, 5, 10) and not conformite.suspendue
    assert list(conventions_en_defaut(["42"])) == [convention]
    assert list(conventions_en_defaut(["69"])) == []


def test_pendant_le_delai_de_grace_la_tranche_exigible_se_verse_encore(financee):
    monde, convention = financee
    with le_jour(date(2027, 2, 10)):
        faire_partir(convention, habitant(convention))
        _verser(monde, convention.tranches.get(rang=1))

    assert _etats(convention) == (
        EtatConvention.NON_CONFORME,
        [EtatTranche.VERSEE, EtatTranche.PREVUE, EtatTranche.PREVUE],
    )


def test_un_autre_depart_pendant_le_delai_ne_le_prolonge_pas(financee):
    _monde, convention = financee
    with le_jour(date(2027, 2, 10)):
        faire_partir(convention, habitant(convention))
    with le_jour(date(2027, 3, 1)):
        faire_partir(convention, habitant(convention))

    convention.refresh_from_db()
    assert convention.fin_de_grace == date(2027, 5, 10)
    with le_jour(date(2027, 3, 1)):
        assert conformite_de(convention).manques == ["Il manque 2 représentant·es d'habitants ou d'usagers"]


def test_les_seuils_et_le_delai_de_grace_sont_ceux_de_la_campagne(financee):
    _monde, convention = financee
    convention.campagne.delai_grace_mois = 1
    convention.campagne.seuil_professionnel = 3  # locked once open; set here to show whose thresholds apply
    convention.campagne.save(update_fields=["delai_grace_mois", "seuil_professionnel"])

    with le_jour(date(2027, 1, 31)):
        ajouter_habitant(convention)  # any change re-checks: 2 professionals, the campaign asks for 3

    convention.refresh_from_db()
    assert convention.etat == EtatConvention.NON_CONFORME
    assert convention.fin_de_grace == date(2027, 2, 28)  # one month, the 31st falling back to the month's end
    with le_jour(date(2027, 1, 31)):
        assert conformite_de(convention).manques == ["Il manque 1 professionnel·le"]


def test_retablie_pendant_le_delai_de_grace_la_convention_redevient_active(financee):
    _monde, convention = financee
    with le_jour(date(2027, 2, 10)):
        faire_partir(convention, habitant(convention))
    with le_jour(date(2027, 5, 10)):  # the last day of the grace period
        ajouter_habitant(convention)

    convention.refresh_from_db()
    assert convention.etat == EtatConvention.ACTIVE
    assert (convention.non_conforme_depuis, convention.fin_de_grace) == (None, None)
    assert conformite_de(convention) is None
    assert _etats(convention)[1][0] == EtatTranche.EXIGIBLE
    # The grace period is over by now, but the convention is active: nothing is suspended.
    with le_jour(date(2027, 5, 11)):
        assert convention_suspendre_apres_grace(convention.pk) is None
    assert _etats(convention)[0] == EtatConvention.ACTIVE


def test_apres_le_delai_la_tranche_exigible_est_suspendue_et_ne_se_verse_pas(financee):
    monde, convention = financee
    with le_jour(date(2027, 2, 10)):
        faire_partir(convention, habitant(convention))

    with le_jour(date(2027, 5, 10)):
        assert convention_suspendre_apres_grace(convention.pk) is None  # still inside the grace period
    with le_jour(date(2027, 5, 11)):
        assert convention_suspendre_apres_grace(convention.pk) is not None
        # Idempotent: fired twice, nothing more happens.
        assert convention_suspendre_apres_grace(convention.pk) is None

    assert _etats(convention) == (
        EtatConvention.SUSPENDUE,
        [EtatTranche.SUSPENDUE, EtatTranche.PREVUE, EtatTranche.PREVUE],
    )
    convention.refresh_from_db()
    assert convention.suspendue_le == date(2027, 5, 11)
    with le_jour(date(2027, 5, 11)):
        conformite = conformite_de(convention)
    assert conformite.suspendue and conformite.manques == [MANQUE_HABITANT] and conformite.tranche_suspendue.rang == 1
    with (
        le_jour(date(2027, 5, 12)),
        pytest.raises(ValidationError, match="ne peut pas être versée : la convention est"),
    ):
        _verser(monde, convention.tranches.get(rang=1))
    assert not Versement.objects.filter(tranche__convention=convention).exists()
    assert _etats(convention)[1][0] == EtatTranche.SUSPENDUE


def test_retablie_apres_suspension_la_tranche_redevient_exigible_et_se_verse(financee):
    monde, convention = financee
    with le_jour(date(2027, 2, 10)):
        faire_partir(convention, habitant(convention))
    with le_jour(date(2027, 5, 11)):
        convention_suspendre_apres_grace(convention.pk)

    with le_jour(date(2027, 6, 2)):
        ajouter_habitant(convention)
        assert _etats(convention) == (
            EtatConvention.ACTIVE,
            [EtatTranche.EXIGIBLE, EtatTranche.PREVUE, EtatTranche.PREVUE],
        )
        _verser(monde, convention.tranches.get(rang=1))

    assert _etats(convention)[1][0] == EtatTranche.VERSEE
    transitions = list(
        TransitionLog.objects.filter(object_id=convention.tranches.get(rang=1).pk, content_type__model="tranche")
        .order_by("pk")
        .values_list("transition", flat=True)
    )
    assert transitions == ["rendre_exigible", "suspendre", "reprendre", "verser"]


def test_une_tranche_prevue_ne_devient_pas_exigible_pendant_la_suspension(financee):
    """Tranche 1 paid, tranche 2 waiting for its check-in: the suspension keeps it « prévue », and nothing can
    release it while the convention is suspended."""
    monde, convention = financee
    with le_jour(date(2027, 2, 1)):
        _verser(monde, convention.tranches.get(rang=1))
        faire_partir(convention, habitant(convention))
    with le_jour(date(2027, 5, 2)):
        convention_suspendre_apres_grace(convention.pk)

    assert _etats(convention) == (
        EtatConvention.SUSPENDUE,
        [EtatTranche.VERSEE, EtatTranche.PREVUE, EtatTranche.PREVUE],
    )
    deuxieme = convention.tranches.get(rang=2)
    assert not deuxieme.liberable()
    with pytest.raises(ValidationError, match="convention est suspendue"):
        tranche_liberer(acteur=monde.instructeur, tranche=deuxieme)


def test_une_convention_sans_membres_suffisants_a_la_fin_du_delai_mais_retablie_par_le_calendrier(financee):
    """A member whose membership starts after the last change counts when the grace period ends: no suspension."""
    _monde, convention = financee
    with le_jour(date(2027, 2, 10)):
        faire_partir(convention, habitant(convention))
        membre_ajouter(
            acteur=referent(convention),
            collectif=convention.declaration.collectif,
            donnees=DonneesMembre(
                college=College.HABITANT,
                prenom="Inès",
                nom="Morel",
                consentement=True,
                date_debut=date(2027, 4, 1),
            ),
        )
    assert _etats(convention)[0] == EtatConvention.NON_CONFORME

    with le_jour(date(2027, 5, 11)):
        assert convention_suspendre_apres_grace(convention.pk) is None
    assert _etats(convention)[0] == EtatConvention.ACTIVE


def test_la_verification_quotidienne_voit_une_adhesion_terminee_sans_nouvelle_saisie(financee):
    _monde, convention = financee
    membre = habitant(convention)
    with le_jour(date(2027, 2, 10)):
        membre_modifier(
            acteur=referent(convention),
            membre=membre,
            donnees=DonneesMembre(
                college=membre.college,
                prenom=membre.prenom,
                nom=membre.nom,
                consentement=True,
                date_debut=membre.date_debut,
                date_fin=date(2027, 3, 31),
            ),
        )
    assert _etats(convention)[0] == EtatConvention.ACTIVE  # still a member until 31 March

    with le_jour(date(2027, 3, 31)):
        assert conformites_reverifier() == 0
    with le_jour(date(2027, 4, 1)):
        assert conformites_reverifier() == 1
        assert conformites_reverifier() == 0

    convention.refresh_from_db()
    assert (convention.etat, convention.non_conforme_depuis) == (EtatConvention.NON_CONFORME, date(2027, 4, 1))


def test_une_convention_annulee_n_est_plus_suivie(financee):
    monde, convention = financee
    convention_annuler(acteur=monde.instructeur, convention=convention, motifs="Le collectif renonce.")
    with le_jour(date(2027, 2, 10)):
        faire_partir(convention, habitant(convention))

    assert _etats(convention)[0] == EtatConvention.ANNULEE
    assert not TransitionLog.objects.filter(object_id=convention.pk, transition="declarer_non_conforme").exists()


# --- What the collectif, the instructeurs and the instance see ----------------------------------------------------


def test_la_page_de_suivi_et_la_page_de_la_convention_montrent_ce_qui_manque_et_la_fin_de_grace(financee, client):
    monde, convention = financee
    with le_jour(date(2027, 2, 10)):
        faire_partir(convention, habitant(convention))

    with le_jour(date(2027, 2, 11)):
        client.force_login(referent(convention))
        suivi = client.get(reverse("instances:declaration_detail", args=[convention.declaration_id]))
        client.force_login(monde.instructeur)
        page = client.get(reverse("fonds:convention", args=[convention.pk]))

    for reponse in (suivi, page):
        assert reponse.status_code == 200
        texte = reponse.content.decode()
        assert "Composition du collectif non conforme depuis le 10 février 2027" in texte
        assert "Délai de grâce jusqu'au <strong>10 mai 2027</strong> inclus" in texte
        assert escape(f"{MANQUE_HABITANT}.") in texte
    # During the grace period the payable tranche is still paid from the convention page.
    assert "Enregistrer le versement" in page.content.decode()


def test_suspendue_la_page_de_la_convention_ne_propose_plus_le_versement(financee, client):
    monde, convention = financee
    with le_jour(date(2027, 2, 10)):
        faire_partir(convention, habitant(convention))
    with le_jour(date(2027, 5, 11)):
        convention_suspendre_apres_grace(convention.pk)
        client.force_login(monde.instructeur)
        page = client.get(reverse("fonds:convention", args=[convention.pk])).content.decode()

    assert "Convention suspendue : composition du collectif non conforme" in page
    assert "La tranche 1 (2027) est suspendue : elle ne peut pas être versée." in page
    assert "Enregistrer le versement" not in page


def _non_conformes(monde, campagne, nombre: int) -> None:
    conventions = []
    with le_jour(date(2027, 1, 15)):
        for rang in range(nombre):
            declaration = agreer(monde, campagne, f"Collectif non conforme {rang}")
            composer(declaration.collectif)
            conventions.append(Convention.objects.get(declaration=declaration))
    with le_jour(date(2027, 2, 10)):
        for convention in conventions:
            faire_partir(convention, habitant(convention))


# The instance page with its non-compliant collectifs: the same number of queries for one or three of them.
REQUETES_INSTANCE_NON_CONFORMES = 16


@pytest.mark.parametrize("nombre", [1, 3])
def test_la_page_de_l_instance_liste_les_collectifs_non_conformes(nombre, client, django_assert_num_queries):
    with le_jour(date(2027, 1, 15)):
        monde = loire_financee()
        campagne = campagne_ouverte(monde)
    _non_conformes(monde, campagne, nombre)
    with le_jour(date(2027, 2, 11)):
        client.force_login(monde.instructeur)
        url = reverse("instances:instance", args=[monde.instance.pk])
        with django_assert_num_queries(REQUETES_INSTANCE_NON_CONFORMES):
            page = client.get(url).content.decode()

    assert "Collectifs financés à la composition non conforme" in page
    assert page.count(escape(f"{MANQUE_HABITANT}.")) == nombre
    assert page.count("jusqu'au 10 mai 2027") == nombre
