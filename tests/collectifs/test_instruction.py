"""R4 Instruction: taking a filed declaration into instruction, the demande de compléments (deadline,
numbered PDF, e-mail), the collectif's answer (R1/R2 checked again), recevabilité, the classement sans
suite only after the deadline, the message thread (read-only once decided), and R10: the accompagnateur
comes from the département's registry."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from collectifs.enums import College, EtatDeclaration
from collectifs.models import Charte, Declaration, DemandeComplements, Message
from collectifs.services import (
    complements_demander,
    complements_repondre,
    declaration_classer_sans_suite,
    declaration_declarer_recevable,
    declaration_instruire,
    message_envoyer,
)
from documents.enums import TypeDocument
from documents.selectors import documents_de
from documents.services import document_lire
from instances.models import Accompagnateur, AffectationAccompagnateur
from instances.services import accompagnateur_affecter
from journal.fsm import TransitionInterdite, historique
from territoires.models import Departement
from tests.collectifs.factories import DeclarationFactory
from tests.documents.pdf import texte_pdf

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
E = EtatDeclaration

# Who may act on collectif A's declaration, by role of the shared `distribution` fixture.
ROLES = ["anonyme", "referent_a", "referent_b", "instructeur_42", "instructeur_autre", "national"]


def _acteur(distribution, role):
    return AnonymousUser() if role == "anonyme" else distribution.utilisateur(role)


def _declaration(distribution, etat: str = E.DEPOSEE, **valeurs) -> Declaration:
    """Collectif A's complete declaration (R1/R2 hold), filed in the Loire 2027 campaign, in state `etat`."""
    return DeclarationFactory(
        collectif=distribution.collectif_a,
        campagne=distribution.campagne,
        prete=True,
        etat=etat,
        deposee_le=timezone.now(),
        **valeurs,
    )


def _etat(declaration: Declaration) -> str:
    return Declaration.objects.get(pk=declaration.pk).etat


def _journal(declaration: Declaration) -> list[tuple[str, str, str]]:
    return [(j.transition, j.source, j.cible) for j in historique(declaration)]


def _retirer_un_habitant(declaration: Declaration) -> None:
    """R1 no longer holds: one of the two inhabitants left the collectif yesterday."""
    habitant = declaration.collectif.membres.filter(college=College.HABITANT).first()
    habitant.date_debut = timezone.localdate() - datetime.timedelta(days=30)
    habitant.date_fin = timezone.localdate() - datetime.timedelta(days=1)
    habitant.save(update_fields=["date_debut", "date_fin"])


MESSAGE_R1 = "Il manque 1 représentant·e d'habitants ou d'usagers."


# --- Taking into instruction. ---


def test_l_instructeur_prend_la_declaration_en_instruction(distribution):
    declaration = _declaration(distribution)

    declaration_instruire(acteur=distribution.instructeur_42, declaration=declaration)

    assert _etat(declaration) == E.EN_INSTRUCTION
    assert [(j.transition, j.acteur) for j in historique(declaration)] == [("instruire", distribution.instructeur_42)]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "instructeur_42"])
def test_seuls_les_instructeurs_du_departement_instruisent(distribution, role):
    declaration = _declaration(distribution)

    with pytest.raises(PermissionDenied):
        declaration_instruire(acteur=_acteur(distribution, role), declaration=declaration)

    assert _etat(declaration) == E.DEPOSEE


# --- Demande de compléments. ---


@pytest.mark.parametrize(
    ("delai_campagne", "echeance_donnee", "echeance_attendue", "en_toutes_lettres"),
    [
        pytest.param(30, None, datetime.date(2027, 4, 14), "14 avril 2027", id="defaut-30-jours"),
        pytest.param(45, None, datetime.date(2027, 4, 29), "29 avril 2027", id="delai-de-la-campagne"),
        pytest.param(30, datetime.date(2027, 3, 22), datetime.date(2027, 3, 22), "22 mars 2027", id="echeance-choisie"),
    ],
)
def test_la_demande_de_complements_a_une_echeance(
    distribution,
    django_capture_on_commit_callbacks,
    mailoutbox,
    delai_campagne,
    echeance_donnee,
    echeance_attendue,
    en_toutes_lettres,
):
    type(distribution.campagne).objects.filter(pk=distribution.campagne.pk).update(
        delai_complements_jours=delai_campagne
    )
    distribution.campagne.refresh_from_db()
    with time_machine.travel(datetime.datetime(2027, 3, 15, 9, 30, tzinfo=PARIS), tick=False):
        declaration = _declaration(distribution, E.EN_INSTRUCTION)
        with django_capture_on_commit_callbacks(execute=True):
            demande = complements_demander(
                acteur=distribution.instructeur_42,
                declaration=declaration,
                message="Merci de joindre le compte rendu de la dernière réunion du collectif.",
                echeance=echeance_donnee,
            )

    assert demande.echeance == echeance_attendue
    assert (demande.declaration, demande.demandee_par, demande.repondue_le) == (
        declaration,
        distribution.instructeur_42,
        None,
    )
    assert _etat(declaration) == E.A_COMPLETER
    assert _journal(declaration) == [("demander_complements", E.EN_INSTRUCTION, E.A_COMPLETER)]
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (
            [distribution.referent_a.email],
            f"Compléments demandés pour la déclaration de {distribution.collectif_a.nom}",
        )
    ]
    assert "Merci de joindre le compte rendu" in mailoutbox[0].body
    assert f"Merci de répondre avant le {en_toutes_lettres}, depuis la page de la déclaration" in mailoutbox[0].body


@pytest.mark.pdf
def test_la_demande_de_complements_emet_un_pdf_numerote(distribution):
    declaration = _declaration(distribution, E.EN_INSTRUCTION)
    premiere = complements_demander(
        acteur=distribution.instructeur_42,
        declaration=declaration,
        message="Précisez le rôle de la mairie.",
        echeance=timezone.localdate() + datetime.timedelta(days=20),
    )
    complements_repondre(acteur=distribution.referent_a, declaration=declaration, reponse="La mairie prête la salle.")
    seconde = complements_demander(
        acteur=distribution.instructeur_42, declaration=declaration, message="Et le centre social ?"
    )

    documents = [documents_de(d, TypeDocument.DEMANDE_COMPLEMENTS).get() for d in (premiere, seconde)]
    assert [d.numero for d in documents] == ["DEM-42-2027-00001", "DEM-42-2027-00002"]
    texte = texte_pdf(document_lire(documents[0]))
    assert "DEM-42-2027-00001" in texte
    assert "Précisez le rôle de la mairie." in texte
    assert distribution.collectif_a.nom in texte


def test_une_declaration_deposee_passe_en_instruction_avant_la_demande(distribution):
    declaration = _declaration(distribution, E.DEPOSEE)

    complements_demander(acteur=distribution.instructeur_42, declaration=declaration, message="Précisez le projet.")

    assert _journal(declaration) == [
        ("instruire", E.DEPOSEE, E.EN_INSTRUCTION),
        ("demander_complements", E.EN_INSTRUCTION, E.A_COMPLETER),
    ]


@pytest.mark.parametrize(
    ("message", "decalage", "erreurs"),
    [
        pytest.param("  ", 10, {"message": ["Dites au collectif ce qui manque."]}, id="message-vide"),
        pytest.param(
            "Précisez.", 0, {"echeance": ["L'échéance doit être postérieure à aujourd'hui."]}, id="echeance-aujourdhui"
        ),
        pytest.param(
            "Précisez.", -1, {"echeance": ["L'échéance doit être postérieure à aujourd'hui."]}, id="echeance-passee"
        ),
    ],
)
def test_la_demande_de_complements_est_validee(distribution, message, decalage, erreurs):
    declaration = _declaration(distribution, E.EN_INSTRUCTION)

    with pytest.raises(ValidationError) as erreur:
        complements_demander(
            acteur=distribution.instructeur_42,
            declaration=declaration,
            message=message,
            echeance=timezone.localdate() + datetime.timedelta(days=decalage),
        )

    assert erreur.value.message_dict == erreurs
    assert _etat(declaration) == E.EN_INSTRUCTION
    assert not DemandeComplements.objects.exists()


@pytest.mark.parametrize("role", [r for r in ROLES if r != "instructeur_42"])
def test_seuls_les_instructeurs_du_departement_demandent_des_complements(distribution, role):
    declaration = _declaration(distribution, E.EN_INSTRUCTION)

    with pytest.raises(PermissionDenied):
        complements_demander(acteur=_acteur(distribution, role), declaration=declaration, message="Précisez.")

    assert not DemandeComplements.objects.exists()


# --- The collectif's answer. ---


@pytest.fixture
def a_completer(distribution):
    declaration = _declaration(distribution, E.EN_INSTRUCTION)
    complements_demander(
        acteur=distribution.instructeur_42, declaration=declaration, message="Joignez la liste des habitant·es."
    )
    return declaration


def test_la_reponse_relance_l_instruction(distribution, a_completer, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        complements_repondre(
            acteur=distribution.referent_a, declaration=a_completer, reponse="  Voici la liste, à jour.  "
        )

    demande = a_completer.demandes_complements.get()
    assert (demande.reponse, demande.repondue_par) == ("Voici la liste, à jour.", distribution.referent_a)
    assert demande.repondue_le is not None
    assert _etat(a_completer) == E.EN_INSTRUCTION
    assert _journal(a_completer)[-1] == ("completer", E.A_COMPLETER, E.EN_INSTRUCTION)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        ([distribution.instructeur_42.email], f"Réponse aux compléments : {distribution.collectif_a.nom}")
    ]


def test_la_reponse_est_refusee_quand_r1_ne_tient_plus(distribution, a_completer):
    _retirer_un_habitant(a_completer)

    with pytest.raises(ValidationError) as erreur:
        complements_repondre(acteur=distribution.referent_a, declaration=a_completer, reponse="Voici la liste.")

    assert erreur.value.message_dict == {"membres": [MESSAGE_R1]}
    assert _etat(a_completer) == E.A_COMPLETER
    assert a_completer.demandes_complements.get().repondue_le is None


def test_la_reponse_est_refusee_quand_la_charte_a_change(distribution, a_completer):
    Charte.objects.create(version=Charte.objects.order_by("-version").first().version + 1, titre="Charte", texte="…")

    with pytest.raises(ValidationError) as erreur:
        complements_repondre(acteur=distribution.referent_a, declaration=a_completer, reponse="Voici la liste.")

    assert list(erreur.value.message_dict) == ["adhesion_charte"]
    assert _etat(a_completer) == E.A_COMPLETER


def test_une_reponse_vide_est_refusee(distribution, a_completer):
    with pytest.raises(ValidationError) as erreur:
        complements_repondre(acteur=distribution.referent_a, declaration=a_completer, reponse=" ")

    assert erreur.value.message_dict == {"reponse": ["Écrivez votre réponse à la demande."]}
    assert _etat(a_completer) == E.A_COMPLETER


def test_sans_demande_en_attente_pas_de_reponse(distribution):
    declaration = _declaration(distribution, E.EN_INSTRUCTION)

    with pytest.raises(ValidationError) as erreur:
        complements_repondre(acteur=distribution.referent_a, declaration=declaration, reponse="Voici.")

    assert erreur.value.messages == ["Aucune demande de compléments n'attend de réponse."]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "referent_a"])
def test_seuls_les_referents_du_collectif_repondent(distribution, a_completer, role):
    with pytest.raises(PermissionDenied):
        complements_repondre(acteur=_acteur(distribution, role), declaration=a_completer, reponse="Voici.")

    assert _etat(a_completer) == E.A_COMPLETER


# --- Recevabilité. ---


@pytest.mark.parametrize(
    ("etat", "journal"),
    [
        pytest.param(
            E.EN_INSTRUCTION, [("declarer_recevable", E.EN_INSTRUCTION, E.RECEVABLE)], id="depuis-l-instruction"
        ),
        pytest.param(
            E.DEPOSEE,
            [("instruire", E.DEPOSEE, E.EN_INSTRUCTION), ("declarer_recevable", E.EN_INSTRUCTION, E.RECEVABLE)],
            id="depuis-le-depot",
        ),
    ],
)
def test_la_declaration_est_declaree_recevable(distribution, etat, journal):
    declaration = _declaration(distribution, etat)

    declaration_declarer_recevable(acteur=distribution.instructeur_42, declaration=declaration)

    assert _etat(declaration) == E.RECEVABLE
    assert _journal(declaration) == journal


@pytest.mark.parametrize(
    ("casser", "erreurs"),
    [
        pytest.param(_retirer_un_habitant, {"membres": [MESSAGE_R1]}, id="composition-r1"),
        pytest.param(
            lambda d: Declaration.objects.filter(pk=d.pk).update(additionnalite=""),
            {"additionnalite": ["Dites ce qui n'existerait pas sans le collectif."]},
            id="additionnalite-r2",
        ),
        pytest.param(
            lambda d: d.collectif.institutions_origine.clear(),
            {"institutions_origine": ["Nommez au moins une institution d'origine du collectif."]},
            id="institutions-r2",
        ),
    ],
)
def test_la_recevabilite_est_refusee_quand_r1_ou_r2_echoue(distribution, casser, erreurs):
    declaration = _declaration(distribution, E.EN_INSTRUCTION)
    casser(declaration)

    with pytest.raises(ValidationError) as erreur:
        declaration_declarer_recevable(acteur=distribution.instructeur_42, declaration=declaration)

    assert erreur.value.message_dict == erreurs
    assert _etat(declaration) == E.EN_INSTRUCTION
    assert _journal(declaration) == []


@pytest.mark.parametrize("etat", [E.A_COMPLETER, E.RECEVABLE, E.AGREEE, E.RETIREE])
def test_la_recevabilite_n_est_possible_qu_en_instruction(distribution, etat):
    declaration = _declaration(distribution, etat)

    with pytest.raises(TransitionInterdite):
        declaration_declarer_recevable(acteur=distribution.instructeur_42, declaration=declaration)

    assert _etat(declaration) == etat


@pytest.mark.parametrize("role", [r for r in ROLES if r != "instructeur_42"])
def test_seuls_les_instructeurs_du_departement_declarent_recevable(distribution, role):
    declaration = _declaration(distribution, E.EN_INSTRUCTION)

    with pytest.raises(PermissionDenied):
        declaration_declarer_recevable(acteur=_acteur(distribution, role), declaration=declaration)

    assert _etat(declaration) == E.EN_INSTRUCTION


# --- Classement sans suite: only once the request for more has expired (time-machine). ---


@pytest.fixture
def demande_du_15_mars(distribution):
    """A request for more sent on 15 March 2027, to answer by 14 April 2027 (30 days)."""
    with time_machine.travel(datetime.datetime(2027, 3, 15, 9, 0, tzinfo=PARIS), tick=False):
        declaration = _declaration(distribution, E.EN_INSTRUCTION)
        demande = complements_demander(
            acteur=distribution.instructeur_42, declaration=declaration, message="Joignez le budget."
        )
    assert demande.echeance == datetime.date(2027, 4, 14)
    return declaration


@pytest.mark.parametrize(
    "quand",
    [
        pytest.param(datetime.datetime(2027, 3, 16, 9, 0, tzinfo=PARIS), id="le-lendemain"),
        pytest.param(datetime.datetime(2027, 4, 14, 23, 59, tzinfo=PARIS), id="le-dernier-jour-a-23h59"),
    ],
)
def test_le_classement_sans_suite_est_refuse_avant_l_echeance(distribution, demande_du_15_mars, quand):
    with time_machine.travel(quand, tick=False), pytest.raises(ValidationError) as erreur:
        declaration_classer_sans_suite(
            acteur=distribution.instructeur_42, declaration=demande_du_15_mars, motifs="Pas de réponse."
        )

    assert erreur.value.messages == [
        "Le collectif peut encore répondre jusqu'au 14 avril 2027 : "
        "le classement sans suite n'est possible qu'après cette date."
    ]
    assert _etat(demande_du_15_mars) == E.A_COMPLETER


@pytest.mark.parametrize(
    "quand",
    [
        pytest.param(datetime.datetime(2027, 4, 15, 0, 1, tzinfo=PARIS), id="le-lendemain-de-l-echeance"),
        pytest.param(datetime.datetime(2027, 9, 1, 10, 0, tzinfo=PARIS), id="des-mois-apres"),
    ],
)
def test_le_classement_sans_suite_est_possible_apres_l_echeance(distribution, demande_du_15_mars, quand):
    with time_machine.travel(quand, tick=False):
        declaration_classer_sans_suite(
            acteur=distribution.instructeur_42,
            declaration=demande_du_15_mars,
            motifs="  Aucune réponse à la demande du 15 mars.  ",
        )

    declaration = Declaration.objects.get(pk=demande_du_15_mars.pk)
    assert (declaration.etat, declaration.motifs_classement) == (
        E.CLASSEE_SANS_SUITE,
        "Aucune réponse à la demande du 15 mars.",
    )
    journal = historique(declaration).last()
    assert (journal.transition, journal.commentaire, journal.acteur) == (
        "classer_sans_suite",
        "Aucune réponse à la demande du 15 mars.",
        distribution.instructeur_42,
    )


def test_le_classement_sans_suite_exige_des_motifs(distribution, demande_du_15_mars):
    with (
        time_machine.travel(datetime.datetime(2027, 5, 1, 10, 0, tzinfo=PARIS), tick=False),
        pytest.raises(ValidationError) as erreur,
    ):
        declaration_classer_sans_suite(acteur=distribution.instructeur_42, declaration=demande_du_15_mars, motifs="")

    assert erreur.value.message_dict == {"motifs": ["Indiquez les motifs du classement sans suite."]}
    assert _etat(demande_du_15_mars) == E.A_COMPLETER


def test_une_demande_repondue_n_ouvre_pas_le_classement(distribution, demande_du_15_mars):
    with time_machine.travel(datetime.datetime(2027, 4, 1, 10, 0, tzinfo=PARIS), tick=False):
        complements_repondre(acteur=distribution.referent_a, declaration=demande_du_15_mars, reponse="Le budget.")
    with (
        time_machine.travel(datetime.datetime(2027, 5, 1, 10, 0, tzinfo=PARIS), tick=False),
        pytest.raises(ValidationError) as erreur,
    ):
        declaration_classer_sans_suite(
            acteur=distribution.instructeur_42, declaration=demande_du_15_mars, motifs="Pas de réponse."
        )

    assert erreur.value.messages == ["Seule une déclaration en attente de compléments peut être classée sans suite."]
    assert _etat(demande_du_15_mars) == E.EN_INSTRUCTION


@pytest.mark.parametrize("role", [r for r in ROLES if r != "instructeur_42"])
def test_seuls_les_instructeurs_du_departement_classent_sans_suite(distribution, demande_du_15_mars, role):
    with (
        time_machine.travel(datetime.datetime(2027, 5, 1, 10, 0, tzinfo=PARIS), tick=False),
        pytest.raises(PermissionDenied),
    ):
        declaration_classer_sans_suite(
            acteur=_acteur(distribution, role), declaration=demande_du_15_mars, motifs="Pas de réponse."
        )

    assert _etat(demande_du_15_mars) == E.A_COMPLETER


# --- Messages: between the collectif and its département's instructeurs; read-only once decided. ---


@pytest.mark.parametrize(
    ("auteur", "destinataire"),
    [
        pytest.param("referent_a", "instructeur_42", id="du-collectif-aux-instructeurs"),
        pytest.param("instructeur_42", "referent_a", id="des-instructeurs-au-collectif"),
    ],
)
def test_un_message_est_fil_et_notifie_a_l_autre_partie(
    distribution, django_capture_on_commit_callbacks, mailoutbox, auteur, destinataire
):
    declaration = _declaration(distribution, E.EN_INSTRUCTION)
    premier = message_envoyer(
        acteur=distribution.instructeur_42, declaration=declaration, texte="Pouvez-vous préciser le lieu ?"
    )
    with django_capture_on_commit_callbacks(execute=True):
        reponse = message_envoyer(
            acteur=distribution.utilisateur(auteur),
            declaration=declaration,
            texte=" La salle Jules-Vallès. ",
            parent=premier,
        )

    assert (reponse.texte, reponse.parent, reponse.auteur) == (
        "La salle Jules-Vallès.",
        premier,
        distribution.utilisateur(auteur),
    )
    assert list(premier.reponses.all()) == [reponse]
    assert [m.to for m in mailoutbox] == [[distribution.utilisateur(destinataire).email]]


@pytest.mark.parametrize("etat", [E.AGREEE, E.REFUSEE, E.EN_ATTENTE, E.RETIREE, E.CLASSEE_SANS_SUITE])
@pytest.mark.parametrize("auteur", ["referent_a", "instructeur_42"])
def test_la_messagerie_est_en_lecture_seule_une_fois_decidee(distribution, etat, auteur):
    declaration = _declaration(distribution, etat)

    with pytest.raises(ValidationError) as erreur:
        message_envoyer(acteur=distribution.utilisateur(auteur), declaration=declaration, texte="Encore une question.")

    assert erreur.value.messages == ["La déclaration est décidée : la messagerie est en lecture seule."]
    assert not Message.objects.exists()


@pytest.mark.parametrize("etat", [E.DEPOSEE, E.EN_INSTRUCTION, E.A_COMPLETER, E.RECEVABLE, E.INSCRITE_EN_SEANCE])
def test_la_messagerie_reste_ouverte_tant_que_rien_n_est_decide(distribution, etat):
    declaration = _declaration(distribution, etat)

    message_envoyer(acteur=distribution.referent_a, declaration=declaration, texte="Une question.")

    assert Message.objects.filter(declaration=declaration).count() == 1


@pytest.mark.parametrize("role", ["anonyme", "referent_b", "instructeur_autre", "national"])
def test_seuls_le_collectif_et_les_instructeurs_du_departement_ecrivent(distribution, role):
    declaration = _declaration(distribution, E.EN_INSTRUCTION)

    with pytest.raises(PermissionDenied):
        message_envoyer(acteur=_acteur(distribution, role), declaration=declaration, texte="Bonjour.")

    assert not Message.objects.exists()


def test_un_message_ne_repond_pas_a_un_autre_fil(distribution):
    declaration = _declaration(distribution, E.EN_INSTRUCTION)
    autre = DeclarationFactory(collectif=distribution.collectif_b, campagne=distribution.campagne, en_instruction=True)
    ailleurs = message_envoyer(acteur=distribution.instructeur_42, declaration=autre, texte="Bonjour B.")

    with pytest.raises(ValidationError) as erreur:
        message_envoyer(acteur=distribution.referent_a, declaration=declaration, texte="Réponse.", parent=ailleurs)

    assert erreur.value.message_dict == {"parent": ["Ce message ne fait pas partie de cette déclaration."]}


# --- R10: the accompagnateur comes from the département's registry; a new assignment ends the previous one. ---


def _accompagnateur(code: str, nom: str, *, actif: bool = True) -> Accompagnateur:
    return Accompagnateur.objects.create(
        departement=Departement.objects.get(code=code),
        prenom="Lucie",
        nom=nom,
        structure="Fédération des centres sociaux",
        actif=actif,
    )


def test_l_accompagnateur_est_affecte_et_remplace_le_precedent(distribution):
    premier, second = _accompagnateur("42", "Besson"), _accompagnateur("42", "Thivel")
    with time_machine.travel(datetime.datetime(2027, 6, 1, 10, 0, tzinfo=PARIS), tick=False):
        ancienne = accompagnateur_affecter(
            acteur=distribution.instructeur_42, collectif=distribution.collectif_a, accompagnateur=premier
        )
    with time_machine.travel(datetime.datetime(2027, 9, 1, 10, 0, tzinfo=PARIS), tick=False):
        nouvelle = accompagnateur_affecter(
            acteur=distribution.instructeur_42, collectif=distribution.collectif_a, accompagnateur=second
        )

    ancienne.refresh_from_db()
    assert ancienne.fin == nouvelle.affecte_le == datetime.datetime(2027, 9, 1, 10, 0, tzinfo=PARIS)
    assert (nouvelle.accompagnateur, nouvelle.affecte_par, nouvelle.fin) == (second, distribution.instructeur_42, None)
    en_cours = AffectationAccompagnateur.objects.filter(collectif=distribution.collectif_a, fin__isnull=True)
    assert list(en_cours) == [nouvelle]


@pytest.mark.parametrize(
    ("departement", "actif"),
    [pytest.param("69", True, id="registre-d-un-autre-departement"), pytest.param("42", False, id="inactif")],
)
def test_l_accompagnateur_doit_etre_actif_et_du_registre_du_departement(distribution, departement, actif):
    accompagnateur = _accompagnateur(departement, "Perret", actif=actif)

    with pytest.raises(ValidationError) as erreur:
        accompagnateur_affecter(
            acteur=distribution.instructeur_42, collectif=distribution.collectif_a, accompagnateur=accompagnateur
        )

    assert erreur.value.message_dict == {
        "accompagnateur": ["Choisissez un·e accompagnateur·rice actif·ve du registre du département."]
    }
    assert not AffectationAccompagnateur.objects.exists()


@pytest.mark.parametrize("role", [r for r in ROLES if r != "instructeur_42"])
def test_seuls_les_instructeurs_du_departement_affectent_un_accompagnateur(distribution, role):
    accompagnateur = _accompagnateur("42", "Besson")

    with pytest.raises(PermissionDenied):
        accompagnateur_affecter(
            acteur=_acteur(distribution, role), collectif=distribution.collectif_a, accompagnateur=accompagnateur
        )

    assert not AffectationAccompagnateur.objects.exists()
