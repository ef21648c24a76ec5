"""The departmental meetings' pages (R13): every URL, GET and POST, for every role (302 to login, 404 when hidden,
403 when visible but not allowed, 200/302/422 when allowed); the invitations' scope and e-mails; the attendance;
documents refused when too big or of the wrong type, with a French message next to the field; the yearly count
against the target; the lists' query counts at two sizes.

The world: collectifs A and B of the Loire, both agreed; an accompagnateur follows collectif A. Two meetings of the
Loire planned by the Loire's instructrice, collectif A invited to both: one held yesterday, one next month."""

from __future__ import annotations

import datetime
import hashlib
import html
from dataclasses import dataclass
from typing import Any, ClassVar

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from instances.services import accompagnateur_affecter
from journal.models import TransitionLog
from mutualisation.enums import EtatRencontre
from mutualisation.models import InvitationRencontre, PieceRencontre, Rencontre
from mutualisation.selectors.rencontres import compteurs_rencontres, rencontres_tenues
from mutualisation.services.rencontres import (
    TAILLE_MAX_PIECE,
    DonneesRencontre,
    Presence,
    piece_deposer,
    rencontre_annuler,
    rencontre_planifier,
    rencontre_presences_enregistrer,
)
from territoires.models import Departement
from tests.collectifs.factories import CollectifFactory, DeclarationFactory
from tests.comptes.factories import UserFactory
from tests.conftest import ROLES
from tests.documents.pdf import PDF_MINIMAL
from tests.instances.factories_seances import AccompagnateurFactory
from tests.mondes import SurDistribution
from tests.vues import CONNEXION, PDF, Cas, Page, verifier

pytestmark = pytest.mark.django_db

ROLES_RENCONTRES = [*ROLES, "accompagnateur"]
THEME_PASSEE = "Faire participer les habitant·es"
THEME_PREVUE = "Les jardins partagés"


@dataclass
class MondeRencontres(SurDistribution):
    ROLES_PROPRES: ClassVar[tuple[str, ...]] = ("accompagnateur",)

    accompagnateur: Any
    passee: Rencontre
    prevue: Rencontre

    def recharger(self, rencontre: Rencontre) -> Rencontre:
        return Rencontre.objects.get(pk=rencontre.pk)


def agreer(collectif: Any, campagne: Any) -> None:
    """The collectif has an agreed declaration (setup only: agreements are tested in instances)."""
    DeclarationFactory(collectif=collectif, campagne=campagne, agreee=True)


def planifier(d: Any, theme: str, date: datetime.datetime, collectifs: list[Any]) -> Rencontre:
    return rencontre_planifier(
        acteur=d.instructeur_42,
        departement=Departement.objects.get(code="42"),
        donnees=DonneesRencontre(date=date, lieu="Maison de quartier de Montreynaud", theme=theme),
        collectifs=collectifs,
    )


def affecter_accompagnateur(d: Any, collectif: Any) -> Any:
    accompagnateur = UserFactory(email="accompagnatrice@exemple.fr")
    accompagnateur_affecter(
        acteur=d.instructeur_42,
        collectif=collectif,
        accompagnateur=AccompagnateurFactory(user=accompagnateur, email=accompagnateur.email),
    )
    return accompagnateur


def construire(distribution: Any) -> MondeRencontres:
    d = distribution
    agreer(d.collectif_a, d.campagne)
    agreer(d.collectif_b, d.campagne)
    maintenant = timezone.now()
    return MondeRencontres(
        distribution=d,
        accompagnateur=affecter_accompagnateur(d, d.collectif_a),
        passee=planifier(d, THEME_PASSEE, maintenant - datetime.timedelta(days=1), [d.collectif_a]),
        prevue=planifier(d, THEME_PREVUE, maintenant + datetime.timedelta(days=30), [d.collectif_a]),
    )


@pytest.fixture
def monde(distribution) -> MondeRencontres:
    return construire(distribution)


def pdf(nom: str = "programme.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(nom, PDF_MINIMAL, content_type="application/pdf")


def deposer_piece(m: MondeRencontres) -> PieceRencontre:
    return piece_deposer(acteur=m.instructeur_42, rencontre=m.passee, titre="Support de la rencontre", fichier=pdf())


def attendu(
    *,
    anonyme: int | str = CONNEXION,
    referent_a: int | str,
    referent_b: int | str = 404,
    instructeur_42: int | str,
    instructeur_autre: int | str = 404,
    national: int | str,
    accompagnateur: int | str,
) -> dict[str, int | str]:
    """One row: anonymous visitors log in first; collectif B (not invited) and another département's instructeur do
    not see the Loire's meetings (404)."""
    return {
        "anonyme": anonyme,
        "referent_a": referent_a,
        "referent_b": referent_b,
        "instructeur_42": instructeur_42,
        "instructeur_autre": instructeur_autre,
        "national": national,
        "accompagnateur": accompagnateur,
    }


# The département's instructrice acts; national staff and the invited collectif read only (403).
ECRITURE = attendu(referent_a=403, instructeur_42=302, national=403, accompagnateur=403)
INSTRUCTRICE = frozenset({"instructeur_42"})


def _detail(nom: str) -> Any:
    return lambda m: reverse(f"mutualisation:{nom}", args=[m.passee.pk])


def _retour(ancre: str = "") -> Any:
    return lambda m: reverse("mutualisation:rencontre", args=[m.passee.pk]) + ancre


def _derniere(m: MondeRencontres) -> str:
    return reverse("mutualisation:rencontre", args=[Rencontre.objects.latest("pk").pk])


CAS = [
    Cas(
        "rencontres",
        lambda m: reverse("mutualisation:rencontres"),
        attendu(
            referent_a=200, referent_b=200, instructeur_42=200, instructeur_autre=200, national=200, accompagnateur=200
        ),
        contenu={
            "referent_a": (THEME_PASSEE, THEME_PREVUE),
            "referent_b": ("Aucune rencontre",),
            "instructeur_42": (THEME_PASSEE, THEME_PREVUE),
            "instructeur_autre": ("Aucune rencontre",),
            "national": (THEME_PASSEE, THEME_PREVUE),
            "accompagnateur": (THEME_PASSEE, THEME_PREVUE),
        },
        absent={"referent_b": (THEME_PASSEE,), "instructeur_autre": (THEME_PASSEE,)},
    ),
    Cas(
        "departement",
        lambda m: reverse("mutualisation:rencontres_departement", args=["42"]),
        attendu(referent_a=404, instructeur_42=200, national=200, accompagnateur=404),
        contenu={
            "instructeur_42": ("Rencontres des collectifs — Loire", "attendues au moins", "Planifier une rencontre"),
            "national": ("Rencontres des collectifs — Loire", "attendues au moins", THEME_PASSEE),
        },
        absent={"national": ("Planifier une rencontre",)},
    ),
    Cas(
        "nouvelle",
        lambda m: reverse("mutualisation:rencontre_nouvelle", args=["42"]),
        attendu(referent_a=404, instructeur_42=200, national=403, accompagnateur=404),
        contenu=("Planifier une rencontre des collectifs", "Collectif A de Montreynaud", "Collectif B de Firminy"),
    ),
    Cas(
        "nouvelle-post",
        lambda m: reverse("mutualisation:rencontre_nouvelle", args=["42"]),
        attendu(referent_a=404, instructeur_42=302, national=403, accompagnateur=404),
        methode="post",
        donnees=lambda m: {
            "date": "2030-03-15T18:30",
            "lieu": "Salle des fêtes de Firminy",
            "theme": "Mobiliser les jeunes",
            "collectifs": [m.collectif_b.pk],
        },
        suite=_derniere,
        agissent=INSTRUCTRICE,
        fait=lambda m, role: Rencontre.objects.filter(theme="Mobiliser les jeunes").exists(),
    ),
    Cas(
        "rencontre",
        _detail("rencontre"),
        attendu(referent_a=200, instructeur_42=200, national=200, accompagnateur=200),
        contenu={
            "referent_a": (THEME_PASSEE, "Collectif A de Montreynaud", "Documents partagés"),
            "instructeur_42": (THEME_PASSEE, "Partager les notes", "Noter les présences", "Partager le document"),
            "national": (THEME_PASSEE, "Collectif A de Montreynaud"),
            "accompagnateur": (THEME_PASSEE, "Notes de la rencontre"),
        },
        absent={
            "referent_a": ("Partager les notes", "Noter les présences"),
            "national": ("Partager les notes", "Annuler la rencontre"),
            "accompagnateur": ("Partager les notes",),
        },
    ),
    Cas(
        "modifier",
        _detail("rencontre_modifier"),
        attendu(referent_a=403, instructeur_42=200, national=403, accompagnateur=403),
        contenu=("Modifier la rencontre", THEME_PASSEE),
    ),
    Cas(
        "modifier-post",
        _detail("rencontre_modifier"),
        ECRITURE,
        methode="post",
        donnees={"date": "2020-01-10T18:00", "lieu": "Centre social", "theme": "Nouveau thème"},
        suite=_retour(),
        agissent=INSTRUCTRICE,
        fait=lambda m, role: m.recharger(m.passee).theme == "Nouveau thème",
    ),
    Cas(
        "inviter",
        _detail("rencontre_inviter"),
        ECRITURE,
        methode="post",
        donnees=lambda m: {"inviter-collectifs": [m.collectif_b.pk]},
        suite=_retour("#invitations"),
        agissent=INSTRUCTRICE,
        fait=lambda m, role: InvitationRencontre.objects.filter(rencontre=m.passee, collectif=m.collectif_b).exists(),
    ),
    Cas(
        "presences",
        _detail("rencontre_presences"),
        ECRITURE,
        methode="post",
        donnees=lambda m: {f"presences-present_{m.collectif_a.pk}": "oui", f"presences-nombre_{m.collectif_a.pk}": "7"},
        suite=_retour("#presences"),
        agissent=INSTRUCTRICE,
        fait=lambda m, role: (
            InvitationRencontre.objects.get(rencontre=m.passee, collectif=m.collectif_a).nombre_personnes == 7
        ),
    ),
    Cas(
        "notes",
        _detail("rencontre_compte_rendu"),
        ECRITURE,
        methode="post",
        donnees={"notes-compte_rendu": "Nous avons parlé des jardins."},
        suite=_retour("#notes"),
        agissent=INSTRUCTRICE,
        fait=lambda m, role: m.recharger(m.passee).compte_rendu == "Nous avons parlé des jardins.",
    ),
    Cas(
        "document-post",
        _detail("rencontre_piece_deposer"),
        ECRITURE,
        methode="post",
        donnees=lambda m: {"piece-titre": "Programme", "piece-fichier": pdf()},
        suite=_retour("#documents"),
        agissent=INSTRUCTRICE,
        fait=lambda m, role: PieceRencontre.objects.filter(rencontre=m.passee).exists(),
    ),
    Cas(
        "document",
        lambda m: reverse("mutualisation:rencontre_piece", args=[m.passee.pk, PieceRencontre.objects.get().pk]),
        attendu(referent_a=200, instructeur_42=200, national=200, accompagnateur=200),
        avant=deposer_piece,
        type_contenu=PDF,
    ),
    Cas(
        "annuler",
        _detail("rencontre_annuler"),
        attendu(referent_a=403, instructeur_42=200, national=403, accompagnateur=403),
        contenu=("Annuler la rencontre", "Motif de l&#x27;annulation"),
    ),
    Cas(
        "annuler-post",
        _detail("rencontre_annuler"),
        ECRITURE,
        methode="post",
        donnees={"motif": "La salle n'est plus disponible."},
        suite=_retour(),
        agissent=INSTRUCTRICE,
        fait=lambda m, role: m.recharger(m.passee).annulee_le is not None,
    ),
]


def _params() -> list[Any]:
    noms = [c.nom for c in CAS]
    assert len(noms) == len(set(noms))
    for c in CAS:
        assert set(c.attendu) == set(ROLES_RENCONTRES), c.nom
    return [pytest.param(c, r, id=f"{c.nom}-{r}") for c in CAS for r in ROLES_RENCONTRES]


@pytest.mark.parametrize(("cas", "role"), _params())
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


def test_chaque_url_du_bloc_est_dans_la_matrice():
    from mutualisation import urls

    noms = {p.name for p in urls.urlpatterns if p.callback.__module__ == "mutualisation.views.rencontres"}
    assert noms == {
        "rencontres",
        "rencontres_departement",
        "rencontre_nouvelle",
        "rencontre",
        "rencontre_modifier",
        "rencontre_inviter",
        "rencontre_presences",
        "rencontre_compte_rendu",
        "rencontre_piece_deposer",
        "rencontre_piece",
        "rencontre_annuler",
    }


def test_un_autre_departement_ne_voit_ni_la_rencontre_ni_ses_documents(monde, client):
    piece = deposer_piece(monde)
    client.force_login(monde.referent_b)
    assert client.get(reverse("mutualisation:rencontre", args=[monde.passee.pk])).status_code == 404
    url = reverse("mutualisation:rencontre_piece", args=[monde.passee.pk, piece.pk])
    assert client.get(url).status_code == 404
    # A document is only reached through the meeting it belongs to.
    client.force_login(monde.referent_a)
    assert client.get(reverse("mutualisation:rencontre_piece", args=[monde.prevue.pk, piece.pk])).status_code == 404


def test_le_fichier_n_est_jamais_servi_depuis_media_url(monde, client, settings):
    piece = deposer_piece(monde)
    assert not piece.fichier.name.endswith("programme.pdf")  # stored under a random name
    client.force_login(monde.referent_a)
    assert client.get(settings.MEDIA_URL + piece.fichier.name).status_code == 404


# --- Invitations ---------------------------------------------------------------------------------------------------


def test_invitations_envoyees_aux_referents_apres_validation(distribution, django_capture_on_commit_callbacks):
    d = distribution
    agreer(d.collectif_a, d.campagne)
    agreer(d.collectif_b, d.campagne)
    with django_capture_on_commit_callbacks(execute=True):
        rencontre = planifier(d, "Les cuisines partagées", timezone.now(), [d.collectif_a, d.collectif_b])
    assert rencontre.invitations.count() == 2
    # One e-mail per collectif: no collectif learns another's addresses.
    assert sorted(tuple(m.to) for m in mail.outbox) == [("referent.b@exemple.fr",), ("referente.a@exemple.fr",)]
    assert all("Les cuisines partagées" in m.body for m in mail.outbox)
    assert all(f"/rencontres/{rencontre.pk}/" in m.body for m in mail.outbox)


def test_seuls_les_collectifs_agrees_du_departement_sont_invites(distribution):
    d = distribution
    agreer(d.collectif_a, d.campagne)
    non_agree = d.collectif_b  # no agreed declaration
    rhone = CollectifFactory(departement=Departement.objects.get(code="69"))
    agreer(rhone, d.campagne)
    for intrus in (non_agree, rhone):
        with pytest.raises(Exception) as erreur:
            planifier(d, "Thème", timezone.now(), [d.collectif_a, intrus])
        assert "Seuls les collectifs agréés du département" in str(erreur.value)
    assert not Rencontre.objects.exists()


def test_la_page_de_planification_ne_propose_que_les_collectifs_agrees(monde, client):
    CollectifFactory(nom="Collectif jamais agréé")
    client.force_login(monde.instructeur_42)
    page = client.get(reverse("mutualisation:rencontre_nouvelle", args=["42"])).content.decode()
    assert "Collectif A de Montreynaud" in page
    assert "Collectif jamais agréé" not in page


def test_inviter_de_nouveau_ne_cree_pas_de_doublon(monde, client, django_capture_on_commit_callbacks):
    client.force_login(monde.instructeur_42)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("mutualisation:rencontre_inviter", args=[monde.passee.pk]),
            {"inviter-collectifs": [monde.collectif_b.pk]},
        )
    assert [m.to for m in mail.outbox] == [["referent.b@exemple.fr"]]
    # Collectif A, already invited, is no longer offered; posting it anyway is refused next to the field.
    reponse = client.post(
        reverse("mutualisation:rencontre_inviter", args=[monde.passee.pk]),
        {"inviter-collectifs": [monde.collectif_a.pk]},
    )
    assert reponse.status_code == 422
    assert InvitationRencontre.objects.filter(rencontre=monde.passee).count() == 2


# --- Attendance, notes -------------------------------------------------------------------------------------------


def test_presences_notees_apres_la_rencontre_seulement(monde, client):
    client.force_login(monde.instructeur_42)
    url = reverse("mutualisation:rencontre_presences", args=[monde.prevue.pk])
    reponse = client.post(url, {f"presences-present_{monde.collectif_a.pk}": "oui"})
    assert reponse.status_code == 422
    assert "La rencontre n'a pas encore eu lieu" in html.unescape(reponse.content.decode())
    assert InvitationRencontre.objects.get(rencontre=monde.prevue).present is None


def test_nombre_de_personnes_refuse_pour_un_collectif_absent(monde, client):
    client.force_login(monde.instructeur_42)
    pk = monde.collectif_a.pk
    reponse = client.post(
        reverse("mutualisation:rencontre_presences", args=[monde.passee.pk]),
        {f"presences-present_{pk}": "non", f"presences-nombre_{pk}": "4"},
    )
    assert reponse.status_code == 422
    assert "Un nombre de personnes se note pour un collectif présent." in Page(reponse).erreur_du_champ(
        f"presences-nombre_{pk}"
    )


def test_les_invites_lisent_notes_presences_et_documents(monde, client):
    rencontre_presences_enregistrer(
        acteur=monde.instructeur_42,
        rencontre=monde.passee,
        presences={monde.collectif_a.pk: Presence(present=True, nombre_personnes=6)},
    )
    client.force_login(monde.instructeur_42)
    client.post(
        reverse("mutualisation:rencontre_compte_rendu", args=[monde.passee.pk]),
        {"notes-compte_rendu": "Trois pistes pour mobiliser les habitant·es."},
    )
    deposer_piece(monde)
    client.force_login(monde.referent_a)
    page = client.get(reverse("mutualisation:rencontre", args=[monde.passee.pk])).content.decode()
    assert "Trois pistes pour mobiliser les habitant·es." in page
    assert "1 présent, 6 personnes" in page
    assert "Télécharger « Support de la rencontre »" in page


# --- Documents ---------------------------------------------------------------------------------------------------


def _deposer(client: Any, m: MondeRencontres, fichier: SimpleUploadedFile) -> Any:
    client.force_login(m.instructeur_42)
    return client.post(
        reverse("mutualisation:rencontre_piece_deposer", args=[m.passee.pk]),
        {"piece-titre": "Un document", "piece-fichier": fichier},
    )


def test_document_trop_gros_refuse_avec_un_message_en_francais(monde, client):
    trop = SimpleUploadedFile("gros.pdf", b"%PDF-1.4\n" + b"0" * TAILLE_MAX_PIECE, content_type="application/pdf")
    reponse = _deposer(client, monde, trop)
    assert reponse.status_code == 422
    assert "10 Mo au plus" in Page(reponse).erreur_du_champ("piece-fichier")
    assert not PieceRencontre.objects.exists()


@pytest.mark.parametrize(
    ("nom", "contenu"),
    [
        ("script.exe", b"MZ\x90\x00"),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("faux.pdf", b"<html>pas un PDF</html>"),  # the extension lies about the content
        ("image.png", PDF_MINIMAL),  # a PDF named .png
        ("archive.docx", b"PK\x03\x04pas une archive"),
    ],
)
def test_document_d_un_type_refuse(nom, contenu, monde, client):
    reponse = _deposer(client, monde, SimpleUploadedFile(nom, contenu))
    assert reponse.status_code == 422
    assert "formats acceptés PDF, ODT, DOCX, PNG ou JPEG" in Page(reponse).erreur_du_champ("piece-fichier")
    assert not PieceRencontre.objects.exists()


def test_document_depose_avec_son_empreinte_et_servi_tel_quel(monde, client):
    reponse = _deposer(client, monde, SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"1" * 100))
    assert reponse.status_code == 302
    piece = PieceRencontre.objects.get()
    contenu = b"\x89PNG\r\n\x1a\n" + b"1" * 100
    assert (piece.type_mime, piece.taille, piece.sha256) == (
        "image/png",
        len(contenu),
        hashlib.sha256(contenu).hexdigest(),
    )
    client.force_login(monde.accompagnateur)
    telecharge = client.get(reverse("mutualisation:rencontre_piece", args=[monde.passee.pk, piece.pk]))
    assert telecharge.content == contenu
    assert telecharge["Content-Type"] == "image/png"
    assert telecharge["Content-Disposition"] == 'attachment; filename="un-document.png"'
    assert telecharge["X-Content-Type-Options"] == "nosniff"


def test_document_modifie_sur_le_disque_n_est_plus_servi(monde, client):
    piece = deposer_piece(monde)
    with open(piece.fichier.path, "wb") as fichier:
        fichier.write(b"%PDF-1.4 autre contenu")
    client.force_login(monde.referent_a)
    client.raise_request_exception = False
    assert client.get(reverse("mutualisation:rencontre_piece", args=[monde.passee.pk, piece.pk])).status_code == 500


# --- Cancellation ------------------------------------------------------------------------------------------------


def test_annulation_previent_les_invites_et_fige_la_rencontre(monde, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rencontre_annuler(acteur=monde.instructeur_42, rencontre=monde.prevue, motif="Salle indisponible.")
    assert [m.to for m in mail.outbox] == [["referente.a@exemple.fr"]]
    assert "Motif : Salle indisponible." in mail.outbox[0].body
    # R19: the cancellation is a journalled transition, with its reason.
    journal = TransitionLog.objects.get(
        object_id=monde.prevue.pk, transition="annuler", content_type__model="rencontre"
    )
    assert (journal.source, journal.cible, journal.commentaire) == ("prevue", "annulee", "Salle indisponible.")
    assert Rencontre.objects.get(pk=monde.prevue.pk).etat == EtatRencontre.ANNULEE
    client.force_login(monde.instructeur_42)
    page = client.get(reverse("mutualisation:rencontre", args=[monde.prevue.pk])).content.decode()
    assert "Rencontre annulée" in page
    assert "Partager les notes" not in page
    assert client.post(reverse("mutualisation:rencontre_modifier", args=[monde.prevue.pk]), {}).status_code == 403


# --- The yearly count --------------------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2027, 6, 15, 12, tzinfo=datetime.UTC))
def test_compte_des_rencontres_tenues_contre_l_objectif(distribution, client):
    d = distribution
    agreer(d.collectif_a, d.campagne)
    paris = timezone.get_current_timezone()
    tenue = planifier(d, "Tenue", datetime.datetime(2027, 3, 10, 18, tzinfo=paris), [d.collectif_a])
    annulee = planifier(d, "Annulée", datetime.datetime(2027, 4, 10, 18, tzinfo=paris), [d.collectif_a])
    rencontre_annuler(acteur=d.instructeur_42, rencontre=annulee, motif="Grève.")
    planifier(d, "À venir", datetime.datetime(2027, 9, 10, 18, tzinfo=paris), [])
    planifier(d, "L'an passé", datetime.datetime(2026, 12, 31, 23, 30, tzinfo=paris), [])
    assert tenue.departement_id == "42"
    assert rencontres_tenues("42", 2027) == 1
    assert rencontres_tenues(Departement.objects.get(code="42"), 2026) == 1
    assert rencontres_tenues("69", 2027) == 0
    client.force_login(d.instructeur_42)
    page = client.get(reverse("mutualisation:rencontres_departement", args=["42"])).content.decode()
    assert "1 rencontre tenue en 2027 sur 2 attendues au moins" in page
    planifier(d, "Deuxième", datetime.datetime(2027, 5, 10, 18, tzinfo=paris), [])
    planifier(d, "Troisième", datetime.datetime(2027, 6, 1, 18, tzinfo=paris), [])
    compteurs = compteurs_rencontres(d.instructeur_42)
    assert [(c.departement.code, c.texte, c.atteint) for c in compteurs] == [
        ("42", "3 rencontres tenues en 2027 sur 2 attendues au moins", True)
    ]


# --- Query counts --------------------------------------------------------------------------------------------------

# Session, user, the département, the instructeur and the check of their département (twice: to read, to plan),
# then the page of meetings with its total (one query) and the count of the year.
REQUETES_DEPARTEMENT = 8
# Session and user, the page of meetings with its total (one query), the header's two role checks.
REQUETES_LISTE = 5


def _rencontres(d: Any, nombre: int) -> None:
    for rang in range(nombre):
        planifier(d, f"Rencontre {rang}", timezone.now() - datetime.timedelta(days=rang + 1), [d.collectif_a])


@pytest.mark.parametrize("nombre", [1, 8])
def test_requetes_des_listes(nombre, distribution, client, django_assert_num_queries):
    agreer(distribution.collectif_a, distribution.campagne)
    _rencontres(distribution, nombre)
    client.force_login(distribution.instructeur_42)
    url = reverse("mutualisation:rencontres_departement", args=["42"])
    client.get(url)
    with django_assert_num_queries(REQUETES_DEPARTEMENT):
        assert client.get(url).status_code == 200
    client.force_login(distribution.referent_a)
    with django_assert_num_queries(REQUETES_LISTE):
        reponse = client.get(reverse("mutualisation:rencontres"))
    assert reponse.content.decode().count("Rencontre ") >= nombre
