"""Instruction through the API (R4, R10, R17): every endpoint × nine roles, French errors per field, constant
queries for the message thread, and the compléments journey from the instructeur's request to recevable.

The world of the three new roles (instance member, president, accompagnateur) is built here and reused by
test_seances.py."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from pypdf import PdfReader

from collectifs.enums import EtatDeclaration
from collectifs.models import Declaration, DemandeComplements, Message
from documents.enums import TypeDocument
from documents.models import Document
from instances.models import (
    Accompagnateur,
    AffectationAccompagnateur,
)
from journal.models import TransitionLog
from tests.api.conftest import PDF_DE_TEST, deposee
from tests.api.instruction import (
    PARIS,
    ROLES_INSTRUCTION,
    MondeInstruction,
    R,
    client_de,
    construire,
    corps_pdf,
    demande_en_attente,
    document_de_test,
    mettre_en_etat,
    point_de_test,
)
from tests.collectifs.factories import CollectifFactory, DeclarationFactory, OrganisationFactory

# --- the world ------------------------------------------------------------------------------------


@pytest.fixture
def mi(monde) -> MondeInstruction:
    return construire(monde)


# --- the permission matrix ------------------------------------------------------------------------


@dataclass
class Cas:
    """One endpoint call; `attendus` maps each logged-in role to its status (anonymous: always 401)."""

    nom: str
    methode: str
    url: Callable[[MondeInstruction], str]
    attendus: dict[str, int]
    donnees: Callable[[MondeInstruction], Any] | None = None
    preparer: Callable[[MondeInstruction], Any] | None = None
    verifier: Callable[[MondeInstruction, Any], None] | None = None  # after a 2xx
    inchange: Callable[[MondeInstruction], None] | None = None  # after a refusal


# Who sees collectif A's filed declaration: its référent, the Loire's staff and the accompagnateur; not the
# instance, as long as it is on no séance's agenda (SPEC §2).
VOIT = {
    "referent_a": 200,
    "referent_b": 404,
    "instructeur_42": 200,
    "instructeur_autre": 404,
    "national": 200,
    "membre_instance": 404,
    "president": 404,
    "accompagnateur": 200,
}
# Once on the agenda of a séance of the Loire's instance, its members see it too (its file and the decisions).
A_L_ORDRE_DU_JOUR = VOIT | {"membre_instance": 200, "president": 200}
# An action nobody may take: 403 for those who see the declaration, still 404 for the others.
INTERDIT = {role: 403 if code == 200 else 404 for role, code in VOIT.items()}
# Instruction (R4): only the Loire's instructeurs.
INSTRUIT = INTERDIT | {"instructeur_42": 200}
# The thread: the collectif and the département's instructeurs; 404 for everyone else, even those who see it.
FIL = dict.fromkeys(VOIT, 404) | {"referent_a": 200, "instructeur_42": 200}
# Earlier funding (R17): the instance and the staff; the collectif and its accompagnateur get 403.
EQUITE = VOIT | {"referent_a": 403, "accompagnateur": 403}


def _url(suffixe: str) -> Callable[[MondeInstruction], str]:
    return lambda mi: R + f"declarations/{mi.declaration.pk}/{suffixe}"


def _etat_est(etat: str) -> Callable[[MondeInstruction], None]:
    def verifier(mi: MondeInstruction) -> None:
        assert Declaration.objects.get(pk=mi.declaration.pk).etat == etat

    return verifier


def _repond_etat(etat: str) -> Callable[[MondeInstruction, Any], None]:
    def verifier(mi: MondeInstruction, reponse: Any) -> None:
        assert reponse.json()["etat"] == etat
        _etat_est(etat)(mi)

    return verifier


def _documents_complets(mi: MondeInstruction) -> None:
    demande = demande_en_attente(mi)
    document_de_test(demande, TypeDocument.DEMANDE_COMPLEMENTS, 1)
    document_de_test(point_de_test(mi, mi.declaration), TypeDocument.DECISION, 1)
    # Another declaration's documents never show up.
    document_de_test(point_de_test(mi, deposee(CollectifFactory(), mi.d.campagne)), TypeDocument.DECISION, 2)


def _verifier_documents(mi: MondeInstruction, reponse: Any) -> None:
    documents = reponse.json()["results"]
    if reponse.wsgi_request.user in (mi.comptes["membre_instance"], mi.comptes["president"]):
        # The instance's members see the file and the decisions, not the requests for more (SPEC §2).
        assert [d["numero"] for d in documents] == [mi.monde.recepisse_a.numero, "DEC-42-2027-00001"]
        return
    assert [d["numero"] for d in documents] == [mi.monde.recepisse_a.numero, "DEM-42-2027-00001", "DEC-42-2027-00001"]
    assert [d["type_libelle"] for d in documents] == ["Récépissé de déclaration", "Demande de compléments", "Décision"]
    assert documents[1]["url"].endswith(f"/api/v1/declarations/{mi.declaration.pk}/documents/DEM-42-2027-00001/")


def _verifier_pdf(mi: MondeInstruction, reponse: Any) -> None:
    assert reponse["Content-Type"] == "application/pdf"
    assert corps_pdf(reponse) == PDF_DE_TEST
    assert mi.monde.recepisse_a.numero in reponse["Content-Disposition"]


def _deux_messages(mi: MondeInstruction) -> None:
    question = Message.objects.create(declaration=mi.declaration, auteur=mi.d.instructeur_42, texte="Qui anime ?")
    Message.objects.create(
        declaration=mi.declaration, auteur=mi.d.referent_a, parent=question, texte="Le centre social."
    )


def _verifier_messages(mi: MondeInstruction, reponse: Any) -> None:
    messages = reponse.json()["results"]
    assert [(m["texte"], m["du_collectif"]) for m in messages] == [("Qui anime ?", False), ("Le centre social.", True)]
    assert messages[1]["parent"] == messages[0]["id"]


def _financement_anterieur(mi: MondeInstruction) -> Declaration:
    """Collectif D, carried by the same institution as collectif A, was agreed in 2025."""
    institution = mi.d.collectif_a.institutions_origine.first()
    collectif = CollectifFactory(nom="Collectif D de Roanne", institutions=[institution], codes_communes="42187")
    return DeclarationFactory(collectif=collectif, campagne=mi.monde.campagne_close, agreee=True)


def _verifier_financements(mi: MondeInstruction, reponse: Any) -> None:
    lignes = reponse.json()["results"]
    institution = mi.d.collectif_a.institutions_origine.first()
    assert [(f["collectif_nom"], f["campagne_annee"], f["institutions_origine"]) for f in lignes] == [
        ("Collectif D de Roanne", 2025, [institution.nom])
    ]
    assert lignes[0]["montant_minimal_annuel"] == "15000.00"


def _accompagnement(mi: MondeInstruction) -> Accompagnateur:
    return AffectationAccompagnateur.objects.get(collectif=mi.d.collectif_a, fin__isnull=True).accompagnateur


CAS = [
    Cas(
        "instruire",
        "post",
        _url("instruire/"),
        INSTRUIT,
        verifier=_repond_etat(EtatDeclaration.EN_INSTRUCTION),
        inchange=_etat_est(EtatDeclaration.DEPOSEE),
    ),
    Cas(
        "complements-lister",
        "get",
        _url("complements/"),
        VOIT,
        preparer=lambda mi: document_de_test(demande_en_attente(mi), TypeDocument.DEMANDE_COMPLEMENTS, 1),
        verifier=lambda mi, r: (
            [(d["message"], d["est_expiree"], d["document"]["numero"]) for d in r.json()["results"]]
            == [("Joignez le compte rendu de la dernière réunion.", False, "DEM-42-2027-00001")]
            or pytest.fail(str(r.json()))
        ),
    ),
    Cas(
        "complements-demander",
        "post",
        _url("complements/"),
        INSTRUIT | {"instructeur_42": 201},
        donnees=lambda mi: {"message": "Précisez le rôle des habitant·es.", "echeance": "2099-01-15"},
        verifier=lambda mi, r: (
            _etat_est(EtatDeclaration.A_COMPLETER)(mi),
            DemandeComplements.objects.get(pk=r.json()["id"], echeance=datetime.date(2099, 1, 15)),
            r.json()["document"]["numero"].startswith("DEM-42-2027-") or pytest.fail(str(r.json())),
        ),
        inchange=lambda mi: (
            not DemandeComplements.objects.exists() or pytest.fail("demande créée"),
            _etat_est(EtatDeclaration.DEPOSEE)(mi),
        ),
    ),
    Cas(
        "repondre",
        "post",
        _url("repondre/"),
        INTERDIT | {"referent_a": 200},
        donnees=lambda mi: {"reponse": "Le compte rendu est joint au dossier."},
        preparer=demande_en_attente,
        verifier=lambda mi, r: (
            _repond_etat(EtatDeclaration.EN_INSTRUCTION)(mi, r),
            DemandeComplements.objects.get(
                reponse="Le compte rendu est joint au dossier.", repondue_par=mi.d.referent_a
            ),
        ),
        inchange=_etat_est(EtatDeclaration.A_COMPLETER),
    ),
    Cas(
        "recevable",
        "post",
        _url("recevable/"),
        INSTRUIT,
        preparer=lambda mi: mettre_en_etat(mi.declaration, EtatDeclaration.EN_INSTRUCTION),
        verifier=_repond_etat(EtatDeclaration.RECEVABLE),
        inchange=_etat_est(EtatDeclaration.EN_INSTRUCTION),
    ),
    Cas(
        "classer-sans-suite",
        "post",
        _url("classer-sans-suite/"),
        INSTRUIT,
        donnees=lambda mi: {"motifs": "Aucune réponse à la demande du 2 mars."},
        preparer=lambda mi: demande_en_attente(mi, echeance=timezone.localdate() - datetime.timedelta(days=1)),
        verifier=lambda mi, r: (
            _repond_etat(EtatDeclaration.CLASSEE_SANS_SUITE)(mi, r),
            r.json()["motifs_classement"] == "Aucune réponse à la demande du 2 mars." or pytest.fail(str(r.json())),
        ),
        inchange=_etat_est(EtatDeclaration.A_COMPLETER),
    ),
    Cas("messages-lire", "get", _url("messages/"), FIL, preparer=_deux_messages, verifier=_verifier_messages),
    Cas(
        "messages-ecrire",
        "post",
        _url("messages/"),
        FIL | {"referent_a": 201, "instructeur_42": 201},
        donnees=lambda mi: {"texte": "Pouvez-vous préciser le territoire ?"},
        verifier=lambda mi, r: Message.objects.get(pk=r.json()["id"], texte="Pouvez-vous préciser le territoire ?"),
        inchange=lambda mi: not Message.objects.exists() or pytest.fail("message créé"),
    ),
    Cas(
        "financements-anterieurs",
        "get",
        _url("financements-anterieurs/"),
        EQUITE,
        preparer=_financement_anterieur,
        verifier=_verifier_financements,
    ),
    Cas(
        "financements-anterieurs-a-l-ordre-du-jour",
        "get",
        _url("financements-anterieurs/"),
        EQUITE | {"membre_instance": 200, "president": 200},
        preparer=lambda mi: (_financement_anterieur(mi), point_de_test(mi, mi.declaration)),
        verifier=_verifier_financements,
    ),
    Cas(
        "accompagnateur-lire",
        "get",
        _url("accompagnateur/"),
        VOIT,
        verifier=lambda mi, r: (
            r.json()["accompagnateur"]
            == {"id": mi.accompagnatrice.pk, "prenom": "Léa", "nom": "Garnier", "structure": "Coopérative Ellipse"}
            or pytest.fail(str(r.json()))
        ),
    ),
    Cas(
        "accompagnateur-affecter",
        "post",
        _url("accompagnateur/"),
        INSTRUIT | {"instructeur_42": 201},
        donnees=lambda mi: {"accompagnateur": mi.accompagnateur_libre.pk},
        verifier=lambda mi, r: (
            r.json()["accompagnateur"]["nom"] == "Perrin" or pytest.fail(str(r.json())),
            _accompagnement(mi) == mi.accompagnateur_libre or pytest.fail("affectation"),
        ),
        inchange=lambda mi: _accompagnement(mi) == mi.accompagnatrice or pytest.fail("affectation modifiée"),
    ),
    Cas(
        "documents-lister",
        "get",
        _url("documents/"),
        A_L_ORDRE_DU_JOUR,
        preparer=_documents_complets,
        verifier=_verifier_documents,
    ),
    Cas(
        "document-telecharger",
        "get",
        lambda mi: R + f"declarations/{mi.declaration.pk}/documents/{mi.monde.recepisse_a.numero}/",
        A_L_ORDRE_DU_JOUR,
        preparer=lambda mi: point_de_test(mi, mi.declaration),
        verifier=_verifier_pdf,
    ),
    Cas(
        "document-d-une-autre-declaration",
        "get",
        lambda mi: R + f"declarations/{mi.declaration.pk}/documents/DEC-42-2027-00002/",
        dict.fromkeys(VOIT, 404),
        preparer=_documents_complets,
    ),
]


@pytest.mark.parametrize("role", ROLES_INSTRUCTION)
@pytest.mark.parametrize("cas", CAS, ids=lambda c: c.nom)
def test_matrice_des_droits_de_l_instruction(api, mi, cas, role):
    if cas.preparer:
        cas.preparer(mi)
    corps = cas.donnees(mi) if cas.donnees else None
    reponse = getattr(api.en(mi.utilisateur(role)), cas.methode)(cas.url(mi), corps, format="json")

    attendu = 401 if role == "anonyme" else cas.attendus[role]
    assert reponse.status_code == attendu, getattr(reponse, "data", reponse)
    if attendu == 401:
        assert reponse["WWW-Authenticate"] == "Token"
    if 200 <= attendu < 300 and cas.verifier:
        cas.verifier(mi, reponse)
    if attendu in (401, 403, 404) and cas.inchange:
        cas.inchange(mi)
    if attendu == 404:
        # Nothing of a hidden object leaks: the body is the generic « not found ».
        assert set(reponse.json()) == {"detail"}


# --- French errors per field; nothing half-written ------------------------------------------------


def _declaration(mi: MondeInstruction) -> Declaration:
    return Declaration.objects.get(pk=mi.declaration.pk)


def test_demande_de_complements_refusee_sans_message_ni_echeance_future(api, mi):
    hier = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    reponse = api.en(mi.d.instructeur_42).post(
        _url("complements/")(mi), {"message": "  ", "echeance": hier}, format="json"
    )
    assert reponse.status_code == 400
    assert reponse.json() == {
        "message": ["Dites au collectif ce qui manque."],
        "echeance": ["L'échéance doit être postérieure à aujourd'hui."],
    }
    # The whole request is undone, the automatic « instruire » included.
    assert _declaration(mi).etat == EtatDeclaration.DEPOSEE
    assert not DemandeComplements.objects.exists()
    assert not Document.objects.filter(type=TypeDocument.DEMANDE_COMPLEMENTS).exists()


def test_demande_de_complements_a_l_echeance_par_defaut_de_la_campagne(api, mi):
    reponse = api.en(mi.d.instructeur_42).post(_url("complements/")(mi), {"message": "Précisez."}, format="json")
    assert reponse.status_code == 201, reponse.json()
    assert reponse.json()["echeance"] == (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


@pytest.mark.parametrize(
    ("preparer", "corps", "erreurs"),
    [
        (demande_en_attente, {"reponse": ""}, {"reponse": ["Écrivez votre réponse à la demande."]}),
        (
            lambda mi: None,
            {"reponse": "Voici."},
            {"non_field_errors": ["Aucune demande de compléments n'attend de réponse."]},
        ),
        (
            lambda mi: (
                demande_en_attente(mi),
                Declaration.objects.filter(pk=mi.declaration.pk).update(additionnalite=""),
            ),
            {"reponse": "Voici."},
            {"additionnalite": ["Dites ce qui n'existerait pas sans le collectif."]},
        ),
    ],
    ids=["reponse-vide", "aucune-demande", "conditions-r2"],
)
def test_reponse_aux_complements_refusee_avec_message_par_champ(api, mi, preparer, corps, erreurs):
    preparer(mi)
    etat = _declaration(mi).etat
    reponse = api.en(mi.d.referent_a).post(_url("repondre/")(mi), corps, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == erreurs
    assert _declaration(mi).etat == etat
    assert not DemandeComplements.objects.filter(repondue_le__isnull=False).exists()


def test_classement_sans_suite_refuse_avant_l_echeance(api, mi):
    with time_machine.travel(datetime.datetime(2027, 3, 1, 10, tzinfo=PARIS), tick=False):
        demande_en_attente(mi, echeance=datetime.date(2027, 3, 10))
        corps = {"motifs": "Aucune réponse."}
        reponse = api.en(mi.d.instructeur_42).post(_url("classer-sans-suite/")(mi), corps, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {
        "non_field_errors": [
            "Le collectif peut encore répondre jusqu'au 10 mars 2027 : "
            "le classement sans suite n'est possible qu'après cette date."
        ]
    }
    assert _declaration(mi).etat == EtatDeclaration.A_COMPLETER

    # The day after the deadline it is possible, with reasons.
    with time_machine.travel(datetime.datetime(2027, 3, 11, 10, tzinfo=PARIS), tick=False):
        client = api.en(mi.d.instructeur_42)
        sans_motif = client.post(_url("classer-sans-suite/")(mi), {"motifs": ""}, format="json")
        assert sans_motif.status_code == 400
        assert sans_motif.json() == {"motifs": ["Indiquez les motifs du classement sans suite."]}
        assert client.post(_url("classer-sans-suite/")(mi), corps, format="json").status_code == 200
    assert _declaration(mi).etat == EtatDeclaration.CLASSEE_SANS_SUITE


def test_recevable_refusee_quand_les_verifications_automatiques_echouent(api, mi):
    """R4: the R1/R2 checks are shown, never re-typed: a missing charter blocks admissibility."""
    Declaration.objects.filter(pk=mi.declaration.pk).update(adhesion_charte=None)
    mettre_en_etat(mi.declaration, EtatDeclaration.EN_INSTRUCTION)
    reponse = api.en(mi.d.instructeur_42).post(_url("recevable/")(mi), format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"adhesion_charte": ["La charte des collectifs doit être acceptée."]}
    assert _declaration(mi).etat == EtatDeclaration.EN_INSTRUCTION


def test_transition_impossible_dans_l_etat(api, mi):
    mettre_en_etat(mi.declaration, EtatDeclaration.RECEVABLE)
    reponse = api.en(mi.d.instructeur_42).post(_url("instruire/")(mi), format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {"non_field_errors": ["Cette action n'est pas possible dans l'état actuel (recevable)."]}


@pytest.mark.parametrize(
    ("corps", "erreurs"),
    [
        (lambda mi: {"texte": " "}, {"texte": ["Écrivez votre message."]}),
        (
            lambda mi: {
                "texte": "Réponse.",
                "parent": Message.objects.create(
                    declaration=deposee(CollectifFactory(), mi.d.campagne), auteur=mi.d.instructeur_42, texte="Ailleurs"
                ).pk,
            },
            {"parent": ["Ce message ne fait pas partie de cette déclaration."]},
        ),
    ],
    ids=["vide", "parent-d-un-autre-fil"],
)
def test_message_refuse_avec_message_par_champ(api, mi, corps, erreurs):
    reponse = api.en(mi.d.referent_a).post(_url("messages/")(mi), corps(mi), format="json")
    assert reponse.status_code == 400
    assert reponse.json() == erreurs
    assert not Message.objects.filter(declaration=mi.declaration).exists()


@pytest.mark.parametrize("etat", [EtatDeclaration.AGREEE, EtatDeclaration.EN_ATTENTE, EtatDeclaration.REFUSEE])
def test_messagerie_en_lecture_seule_une_fois_la_declaration_decidee(api, mi, etat):
    _deux_messages(mi)
    mettre_en_etat(mi.declaration, etat)
    for user in (mi.d.referent_a, mi.d.instructeur_42):
        client = api.en(user)
        reponse = client.post(_url("messages/")(mi), {"texte": "Encore une question."}, format="json")
        assert reponse.status_code == 400
        assert reponse.json() == {
            "non_field_errors": ["La déclaration est décidée : la messagerie est en lecture seule."]
        }
        assert client.get(_url("messages/")(mi)).json()["count"] == 2


def test_reponse_dans_le_fil_et_courriel_a_l_autre_partie(api, mi, mailoutbox, django_capture_on_commit_callbacks):
    question = Message.objects.create(declaration=mi.declaration, auteur=mi.d.instructeur_42, texte="Qui anime ?")
    with django_capture_on_commit_callbacks(execute=True):
        reponse = api.en(mi.d.referent_a).post(
            _url("messages/")(mi), {"texte": "Le centre social.", "parent": question.pk}, format="json"
        )
    assert reponse.status_code == 201, reponse.json()
    assert reponse.json()["parent"] == question.pk and reponse.json()["du_collectif"] is True
    assert [m.to for m in mailoutbox] == [[mi.d.instructeur_42.email]]


@pytest.mark.parametrize(
    "accompagnateur",
    [
        lambda mi: Accompagnateur.objects.create(departement_id="69", prenom="Ali", nom="Rhône").pk,
        lambda mi: Accompagnateur.objects.create(departement_id="42", prenom="Eva", nom="Inactive", actif=False).pk,
        lambda mi: 999999,
    ],
    ids=["autre-departement", "inactif", "inexistant"],
)
def test_accompagnateur_hors_registre_refuse(api, mi, accompagnateur):
    corps = {"accompagnateur": accompagnateur(mi)}
    reponse = api.en(mi.d.instructeur_42).post(_url("accompagnateur/")(mi), corps, format="json")
    assert reponse.status_code == 400
    assert reponse.json() == {
        "accompagnateur": ["Choisissez un·e accompagnateur·rice actif·ve du registre du département."]
    }
    assert _accompagnement(mi) == mi.accompagnatrice


def test_une_nouvelle_affectation_met_fin_a_la_precedente(api, mi):
    corps = {"accompagnateur": mi.accompagnateur_libre.pk}
    assert api.en(mi.d.instructeur_42).post(_url("accompagnateur/")(mi), corps, format="json").status_code == 201
    anciennes = AffectationAccompagnateur.objects.filter(collectif=mi.d.collectif_a, fin__isnull=False)
    assert [a.accompagnateur for a in anciennes] == [mi.accompagnatrice]
    # The former accompagnateur no longer sees the declaration (R10).
    assert api.en(mi.utilisateur("accompagnateur")).get(_url("")(mi)).status_code == 404


# --- constant queries -----------------------------------------------------------------------------

TAILLES = [3, 40]


def _messages(mi: MondeInstruction, n: int) -> tuple[str, Any]:
    precedent = None
    for i in range(n):
        auteur = mi.d.referent_a if i % 2 else mi.d.instructeur_42
        precedent = Message.objects.create(declaration=mi.declaration, auteur=auteur, parent=precedent, texte=f"n°{i}")
    return _url("messages/")(mi), mi.d.referent_a


def _complements(mi: MondeInstruction, n: int) -> tuple[str, Any]:
    for i in range(n):
        demande = DemandeComplements.objects.create(
            declaration=mi.declaration,
            message=f"Pièce n°{i}",
            echeance=datetime.date(2027, 1, 1),
            demandee_par=mi.d.instructeur_42,
            reponse="Jointe." if i % 2 else "",
            repondue_par=mi.d.referent_a if i % 2 else None,
            repondue_le=timezone.now() if i % 2 else None,
        )
        document_de_test(demande, TypeDocument.DEMANDE_COMPLEMENTS, 10 + i)
    return _url("complements/")(mi), mi.d.referent_a


def _documents(mi: MondeInstruction, n: int) -> tuple[str, Any]:
    for i in range(n - 1):  # plus the récépissé
        demande = DemandeComplements.objects.create(
            declaration=mi.declaration,
            message="…",
            echeance=datetime.date(2027, 1, 1),
            demandee_par=mi.d.instructeur_42,
        )
        document_de_test(demande, TypeDocument.DEMANDE_COMPLEMENTS, 10 + i)
    return _url("documents/")(mi), mi.utilisateur("accompagnateur")


def _financements(mi: MondeInstruction, n: int) -> tuple[str, Any]:
    institution = mi.d.collectif_a.institutions_origine.first()
    for _ in range(n):
        collectif = CollectifFactory(institutions=[institution, OrganisationFactory()])
        DeclarationFactory(collectif=collectif, campagne=mi.monde.campagne_close, agreee=True)
    point_de_test(mi, mi.declaration)  # the instance's members see it once it is on an agenda
    return _url("financements-anterieurs/")(mi), mi.utilisateur("membre_instance")


# (name, builder, queries): session + user, the declaration and its indicators, the predicate(s), then what
# the list itself needs (count + page, then one query per related set).
# complements and documents check can_voir_echanges_instruction (the instance's members do not see the requests
# for more): up to three predicate queries, whatever the size.
LISTES = [
    ("messages", _messages, 8),
    ("complements", _complements, 8),
    ("documents", _documents, 9),
    ("financements", _financements, 9),
]


@pytest.mark.parametrize("taille", TAILLES)
@pytest.mark.parametrize(("nom", "construire_liste", "requetes"), LISTES, ids=[cas[0] for cas in LISTES])
def test_nombre_de_requetes_constant(api, mi, django_assert_num_queries, nom, construire_liste, requetes, taille):
    url, user = construire_liste(mi, taille)
    client = api.en(user)
    with django_assert_num_queries(requetes):
        reponse = client.get(url)
    assert reponse.status_code == 200
    corps = reponse.json()
    assert corps["count"] == len(corps["results"]) == taille


# --- the journey ----------------------------------------------------------------------------------


@pytest.mark.pdf
def test_parcours_des_complements_jusqu_a_la_recevabilite(api, mi, mailoutbox, django_capture_on_commit_callbacks):
    instructeur, referent = api.en(mi.d.instructeur_42), client_de(mi.d.referent_a)
    declaration_url = _url("")(mi)

    reponse = instructeur.post(_url("instruire/")(mi), format="json")
    assert reponse.json()["etat"] == "en_instruction"
    assert reponse.json()["echeance_instruction"] is not None

    with django_capture_on_commit_callbacks(execute=True):
        reponse = instructeur.post(
            _url("complements/")(mi), {"message": "Joignez la liste des habitant·es impliqué·es."}, format="json"
        )
    assert reponse.status_code == 201, reponse.json()
    numero = reponse.json()["document"]["numero"]
    assert [m.to for m in mailoutbox] == [[mi.d.referent_a.email]]

    # The collectif sees the request, its PDF among the declaration's documents, and answers.
    assert referent.get(declaration_url).json()["etat"] == "a_completer"
    demandes = referent.get(_url("complements/")(mi)).json()["results"]
    assert [d["message"] for d in demandes] == ["Joignez la liste des habitant·es impliqué·es."]
    documents = referent.get(_url("documents/")(mi)).json()["results"]
    assert [d["numero"] for d in documents] == [mi.monde.recepisse_a.numero, numero]
    pdf = referent.get(documents[1]["url"])
    texte = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(corps_pdf(pdf))).pages)
    assert "Joignez la liste des habitant·es impliqué·es." in " ".join(texte.split())
    assert numero in texte

    reponse = referent.post(_url("repondre/")(mi), {"reponse": "La liste est en annexe."}, format="json")
    assert reponse.status_code == 200, reponse.json()
    assert reponse.json()["etat"] == "en_instruction"

    reponse = instructeur.post(_url("recevable/")(mi), format="json")
    assert reponse.status_code == 200, reponse.json()
    assert reponse.json()["etat"] == "recevable"

    journal = TransitionLog.objects.filter(object_id=mi.declaration.pk, champ="etat").order_by("pk")
    assert [(t.source, t.cible, t.acteur) for t in journal] == [
        ("deposee", "en_instruction", mi.d.instructeur_42),
        ("en_instruction", "a_completer", mi.d.instructeur_42),
        ("a_completer", "en_instruction", mi.d.referent_a),
        ("en_instruction", "recevable", mi.d.instructeur_42),
    ]
