"""R9, secondment of professional members: who can be seconded, the cap across overlapping secondments of the same
person, the period within the convention, the mandatory continuity plan, the employer's invitation and answer, no
start before acknowledgement, the numbered Convention de mise à disposition and its text, and the load per
employer the instance sees."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from collectifs.enums import College
from documents.enums import TypeDocument
from documents.selectors import documents_de
from documents.services import document_lire
from fonds import tasks
from fonds.enums import EtatMiseADisposition
from fonds.models import AccesEmployeur, MiseADisposition
from fonds.selectors.mises_a_disposition import charge_par_employeur
from fonds.services import (
    acces_employeur_accepter,
    mise_a_disposition_decliner,
    mise_a_disposition_demander,
    mise_a_disposition_prendre_acte,
)
from fonds.services.mises_a_disposition import quotite_engagee
from journal.fsm import historique
from tests.collectifs.factories import CollectifFactory, OrganisationFactory
from tests.comptes.factories import UserFactory
from tests.documents.pdf import texte_pdf
from tests.fonds.parcours_mad import DEBUT, FIN, PLAN, MondeMAD, construire, demander, donnees
from tests.vues import membre

pytestmark = pytest.mark.django_db


@pytest.fixture
def m(distribution) -> MondeMAD:
    return construire(distribution)


def _erreurs(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_une_demande_conforme_attend_l_employeur(m, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        mise = demander(m)
    assert mise.etat == EtatMiseADisposition.DEMANDEE
    assert mise.employeur == m.institution and mise.convention == m.convention
    assert not mise.en_vigueur(DEBUT)
    (courriel,) = mailoutbox
    assert courriel.to == [m.employeur.email]
    assert "Karim Benali" in courriel.subject
    assert "10 % de son temps de travail" in courriel.body and PLAN in courriel.body
    # The employer already has a login: the message links to the secondment's page, not to an invitation.
    assert f"/fonds/mises-a-disposition/{mise.pk}/" in courriel.body


def test_un_membre_qui_n_est_pas_professionnel_est_refuse(m):
    with pytest.raises(ValidationError) as exc:
        demander(m, membre=m.habitant)
    assert "collège des professionnel·les" in _erreurs(exc)["membre"][0]
    assert not MiseADisposition.objects.exists()


def test_un_employeur_qui_n_est_pas_institution_d_origine_est_refuse(m):
    ailleurs = membre(
        m.collectif_a, College.PROFESSIONNEL, "Sophie", "Delorme", organisation=OrganisationFactory(nom="CAF")
    )
    with pytest.raises(ValidationError) as exc:
        demander(m, membre=ailleurs)
    assert "(CAF) n'est pas une institution d'origine du collectif" in _erreurs(exc)["membre"][0]


def test_une_quotite_au_dela_du_plafond_est_refusee(m):
    with pytest.raises(ValidationError) as exc:
        demander(m, quotite=Decimal("25"))
    assert _erreurs(exc)["quotite"] == ["La quotité ne peut pas dépasser le plafond de la campagne : 20 %."]


def test_le_plafond_compte_les_mises_a_disposition_qui_se_chevauchent(m):
    """The same person (same name, same employer) seconded to two collectifs over overlapping periods: 12 % + 10 %
    would exceed the 20 % cap; a period that does not overlap is accepted; a declined one no longer counts."""
    demander(m, quotite=Decimal("12"))
    with pytest.raises(ValidationError) as exc:
        demander(m, quotite=Decimal("10"), date_debut=datetime.date(2028, 6, 1), date_fin=datetime.date(2028, 12, 31))
    assert _erreurs(exc)["quotite"] == [
        "Karim Benali est déjà mis·e à disposition à 12 % sur une période qui chevauche celle-ci : avec 10 % de "
        "plus, le plafond de 20 % serait dépassé."
    ]
    # Exactly at the cap is allowed.
    demander(m, quotite=Decimal("8"), date_debut=datetime.date(2028, 6, 1), date_fin=datetime.date(2028, 12, 31))
    # Another period, no overlap.
    demander(m, quotite=Decimal("20"), date_debut=datetime.date(2029, 1, 1), date_fin=datetime.date(2029, 6, 30))
    assert MiseADisposition.objects.count() == 3


def test_le_plafond_compte_la_meme_personne_dans_un_autre_collectif(m):
    demander(m, quotite=Decimal("15"))
    autre = CollectifFactory(referent=m.referent_a, nom="Collectif C")
    autre.institutions_origine.add(m.institution)
    jumeau = membre(autre, College.PROFESSIONNEL, "Karim", "Benali", organisation=m.institution)
    assert jumeau.cle == m.professionnel.cle
    # The cap counts the same person's secondments by the same employer whatever the collectif.
    mise = MiseADisposition.objects.get()
    assert quotite_engagee(jumeau, m.institution.pk, DEBUT, FIN) == Decimal("15")
    mise_a_disposition_decliner(acteur=m.employeur, mise=mise, motif="Service en sous-effectif cet été.")
    assert quotite_engagee(jumeau, m.institution.pk, DEBUT, FIN) == Decimal("0")


@pytest.mark.parametrize(
    ("debut", "fin"),
    [
        (datetime.date(2027, 12, 1), datetime.date(2028, 2, 1)),  # starts before the convention
        (datetime.date(2030, 11, 1), datetime.date(2031, 1, 31)),  # ends after it
    ],
)
def test_une_periode_hors_de_la_convention_est_refusee(m, debut, fin):
    with pytest.raises(ValidationError) as exc:
        demander(m, date_debut=debut, date_fin=fin)
    assert _erreurs(exc)["date_debut"] == [
        "La période doit être comprise dans celle de la convention, du 1 janvier 2028 au 31 décembre 2030."
    ]


def test_sans_convention_la_demande_est_refusee(m):
    autre = CollectifFactory(referent=m.referent_a, nom="Collectif sans convention")
    pro = membre(autre, College.PROFESSIONNEL, "Léa", "Martin", organisation=autre.institutions_origine.first())
    with pytest.raises(ValidationError) as exc:
        mise_a_disposition_demander(acteur=m.referent_a, collectif=autre, donnees=donnees(m, membre=pro))
    assert "n'a pas de convention de financement en cours" in _erreurs(exc)["membre"][0]


@pytest.mark.parametrize("plan", ["", "   \n  "])
def test_sans_plan_de_continuite_la_demande_est_refusee(m, plan):
    with pytest.raises(ValidationError) as exc:
        demander(m, plan_continuite=plan)
    assert "plan de continuité du service est obligatoire" in _erreurs(exc)["plan_continuite"][0]


def test_seul_un_referent_du_collectif_demande(m):
    for acteur in (m.referent_b, m.instructeur_42, m.employeur, m.national):
        with pytest.raises(PermissionDenied):
            mise_a_disposition_demander(acteur=acteur, collectif=m.collectif_a, donnees=donnees(m))


def test_pas_de_debut_avant_la_prise_d_acte(m):
    """A secondment is in force only once acknowledged: not at its start date while it waits, and an
    acknowledgement after the start is refused (the collectif must ask for a new period)."""
    mise = demander(m)
    with time_machine.travel(datetime.datetime(2028, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
        assert not mise.en_vigueur()
        with pytest.raises(ValidationError) as exc:
            mise_a_disposition_prendre_acte(acteur=m.employeur, mise=mise)
        assert "devait commencer le 1 mars 2028" in exc.value.messages[0]
    mise.refresh_from_db()
    assert mise.etat == EtatMiseADisposition.DEMANDEE


def test_la_prise_d_acte_avant_le_debut_met_en_vigueur(m, django_capture_on_commit_callbacks):
    mise = demander(m)
    with pytest.raises(PermissionDenied):
        mise_a_disposition_prendre_acte(acteur=m.referent_a, mise=mise)
    with django_capture_on_commit_callbacks(execute=True):
        mise = mise_a_disposition_prendre_acte(acteur=m.employeur, mise=mise)
    assert mise.etat == EtatMiseADisposition.PRISE_ACTE
    assert not mise.en_vigueur(DEBUT - datetime.timedelta(days=1))
    assert mise.en_vigueur(DEBUT) and mise.en_vigueur(FIN) and not mise.en_vigueur(FIN + datetime.timedelta(days=1))
    assert [(log.source, log.cible) for log in historique(mise)] == [("demandee", "prise_acte")]
    (document,) = documents_de(mise, TypeDocument.CONVENTION_MISE_A_DISPOSITION)
    assert document.numero.startswith("CMD-42-2028-")
    # The job is idempotent.
    assert tasks.emettre_convention_mise_a_disposition.call(mise.pk) is None
    with pytest.raises(ValidationError):
        mise_a_disposition_decliner(acteur=m.employeur, mise=mise, motif="Trop tard")


def test_decliner_demande_un_motif(m):
    mise = demander(m)
    with pytest.raises(ValidationError) as exc:
        mise_a_disposition_decliner(acteur=m.employeur, mise=mise, motif="  ")
    assert _erreurs(exc)["motif"] == ["Indiquez le motif du refus."]
    mise = mise_a_disposition_decliner(acteur=m.employeur, mise=mise, motif="Service en sous-effectif.")
    assert mise.etat == EtatMiseADisposition.DECLINEE and mise.motif_refus == "Service en sous-effectif."
    assert tasks.emettre_convention_mise_a_disposition.call(mise.pk) is None


def test_l_employeur_est_invite_puis_accepte(m, django_capture_on_commit_callbacks, mailoutbox):
    rh = "drh@centre-social.exemple.fr"
    with django_capture_on_commit_callbacks(execute=True):
        mise = demander(m, email_employeur=rh)
    acces = AccesEmployeur.objects.get(email=rh)
    assert f"/fonds/employeurs/invitations/{acces.jeton}/" in mailoutbox[0].body
    intrus = UserFactory(email="autre@exemple.fr")
    with pytest.raises(ValidationError, match=r"adressée à drh@centre-social\.exemple\.fr"):
        acces_employeur_accepter(acteur=intrus, acces=acces)
    drh = UserFactory(email=rh)
    assert acces_employeur_accepter(acteur=drh, acces=acces) == m.institution
    with pytest.raises(ValidationError, match="déjà été utilisée"):
        acces_employeur_accepter(acteur=drh, acces=acces)
    # The new login answers for its organisation.
    mise = mise_a_disposition_prendre_acte(acteur=drh, mise=mise)
    assert mise.etat == EtatMiseADisposition.PRISE_ACTE


def test_la_charge_par_employeur(m):
    """R9: people and total quotité per employer and year; declined secondments do not count."""
    demander(m, quotite=Decimal("10"))
    demander(m, quotite=Decimal("5"), date_debut=datetime.date(2028, 10, 1), date_fin=datetime.date(2029, 3, 31))
    sophie = membre(m.collectif_a, College.PROFESSIONNEL, "Sophie", "Delorme", organisation=m.institution)
    refusee = demander(m, membre=sophie, quotite=Decimal("20"))
    mise_a_disposition_decliner(acteur=m.employeur, mise=refusee, motif="Non.")
    lignes = {(ligne.employeur, ligne.annee): ligne for ligne in charge_par_employeur("42")}
    assert set(lignes) == {("Centre social de Montreynaud", 2028), ("Centre social de Montreynaud", 2029)}
    assert lignes["Centre social de Montreynaud", 2028].personnes == 1
    assert lignes["Centre social de Montreynaud", 2028].quotite_totale == Decimal("15")
    assert lignes["Centre social de Montreynaud", 2029].quotite_totale == Decimal("5")
    assert charge_par_employeur("69") == []


@pytest.mark.pdf
def test_le_texte_de_la_convention_de_mise_a_disposition(m, django_capture_on_commit_callbacks):
    mise = demander(m, quotite=Decimal("12.5"))
    with django_capture_on_commit_callbacks(execute=True):
        mise_a_disposition_prendre_acte(acteur=m.employeur, mise=mise)
    document = documents_de(mise, TypeDocument.CONVENTION_MISE_A_DISPOSITION).get()
    texte = texte_pdf(document_lire(document))
    for attendu in (
        "Convention de mise à disposition — Karim Benali — Collectif A de Montreynaud",
        document.numero,
        "Mise à disposition à 12,5 % du temps de travail, du 1 mars 2028 au 31 août 2028",
        "Centre social de Montreynaud met Karim Benali à disposition du collectif « Collectif A de Montreynaud »",
        "Karim Benali, Animateur",
        f"Convention de financement {m.convention.reference}",
        "(plafond de la campagne : 20 %)",
        "Plan de continuité du service d'origine",
        PLAN,
        "ne commence pas avant sa prise d'acte par l'employeur",
    ):
        assert attendu in texte, attendu
    assert "@" not in texte  # no e-mail address (R20)
