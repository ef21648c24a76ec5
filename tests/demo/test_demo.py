"""`manage.py demo` (SPEC §8): the seeders of every app load the demo in one go, and a second run changes
nothing (idempotent), so that `make run` can call it every time. The fund's demo (R3, R7, R8) is built through the
real services: funders, contributions, envelopes, the campaigns' reservations, conventions, payments, a project
and a funder's login."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.urls import reverse

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from collectifs.enums import EtatDeclaration
from collectifs.models import Collectif, Declaration
from comptes.models import Instructeur, User
from fonds.enums import Compte, EtatBilan, EtatConvention, EtatTranche, NatureBeneficiaire, NatureFinanceur
from fonds.models import (
    Abondement,
    AccesFinanceur,
    BilanAnnuel,
    Convention,
    EcritureFonds,
    Financeur,
    Fonds,
    Reservation,
    Versement,
)
from fonds.permissions import financeur_de
from fonds.selectors import enveloppes_du_departement
from fonds.selectors.parts import parts_de_la_convention, parts_du_financeur
from instances.enums import EtatSeance
from instances.models import InstanceDepartementale, Seance
from journal.models import TransitionLog


def _charger() -> str:
    sortie = StringIO()
    call_command("demo", "--force", stdout=sortie, stderr=StringIO())
    return sortie.getvalue()


def _comptage() -> dict[str, int]:
    return {
        "utilisateurs": User.objects.count(),
        "instructeurs": Instructeur.objects.count(),
        "campagnes": Campagne.objects.count(),
        "collectifs": Collectif.objects.count(),
        "declarations": Declaration.objects.count(),
        "seances": Seance.objects.count(),
        "journal": TransitionLog.objects.count(),
        "financeurs": Financeur.objects.count(),
        "abondements": Abondement.objects.count(),
        "acces_financeurs": AccesFinanceur.objects.count(),
        "conventions": Convention.objects.count(),
        "versements": Versement.objects.count(),
        "ecritures": EcritureFonds.objects.count(),
    }


@pytest.mark.django_db
def test_la_demo_se_charge_puis_ne_change_plus_rien():
    sortie = _charger()
    assert "Mot de passe de tous les comptes de démonstration" in sortie
    assert "claire.dumas@demo.collectifs-ds.fr" in sortie
    loire_2026 = Campagne.objects.get(departement_id="42", annee=2026)
    assert loire_2026.etat == EtatCampagne.CLOSE
    assert Campagne.objects.get(departement_id="42", annee=2027).etat == EtatCampagne.OUVERTE
    assert Campagne.objects.get(departement_id="69", annee=2027).etat == EtatCampagne.PREPARATION
    assert InstanceDepartementale.objects.get(departement_id="42").membres.count() == 9
    seance = Seance.objects.get(campagne=loire_2026)
    assert seance.etat == EtatSeance.CLOSE
    decisions = sorted(loire_2026.declarations.values_list("etat", flat=True))
    assert decisions == sorted(
        [EtatDeclaration.AGREEE, EtatDeclaration.AGREEE, EtatDeclaration.REFUSEE, EtatDeclaration.EN_ATTENTE]
    )
    avant = _comptage()

    assert _charger() == sortie
    assert _comptage() == avant


@pytest.mark.django_db
def test_la_demo_refuse_de_se_charger_hors_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="mode DEBUG"):
        call_command("demo", stdout=StringIO(), stderr=StringIO())


E = Decimal


@pytest.mark.django_db
def test_la_demo_charge_le_fonds_par_les_services(client):
    sortie = _charger()
    fonds = Fonds.objects.get()
    # Four funders of four kinds; a contribution per funder and budget year 2026–2029, the Loire's earmarked.
    natures = dict(Financeur.objects.values_list("nom", "nature"))
    assert natures == {
        "État — ministère des Solidarités": NatureFinanceur.ETAT,
        "Département de la Loire": NatureFinanceur.DEPARTEMENT,
        "CAF de la Loire": NatureFinanceur.AUTRE_COLLECTIVITE,
        "Fondation Territoires solidaires": NatureFinanceur.FONDATION,
    }
    abondements = Abondement.objects.filter(fonds=fonds)
    assert sorted(set(abondements.values_list("annee", flat=True))) == [2026, 2027, 2028, 2029]
    assert abondements.count() == 16
    fleches = abondements.filter(departement_fleche__isnull=False)
    assert set(fleches.values_list("financeur__nom", "departement_fleche_id")) == {("Département de la Loire", "42")}
    # Envelopes distributed for 2026–2029 in the Loire and the Rhône, none projected.
    for code, montant in (("42", E("200000.00")), ("69", E("150000.00"))):
        etats = enveloppes_du_departement(fonds, code, [2026, 2027, 2028, 2029])
        assert {annee: (etat.repartie, etat.projetee) for annee, etat in etats.items()} == dict.fromkeys(
            etats, (montant, False)
        )
    # The fund existed before the campaigns opened: the open ones reserved Y, Y+1, Y+2; the Rhône's is in
    # preparation and reserved nothing.
    loire_2026 = Campagne.objects.get(departement_id="42", annee=2026)
    loire_2027 = Campagne.objects.get(departement_id="42", annee=2027)
    assert sorted(Reservation.objects.filter(campagne=loire_2026).values_list("annee", flat=True)) == [2026, 2027, 2028]
    assert sorted(Reservation.objects.filter(campagne=loire_2027).values_list("annee", flat=True)) == [2027, 2028, 2029]
    assert not Reservation.objects.filter(campagne__departement_id="69").exists()
    # Each agreed 2026 collectif has its convention, signed, tranche 1 paid, tranches 2 and 3 planned.
    agreees = loire_2026.declarations.filter(etat=EtatDeclaration.AGREEE)
    conventions = Convention.objects.filter(declaration__in=agreees).order_by("declaration__deposee_le")
    assert conventions.count() == agreees.count() == 2
    for convention in conventions:
        # R12: Fonsala en partage lost a member and is non conforme, within its grace period (demo/seeders/conformite).
        attendu = (
            EtatConvention.NON_CONFORME if convention.beneficiaire == "Fonsala en partage" else EtatConvention.ACTIVE
        )
        assert convention.etat == attendu and convention.signee_le is not None
        tranches = list(convention.tranches.order_by("rang"))
        # R11: tranche 2 is payable once the year-1 check-in is validated (the first collectif's, bilans_2026).
        valide = convention.bilans.filter(rang=1, etat=EtatBilan.VALIDE).exists()
        assert [(t.annee, t.etat) for t in tranches] == [
            (2026, EtatTranche.VERSEE),
            (2027, EtatTranche.EXIGIBLE if valide else EtatTranche.PREVUE),
            (2028, EtatTranche.PREVUE),
        ]
        assert tranches[0].versement.montant == tranches[0].montant
    # R11: one year-1 check-in validated (tranche 2 payable), one returned « à compléter » with its message.
    bilans_1 = {b.convention_id: b for b in BilanAnnuel.objects.filter(convention__in=conventions, rang=1)}
    assert sorted(b.etat for b in bilans_1.values()) == sorted([EtatBilan.VALIDE, EtatBilan.A_COMPLETER])
    assert all(b.message_retour for b in bilans_1.values() if b.etat == EtatBilan.A_COMPLETER)
    assert BilanAnnuel.objects.filter(convention__in=conventions).count() == 6
    # The séance raised Grand Pont en commun's first two tranches above the minimum.
    grand_pont = conventions.get(beneficiaire="Grand Pont en commun")
    assert list(grand_pont.tranches.order_by("rang").values_list("montant", flat=True)) == [
        E("20000.00"),
        E("18000.00"),
        E("15000.00"),
    ]
    # One project of another kind, charged to the Loire's envelopes, signed and tranche 1 paid.
    projet = Convention.objects.get(nature_beneficiaire=NatureBeneficiaire.PROJET_ETUDIANT)
    assert projet.declaration is None and projet.campagne is None and projet.departement_id == "42"
    assert projet.tranches.get(rang=1).etat == EtatTranche.VERSEE
    assert Versement.objects.count() == 3
    # The funder's login, printed with the others, reads the Département de la Loire's view, which shows shares.
    financeur = User.objects.get(email="veronique.bardin@demo.collectifs-ds.fr")
    assert "veronique.bardin@demo.collectifs-ds.fr" in sortie
    loire = Financeur.objects.get(nom="Département de la Loire")
    assert financeur.acces_financeur.financeur == loire and financeur.acces_financeur.accepte_le is not None
    assert financeur_de(financeur) == loire.pk
    parts = {ligne.convention.pk: ligne for ligne in parts_du_financeur(loire)}
    assert set(parts) == {*conventions.values_list("pk", flat=True), projet.pk}
    assert all(ligne.part_versee > 0 for ligne in parts.values())
    for convention in [*conventions, projet]:
        total = convention.tranches.aggregate(total=Sum("montant"))["total"]
        assert sum(part.montant for part in parts_de_la_convention(convention)) == total
    # The ledger is balanced, movement by movement, and so in total.
    assert EcritureFonds.objects.aggregate(total=Sum("montant"))["total"] == 0
    desequilibres = EcritureFonds.objects.values("mouvement").annotate(total=Sum("montant")).exclude(total=0)
    assert not desequilibres.exists()
    verse = EcritureFonds.objects.filter(compte=Compte.VERSE).aggregate(total=Sum("montant"))["total"]
    assert verse == E("20000.00") + E("15000.00") + E("6000.00")
    # What `make run` shows: the funder's page with the demo data, and the national fund's pages.
    client.force_login(financeur)
    page = client.get(reverse("fonds:financeur", args=[loire.pk]))
    assert page.status_code == 200
    for convention in [*conventions, projet]:
        assert convention.reference in page.content.decode()
    client.force_login(User.objects.get(email="equipe.nationale@demo.collectifs-ds.fr"))
    for nom in ("fonds", "enveloppes", "grand_livre"):
        assert client.get(reverse(f"fonds:{nom}", args=[fonds.pk])).status_code == 200
