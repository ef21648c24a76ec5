"""The collectif's follow-up page (R4, R5): timeline, documents, request for more and its answer, decision,
threaded messages, withdrawal from every non-final state; and the form steps reopened by a request for more.

Permission matrix (SPEC §9) over eight roles: the six of the shared `distribution`, plus a member of the
Loire instance and the accompagnateur assigned to the collectifs of référent A. All states are built
through the services.

Objects (MondeSuivi):
- `a_completer`: collectif A's declaration, filed, then asked for more (REC + DEM documents), with a
  thread: a message of référent A, the instructeur's reply, and a second conversation started by the
  instructeur;
- `agreee`: collectif C's declaration (référent A as well), agreed by a séance 2 pour, 1 contre (REC +
  DEC documents, and the séance's procès-verbal), with a message written before the decision;
- `brouillon_a`: a new draft of collectif A."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import formats, timezone, translation

from collectifs.enums import ETATS_DECIDES, ETATS_FINAUX, ETATS_RETRAIT_POSSIBLE, College, EtatDeclaration
from collectifs.models import Collectif, Declaration, DemandeComplements, Membre, Message
from collectifs.services import (
    complements_demander,
    declaration_declarer_recevable,
    declaration_retirer,
    message_envoyer,
)
from config.urls import urlpatterns as racine
from documents.enums import TypeDocument
from documents.models import Document
from documents.selectors import documents_de
from instances.enums import ChoixVote, MotifRefus
from instances.models import (
    Accompagnateur,
    AffectationAccompagnateur,
    InstanceDepartementale,
    MembreInstance,
)
from journal.fsm import historique, transition_appliquer
from tests.collectifs.factories import CollectifFactory
from tests.collectifs.suivi import decider, instance_de_la_loire
from tests.comptes.factories import UserFactory
from tests.conftest import ROLES as ROLES_DISTRIBUTION
from tests.documents.pdf import PDF_MINIMAL
from tests.mondes import SurDistribution
from tests.vues import (
    CONNEXION,
    PDF,
    Cas,
    Page,
    brouillon,
    brouillon_pret,
    deposer,
    verifier,
)
from workflow.urls import urlpatterns as taches

ROLES = [*ROLES_DISTRIBUTION, "membre_instance", "accompagnateur"]

DEMANDE = "Précisez le rôle de l'amicale des locataires dans la cuisine partagée."
MESSAGE_REFERENT = "Bonjour, la réunion de présentation aura lieu le 12 : pouvez-vous venir ?"
REPONSE_INSTRUCTEUR = "Oui, je serai présente à la réunion du 12."
MESSAGE_INSTRUCTEUR = "Pensez à joindre le compte rendu de la dernière assemblée."
MESSAGE_AVANT_DECISION = "La séance se tiendra à l'Hôtel du Département."
ANSWER = "Le rôle de l'amicale est précisé dans le projet."
LECTURE_SEULE = "La déclaration est décidée : la messagerie est en lecture seule."
TEXTES_MESSAGES_A = (MESSAGE_REFERENT, REPONSE_INSTRUCTEUR, MESSAGE_INSTRUCTEUR)


def echappe(texte: str) -> str:
    """A text typed by a user, as the page shows it (Django escapes the apostrophe)."""
    return texte.replace("'", "&#x27;")


def attendu(
    *,
    anonyme: int | str,
    referent_a: int | str,
    referent_b: int | str,
    instructeur_42: int | str,
    instructeur_autre: int | str,
    national: int | str,
    membre_instance: int | str,
    accompagnateur: int | str,
) -> dict[str, int | str]:
    """One row of the matrix: the status each of the eight roles gets."""
    return {
        "anonyme": anonyme,
        "referent_a": referent_a,
        "referent_b": referent_b,
        "instructeur_42": instructeur_42,
        "instructeur_autre": instructeur_autre,
        "national": national,
        "membre_instance": membre_instance,
        "accompagnateur": accompagnateur,
    }


# --- The world --------------------------------------------------------------------------------------------------


@dataclass
class MondeSuivi(SurDistribution):
    """See the module's docstring. Collectif C's decided declaration is built on first use: most cases
    do not need its séance."""

    ROLES_PROPRES = ("membre_instance", "accompagnateur")

    instance: InstanceDepartementale
    votants: list[MembreInstance]
    membre_instance: Any
    accompagnateur: Any
    fiche_accompagnateur: Accompagnateur
    a_completer: Declaration
    demande: DemandeComplements
    recepisse_a: Document
    demande_pdf: Document
    brouillon_a: Declaration
    message_referent: Message
    reponse_instructeur: Message
    message_instructeur: Message

    @cached_property
    def _decidee(self) -> dict[str, Any]:
        instructeur = self.distribution.instructeur_42
        collectif_c = CollectifFactory(referent=self.distribution.referent_a, nom="Collectif C de Saint-Chamond")
        affecter(self.fiche_accompagnateur, collectif_c, instructeur)
        declaration = recevable(collectif_c, instructeur)
        message_envoyer(acteur=self.distribution.referent_a, declaration=declaration, texte=MESSAGE_AVANT_DECISION)
        declaration, point, seance = decider(
            declaration, self.instance, self.votants, instructeur, [ChoixVote.POUR, ChoixVote.POUR, ChoixVote.CONTRE]
        )
        return {
            "collectif_c": collectif_c,
            "agreee": declaration,
            "point_c": point,
            "decision_pdf": documents_de(point, TypeDocument.DECISION).get(),
            "proces_verbal": documents_de(seance, TypeDocument.PROCES_VERBAL).get(),
        }

    collectif_c = property(lambda self: self._decidee["collectif_c"])
    agreee = property(lambda self: self._decidee["agreee"])
    point_c = property(lambda self: self._decidee["point_c"])
    decision_pdf = property(lambda self: self._decidee["decision_pdf"])
    proces_verbal = property(lambda self: self._decidee["proces_verbal"])


def affecter(accompagnateur: Accompagnateur, collectif: Collectif, par: Any) -> None:
    AffectationAccompagnateur.objects.create(collectif=collectif, accompagnateur=accompagnateur, affecte_par=par)


def a_completer(collectif: Collectif, instructeur: Any) -> tuple[Declaration, DemandeComplements, Document]:
    """A declaration filed by the collectif and asked for more by the instructeur (R4)."""
    declaration, recepisse = deposer(brouillon_pret(collectif))
    demande = complements_demander(acteur=instructeur, declaration=declaration, message=DEMANDE)
    return Declaration.objects.get(pk=declaration.pk), demande, recepisse


def recevable(collectif: Collectif, instructeur: Any) -> Declaration:
    declaration, _ = deposer(brouillon_pret(collectif))
    return declaration_declarer_recevable(acteur=instructeur, declaration=declaration)


def construire_suivi(distribution: Any) -> MondeSuivi:
    instructeur = distribution.instructeur_42
    referent_a = distribution.referent_a
    instance, votants, membre_user = instance_de_la_loire()
    accompagnateur_user = UserFactory(email="accompagnatrice@exemple.fr")
    accompagnateur = Accompagnateur.objects.create(
        departement_id="42", user=accompagnateur_user, prenom="Nadia", nom="Berger", structure="Loire Solidarités"
    )
    affecter(accompagnateur, distribution.collectif_a, instructeur)

    declaration_a, demande, recepisse_a = a_completer(distribution.collectif_a, instructeur)
    message_referent = message_envoyer(acteur=referent_a, declaration=declaration_a, texte=MESSAGE_REFERENT)
    reponse_instructeur = message_envoyer(
        acteur=instructeur, declaration=declaration_a, texte=REPONSE_INSTRUCTEUR, parent=message_referent
    )
    message_instructeur = message_envoyer(acteur=instructeur, declaration=declaration_a, texte=MESSAGE_INSTRUCTEUR)
    return MondeSuivi(
        distribution=distribution,
        instance=instance,
        votants=votants,
        membre_instance=membre_user,
        accompagnateur=accompagnateur_user,
        fiche_accompagnateur=accompagnateur,
        a_completer=declaration_a,
        demande=demande,
        recepisse_a=recepisse_a,
        demande_pdf=documents_de(demande, TypeDocument.DEMANDE_COMPLEMENTS).get(),
        brouillon_a=brouillon(distribution.collectif_a, projet="Un jardin partagé rue de la Marandinière."),
        message_referent=message_referent,
        reponse_instructeur=reponse_instructeur,
        message_instructeur=message_instructeur,
    )


@pytest.fixture
def monde(distribution) -> MondeSuivi:
    return construire_suivi(distribution)


def test_le_monde_est_dans_les_etats_annonces(monde):
    """The matrix below relies on these states, all reached through the services."""
    assert Declaration.objects.get(pk=monde.a_completer.pk).etat == EtatDeclaration.A_COMPLETER
    assert Declaration.objects.get(pk=monde.agreee.pk).etat == EtatDeclaration.AGREEE
    assert monde.point_c.get_resultat_display() == "Agrément"
    assert [d.type for d in (monde.recepisse_a, monde.demande_pdf, monde.decision_pdf, monde.proces_verbal)] == [
        TypeDocument.RECEPISSE,
        TypeDocument.DEMANDE_COMPLEMENTS,
        TypeDocument.DECISION,
        TypeDocument.PROCES_VERBAL,
    ]


# --- The matrix ----------------------------------------------------------------------------------------------------

# Who sees a filed declaration of référent A's collectifs (and so its page and its documents).
DOSSIER_VISIBLE = attendu(
    anonyme=CONNEXION,
    referent_a=200,
    referent_b=404,
    instructeur_42=200,
    instructeur_autre=404,
    national=200,
    membre_instance=200,
    accompagnateur=200,
)
PERSONNE_404 = attendu(
    anonyme=CONNEXION,
    referent_a=404,
    referent_b=404,
    instructeur_42=404,
    instructeur_autre=404,
    national=404,
    membre_instance=404,
    accompagnateur=404,
)
POST_SEULEMENT = attendu(
    anonyme=CONNEXION,
    referent_a=405,
    referent_b=405,
    instructeur_42=405,
    instructeur_autre=405,
    national=405,
    membre_instance=405,
    accompagnateur=405,
)
# Actions of the collectif on a declaration it may act on: visible roles that may not act get 403.
ACTION_REFERENT = attendu(
    anonyme=CONNEXION,
    referent_a=302,
    referent_b=404,
    instructeur_42=403,
    instructeur_autre=404,
    national=403,
    membre_instance=403,
    accompagnateur=403,
)
PAGE_REFERENT = {**ACTION_REFERENT, "referent_a": 200}
ACTION_REFUSEE = {**ACTION_REFERENT, "referent_a": 403}
# The thread: the collectif and the département's instructeurs write; other viewers get 403.
ECRITURE_MESSAGE = {**ACTION_REFERENT, "instructeur_42": 302}
PERSONNE: frozenset[str] = frozenset()


def _hors_ordre_du_jour(attendus: dict[str, int | str]) -> dict[str, int | str]:
    """Collectif A's declaration is on no séance's agenda: the instance's members do not see it (SPEC §2)."""
    return {**attendus, "membre_instance": 404}


REFERENT_A = frozenset({"referent_a"})
FIL = frozenset({"referent_a", "instructeur_42"})
SANS_FIL = ("national", "membre_instance", "accompagnateur")


# The follow-up page and its actions are in the instances layer (they show the decisions).
_ESPACE = dict.fromkeys(("declaration_detail", "document", "repondre_complements", "message_envoyer"), "instances")


def _url(nom: str, objet: str, *args: Any):
    return lambda m: reverse(f"{_ESPACE.get(nom, 'collectifs')}:{nom}", args=[getattr(m, objet).pk, *args])


def _document(objet: str, document: str):
    return lambda m: reverse("instances:document", args=[getattr(m, objet).pk, getattr(m, document).numero])


def _etat(m: MondeSuivi, objet: str) -> str:
    return Declaration.objects.get(pk=getattr(m, objet).pk).etat


def _detail(objet: str, ancre: str = ""):
    return lambda m: reverse("instances:declaration_detail", args=[getattr(m, objet).pk]) + ancre


def _dernier_message(objet: str):
    return lambda m: _detail(objet, f"#message-{Message.objects.latest('pk').pk}")(m)


COMMUN_A_COMPLETER = (
    "Déclaration de {m.collectif_a.nom}",
    "Suivi du dossier",
    "À compléter",
    "Compléments demandés",
    "Précisez le rôle de l&#x27;amicale des locataires",
    "Télécharger le récépissé {m.recepisse_a.numero}",
    "Télécharger la demande de compléments {m.demande_pdf.numero}",
)
COMMUN_AGREEE = (
    "Déclaration de {m.collectif_c.nom}",
    "Agréée",
    "Décision de l'instance départementale",
    "Agrément",
    "2 pour, 1 contre, 0 abstention(s)",
    "Télécharger la décision {m.decision_pdf.numero}",
)
MESSAGES_A = tuple(echappe(t) for t in TEXTES_MESSAGES_A)
# step, its title, what it shows of collectif A's filed declaration, and its saving button.
ETAPES = [
    ("collectif", "Le collectif", 'value="{m.collectif_a.nom}"', "Enregistrer les modifications"),
    ("membres", "Les membres", "Odile Marchand", "Ajouter ce membre"),
    ("projet", "Le projet", "Ouvrir une cuisine partagée au pied des immeubles.", "Enregistrer les modifications"),
    ("indicateurs", "Les indicateurs", "Indicateur 5", "Enregistrer les modifications"),
    ("charte", "La charte", "version 1", "Enregistrer les modifications"),
    ("recapitulatif", "Récapitulatif et dépôt", "Odile Marchand", "Répondre et déposer à nouveau"),
]


def _etapes_a_completer() -> list[Cas]:
    """The form steps reopen for the référents while a request for more is pending (R4)."""
    return [
        Cas(
            f"etape_{code}-a_completer",
            _url(f"etape_{code}", "a_completer"),
            _hors_ordre_du_jour(PAGE_REFERENT),
            contenu=(titre, contenu, bouton, "Demande du service instructeur", "Précisez le rôle de l&#x27;amicale"),
            absent=("Enregistrer le brouillon", 'action="/declarations/{m.a_completer.pk}/deposer/"'),
        )
        for code, titre, contenu, bouton in ETAPES
    ]


CAS = [
    # --- The follow-up page, while a request for more is pending.
    Cas(
        "declaration_detail-a_completer",
        _url("declaration_detail", "a_completer"),
        _hors_ordre_du_jour(DOSSIER_VISIBLE),
        contenu={
            "referent_a": (
                *COMMUN_A_COMPLETER,
                *MESSAGES_A,
                "Répondre et déposer à nouveau",
                "Envoyer le message",
                "Retirer la déclaration",
                "Compléter la déclaration",
            ),
            "instructeur_42": (*COMMUN_A_COMPLETER, *MESSAGES_A, "Envoyer le message"),
            **dict.fromkeys(SANS_FIL, COMMUN_A_COMPLETER),
        },
        absent={
            "instructeur_42": ("Répondre et déposer à nouveau", "Retirer la déclaration", "Compléter la déclaration"),
            **dict.fromkeys(
                SANS_FIL,
                (
                    *MESSAGES_A,
                    'id="messages"',
                    "Envoyer le message",
                    "Répondre et déposer à nouveau",
                    "Retirer la déclaration",
                ),
            ),
        },
    ),
    # --- Once decided: the decision, and the thread read-only.
    Cas(
        "declaration_detail-agreee",
        _url("declaration_detail", "agreee"),
        DOSSIER_VISIBLE,
        contenu={
            "referent_a": (*COMMUN_AGREEE, echappe(MESSAGE_AVANT_DECISION), LECTURE_SEULE, "Retirer la déclaration"),
            "instructeur_42": (*COMMUN_AGREEE, echappe(MESSAGE_AVANT_DECISION), LECTURE_SEULE),
            **dict.fromkeys(SANS_FIL, COMMUN_AGREEE),
        },
        absent={
            "referent_a": ("Envoyer le message", "Compléments demandés"),
            "instructeur_42": ("Envoyer le message", "Retirer la déclaration"),
            **{role: (echappe(MESSAGE_AVANT_DECISION), 'id="messages"', "Retirer la déclaration") for role in SANS_FIL},
        },
    ),
    # --- A draft stays private to its référents, whatever the new roles.
    Cas(
        "declaration_detail-brouillon",
        _url("declaration_detail", "brouillon_a"),
        {**PERSONNE_404, "referent_a": 200},
        contenu=("Continuer la déclaration", "Un jardin partagé rue de la Marandinière."),
        absent=('id="messages"', "Retirer la déclaration"),
    ),
    # --- The documents of the file: whoever sees the declaration downloads them.
    Cas(
        "document-recepisse",
        _document("a_completer", "recepisse_a"),
        _hors_ordre_du_jour(DOSSIER_VISIBLE),
        type_contenu=PDF,
    ),
    Cas(
        "document-demande",
        _document("a_completer", "demande_pdf"),
        _hors_ordre_du_jour(DOSSIER_VISIBLE),
        type_contenu=PDF,
    ),
    Cas("document-decision", _document("agreee", "decision_pdf"), DOSSIER_VISIBLE, type_contenu=PDF),
    # Another declaration's document through this declaration's URL; the séance's minutes (other collectifs).
    Cas("document-d_une_autre_declaration", _document("a_completer", "decision_pdf"), PERSONNE_404),
    Cas("document-proces_verbal", _document("agreee", "proces_verbal"), PERSONNE_404),
    Cas(
        "document-inconnu",
        lambda m: reverse("instances:document", args=[m.a_completer.pk, "REC-42-2027-99999"]),
        PERSONNE_404,
    ),
    # --- The answer to the request for more: the référents only; it files again.
    Cas(
        "repondre_complements",
        _url("repondre_complements", "a_completer"),
        _hors_ordre_du_jour(ACTION_REFERENT),
        methode="post",
        donnees={"reponse": ANSWER},
        suite=_detail("a_completer"),
        agissent=REFERENT_A,
        fait=lambda m, role: _etat(m, "a_completer") == EtatDeclaration.EN_INSTRUCTION,
    ),
    Cas("repondre_complements-get", _url("repondre_complements", "a_completer"), POST_SEULEMENT),
    Cas(
        "repondre_complements-agreee",
        _url("repondre_complements", "agreee"),
        ACTION_REFUSEE,
        methode="post",
        donnees={"reponse": ANSWER},
        agissent=PERSONNE,
        fait=lambda m, role: _etat(m, "agreee") != EtatDeclaration.AGREEE,
    ),
    # --- Messages: the collectif and the département's instructeurs, until the decision.
    Cas(
        "message_envoyer",
        _url("message_envoyer", "a_completer"),
        _hors_ordre_du_jour(ECRITURE_MESSAGE),
        methode="post",
        donnees={"texte": "Un nouveau message de test."},
        suite=_dernier_message("a_completer"),
        agissent=FIL,
        fait=lambda m, role: Message.objects.filter(
            texte="Un nouveau message de test.", auteur=m.utilisateur(role), declaration=m.a_completer
        ).exists(),
    ),
    Cas(
        "message_envoyer-reponse",
        _url("message_envoyer", "a_completer"),
        _hors_ordre_du_jour(ECRITURE_MESSAGE),
        methode="post",
        donnees=lambda m: {"texte": "Une réponse de test.", "parent": str(m.message_instructeur.pk)},
        suite=_dernier_message("a_completer"),
        agissent=FIL,
        fait=lambda m, role: Message.objects.filter(
            texte="Une réponse de test.", parent=m.message_instructeur
        ).exists(),
    ),
    Cas(
        "message_envoyer-agreee",
        _url("message_envoyer", "agreee"),
        {**ECRITURE_MESSAGE, "referent_a": 403, "instructeur_42": 403},
        methode="post",
        donnees={"texte": "Trop tard."},
        agissent=PERSONNE,
        fait=lambda m, role: Message.objects.filter(texte="Trop tard.").exists(),
    ),
    Cas("message_envoyer-get", _url("message_envoyer", "a_completer"), POST_SEULEMENT),
    # --- Withdrawal from every non-final state, after acceptance too; not once final.
    Cas(
        "retirer-a_completer",
        _url("retirer", "a_completer"),
        _hors_ordre_du_jour(PAGE_REFERENT),
        contenu=("Retirer la déclaration de {m.collectif_a.nom}", "Motif du retrait", "à compléter"),
    ),
    Cas(
        "retirer-a_completer-post",
        _url("retirer", "a_completer"),
        _hors_ordre_du_jour(ACTION_REFERENT),
        methode="post",
        donnees={"motif": "Le collectif s'est dissous."},
        suite=_detail("a_completer"),
        agissent=REFERENT_A,
        fait=lambda m, role: _etat(m, "a_completer") == EtatDeclaration.RETIREE,
    ),
    Cas(
        "retirer-agreee",
        _url("retirer", "agreee"),
        PAGE_REFERENT,
        contenu=("Retirer la déclaration de {m.collectif_c.nom}", "renonce à son agrément"),
    ),
    Cas(
        "retirer-agreee-post",
        _url("retirer", "agreee"),
        ACTION_REFERENT,
        methode="post",
        donnees={"motif": "Le collectif renonce."},
        suite=_detail("agreee"),
        agissent=REFERENT_A,
        fait=lambda m, role: _etat(m, "agreee") == EtatDeclaration.RETIREE,
    ),
    Cas(
        "retirer-retiree",
        _url("retirer", "a_completer"),
        _hors_ordre_du_jour(ACTION_REFUSEE),
        avant=lambda m: _retirer(m.a_completer, m.referent_a, "Retrait préalable."),
    ),
    # --- The form steps while a request for more is pending.
    *_etapes_a_completer(),
    Cas(
        "membre_modifier-a_completer",
        lambda m: reverse(
            "collectifs:membre_modifier",
            args=[m.a_completer.pk, Membre.objects.get(collectif=m.collectif_a, nom="Marchand").pk],
        ),
        _hors_ordre_du_jour(PAGE_REFERENT),
        contenu=('value="Marchand"', "Membre jusqu&#x27;au", "Demande du service instructeur"),
    ),
    Cas(
        "etape_projet-a_completer-post",
        _url("etape_projet", "a_completer"),
        _hors_ordre_du_jour(ACTION_REFERENT),
        methode="post",
        donnees={
            "dynamique_preexistante": "Des réunions mensuelles depuis 2021.",
            "projet": "Projet précisé pour répondre à la demande.",
            "additionnalite": "Personne ne le ferait seul.",
            "continuer": "1",
        },
        suite=_url("etape_indicateurs", "a_completer"),
        agissent=REFERENT_A,
        fait=lambda m, role: (
            Declaration.objects.get(pk=m.a_completer.pk).projet == "Projet précisé pour répondre à la demande."
        ),
    ),
    Cas(
        "deposer-a_completer",
        _url("deposer", "a_completer"),
        _hors_ordre_du_jour(ACTION_REFUSEE),
        methode="post",
        agissent=PERSONNE,
        fait=lambda m, role: _etat(m, "a_completer") != EtatDeclaration.A_COMPLETER,
    ),
]


def _retirer(declaration: Declaration, referent: Any, motif: str) -> None:
    declaration_retirer(acteur=referent, declaration=declaration, motif=motif)


def matrice(cas: list[Cas]) -> list[Any]:
    """pytest params over every (case, role) pair of the eight roles; checks that each case is complete."""
    noms = [c.nom for c in cas]
    assert len(noms) == len(set(noms)), "case names must be unique"
    for c in cas:
        assert set(c.attendu) == set(ROLES), f"{c.nom}: the matrix must list every role"
        for role, statut in c.attendu.items():
            if statut in (200, 422) and c.type_contenu != PDF:
                assert [t for t in c.textes(c.contenu, role) if t], f"{c.nom}: say what {role} must see"
            if statut == 302:
                assert c.suite is not None, f"{c.nom}: say where the allowed redirect goes"
        assert (c.agissent is None) == (c.fait is None), f"{c.nom}: agissent and fait go together"
    return [pytest.param(c, r, id=f"{c.nom}-{r}") for c in cas for r in ROLES]


@pytest.mark.parametrize(("cas", "role"), matrice(CAS))
def test_matrice(cas, role, monde, client):
    verifier(cas, role, monde, client)


# --- Answering the request for more (R4) ----------------------------------------------------------------------


def date_fr(instant: datetime.datetime) -> str:
    with translation.override("fr"):
        return formats.date_format(timezone.localtime(instant), "j F Y")


def _page(client, declaration: Declaration, **params: str) -> Page:
    reponse = client.get(reverse("instances:declaration_detail", args=[declaration.pk]), params)
    assert reponse.status_code == 200
    return Page(reponse)


def _suivi(page: Page) -> list[str]:
    """The timeline as read: one text per state."""
    return [Page.texte(li) for li in page.tous('section[aria-labelledby="titre-suivi"] > ol > li')]


def test_la_reponse_remet_la_declaration_en_instruction(monde, client, django_capture_on_commit_callbacks):
    client.force_login(monde.referent_a)
    url = reverse("instances:repondre_complements", args=[monde.a_completer.pk])

    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {"reponse": ANSWER})

    assert reponse.status_code == 302
    assert reponse["Location"] == reverse("instances:declaration_detail", args=[monde.a_completer.pk])
    assert _etat(monde, "a_completer") == EtatDeclaration.EN_INSTRUCTION
    demande = DemandeComplements.objects.get(pk=monde.demande.pk)
    assert (demande.reponse, demande.repondue_par) == (ANSWER, monde.referent_a)
    # The département's instructeurs are told.
    assert [(m.subject, m.to) for m in mail.outbox] == [
        (f"Réponse aux compléments : {monde.collectif_a.nom}", [monde.instructeur_42.email])
    ]
    page = _page(client, monde.a_completer)
    texte = Page.texte(page.un("main"))
    assert "Votre réponse est envoyée et la déclaration est déposée à nouveau : l'instruction reprend." in texte
    assert Page.texte(page.un("h1 + p .fr-badge")) == "En instruction"
    assert not page.tous("#complements")
    suivi = _suivi(page)
    assert [ligne.split(" ")[0] for ligne in suivi] == ["Brouillon", "Déposée", "En", "À", "En"]
    assert suivi[-1].startswith("En instruction") and f"« {ANSWER} »" in suivi[-1]


def _sans_professionnel(collectif: Collectif) -> None:
    """Karim Benali left the collectif yesterday: one professional is missing again (R1)."""
    hier = timezone.localdate() - datetime.timedelta(days=1)
    Membre.objects.filter(collectif=collectif, nom="Benali").update(
        date_debut=hier - datetime.timedelta(days=365), date_fin=hier
    )


@pytest.mark.parametrize(
    ("depuis", "bloc"), [("", "#conditions-reponse"), ("recapitulatif", "#conditions-depot")], ids=["page", "recap"]
)
def test_la_reponse_est_refusee_tant_que_r1_ne_tient_plus(depuis, bloc, monde, client):
    """The answer files again: R1/R2 must hold. The page says what to fix, with a link to the step, and
    keeps the answer typed; nothing changes. Once fixed through the steps, the answer goes through."""
    _sans_professionnel(monde.collectif_a)
    client.force_login(monde.referent_a)
    url = reverse("instances:repondre_complements", args=[monde.a_completer.pk])

    reponse = client.post(url, {"reponse": ANSWER, "depuis": depuis})

    assert reponse.status_code == 422
    page = Page(reponse)
    alerte = Page.texte(page.un(bloc))
    assert "Votre réponse n'a pas pu être envoyée" in alerte
    assert "Votre réponse est conservée ci-dessous." in alerte
    assert "Il manque 1 professionnel·le." in alerte
    etape_membres = reverse("collectifs:etape_membres", args=[monde.a_completer.pk]) + "#composition"
    assert page.tous(f'{bloc} a[href="{etape_membres}"]')
    assert page.valeur("reponse").strip() == ANSWER
    assert Page.texte(page.un(f'form[action="{url}"] button[type="submit"]')) == "Répondre et déposer à nouveau"
    assert _etat(monde, "a_completer") == EtatDeclaration.A_COMPLETER
    assert DemandeComplements.objects.get(pk=monde.demande.pk).repondue_le is None

    # The step of the form works on the filed declaration: a new professional joins…
    ajout = client.post(
        etape_membres,
        {"college": College.PROFESSIONNEL, "prenom": "Inès", "nom": "Garnier", "consentement": "on"},
    )
    assert ajout.status_code == 302
    # …and the answer now files the declaration again.
    assert client.post(url, {"reponse": ANSWER, "depuis": depuis}).status_code == 302
    assert _etat(monde, "a_completer") == EtatDeclaration.EN_INSTRUCTION


@pytest.mark.parametrize("role", ["referent_a", "instructeur_42", "accompagnateur"])
def test_la_demande_en_cours_avec_son_echeance(role, monde, client):
    client.force_login(monde.utilisateur(role))
    bloc = _page(client, monde.a_completer).un("#complements")
    echeance = monde.demande.echeance
    with translation.override("fr"):
        en_clair = formats.date_format(echeance, "j F Y")
    assert DEMANDE in Page.texte(bloc)
    assert f"À fournir avant le {en_clair}." in Page.texte(bloc)
    assert Page.attribut(bloc.query("time"), "datetime") == echeance.isoformat()
    # Only the référents get the answer form.
    assert bool(list(bloc.query_all('textarea[name="reponse"]'))) is (role == "referent_a")


def test_avant_de_repondre_la_page_dit_ce_qui_manque(monde, client):
    _sans_professionnel(monde.collectif_a)
    client.force_login(monde.referent_a)
    page = _page(client, monde.a_completer)
    alerte = Page.texte(page.un("#conditions-reponse"))
    assert alerte.startswith("Avant de répondre")
    assert "Il manque 1 professionnel·le." in alerte
    assert page.tous(
        f'#conditions-reponse a[href="{reverse("collectifs:etape_membres", args=[monde.a_completer.pk])}#composition"]'
    )


def test_une_reponse_vide_est_signalee_a_cote_du_champ(monde, client):
    client.force_login(monde.referent_a)
    reponse = client.post(reverse("instances:repondre_complements", args=[monde.a_completer.pk]), {"reponse": " "})
    assert reponse.status_code == 200
    assert "Écrivez votre réponse à la demande." in Page(reponse).erreur_du_champ("reponse")
    assert _etat(monde, "a_completer") == EtatDeclaration.A_COMPLETER


def test_les_etapes_enregistrent_les_modifications_de_la_declaration_a_completer(monde, client):
    client.force_login(monde.referent_a)
    url = reverse("collectifs:etape_projet", args=[monde.a_completer.pk])
    donnees = {
        "dynamique_preexistante": "Des réunions mensuelles depuis 2021.",
        "projet": "Le rôle de l'amicale : elle tient la cuisine le samedi.",
        "additionnalite": "Personne ne le ferait seul.",
        "enregistrer": "1",
    }
    reponse = client.post(url, donnees, follow=True)
    assert reponse.redirect_chain == [(url, 302)]
    assert "Modifications enregistrées." in reponse.content.decode()
    declaration = Declaration.objects.get(pk=monde.a_completer.pk)
    assert declaration.projet == "Le rôle de l'amicale : elle tient la cuisine le samedi."
    assert declaration.etat == EtatDeclaration.A_COMPLETER


# --- Messages ---------------------------------------------------------------------------------------------------


def _ids(page: Page, selecteur: str) -> list[str]:
    return [Page.attribut(e, "id") for e in page.tous(selecteur)]


def test_le_fil_est_une_liste_d_articles_ou_les_reponses_suivent_leur_message(monde, client):
    client.force_login(monde.instructeur_42)
    page = _page(client, monde.a_completer)
    racine = "section#messages > ol"
    assert Page.attribut(page.un(racine), "aria-label") == "Conversation"
    # Two conversations, oldest first; the instructeur's reply sits in a list inside the message it answers.
    assert _ids(page, f"{racine} > li > article") == [
        f"message-{monde.message_referent.pk}",
        f"message-{monde.message_instructeur.pk}",
    ]
    assert _ids(page, f"{racine} > li > div > ol > li > article") == [f"message-{monde.reponse_instructeur.pk}"]
    reponses = page.un(f"{racine} > li > div > ol")
    assert Page.attribut(reponses, "aria-label").startswith("Réponses au message de ")
    article = page.un(f"#message-{monde.reponse_instructeur.pk}")
    assert Page.attribut(article, "aria-labelledby") == f"message-{monde.reponse_instructeur.pk}-auteur"
    assert REPONSE_INSTRUCTEUR in Page.texte(article)
    assert "(service instructeur)" in Page.texte(article)
    assert page.tous(f'#message-{monde.reponse_instructeur.pk} a[href="#message-{monde.message_referent.pk}"]')
    assert "(collectif)" in Page.texte(page.un(f"#message-{monde.message_referent.pk}"))


def test_repondre_a_un_message_le_preselectionne(monde, client):
    client.force_login(monde.referent_a)
    page = _page(client, monde.a_completer, repondre=str(monde.message_instructeur.pk))
    assert page.valeur("parent") == str(monde.message_instructeur.pk)
    lien = page.un(f"#message-{monde.message_instructeur.pk} a.fr-link")
    detail = reverse("instances:declaration_detail", args=[monde.a_completer.pk])
    assert Page.attribut(lien, "href") == f"{detail}?repondre={monde.message_instructeur.pk}#ecrire"


def test_un_message_notifie_l_autre_partie(monde, client, django_capture_on_commit_callbacks):
    url = reverse("instances:message_envoyer", args=[monde.a_completer.pk])
    client.force_login(monde.referent_a)
    with django_capture_on_commit_callbacks(execute=True):
        reponse = client.post(url, {"texte": "Voici le compte rendu.", "parent": str(monde.message_instructeur.pk)})
    message = Message.objects.get(texte="Voici le compte rendu.")
    assert reponse["Location"] == reverse("instances:declaration_detail", args=[monde.a_completer.pk]) + (
        f"#message-{message.pk}"
    )
    assert (message.auteur, message.parent, message.declaration) == (
        monde.referent_a,
        monde.message_instructeur,
        Declaration.objects.get(pk=monde.a_completer.pk),
    )
    assert [m.to for m in mail.outbox] == [[monde.instructeur_42.email]]

    mail.outbox.clear()
    client.force_login(monde.instructeur_42)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"texte": "Bien reçu, merci.", "parent": str(message.pk)})
    assert [m.to for m in mail.outbox] == [[monde.referent_a.email]]
    # The new reply is shown under the message it answers.
    page = _page(client, monde.a_completer)
    nouveau = Message.objects.get(texte="Bien reçu, merci.")
    assert _ids(page, f"#message-{message.pk} + div > ol > li > article") == [f"message-{nouveau.pk}"]


@pytest.mark.parametrize(
    ("donnees", "champ", "erreur"),
    [
        ({"texte": "  "}, "texte", "Écrivez votre message."),
        ({"texte": "Une réponse égarée."}, "parent", "Sélectionnez un choix valide."),
    ],
    ids=["vide", "parent-d-une-autre-declaration"],
)
def test_un_message_invalide_est_signale_et_rien_n_est_envoye(donnees, champ, erreur, monde, client):
    autre = Message.objects.get(declaration=monde.agreee)  # a message of another declaration
    client.force_login(monde.referent_a)
    avant = Message.objects.count()
    donnees = {**donnees, "parent": str(autre.pk)} if champ == "parent" else donnees
    reponse = client.post(reverse("instances:message_envoyer", args=[monde.a_completer.pk]), donnees)
    assert reponse.status_code == 200
    assert erreur in Page(reponse).erreur_du_champ(champ)
    assert Message.objects.count() == avant


# --- Decided: the thread is read-only, the decision is shown ----------------------------------------------------

# From a filed declaration to each state, through the legal transitions (SPEC §5).
CHEMINS = {
    EtatDeclaration.DEPOSEE: [],
    EtatDeclaration.EN_INSTRUCTION: ["instruire"],
    EtatDeclaration.A_COMPLETER: ["instruire", "demander_complements"],
    EtatDeclaration.RECEVABLE: ["instruire", "declarer_recevable"],
    EtatDeclaration.INSCRITE_EN_SEANCE: ["instruire", "declarer_recevable", "inscrire_en_seance"],
    EtatDeclaration.AGREEE: ["instruire", "declarer_recevable", "inscrire_en_seance", "agreer"],
    EtatDeclaration.REFUSEE: ["instruire", "declarer_recevable", "inscrire_en_seance", "refuser"],
    EtatDeclaration.EN_ATTENTE: ["instruire", "declarer_recevable", "inscrire_en_seance", "mettre_en_attente"],
    EtatDeclaration.RETIREE: ["retirer"],
    EtatDeclaration.CLASSEE_SANS_SUITE: ["instruire", "demander_complements", "classer_sans_suite"],
}


def amener(distribution: Any, etat: str) -> Declaration:
    """Collectif A's declaration, filed, then moved to `etat` through the journal (transition_appliquer)."""
    declaration, _ = deposer(brouillon_pret(distribution.collectif_a))
    for transition in CHEMINS[etat]:
        transition_appliquer(declaration, transition, acteur=distribution.instructeur_42, verifier_permission=False)
    return Declaration.objects.get(pk=declaration.pk)


def test_chaque_etat_a_un_chemin():
    assert set(CHEMINS) == set(EtatDeclaration) - {EtatDeclaration.BROUILLON}


@pytest.mark.parametrize("etat", ETATS_DECIDES)
def test_une_fois_decidee_la_messagerie_est_en_lecture_seule(etat, distribution, client):
    declaration = amener(distribution, EtatDeclaration.DEPOSEE)
    message_envoyer(acteur=distribution.referent_a, declaration=declaration, texte="Écrit avant la décision.")
    for transition in CHEMINS[etat]:
        transition_appliquer(declaration, transition, acteur=distribution.instructeur_42, verifier_permission=False)
    url = reverse("instances:message_envoyer", args=[declaration.pk])
    for user in (distribution.referent_a, distribution.instructeur_42):
        client.force_login(user)
        page = _page(client, declaration)
        assert "Écrit avant la décision." in Page.texte(page.un("#messages"))
        assert LECTURE_SEULE in Page.texte(page.un("#messages"))
        assert not page.tous(f'form[action="{url}"]')
        assert not page.tous('#messages a[href*="?repondre="]')

        reponse = client.post(url, {"texte": "Trop tard."})

        assert reponse.status_code == 403
        assert LECTURE_SEULE in reponse.content.decode()
        assert not Message.objects.filter(texte="Trop tard.").exists()


def test_un_refus_montre_le_motif_la_motivation_et_le_vote(distribution, client):
    instance, votants, _ = instance_de_la_loire()
    declaration = recevable(distribution.collectif_a, distribution.instructeur_42)
    motivation = "Le projet reprend une action déjà financée par le contrat de ville."
    declaration, point, _ = decider(
        declaration,
        instance,
        votants,
        distribution.instructeur_42,
        [ChoixVote.CONTRE, ChoixVote.CONTRE, ChoixVote.POUR],
        refus=(MotifRefus.ADDITIONNALITE, motivation),
    )
    assert declaration.etat == EtatDeclaration.REFUSEE
    client.force_login(distribution.referent_a)
    page = _page(client, declaration)
    termes = [Page.texte(e) for e in page.tous("#decision dt")]
    definitions = [Page.texte(e) for e in page.tous("#decision dd")]
    assert dict(zip(termes, definitions, strict=True)) == {
        "Décision": f"Refus, prise le {date_fr(point.statue_le)}",
        "Motif du refus": "Additionnalité",
        "Motivation": motivation,
        "Résultat du vote": "1 pour, 2 contre, 0 abstention(s)",
    }
    pdf = documents_de(point, TypeDocument.DECISION).get()
    lien = reverse("instances:document", args=[declaration.pk, pdf.numero])
    assert page.tous(f'#decision a[href="{lien}"]')
    assert client.get(lien)["Content-Disposition"] == f'attachment; filename="{pdf.numero}.pdf"'
    assert Page.texte(page.un("h1 + p .fr-badge")) == "Refusée"
    assert "Retirer la déclaration" not in Page.texte(page.un("main"))


# --- Withdrawal from every non-final state (SPEC §5) --------------------------------------------------------------


@pytest.mark.parametrize("etat", list(CHEMINS))
def test_le_retrait_est_propose_depuis_chaque_etat_non_final(etat, distribution, client):
    declaration = amener(distribution, etat)
    client.force_login(distribution.referent_a)
    page = _page(client, declaration)
    possible = etat in ETATS_RETRAIT_POSSIBLE
    assert possible == (etat not in ETATS_FINAUX)
    lien = reverse("collectifs:retirer", args=[declaration.pk])
    assert bool(page.tous(f'a[href="{lien}"]')) is possible
    assert client.get(lien).status_code == (200 if possible else 403)


# --- The timeline, the documents, the process chart ---------------------------------------------------------------


def test_le_suivi_montre_chaque_etat_sa_date_son_auteur_et_le_commentaire(monde, client):
    client.force_login(monde.referent_a)
    page = _page(client, monde.a_completer)
    lignes = page.tous('section[aria-labelledby="titre-suivi"] > ol > li')
    assert [Page.texte(li.query("p")) for li in lignes] == ["Brouillon", "Déposée", "En instruction", "À compléter"]
    # Each state change: its date (machine-readable), who made it, and its comment.
    journal = list(historique(Declaration.objects.get(pk=monde.a_completer.pk)))
    for li, ligne in zip(lignes[1:], journal, strict=True):
        temps = li.query("time")
        assert Page.attribut(temps, "datetime") == timezone.localtime(ligne.horodatage).isoformat()
        assert f"par {ligne.acteur}" in Page.texte(li)
    assert f"par {monde.referent_a}" in Page.texte(lignes[1])
    assert f"par {monde.instructeur_42}" in Page.texte(lignes[3])
    assert f"« {DEMANDE} »" in Page.texte(lignes[3])
    assert Page.attribut(lignes[-1], "aria-current") == "step"


def test_les_documents_du_dossier_se_telechargent_depuis_la_page(monde, client):
    client.force_login(monde.accompagnateur)
    page = _page(client, monde.a_completer)
    liens = [Page.attribut(a, "href") for a in page.tous('section[aria-labelledby="titre-documents"] a')]
    assert liens == [
        reverse("instances:document", args=[monde.a_completer.pk, monde.recepisse_a.numero]),
        reverse("instances:document", args=[monde.a_completer.pk, monde.demande_pdf.numero]),
    ]
    for lien, document in zip(liens, (monde.recepisse_a, monde.demande_pdf), strict=True):
        reponse = client.get(lien)
        assert reponse["Content-Type"] == PDF
        assert reponse["Content-Disposition"] == f'attachment; filename="{document.numero}.pdf"'
        assert reponse.content == PDF_MINIMAL


def test_le_lien_vers_le_processus(monde, client):
    client.force_login(monde.accompagnateur)
    page = _page(client, monde.a_completer)
    lien = page.un(
        'a[href="{}"]'.format(reverse("workflow:processus_declaration", kwargs={"pk": monde.a_completer.pk}))
    )
    # The process chart is one link away, from the plain timeline.
    assert Page.texte(lien) == "Voir le schéma détaillé du traitement"
    assert page.tous(f'#ou-en-est a[href="{Page.attribut(lien, "href")}"]')
    client.force_login(monde.referent_a)
    assert "Voir le schéma détaillé du traitement" not in Page.texte(_page(client, monde.brouillon_a).un("main"))


def _sans_processus() -> list[Any]:
    """The project's URLs without `workflow:processus_declaration`."""
    return [
        path(str(p.pattern), include(([t for t in taches if t.name != "processus_declaration"], "workflow")))
        if getattr(p, "namespace", None) == "workflow"
        else p
        for p in racine
    ]


urlpatterns = _sans_processus()


@pytest.mark.urls(__name__)
def test_sans_l_url_du_processus_la_page_s_affiche_quand_meme(monde, client):
    with pytest.raises(NoReverseMatch):
        reverse("workflow:processus_declaration", kwargs={"pk": monde.a_completer.pk})
    client.force_login(monde.referent_a)
    page = _page(client, monde.a_completer)
    assert "Voir le schéma détaillé du traitement" not in Page.texte(page.un("main"))
    assert "Suivi du dossier" in Page.texte(page.un("main"))


# --- CSRF is enforced on the new forms ----------------------------------------------------------------------------


@pytest.mark.parametrize("cas_nom", ["repondre_complements", "message_envoyer", "retirer-agreee-post"])
def test_post_sans_jeton_csrf_refuse(cas_nom, monde):
    cas = next(c for c in CAS if c.nom == cas_nom)
    client = Client(enforce_csrf_checks=True)
    client.force_login(monde.referent_a)
    donnees = cas.donnees(monde) if callable(cas.donnees) else cas.donnees
    assert client.post(cas.url(monde), donnees).status_code == 403
    assert cas.fait is not None and cas.fait(monde, "referent_a") is False
