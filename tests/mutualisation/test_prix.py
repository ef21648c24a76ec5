"""The prizes (R18): nominations among published sheets only; the jury must mirror the three colleges before it
scores; a juror with a conflict of interest (a member or référent of the nominated collectif) cannot score that
sheet (service and page); proclamation by mean score with ties; departmental laureates feed the national prize;
the public page of laureates; every URL for every role; query counts at two sizes.

The world: collectifs A and B of the Loire, each with a published sheet (built with the ORM), B also a draft; a
published sheet in the Rhône. The Loire's 2027 prize (by its instructrice) nominates A's and B's sheets; its jury:
an élue with an account (« jure »), a professional without account, and Odile Marchand, an inhabitant with an
account who is also a member of collectif A (« jure_conflit »)."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from collectifs.enums import College
from journal.models import TransitionLog
from mutualisation.enums import EtatFiche, EtatPrix, NiveauPrix
from mutualisation.models import FichePratique, MembreJury, Nomination, NoteJury, Prix
from mutualisation.selectors.prix import fiches_laureates, laureats_publics
from mutualisation.services.prix import (
    membre_jury_ajouter,
    nomination_ajouter,
    note_enregistrer,
    prix_creer,
    prix_nominer_laureats_departementaux,
    prix_ouvrir_jury,
    prix_proclamer,
)
from territoires.models import Departement
from tests.collectifs.factories import CollectifFactory
from tests.comptes.factories import UserFactory
from tests.conftest import ROLES
from tests.mondes import SurDistribution
from tests.vues import CONNEXION, Cas, membre, verifier

pytestmark = pytest.mark.django_db

ANNEE = 2027
ROLES_PRIX = [*ROLES, "jure", "jure_conflit"]


def fiche(collectif: Any, titre: str, etat: str = EtatFiche.PUBLIEE, **extra: Any) -> FichePratique:
    """A sheet written straight in its state (the sheet's lifecycle is tested with the sheets)."""
    extra.setdefault("territoire", "Saint-Étienne")
    return FichePratique.objects.create(
        collectif=collectif,
        departement=collectif.departement,
        annee=ANNEE,
        titre=titre,
        etat=etat,
        cree_par=collectif.referents.first(),
        **extra,
    )


@dataclass
class MondePrix(SurDistribution):
    ROLES_PROPRES: ClassVar[tuple[str, ...]] = ("jure", "jure_conflit")

    jure: Any
    jure_conflit: Any
    fiche_a: FichePratique
    fiche_b: FichePratique
    brouillon_b: FichePratique
    fiche_69: FichePratique
    prix: Prix

    def nomination(self, f: FichePratique) -> Nomination:
        return Nomination.objects.get(prix=self.prix, fiche=f)

    def recharger(self) -> Prix:
        return Prix.objects.get(pk=self.prix.pk)


def composer_jury(d: Any, prix: Prix, jure: Any, jure_conflit: Any) -> None:
    ajouter = membre_jury_ajouter
    ajouter(
        acteur=d.instructeur_42,
        prix=prix,
        prenom="Élise",
        nom="Vernet",
        college=College.ELU_RESPONSABLE,
        email=jure.email,
    )
    ajouter(acteur=d.instructeur_42, prix=prix, prenom="Paul", nom="Rivière", college=College.PROFESSIONNEL)
    ajouter(
        acteur=d.instructeur_42,
        prix=prix,
        prenom="Odile",
        nom="Marchand",
        college=College.HABITANT,
        email=jure_conflit.email,
    )


def construire(distribution: Any, *, jury: bool = True) -> MondePrix:
    d = distribution
    membre(d.collectif_a, College.HABITANT, "Odile", "Marchand", email="Odile.Marchand@exemple.fr")
    jure = UserFactory(email="elise.vernet@exemple.fr")
    jure_conflit = UserFactory(email="odile.marchand@exemple.fr")
    fiche_a = fiche(d.collectif_a, "Une cuisine partagée au pied des immeubles")
    fiche_b = fiche(d.collectif_b, "Le jardin des voisins")
    prix = prix_creer(
        acteur=d.instructeur_42,
        niveau=NiveauPrix.DEPARTEMENTAL,
        annee=ANNEE,
        titre="Prix des pratiques inspirantes de la Loire 2027",
        departement=Departement.objects.get(code="42"),
    )
    for f in (fiche_a, fiche_b):
        nomination_ajouter(acteur=d.instructeur_42, prix=prix, fiche=f)
    if jury:
        composer_jury(d, prix, jure, jure_conflit)
    return MondePrix(
        distribution=d,
        jure=jure,
        jure_conflit=jure_conflit,
        fiche_a=fiche_a,
        fiche_b=fiche_b,
        brouillon_b=fiche(d.collectif_b, "Brouillon du collectif B", etat=EtatFiche.BROUILLON),
        fiche_69=fiche(CollectifFactory(departement=Departement.objects.get(code="69")), "Une fiche du Rhône"),
        prix=prix,
    )


@pytest.fixture
def monde(distribution) -> MondePrix:
    return construire(distribution)


def en_jury(m: MondePrix) -> None:
    prix_ouvrir_jury(acteur=m.instructeur_42, prix=m.prix)


def noter_tout(m: MondePrix, note_a: int, note_b: int) -> None:
    en_jury(m)
    note_enregistrer(acteur=m.jure, nomination=m.nomination(m.fiche_a), note=note_a)
    note_enregistrer(acteur=m.jure, nomination=m.nomination(m.fiche_b), note=note_b)


# --- Nominations -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quelle", "message"),
    [
        ("brouillon_b", "Seules les fiches publiées du département peuvent être nominées."),
        ("fiche_69", "Seules les fiches publiées du département peuvent être nominées."),
        ("fiche_a", "Cette fiche est déjà nominée."),
    ],
)
def test_nomination_refusee(quelle, message, monde):
    with pytest.raises(ValidationError) as erreur:
        nomination_ajouter(acteur=monde.instructeur_42, prix=monde.prix, fiche=getattr(monde, quelle))
    assert erreur.value.message_dict == {"fiche": [message]}


def test_une_fiche_retenue_se_nomine(monde):
    retenue = fiche(monde.collectif_b, "Fiche retenue", etat=EtatFiche.RETENUE)
    assert nomination_ajouter(acteur=monde.instructeur_42, prix=monde.prix, fiche=retenue).fiche == retenue


def test_les_nominations_sont_closes_une_fois_le_jury_ouvert(monde):
    en_jury(monde)
    with pytest.raises(ValidationError, match="Les nominations sont closes"):
        nomination_ajouter(acteur=monde.instructeur_42, prix=monde.prix, fiche=fiche(monde.collectif_b, "Tardive"))


# --- The jury mirrors the three colleges -------------------------------------------------------------------------


def test_le_jury_ne_s_ouvre_pas_sans_les_trois_colleges(distribution):
    m = construire(distribution, jury=False)
    membre_jury_ajouter(
        acteur=m.instructeur_42, prix=m.prix, prenom="Élise", nom="Vernet", college=College.ELU_RESPONSABLE
    )
    with pytest.raises(ValidationError) as erreur:
        prix_ouvrir_jury(acteur=m.instructeur_42, prix=m.prix)
    assert erreur.value.messages == [
        "Le jury doit refléter les trois collèges ; il manque au moins un·e juré·e pour : « Professionnel·le », "
        "« Représentant·e d'habitants ou d'usagers »."
    ]
    assert m.recharger().etat == EtatPrix.NOMINATIONS
    membre_jury_ajouter(
        acteur=m.instructeur_42, prix=m.prix, prenom="Paul", nom="Rivière", college=College.PROFESSIONNEL
    )
    membre_jury_ajouter(acteur=m.instructeur_42, prix=m.prix, prenom="Ali", nom="Ba", college=College.HABITANT)
    prix_ouvrir_jury(acteur=m.instructeur_42, prix=m.prix)
    assert m.recharger().etat == EtatPrix.JURY
    journal = TransitionLog.objects.get(object_id=m.prix.pk, transition="ouvrir_jury")
    assert (journal.source, journal.cible, journal.acteur) == ("nominations", "jury", m.instructeur_42)


def test_la_page_dit_quel_college_manque(distribution, client):
    m = construire(distribution, jury=False)
    client.force_login(m.instructeur_42)
    reponse = client.post(reverse("mutualisation:prix_ouvrir_jury", args=[m.prix.pk]), follow=True)
    page = html.unescape(reponse.content.decode())
    assert "il manque au moins un·e juré·e pour : « Élu·e ou responsable d'institution »" in page


def test_seuls_les_organisateurs_ouvrent_le_jury(monde):
    for intrus in (monde.national, monde.instructeur_autre, monde.jure):
        with pytest.raises(PermissionDenied):
            prix_ouvrir_jury(acteur=intrus, prix=monde.prix)


def test_un_jure_avec_compte_inconnu_est_refuse(monde):
    with pytest.raises(ValidationError) as erreur:
        membre_jury_ajouter(
            acteur=monde.instructeur_42, prix=monde.prix, prenom="A", nom="B", college=College.HABITANT, email="x@y.fr"
        )
    assert "Aucun compte actif avec cette adresse" in erreur.value.message_dict["email"][0]


# --- Scores and conflicts of interest ---------------------------------------------------------------------------


def test_un_jure_en_conflit_ne_note_pas_la_fiche_de_son_collectif(monde):
    en_jury(monde)
    with pytest.raises(PermissionDenied, match="Conflit d'intérêts"):
        note_enregistrer(acteur=monde.jure_conflit, nomination=monde.nomination(monde.fiche_a), note=10)
    assert not NoteJury.objects.exists()
    # The other collectif's sheet, they score.
    note_enregistrer(acteur=monde.jure_conflit, nomination=monde.nomination(monde.fiche_b), note=6)
    assert NoteJury.objects.get().note == 6


def test_un_referent_jure_est_en_conflit_avec_son_collectif(monde):
    membre_jury_ajouter(
        acteur=monde.instructeur_42,
        prix=monde.prix,
        prenom="Réf",
        nom="A",
        college=College.HABITANT,
        email=monde.referent_a.email,
    )
    en_jury(monde)
    with pytest.raises(PermissionDenied, match="Conflit d'intérêts"):
        note_enregistrer(acteur=monde.referent_a, nomination=monde.nomination(monde.fiche_a), note=10)


def test_la_page_montre_conflit_d_interets_au_lieu_du_formulaire(monde, client):
    en_jury(monde)
    client.force_login(monde.jure_conflit)
    page = html.unescape(client.get(reverse("mutualisation:prix", args=[monde.prix.pk])).content.decode())
    assert page.count("Conflit d'intérêts") == 1
    assert f'action="/prix/gestion/{monde.prix.pk}/nominations/{monde.nomination(monde.fiche_b).pk}/noter/"' in page
    assert f'/nominations/{monde.nomination(monde.fiche_a).pk}/noter/"' not in page
    reponse = client.post(
        reverse("mutualisation:prix_noter", args=[monde.prix.pk, monde.nomination(monde.fiche_a).pk]),
        {f"note-{monde.nomination(monde.fiche_a).pk}-note": "10"},
    )
    assert reponse.status_code == 403
    assert not NoteJury.objects.exists()


def test_une_note_hors_bornes_est_refusee_a_cote_du_champ(monde, client):
    en_jury(monde)
    client.force_login(monde.jure)
    n = monde.nomination(monde.fiche_a)
    reponse = client.post(reverse("mutualisation:prix_noter", args=[monde.prix.pk, n.pk]), {f"note-{n.pk}-note": "11"})
    assert reponse.status_code == 422
    assert "Une note entre 0 et 10." in html.unescape(reponse.content.decode())
    assert not NoteJury.objects.exists()


def test_on_ne_note_pas_avant_l_ouverture_du_jury(monde):
    with pytest.raises(ValidationError, match="Le jury ne note pas en ce moment"):
        note_enregistrer(acteur=monde.jure, nomination=monde.nomination(monde.fiche_a), note=5)


# --- Proclamation ------------------------------------------------------------------------------------------------


def test_proclamation_classe_par_moyenne(monde):
    en_jury(monde)
    note_enregistrer(acteur=monde.jure, nomination=monde.nomination(monde.fiche_a), note=9)
    note_enregistrer(acteur=monde.jure, nomination=monde.nomination(monde.fiche_b), note=8)
    # Odile scores only B (conflict on A): B's mean is (8 + 10) / 2 = 9, tied with A's 9.
    note_enregistrer(acteur=monde.jure_conflit, nomination=monde.nomination(monde.fiche_b), note=10)
    laureats = prix_proclamer(acteur=monde.instructeur_42, prix=monde.prix)
    assert {n.fiche for n in laureats} == {monde.fiche_a, monde.fiche_b}
    assert [(n.rang, n.laureat) for n in Nomination.objects.filter(prix=monde.prix)] == [(1, True), (1, True)]
    assert monde.recharger().etat == EtatPrix.PROCLAME
    assert monde.recharger().proclame_le is not None


def test_proclamation_une_seule_laureate_sans_egalite(monde):
    noter_tout(monde, 4, 7)
    laureats = prix_proclamer(acteur=monde.instructeur_42, prix=monde.prix)
    assert [n.fiche for n in laureats] == [monde.fiche_b]
    assert (monde.nomination(monde.fiche_a).rang, monde.nomination(monde.fiche_a).laureat) == (2, False)
    assert fiches_laureates([monde.fiche_a.pk, monde.fiche_b.pk]) == {
        monde.fiche_b.pk: [fiches_laureates([monde.fiche_b.pk])[monde.fiche_b.pk][0]]
    }
    assert fiches_laureates([monde.fiche_b.pk])[monde.fiche_b.pk][0].libelle == (
        "Lauréate du prix départemental 2027 (Loire)"
    )


def test_proclamation_refusee_sans_aucune_note(monde):
    en_jury(monde)
    with pytest.raises(ValidationError, match="Aucune nomination n'a encore été notée"):
        prix_proclamer(acteur=monde.instructeur_42, prix=monde.prix)
    assert monde.recharger().etat == EtatPrix.JURY


# --- The national prize --------------------------------------------------------------------------------------------


def test_les_laureates_departementales_sont_les_nominees_du_prix_national(monde):
    noter_tout(monde, 4, 7)
    national = prix_creer(acteur=monde.national, niveau=NiveauPrix.NATIONAL, annee=ANNEE, titre="Prix national 2027")
    with pytest.raises(ValidationError) as erreur:
        nomination_ajouter(acteur=monde.national, prix=national, fiche=monde.fiche_b)
    assert "ne nomine que les lauréates" in erreur.value.message_dict["fiche"][0]  # not proclaimed yet
    prix_proclamer(acteur=monde.instructeur_42, prix=monde.prix)
    with pytest.raises(ValidationError):
        nomination_ajouter(acteur=monde.national, prix=national, fiche=monde.fiche_a)  # not a laureate
    nouvelles = prix_nominer_laureats_departementaux(acteur=monde.national, prix=national)
    assert [n.fiche for n in nouvelles] == [monde.fiche_b]
    assert prix_nominer_laureats_departementaux(acteur=monde.national, prix=national) == []
    with pytest.raises(PermissionDenied):
        prix_nominer_laureats_departementaux(acteur=monde.instructeur_42, prix=national)


def test_un_instructeur_ne_cree_pas_le_prix_national_ni_celui_d_un_autre_departement(monde):
    with pytest.raises(PermissionDenied):
        prix_creer(acteur=monde.instructeur_42, niveau=NiveauPrix.NATIONAL, annee=ANNEE, titre="X")
    with pytest.raises(PermissionDenied):
        prix_creer(
            acteur=monde.instructeur_42,
            niveau=NiveauPrix.DEPARTEMENTAL,
            annee=ANNEE,
            titre="X",
            departement=Departement.objects.get(code="69"),
        )
    with pytest.raises(ValidationError, match="existe déjà"):
        prix_creer(
            acteur=monde.instructeur_42,
            niveau=NiveauPrix.DEPARTEMENTAL,
            annee=ANNEE,
            titre="Encore",
            departement=Departement.objects.get(code="42"),
        )


# --- The public page -----------------------------------------------------------------------------------------------


def test_page_publique_des_laureates(monde, client):
    noter_tout(monde, 4, 7)
    page = client.get(reverse("mutualisation:prix_public", args=[ANNEE])).content.decode()
    assert "Aucun prix n'a encore été proclamé pour 2027" in page
    prix_proclamer(acteur=monde.instructeur_42, prix=monde.prix)
    reponse = client.get(reverse("mutualisation:prix_public", args=[ANNEE]))
    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert "Le jardin des voisins" in page
    assert "Collectif B de Firminy" in page
    assert "Une cuisine partagée" not in page  # not a laureate
    for personne in ("Vernet", "Marchand", "Rivière", "elise.vernet", "odile.marchand"):
        assert personne not in page
    assert [p.prix for p in laureats_publics(ANNEE)] == [monde.prix]


# --- Every URL, every role -----------------------------------------------------------------------------------------


def attendu(
    *,
    anonyme: int | str = CONNEXION,
    referent_a: int | str = 404,
    referent_b: int | str = 404,
    instructeur_42: int | str,
    instructeur_autre: int | str = 404,
    national: int | str,
    jure: int | str,
    jure_conflit: int | str,
) -> dict[str, int | str]:
    return {
        "anonyme": anonyme,
        "referent_a": referent_a,
        "referent_b": referent_b,
        "instructeur_42": instructeur_42,
        "instructeur_autre": instructeur_autre,
        "national": national,
        "jure": jure,
        "jure_conflit": jure_conflit,
    }


ORGANISATRICE = frozenset({"instructeur_42"})
ECRITURE = attendu(instructeur_42=302, national=403, jure=403, jure_conflit=403)
TOUS_200 = dict.fromkeys(ROLES_PRIX, 200)


def _prix(nom: str, *args: Any) -> Any:
    return lambda m: reverse(f"mutualisation:{nom}", args=[m.prix.pk, *[a(m) for a in args]])


def _retour(ancre: str = "") -> Any:
    return lambda m: reverse("mutualisation:prix", args=[m.prix.pk]) + ancre


def _nomination_b(m: MondePrix) -> int:
    return m.nomination(m.fiche_b).pk


def _nomination_a(m: MondePrix) -> int:
    return m.nomination(m.fiche_a).pk


CAS = [
    Cas(
        "liste",
        lambda m: reverse("mutualisation:prix_liste"),
        attendu(
            referent_a=200,
            referent_b=200,
            instructeur_42=200,
            instructeur_autre=200,
            national=200,
            jure=200,
            jure_conflit=200,
        ),
        contenu={
            "referent_a": ("Aucun prix",),
            "referent_b": ("Aucun prix",),
            "instructeur_42": ("Prix des pratiques inspirantes de la Loire 2027", "Créer un prix"),
            "instructeur_autre": ("Aucun prix", "Créer un prix"),
            "national": ("Prix des pratiques inspirantes de la Loire 2027", "Créer un prix"),
            "jure": ("Prix des pratiques inspirantes de la Loire 2027",),
            "jure_conflit": ("Prix des pratiques inspirantes de la Loire 2027",),
        },
        absent={"jure": ("Créer un prix",), "referent_a": ("Loire 2027",)},
    ),
    Cas(
        "nouveau",
        lambda m: reverse("mutualisation:prix_nouveau"),
        attendu(
            referent_a=403,
            referent_b=403,
            instructeur_42=200,
            instructeur_autre=200,
            national=200,
            jure=403,
            jure_conflit=403,
        ),
        contenu=("Créer un prix", "Titre du prix"),
    ),
    Cas(
        "nouveau-post",
        lambda m: reverse("mutualisation:prix_nouveau"),
        attendu(
            referent_a=403,
            referent_b=403,
            instructeur_42=302,
            instructeur_autre=422,
            national=422,
            jure=403,
            jure_conflit=403,
        ),
        methode="post",
        donnees={"titre": "Prix 2028", "annee": "2028", "niveau": "departemental", "departement": "42"},
        suite=lambda m: reverse("mutualisation:prix", args=[Prix.objects.get(annee=2028).pk]),
        contenu=("Le formulaire contient",),
        agissent=ORGANISATRICE,
        fait=lambda m, role: Prix.objects.filter(annee=2028).exists(),
    ),
    Cas(
        "prix",
        _prix("prix"),
        attendu(instructeur_42=200, national=200, jure=200, jure_conflit=200),
        contenu={
            "instructeur_42": ("Le jardin des voisins", "Ajouter au jury", "Ouvrir la délibération du jury"),
            "national": ("Le jardin des voisins", "Élise Vernet"),
            "jure": ("Le jardin des voisins",),
            "jure_conflit": ("Le jardin des voisins",),
        },
        absent={"national": ("Ajouter au jury",), "jure": ("Ajouter au jury", "Ouvrir la délibération")},
    ),
    Cas(
        "nominer",
        _prix("prix_nominer"),
        ECRITURE,
        methode="post",
        donnees=lambda m: {"nomination-fiche": FichePratique.objects.get(titre="Fiche tardive").pk},
        avant=lambda m: fiche(m.collectif_b, "Fiche tardive"),
        suite=_retour("#nominations"),
        agissent=ORGANISATRICE,
        fait=lambda m, role: Nomination.objects.filter(fiche__titre="Fiche tardive").exists(),
    ),
    Cas(
        "nominer-laureates",
        _prix("prix_nominer_laureats"),
        ECRITURE,
        methode="post",
        suite=_retour("#nominations"),
    ),
    Cas(
        "jury",
        _prix("prix_jury"),
        ECRITURE,
        methode="post",
        donnees={"jury-prenom": "Nina", "jury-nom": "Roux", "jury-college": College.HABITANT},
        suite=_retour("#jury"),
        agissent=ORGANISATRICE,
        fait=lambda m, role: MembreJury.objects.filter(nom="Roux").exists(),
    ),
    Cas(
        "ouvrir-jury",
        _prix("prix_ouvrir_jury"),
        ECRITURE,
        methode="post",
        suite=_retour(),
        agissent=ORGANISATRICE,
        fait=lambda m, role: m.recharger().etat == EtatPrix.JURY,
    ),
    Cas(
        "noter",
        _prix("prix_noter", _nomination_b),
        attendu(instructeur_42=403, national=403, jure=302, jure_conflit=302),
        methode="post",
        donnees=lambda m: {f"note-{_nomination_b(m)}-note": "8"},
        avant=en_jury,
        suite=lambda m: reverse("mutualisation:prix", args=[m.prix.pk]) + f"#nomination-{_nomination_b(m)}",
        agissent=frozenset({"jure", "jure_conflit"}),
        fait=lambda m, role: NoteJury.objects.filter(nomination__fiche=m.fiche_b).exists(),
    ),
    Cas(
        "noter-conflit",
        _prix("prix_noter", _nomination_a),
        attendu(instructeur_42=403, national=403, jure=302, jure_conflit=403),
        methode="post",
        donnees=lambda m: {f"note-{_nomination_a(m)}-note": "8"},
        avant=en_jury,
        suite=lambda m: reverse("mutualisation:prix", args=[m.prix.pk]) + f"#nomination-{_nomination_a(m)}",
        agissent=frozenset({"jure"}),
        fait=lambda m, role: NoteJury.objects.filter(nomination__fiche=m.fiche_a).exists(),
    ),
    Cas(
        "proclamer",
        _prix("prix_proclamer"),
        ECRITURE,
        methode="post",
        donnees={"proclamation-nombre_laureats": "1"},
        avant=lambda m: noter_tout(m, 3, 9),
        suite=_retour(),
        agissent=ORGANISATRICE,
        fait=lambda m, role: m.recharger().etat == EtatPrix.PROCLAME,
    ),
    Cas(
        "public",
        lambda m: reverse("mutualisation:prix_public", args=[ANNEE]),
        TOUS_200,
        avant=lambda m: (noter_tout(m, 3, 9), prix_proclamer(acteur=m.instructeur_42, prix=m.prix)),
        contenu=("Lauréates des prix 2027", "Le jardin des voisins"),
        absent=("Vernet", "Marchand", "Rivière"),
    ),
]


def _params() -> list[Any]:
    noms = [c.nom for c in CAS]
    assert len(noms) == len(set(noms))
    for c in CAS:
        assert set(c.attendu) == set(ROLES_PRIX), c.nom
    return [pytest.param(c, r, id=f"{c.nom}-{r}") for c in CAS for r in ROLES_PRIX]


@pytest.mark.parametrize(("cas", "role"), _params())
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


def test_chaque_url_du_bloc_est_dans_la_matrice():
    from mutualisation import urls

    noms = {p.name for p in urls.urlpatterns if p.callback.__module__ == "mutualisation.views.prix"}
    assert noms == {
        "prix_liste",
        "prix_nouveau",
        "prix",
        "prix_nominer",
        "prix_nominer_laureats",
        "prix_jury",
        "prix_ouvrir_jury",
        "prix_noter",
        "prix_proclamer",
        "prix_public",
    }


# --- Query counts ----------------------------------------------------------------------------------------------------

# Session, user, the prize (with its counts), the juror check, the nominations with their scores, the conflicts,
# the juror's scores, the available transitions' predicates, the jury, the colleges, the header's role checks.
REQUETES_PAGE_PRIX = 11
# The proclaimed prizes of the year, their laureates.
REQUETES_PUBLIQUE = 2


def _nominer(m: MondePrix, nombre: int) -> None:
    for rang in range(nombre):
        f = fiche(m.collectif_b, f"Fiche {rang}")
        nomination_ajouter(acteur=m.instructeur_42, prix=m.prix, fiche=f)


@pytest.mark.parametrize("nombre", [0, 6])
def test_requetes_des_pages(nombre, distribution, client, django_assert_num_queries):
    m = construire(distribution)
    _nominer(m, nombre)
    en_jury(m)
    for n in Nomination.objects.filter(prix=m.prix):
        note_enregistrer(acteur=m.jure, nomination=n, note=5)
    client.force_login(m.jure)
    url = reverse("mutualisation:prix", args=[m.prix.pk])
    client.get(url)
    with django_assert_num_queries(REQUETES_PAGE_PRIX):
        assert client.get(url).status_code == 200
    prix_proclamer(acteur=m.instructeur_42, prix=m.prix, nombre_laureats=10)
    client.logout()
    with django_assert_num_queries(REQUETES_PUBLIQUE):
        reponse = client.get(reverse("mutualisation:prix_public", args=[ANNEE]))
    assert reponse.content.decode().count("<li><strong>") == nombre + 2
