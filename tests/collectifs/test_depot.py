"""R2 Filing (auto-proclamation): each precondition refused alone, the filing itself, withdrawal, and the
draft's own rules (members' consent, organisation identifiers, indicators, référent invitations)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from collectifs.enums import College, EtatDeclaration, NatureIndicateur
from collectifs.models import Charte, Declaration, Membre
from collectifs.selectors import charte_courante
from collectifs.services import (
    DonneesIndicateur,
    DonneesMembre,
    DonneesOrganisation,
    charte_accepter,
    conditions_de_depot,
    declaration_deposer,
    declaration_enregistrer,
    declaration_retirer,
    indicateurs_enregistrer,
    invitation_accepter,
    membre_ajouter,
    referent_inviter,
)
from documents.enums import TypeDocument
from documents.models import Document
from journal.fsm import TransitionInterdite, historique
from tests.comptes.factories import InstructeurFactory, UserFactory

MOIS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


def _date_fr(jour: datetime.date) -> str:
    return f"{jour.day} {MOIS[jour.month - 1]} {jour.year}"


def _jour(decalage: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=decalage)


def _deposer(declaration, acteur):
    return declaration_deposer(acteur=acteur, declaration=declaration)


# --- Each precondition, broken alone on a declaration that is otherwise ready. ---


def _campagne_en_preparation(declaration, campagne):
    Campagne.objects.filter(pk=campagne.pk).update(etat=EtatCampagne.PREPARATION)
    return (
        "campagne",
        "Aucune campagne 2027 n'est ouverte dans le département Loire (42) : le dépôt n'est pas possible.",
    )


def _campagne_close(declaration, campagne):
    Campagne.objects.filter(pk=campagne.pk).update(etat=EtatCampagne.CLOSE)
    return (
        "campagne",
        "Aucune campagne 2027 n'est ouverte dans le département Loire (42) : le dépôt n'est pas possible.",
    )


def _pas_de_campagne(declaration, campagne):
    Declaration.objects.filter(campagne=campagne).update(campagne=None)
    campagne.delete()
    return "campagne", "Aucune campagne n'est ouverte dans le département Loire (42) : le dépôt n'est pas possible."


def _campagne_d_un_autre_departement_seulement(declaration, campagne):
    Declaration.objects.filter(campagne=campagne).update(campagne=None)
    Campagne.objects.filter(pk=campagne.pk).update(departement="69")
    return "campagne", "Aucune campagne n'est ouverte dans le département Loire (42) : le dépôt n'est pas possible."


def _dates_passees(declaration, campagne):
    ouverture, cloture = _jour(-60), _jour(-1)
    Campagne.objects.filter(pk=campagne.pk).update(date_ouverture=ouverture, date_cloture=cloture)
    return (
        "campagne",
        f"Le dépôt des déclarations de la campagne 2027 est possible du {_date_fr(ouverture)} au {_date_fr(cloture)}.",
    )


def _dates_futures(declaration, campagne):
    ouverture, cloture = _jour(1), _jour(40)
    Campagne.objects.filter(pk=campagne.pk).update(date_ouverture=ouverture, date_cloture=cloture)
    return (
        "campagne",
        f"Le dépôt des déclarations de la campagne 2027 est possible du {_date_fr(ouverture)} au {_date_fr(cloture)}.",
    )


def _charte_non_acceptee(declaration, campagne):
    Declaration.objects.filter(pk=declaration.pk).update(adhesion_charte=None)
    return "adhesion_charte", "La charte des collectifs doit être acceptée."


def _nouvelle_version_de_la_charte(declaration, campagne):
    Charte.objects.create(version=charte_courante().version + 1, titre="Charte des collectifs", texte="Version 2.")
    return "adhesion_charte", "La charte a changé depuis votre acceptation : acceptez la nouvelle version."


def _additionnalite_vide(declaration, campagne):
    Declaration.objects.filter(pk=declaration.pk).update(additionnalite=" \n ")
    return "additionnalite", "Dites ce qui n'existerait pas sans le collectif."


def _dynamique_vide(declaration, campagne):
    Declaration.objects.filter(pk=declaration.pk).update(dynamique_preexistante="")
    return "dynamique_preexistante", "Décrivez la dynamique collaborative qui existe déjà entre vous."


def _sans_institution_d_origine(declaration, campagne):
    declaration.collectif.institutions_origine.clear()
    return "institutions_origine", "Nommez au moins une institution d'origine du collectif."


def _commune_hors_departement(declaration, campagne):
    declaration.collectif.__class__.objects.filter(pk=declaration.collectif_id).update(
        codes_communes="42218, 69123 42095"
    )
    return "codes_communes", "Ces communes ne sont pas dans le département Loire (42) : 69123."


def _un_habitant_parti(declaration, campagne):
    habitant = declaration.collectif.membres.filter(college=College.HABITANT).first()
    Membre.objects.filter(pk=habitant.pk).update(date_debut=_jour(-90), date_fin=_jour(-1))
    return "membres", "Il manque 1 représentant·e d'habitants ou d'usagers."


def _seuil_de_la_campagne_releve(declaration, campagne):
    Campagne.objects.filter(pk=campagne.pk).update(seuil_professionnel=4)
    return "membres", "Il manque 2 professionnel·les."


CONDITIONS = [
    pytest.param(_campagne_en_preparation, id="campagne-en-preparation"),
    pytest.param(_campagne_close, id="campagne-close"),
    pytest.param(_pas_de_campagne, id="aucune-campagne"),
    pytest.param(_campagne_d_un_autre_departement_seulement, id="campagne-d-un-autre-departement"),
    pytest.param(_dates_passees, id="dates-passees"),
    pytest.param(_dates_futures, id="dates-futures"),
    pytest.param(_charte_non_acceptee, id="charte-non-acceptee"),
    pytest.param(_nouvelle_version_de_la_charte, id="charte-ancienne-version"),
    pytest.param(_additionnalite_vide, id="additionnalite-vide"),
    pytest.param(_dynamique_vide, id="dynamique-vide"),
    pytest.param(_sans_institution_d_origine, id="sans-institution-d-origine"),
    pytest.param(_commune_hors_departement, id="commune-hors-departement"),
    pytest.param(_un_habitant_parti, id="composition-incomplete"),
    pytest.param(_seuil_de_la_campagne_releve, id="composition-sous-les-seuils-de-la-campagne"),
]


def test_la_declaration_prete_remplit_toutes_les_conditions(distribution, declaration_prete):
    """The baseline of the table below: nothing is missing, so each case breaks exactly one condition."""
    assert conditions_de_depot(declaration_prete, distribution.campagne) == {}


@pytest.mark.parametrize("casser", CONDITIONS)
def test_chaque_condition_de_depot_est_refusee_seule(distribution, declaration_prete, casser):
    cle, message = casser(declaration_prete, distribution.campagne)
    declaration = Declaration.objects.get(pk=declaration_prete.pk)

    with pytest.raises(ValidationError) as erreur:
        _deposer(declaration, distribution.referent_a)

    assert erreur.value.message_dict == {cle: [message]}
    declaration.refresh_from_db()
    assert declaration.etat == EtatDeclaration.BROUILLON
    assert declaration.deposee_le is None
    assert not historique(declaration).exists()
    assert not Document.objects.exists()
    assert mail.outbox == []


def test_apres_une_nouvelle_charte_l_accepter_a_nouveau_permet_le_depot(distribution, declaration_prete):
    _nouvelle_version_de_la_charte(declaration_prete, distribution.campagne)
    adhesion = charte_accepter(acteur=distribution.referent_a, declaration=declaration_prete)

    assert adhesion.charte == charte_courante()
    assert (adhesion.personne, adhesion.collectif) == (distribution.referent_a, distribution.collectif_a)
    _deposer(declaration_prete, distribution.referent_a)
    declaration_prete.refresh_from_db()
    assert declaration_prete.etat == EtatDeclaration.DEPOSEE


def test_les_conditions_manquantes_sont_toutes_listees(distribution, declaration_prete):
    _charte_non_acceptee(declaration_prete, distribution.campagne)
    _additionnalite_vide(declaration_prete, distribution.campagne)
    _sans_institution_d_origine(declaration_prete, distribution.campagne)

    with pytest.raises(ValidationError) as erreur:
        _deposer(Declaration.objects.get(pk=declaration_prete.pk), distribution.referent_a)

    assert set(erreur.value.message_dict) == {"adhesion_charte", "additionnalite", "institutions_origine"}


# --- The filing itself. ---


def test_depot(distribution, declaration_prete, django_capture_on_commit_callbacks):
    autre_instructrice_42 = InstructeurFactory(user__email="seconde.instructrice.42@exemple.fr", departements=["42"])
    # A draft opened before any campaign existed: filing attaches it to the open campaign.
    Declaration.objects.filter(pk=declaration_prete.pk).update(campagne=None)
    avant = timezone.now()

    with django_capture_on_commit_callbacks(execute=True) as rappels:
        document = _deposer(Declaration.objects.get(pk=declaration_prete.pk), distribution.referent_a)

    declaration = Declaration.objects.get(pk=declaration_prete.pk)
    assert declaration.etat == EtatDeclaration.DEPOSEE
    assert declaration.deposee_le is not None and declaration.deposee_le >= avant
    assert declaration.campagne == distribution.campagne

    journal = list(historique(declaration))
    assert len(journal) == 1
    assert (journal[0].transition, journal[0].source, journal[0].cible) == ("deposer", "brouillon", "deposee")
    assert journal[0].acteur == distribution.referent_a

    assert list(Document.objects.all()) == [document]
    assert document.type == TypeDocument.RECEPISSE
    assert document.numero == "REC-42-2027-00001"
    assert document.objet == declaration
    assert document.emis_par == distribution.referent_a

    # After commit: the récépissé's file is written, the journal's new rows are sealed into the hash chain, the
    # workflow signal is sent, then one e-mail to the Loire's instructeurs only.
    assert len(rappels) == 4
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted(["instructrice.42@exemple.fr", autre_instructrice_42.user.email])
    assert distribution.instructeur_autre.email not in message.to
    assert distribution.national.email not in message.to
    assert message.subject == "Nouvelle déclaration déposée : Collectif A de Montreynaud"


def test_la_notification_part_seulement_apres_le_commit(
    distribution, declaration_prete, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as rappels:
        _deposer(declaration_prete, distribution.referent_a)

    assert mail.outbox == []
    # The récépissé's file (written on commit), the sealing of the journal's new rows, the workflow signal and the
    # notification.
    assert len(rappels) == 4
    for rappel in rappels:
        rappel()
    assert [m.to for m in mail.outbox] == [["instructrice.42@exemple.fr"]]


@pytest.mark.parametrize("role", ["anonyme", "referent_b", "instructeur_42", "instructeur_autre", "national"])
def test_seul_un_referent_du_collectif_depose(distribution, declaration_prete, role):
    acteur = distribution.utilisateur(role) or AnonymousUser()

    with pytest.raises(PermissionDenied):
        _deposer(declaration_prete, acteur)

    declaration_prete.refresh_from_db()
    assert declaration_prete.etat == EtatDeclaration.BROUILLON
    assert not Document.objects.exists()


@pytest.mark.parametrize("role", ["referent_b", "instructeur_42"])
def test_une_personne_sans_droit_n_apprend_rien_des_conditions(distribution, declaration_prete, role):
    """Refused before the conditions are checked: no list of what is missing for someone else's collectif."""
    _additionnalite_vide(declaration_prete, distribution.campagne)

    with pytest.raises(PermissionDenied):
        _deposer(Declaration.objects.get(pk=declaration_prete.pk), distribution.utilisateur(role))


def test_un_second_referent_peut_deposer(distribution, declaration_prete):
    second = UserFactory()
    distribution.collectif_a.referents.add(second)

    _deposer(declaration_prete, second)

    assert historique(declaration_prete).get().acteur == second


def test_deposer_deux_fois_est_refuse(distribution, declaration_prete):
    _deposer(declaration_prete, distribution.referent_a)

    with pytest.raises(ValidationError) as erreur:
        _deposer(declaration_prete, distribution.referent_a)

    assert erreur.value.messages == ["Cette déclaration a déjà été déposée."]
    assert Document.objects.count() == 1
    assert historique(declaration_prete).count() == 1


def test_une_declaration_deposee_ne_se_modifie_plus(distribution, declaration_prete):
    _deposer(declaration_prete, distribution.referent_a)
    declaration = Declaration.objects.get(pk=declaration_prete.pk)
    referent = distribution.referent_a

    with pytest.raises(ValidationError) as erreur:
        declaration_enregistrer(
            acteur=referent, declaration=declaration, dynamique_preexistante="x", projet="y", additionnalite="z"
        )
    assert erreur.value.messages == ["Cette déclaration est déposée : elle ne peut plus être modifiée."]
    with pytest.raises(ValidationError):
        indicateurs_enregistrer(acteur=referent, declaration=declaration, indicateurs=[DonneesIndicateur("Lien")])
    with pytest.raises(ValidationError):
        charte_accepter(acteur=referent, declaration=declaration)

    declaration.refresh_from_db()
    assert declaration.additionnalite == declaration_prete.additionnalite


# --- Withdrawal. ---


@pytest.mark.parametrize("motif", ["", "   \n "])
def test_le_retrait_exige_un_motif(distribution, declaration_prete, motif):
    _deposer(declaration_prete, distribution.referent_a)

    with pytest.raises(ValidationError) as erreur:
        declaration_retirer(acteur=distribution.referent_a, declaration=declaration_prete, motif=motif)

    assert erreur.value.message_dict == {"motif": ["Indiquez le motif du retrait."]}
    declaration_prete.refresh_from_db()
    assert declaration_prete.etat == EtatDeclaration.DEPOSEE


def test_retrait(distribution, declaration_prete):
    _deposer(declaration_prete, distribution.referent_a)

    declaration_retirer(
        acteur=distribution.referent_a, declaration=declaration_prete, motif=" Le collectif se met en pause. "
    )

    declaration = Declaration.objects.get(pk=declaration_prete.pk)
    assert declaration.etat == EtatDeclaration.RETIREE
    assert declaration.motif_retrait == "Le collectif se met en pause."
    retrait = list(historique(declaration))[-1]
    assert (retrait.transition, retrait.source, retrait.cible) == ("retirer", "deposee", "retiree")
    assert retrait.commentaire == "Le collectif se met en pause."
    assert retrait.acteur == distribution.referent_a
    assert historique(declaration).count() == 2
    assert Declaration.objects.filter(pk=declaration.pk).exists()  # nothing is deleted (R19)


def test_un_brouillon_ne_se_retire_pas(distribution, declaration_prete):
    with pytest.raises(TransitionInterdite):
        declaration_retirer(acteur=distribution.referent_a, declaration=declaration_prete, motif="Erreur")

    assert not historique(declaration_prete).exists()


@pytest.mark.parametrize("role", ["referent_b", "instructeur_42", "national"])
def test_seul_un_referent_du_collectif_retire(distribution, declaration_prete, role):
    _deposer(declaration_prete, distribution.referent_a)

    with pytest.raises(PermissionDenied):
        declaration_retirer(acteur=distribution.utilisateur(role), declaration=declaration_prete, motif="Erreur")

    declaration_prete.refresh_from_db()
    assert declaration_prete.etat == EtatDeclaration.DEPOSEE


# --- Members: consent and organisation identifiers. ---

SIRET_VALIDE = "73282932000074"


def _membre(distribution, **valeurs):
    donnees = {"college": College.PROFESSIONNEL, "prenom": "Nadia", "nom": "Haddad", "consentement": True}
    return membre_ajouter(
        acteur=distribution.referent_a, collectif=distribution.collectif_a, donnees=DonneesMembre(**(donnees | valeurs))
    )


def test_un_membre_sans_consentement_est_refuse(distribution):
    with pytest.raises(ValidationError) as erreur:
        _membre(distribution, consentement=False)

    assert erreur.value.message_dict == {
        "consentement": ["Confirmez que la personne a donné son accord pour figurer dans la déclaration du collectif."]
    }
    assert not distribution.collectif_a.membres.exists()


def test_un_habitant_sans_adresse_ni_organisation_est_accepte(distribution):
    membre = _membre(distribution, college=College.HABITANT)

    assert (membre.email, membre.organisation) == ("", None)
    assert membre.saisi_par == distribution.referent_a


@pytest.mark.parametrize("role", ["referent_b", "instructeur_42", "national"])
def test_seul_un_referent_ajoute_des_membres(distribution, role):
    with pytest.raises(PermissionDenied):
        membre_ajouter(
            acteur=distribution.utilisateur(role),
            collectif=distribution.collectif_a,
            donnees=DonneesMembre(college=College.HABITANT, prenom="Nadia", nom="Haddad", consentement=True),
        )


MESSAGE_SIRET = "Ce numéro SIRET n'est pas valide : il doit comporter 14 chiffres et sa clé doit être correcte."
MESSAGE_RNA = "Ce numéro RNA n'est pas valide : il commence par W suivi de 9 caractères (ex. W423001234)."


@pytest.mark.parametrize(
    "siret",
    [
        pytest.param("73282932000075", id="mauvaise-cle"),
        pytest.param("7328293200007", id="13-chiffres"),
        pytest.param("732829320000740", id="15-chiffres"),
        pytest.param("7328293200007A", id="lettre"),
    ],
)
def test_siret_invalide(distribution, siret):
    with pytest.raises(ValidationError) as erreur:
        _membre(distribution, organisation=DonneesOrganisation(nom="CCAS de Saint-Étienne", siret=siret))

    assert erreur.value.message_dict == {"organisation_siret": [MESSAGE_SIRET]}
    assert not distribution.collectif_a.membres.exists()


@pytest.mark.parametrize("siret", [SIRET_VALIDE, "732 829 320 00074"])
def test_siret_valide(distribution, siret):
    membre = _membre(distribution, organisation=DonneesOrganisation(nom="CCAS de Saint-Étienne", siret=siret))

    assert membre.organisation.siret == SIRET_VALIDE


@pytest.mark.parametrize(
    ("rna", "enregistre"),
    [
        pytest.param("W423001234", "W423001234", id="chiffres"),
        pytest.param("w42300123a", "W42300123A", id="minuscules-et-lettre"),
        pytest.param("W 423 001 234", "W423001234", id="espaces"),
        pytest.param("W9A1B2C3D4", "W9A1B2C3D4", id="ancien-numero-avec-lettres"),
    ],
)
def test_rna_accepte_avec_souplesse(distribution, rna, enregistre):
    membre = _membre(
        distribution, college=College.HABITANT, organisation=DonneesOrganisation(nom="Amicale des locataires", rna=rna)
    )

    assert membre.organisation.rna == enregistre


@pytest.mark.parametrize(
    "rna",
    [
        pytest.param("W42300123", id="8-caracteres"),
        pytest.param("W4230012345", id="10-caracteres"),
        pytest.param("X423001234", id="sans-w"),
        pytest.param("423001234", id="chiffres-seuls"),
        pytest.param("W42300123-", id="ponctuation"),
    ],
)
def test_rna_invalide(distribution, rna):
    with pytest.raises(ValidationError) as erreur:
        _membre(
            distribution,
            college=College.HABITANT,
            organisation=DonneesOrganisation(nom="Amicale des locataires", rna=rna),
        )

    assert erreur.value.message_dict == {"organisation_rna": [MESSAGE_RNA]}
    assert not distribution.collectif_a.membres.exists()


def test_une_association_informelle_n_a_pas_besoin_d_identifiant(distribution):
    membre = _membre(
        distribution, college=College.HABITANT, organisation=DonneesOrganisation(nom="Les mamans du square")
    )

    assert (membre.organisation.nom, membre.organisation.siret, membre.organisation.rna) == (
        "Les mamans du square",
        "",
        "",
    )


# --- The collectif's own indicators: at most 5, qualitative first. ---

QUALI, QUANTI = NatureIndicateur.QUALITATIF, NatureIndicateur.QUANTITATIF


def test_au_plus_cinq_indicateurs(distribution, declaration_prete):
    six = [DonneesIndicateur(f"Indicateur {n}") for n in range(6)]

    with pytest.raises(ValidationError) as erreur:
        indicateurs_enregistrer(acteur=distribution.referent_a, declaration=declaration_prete, indicateurs=six)

    assert erreur.value.message_dict == {"indicateurs": ["Un collectif définit au plus 5 indicateurs (6 saisis)."]}
    assert not declaration_prete.indicateurs.exists()


def test_cinq_indicateurs_et_les_lignes_vides_ignorees(distribution, declaration_prete):
    saisis = [DonneesIndicateur(f"Indicateur {n}") for n in range(5)] + [DonneesIndicateur("  ")]

    indicateurs_enregistrer(acteur=distribution.referent_a, declaration=declaration_prete, indicateurs=saisis)

    assert declaration_prete.indicateurs.count() == 5


def test_les_indicateurs_qualitatifs_d_abord(distribution, declaration_prete):
    saisis = [
        DonneesIndicateur("Nombre de repas partagés", nature=QUANTI),
        DonneesIndicateur("Les habitants prennent la parole", nature=QUALI),
        DonneesIndicateur("Nombre de réunions", nature=QUANTI),
        DonneesIndicateur("Confiance entre les institutions", nature=QUALI),
    ]

    indicateurs_enregistrer(acteur=distribution.referent_a, declaration=declaration_prete, indicateurs=saisis)

    assert [(i.libelle, i.nature) for i in declaration_prete.indicateurs.all()] == [
        ("Les habitants prennent la parole", QUALI),
        ("Confiance entre les institutions", QUALI),
        ("Nombre de repas partagés", QUANTI),
        ("Nombre de réunions", QUANTI),
    ]


# --- Référents invited by e-mail. ---


@pytest.fixture
def invitation(distribution, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return referent_inviter(
            acteur=distribution.referent_a, collectif=distribution.collectif_a, email=" Nouvelle.Referente@Exemple.FR "
        )


def test_l_invitation_est_envoyee_par_courriel(invitation):
    assert invitation.email == "nouvelle.referente@exemple.fr"
    assert [m.to for m in mail.outbox] == [["nouvelle.referente@exemple.fr"]]
    assert invitation.jeton in mail.outbox[0].body


def test_invitation_acceptee(distribution, invitation):
    invitee = UserFactory(email="nouvelle.referente@exemple.fr")

    collectif = invitation_accepter(acteur=invitee, invitation=invitation)

    assert collectif == distribution.collectif_a
    assert collectif.referents.filter(pk=invitee.pk).exists()
    invitation.refresh_from_db()
    assert invitation.acceptee_le is not None


def test_invitation_refusee_a_une_autre_adresse(distribution, invitation):
    with pytest.raises(PermissionDenied) as erreur:
        invitation_accepter(acteur=distribution.referent_b, invitation=invitation)

    assert "nouvelle.referente@exemple.fr" in str(erreur.value)
    assert not distribution.collectif_a.referents.filter(pk=distribution.referent_b.pk).exists()
    invitation.refresh_from_db()
    assert invitation.acceptee_le is None


def test_invitation_utilisable_une_seule_fois(distribution, invitation):
    invitee = UserFactory(email="nouvelle.referente@exemple.fr")
    invitation_accepter(acteur=invitee, invitation=invitation)

    with pytest.raises(ValidationError) as erreur:
        invitation_accepter(acteur=invitee, invitation=invitation)

    assert erreur.value.messages == ["Cette invitation a déjà été utilisée."]


def test_inviter_une_personne_deja_referente_est_refuse(distribution):
    with pytest.raises(ValidationError) as erreur:
        referent_inviter(
            acteur=distribution.referent_a, collectif=distribution.collectif_a, email="REFERENTE.A@exemple.fr"
        )

    assert erreur.value.message_dict == {"email": ["Cette personne est déjà référente du collectif."]}


@pytest.mark.parametrize("role", ["referent_b", "instructeur_42", "national"])
def test_seul_un_referent_invite(distribution, role):
    with pytest.raises(PermissionDenied):
        referent_inviter(
            acteur=distribution.utilisateur(role), collectif=distribution.collectif_a, email="quelquun@exemple.fr"
        )

    assert not distribution.collectif_a.invitations.exists()
