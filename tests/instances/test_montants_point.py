"""R7: on a point of a séance in progress, not yet decided, the instance sets the three yearly tranches (the
campaign's minimum by default, more within the campaign's reservation) before deciding. The form is on the séance
page; refused amounts come back with the French message next to their field, the input kept."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fonds.models import AccesFinanceur, Convention
from instances.models import PointOrdreDuJour
from instances.services import (
    point_statuer,
    seance_enregistrer_presences,
    seance_ouvrir,
    seance_preparer,
    votes_enregistrer,
)
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.comptes.factories import InstructeurFactory, UserFactory
from tests.fonds.parcours import E, campagne_ouverte, loire_financee, point_pret
from tests.vues import Page, url_connexion

pytestmark = pytest.mark.django_db


@pytest.fixture
def point():
    monde = loire_financee()
    campagne = campagne_ouverte(monde)  # 2027, minimum 10 000 € a year, 60 000 € reserved a year
    point = point_pret(monde, campagne, "Collectif des Hauts de Firminy")
    point.monde = monde
    return point


def _urls(point: PointOrdreDuJour) -> tuple[str, str]:
    seance = reverse("instances:seance", args=[point.seance_id])
    return seance, reverse("instances:point_montants", args=[point.seance_id, point.pk])


def _donnees(point: PointOrdreDuJour, *montants: str) -> dict[str, str]:
    return {f"point-{point.pk}-montants-montant_annee_{rang}": m for rang, m in enumerate(montants, start=1)}


def _champ(point: PointOrdreDuJour, rang: int) -> str:
    return f"point-{point.pk}-montants-montant_annee_{rang}"


def test_le_formulaire_propose_le_minimum_et_enregistre_davantage(point, client):
    client.force_login(point.monde.instructeur)
    seance, url = _urls(point)

    page = Page(client.get(seance))
    assert [page.valeur(_champ(point, rang)) for rang in (1, 2, 3)] == ["10000.00"] * 3
    assert "Tranche 2 — 2028 (€)" in Page.texte(page.un(f'label[for="id_{_champ(point, 2)}"]'))

    reponse = client.post(url, _donnees(point, "15000", "12000", ""))

    assert reponse.status_code == 302
    point.refresh_from_db()
    assert (point.montant_annee_1, point.montant_annee_2, point.montant_annee_3) == (E("15000"), E("12000"), None)
    page = Page(client.get(seance))
    assert [page.valeur(_champ(point, rang)) for rang in (1, 2, 3)] == ["15000.00", "12000.00", "10000.00"]

    point_statuer(acteur=point.monde.instructeur, point=point)
    convention = Convention.objects.get(declaration=point.declaration)
    assert [t.montant for t in convention.tranches.order_by("rang")] == [E("15000"), E("12000"), E("10000")]
    # Decided: the form is gone, and a forged request is refused with a message.
    assert not Page(client.get(seance)).tous(f'[name="{_champ(point, 1)}"]')
    reponse = client.post(url, _donnees(point, "20000", "", ""), follow=True)
    assert "Ce point est déjà décidé." in reponse.content.decode()


def test_un_montant_sous_le_minimum_est_refuse_a_cote_du_champ(point, client):
    client.force_login(point.monde.instructeur)
    _, url = _urls(point)

    reponse = client.post(url, _donnees(point, "12000", "5000", ""))

    assert reponse.status_code == 422
    page = Page(reponse)
    assert "La tranche 2 (2028) doit être d'au moins 10 000,00 €." in page.erreur_du_champ(_champ(point, 2))
    assert page.valeur(_champ(point, 1)) == "12000"
    assert page.valeur(_champ(point, 2)) == "5000"
    point.refresh_from_db()
    assert point.montant_annee_1 is None


def test_un_montant_au_dela_de_la_reservation_est_refuse_avec_l_annee(point, client):
    client.force_login(point.monde.instructeur)
    _, url = _urls(point)

    reponse = client.post(url, _donnees(point, "", "", "75000"))

    assert reponse.status_code == 422
    page = Page(reponse)
    message = page.erreur_du_champ(_champ(point, 3))
    assert "La réservation de la campagne ne couvre pas ces tranches" in message
    assert "2029 : il reste 60 000,00 € pour 75 000,00 €" in message
    assert page.valeur(_champ(point, 3)) == "75000"


def test_un_montant_illisible_est_refuse_a_cote_du_champ(point, client):
    client.force_login(point.monde.instructeur)
    _, url = _urls(point)

    reponse = client.post(url, _donnees(point, "dix mille", "", ""))

    assert reponse.status_code == 422
    assert "Saisissez un nombre." in Page(reponse).erreur_du_champ(_champ(point, 1))


def _financeur(monde) -> object:
    user = UserFactory(email="financeur@exemple.fr")
    AccesFinanceur.objects.create(
        financeur=monde.financeurs["fondation"],
        email=user.email,
        utilisateur=user,
        invite_par=monde.national,
        accepte_le=timezone.now(),
    )
    return user


@pytest.mark.parametrize(
    ("role", "statut"),
    [
        ("anonyme", "connexion"),
        ("referent", 404),
        ("instructeur_autre", 404),
        ("financeur", 404),
        ("national", 403),
        ("instructeur_42", 302),
    ],
)
def test_qui_fixe_les_montants(role, statut, point, client):
    monde = point.monde
    utilisateurs = {
        "anonyme": None,
        "referent": point.declaration.collectif.referents.first()
        or CollectifFactory(referent=UserFactory(email="ref@exemple.fr")).referents.first(),
        "instructeur_autre": InstructeurFactory(user__email="i69@exemple.fr", departements=["69"]).user,
        "financeur": _financeur(monde),
        "national": monde.national,
        "instructeur_42": monde.instructeur,
    }
    if utilisateurs[role] is not None:
        client.force_login(utilisateurs[role])
    seance, url = _urls(point)

    reponse = client.post(url, _donnees(point, "15000", "", ""))

    if statut == "connexion":
        assert reponse.status_code == 302 and reponse["Location"] == url_connexion(url)
    else:
        assert reponse.status_code == statut
    point.refresh_from_db()
    assert (point.montant_annee_1 == Decimal("15000")) is (statut == 302)
    if statut == 403:
        # National staff read the séance, without the form.
        assert not Page(client.get(seance)).tous(f'[name="{_champ(point, 1)}"]')


# --- Once agreed, the séance page shows the point's convention. ---


def _section_du_point(page: Page, point: PointOrdreDuJour):
    return page.un(f"#point-{point.pk} dl")


def _convention_agreee(point: PointOrdreDuJour, client) -> Convention:
    client.force_login(point.monde.instructeur)
    _, url = _urls(point)
    assert client.post(url, _donnees(point, "15000", "12000", "")).status_code == 302
    point_statuer(acteur=point.monde.instructeur, point=PointOrdreDuJour.objects.get(pk=point.pk))
    return Convention.objects.get(declaration=point.declaration)


def _ligne_convention(section) -> tuple[str, object]:
    """The « Convention de financement » entry of a point: its text and its <dd>."""
    lignes = zip(section.query_all("dt"), section.query_all("dd"), strict=True)  # one <dd> per <dt>
    (dd,) = [dd for dt, dd in lignes if Page.texte(dt) == "Convention de financement"]
    return Page.texte(dd), dd


@pytest.mark.parametrize("role", ["instructeur_42", "national"])
def test_la_seance_montre_la_convention_du_point_agree_et_ses_montants(role, point, client):
    convention = _convention_agreee(point, client)
    client.force_login(point.monde.instructeur if role == "instructeur_42" else point.monde.national)
    seance, _ = _urls(point)

    texte, dd = _ligne_convention(_section_du_point(Page(client.get(seance)), point))

    assert convention.reference in texte
    assert "tranches annuelles : 15 000,00 €, 12 000,00 €, 10 000,00 €" in texte
    (lien,) = dd.query_all("a")
    assert Page.texte(lien) == convention.reference
    assert Page.attribut(lien, "href") == reverse("fonds:convention", args=[convention.pk])


def test_un_membre_de_l_instance_voit_la_reference_sans_lien(point, client):
    convention = _convention_agreee(point, client)
    membre = point.monde.membres[0]
    membre.user = UserFactory(email="anne.votant@exemple.fr")
    membre.save(update_fields=["user"])
    client.force_login(membre.user)
    seance, _ = _urls(point)

    reponse = client.get(seance)

    assert reponse.status_code == 200
    texte, dd = _ligne_convention(_section_du_point(Page(reponse), point))
    assert convention.reference in texte
    assert "15 000,00 €, 12 000,00 €, 10 000,00 €" in texte
    assert not list(dd.query_all("a"))
    assert reverse("fonds:convention", args=[convention.pk]) not in reponse.content.decode()
    # The convention's page itself is not theirs.
    assert client.get(reverse("fonds:convention", args=[convention.pk])).status_code == 403


def test_un_point_sans_convention_ne_la_mentionne_pas(point, client):
    client.force_login(point.monde.instructeur)
    seance, _ = _urls(point)
    assert "Convention de financement" not in Page.texte(_section_du_point(Page(client.get(seance)), point))


def _seance_agreee(n: int) -> tuple[object, list[Convention]]:
    """A séance of a fund-backed campaign whose `n` points are agreed, each with its convention."""
    monde = loire_financee()
    campagne = campagne_ouverte(monde)
    declarations = [
        DeclarationFactory(collectif=CollectifFactory(nom=f"Collectif n° {rang}"), campagne=campagne, recevable=True)
        for rang in range(n)
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
    for point in seance.points.all():
        votes_enregistrer(acteur=monde.instructeur, point=point, votes=dict.fromkeys(monde.membres, "pour"))
        point_statuer(acteur=monde.instructeur, point=point)
    return monde, seance, list(Convention.objects.filter(campagne=campagne))


# The séance page of a running séance whose points are agreed (see test_views_seances_requetes.py for the detail):
# the conventions come with the agenda (one join); the same count at both sizes.
REQUETES_SEANCE_AVEC_CONVENTIONS = {"instructeur": 16, "national": 16}


@pytest.mark.parametrize("role", list(REQUETES_SEANCE_AVEC_CONVENTIONS))
@pytest.mark.parametrize("nombre", [1, 4])
def test_les_conventions_de_la_seance_coutent_un_nombre_constant_de_requetes(
    nombre, role, client, django_assert_num_queries
):
    monde, seance, conventions = _seance_agreee(nombre)
    assert len(conventions) == nombre
    client.force_login(getattr(monde, role))

    with django_assert_num_queries(REQUETES_SEANCE_AVEC_CONVENTIONS[role]):
        page = client.get(reverse("instances:seance", args=[seance.pk])).content.decode()

    assert page.count("Convention de financement") == nombre
    assert all(f">{c.reference}</a>" in page for c in conventions)
