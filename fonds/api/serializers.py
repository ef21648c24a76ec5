"""How the fund reads and what its endpoints accept (R3, R7, R8). Money is a decimal string in euros, two
decimals (« 12500.00 »), in and out; rules are the services' (these serializers only check types and shapes)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from collectifs.validators import valider_rna, valider_siret
from core.api import IdentifiantField, IdentifiantRelatedField
from core.api_champs import ChampCode, LibelleChoix
from fonds.enums import Compte, EtatConvention, EtatTranche, GestionFonds, NatureBeneficiaire, NatureFinanceur
from fonds.models import (
    ANNEE_MAX,
    ANNEE_MIN,
    Abondement,
    AccesFinanceur,
    Convention,
    EcritureFonds,
    Enveloppe,
    Financeur,
    Fonds,
    Tranche,
    Versement,
)
from fonds.selectors.parts import Part, PartConvention
from territoires.selectors import departements


def champ_montant(aide: str, **options: Any) -> serializers.DecimalField:
    """An amount in euros: a decimal string with two decimals."""
    return serializers.DecimalField(max_digits=12, decimal_places=2, help_text=aide, **options)


def champ_annee(aide: str = "Année budgétaire.", **options: Any) -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=ANNEE_MIN,
        max_value=ANNEE_MAX,
        help_text=aide,
        error_messages={
            "min_value": f"L'année budgétaire est comprise entre {ANNEE_MIN} et {ANNEE_MAX}.",
            "max_value": f"L'année budgétaire est comprise entre {ANNEE_MIN} et {ANNEE_MAX}.",
        },
        **options,
    )


def champ_departement(aide: str, **options: Any) -> ChampCode:
    return ChampCode(queryset=departements(), label="département", help_text=aide, **options)


def schema_enum(valeurs: list[str]) -> dict[str, Any]:
    """The OpenAPI schema of a set of choices, for a field that gets its own component name."""
    return {"type": "string", "enum": valeurs}


# `etat` and `nature_beneficiaire` already name other choice sets: each of these gets its own schema component, so
# that every name stays unambiguous (as EtatSeanceEnum in instances.api).
@extend_schema_field(schema_enum(EtatConvention.values), component_name="EtatConventionEnum")
class EtatConventionField(serializers.ChoiceField):
    """The state of a convention: active or annulée."""


@extend_schema_field(schema_enum(EtatTranche.values), component_name="EtatTrancheEnum")
class EtatTrancheField(serializers.ChoiceField):
    """The state of a tranche: prévue, exigible, versée or annulée."""


@extend_schema_field(schema_enum(NatureBeneficiaire.values), component_name="NatureBeneficiaireEnum")
class NatureBeneficiaireField(serializers.ChoiceField):
    """Who a convention funds: a collectif, or another kind of beneficiary of R8."""


NATURES_PROJET = [c for c in NatureBeneficiaire.choices if c[0] != NatureBeneficiaire.COLLECTIF]


@extend_schema_field(schema_enum([v for v, _ in NATURES_PROJET]), component_name="NatureProjetEnum")
class NatureProjetField(serializers.ChoiceField):
    """The kind of a project of R8 other than a collectif."""


# --- The fund, its funders and contributions -----------------------------------------------------------------


class FondsSerializer(serializers.ModelSerializer):
    """A fund, as read and as created: managed nationally by default, or by one département (R8)."""

    gestion = serializers.ChoiceField(
        choices=GestionFonds.choices,
        default=GestionFonds.NATIONALE,
        help_text="Gestion nationale (par défaut) ou départementale.",
    )
    gestion_libelle = LibelleChoix(source="get_gestion_display", help_text="En lettres.")
    departement = champ_departement(
        "Code du département qui gère ce fonds (gestion départementale seulement).",
        required=False,
        allow_null=True,
    )

    class Meta:
        model = Fonds
        fields = ["id", "nom", "gestion", "gestion_libelle", "departement", "cree_le"]
        read_only_fields = ["id", "cree_le"]
        extra_kwargs = {
            "nom": {"help_text": "Nom du fonds."},
            "cree_le": {"help_text": "Date et heure de création."},
        }
        # The service checks the name's uniqueness with its own French message.
        validators: list[Any] = []


class FinanceurSerializer(serializers.ModelSerializer):
    """A funder and its kind (SPEC §3)."""

    nature = serializers.ChoiceField(
        choices=NatureFinanceur.choices,
        help_text="État, département, autre collectivité, Union européenne, fondation, mécénat ou particulier.",
    )
    nature_libelle = LibelleChoix(source="get_nature_display", help_text="En lettres.")
    siret = serializers.CharField(
        max_length=20,
        default="",
        allow_blank=True,
        validators=[valider_siret],
        label="SIRET",
        help_text="Facultatif. 14 chiffres dont la clé est vérifiée.",
    )

    class Meta:
        model = Financeur
        fields = ["id", "nom", "nature", "nature_libelle", "siret", "cree_le"]
        read_only_fields = ["id", "cree_le"]
        extra_kwargs = {
            "nom": {"help_text": "Nom du financeur."},
            "cree_le": {"help_text": "Date et heure d'enregistrement."},
        }
        validators: list[Any] = []


class InvitationFinanceurSerializer(serializers.Serializer):
    """R8: the e-mail address of the person national staff invite to read a funder's view."""

    email = serializers.EmailField(
        max_length=254,
        label="adresse électronique",
        help_text="Adresse électronique de la personne invitée : elle reçoit le lien d'invitation et l'accepte "
        "connectée avec cette adresse.",
    )


class AccesFinanceurSerializer(serializers.ModelSerializer):
    """A funder's login as invited (R8). The invitation's link is sent by e-mail only: its token is never read."""

    financeur_nom = serializers.CharField(source="financeur.nom", read_only=True, help_text="Nom du financeur.")
    acceptee = serializers.SerializerMethodField(help_text="Vrai une fois l'invitation acceptée.")

    class Meta:
        model = AccesFinanceur
        fields = ["id", "financeur", "financeur_nom", "email", "invite_le", "accepte_le", "acceptee"]
        read_only_fields = fields
        extra_kwargs = {
            "financeur": {"help_text": "Identifiant du financeur."},
            "email": {"help_text": "Adresse électronique invitée."},
            "invite_le": {"help_text": "Date et heure de l'invitation."},
            "accepte_le": {"help_text": "Date et heure de l'acceptation, le cas échéant."},
        }

    def get_acceptee(self, acces: AccesFinanceur) -> bool:
        return acces.accepte_le is not None


class AbondementSerializer(serializers.ModelSerializer):
    """A funder's contribution for a budget year, optionally earmarked for one département (R8)."""

    fonds = IdentifiantField(source="fonds_id", help_text="Identifiant du fonds abondé.")
    financeur = IdentifiantRelatedField(queryset=Financeur.objects.all(), help_text="Identifiant du financeur.")
    financeur_nom = serializers.CharField(source="financeur.nom", read_only=True, help_text="Nom du financeur.")
    annee = champ_annee()
    montant = champ_montant("Montant de l'abondement (€).")
    departement_fleche = champ_departement(
        "Facultatif : code du département auquel cet argent est réservé (fléché).",
        required=False,
        allow_null=True,
    )

    class Meta:
        model = Abondement
        fields = [
            "id",
            "fonds",
            "financeur",
            "financeur_nom",
            "annee",
            "montant",
            "departement_fleche",
            "enregistre_le",
        ]
        read_only_fields = ["id", "enregistre_le"]
        extra_kwargs = {"enregistre_le": {"help_text": "Date et heure d'enregistrement."}}


# --- Envelopes and the situation of the fund -----------------------------------------------------------------


class EnveloppeSerializer(serializers.ModelSerializer):
    """A département's envelope for a budget year, its amounts computed from the ledger (R3, R8)."""

    departement = serializers.CharField(source="departement_id", read_only=True, help_text="Code du département.")
    departement_nom = serializers.CharField(source="departement.nom", read_only=True, help_text="Nom du département.")
    repartie = champ_montant("Ce que l'équipe nationale y a réparti (€).", read_only=True)
    prise = champ_montant("Ce que les campagnes y ont réservé et les projets engagé (€).", read_only=True)
    solde = serializers.SerializerMethodField(
        help_text="Réparti moins pris (€) : ce qui reste à réserver ou engager. Négatif quand des réservations "
        "attendent encore la répartition de l'année (année projetée : voir /fonds/{id}/enveloppes/)."
    )

    class Meta:
        model = Enveloppe
        fields = ["id", "fonds", "departement", "departement_nom", "annee", "repartie", "prise", "solde"]
        read_only_fields = fields
        extra_kwargs = {"fonds": {"help_text": "Identifiant du fonds."}, "annee": {"help_text": "Année budgétaire."}}

    @extend_schema_field(serializers.DecimalField(max_digits=14, decimal_places=2))
    def get_solde(self, enveloppe: Enveloppe) -> str:
        return f"{enveloppe.repartie - enveloppe.prise:.2f}"  # type: ignore[attr-defined]


class RepartitionSerializer(serializers.Serializer):
    """A distribution: part of a year's contributions goes to a département's envelope (R8)."""

    fonds = IdentifiantField(help_text="Identifiant du fonds.")
    departement = champ_departement("Code du département qui reçoit l'enveloppe.")
    annee = champ_annee()
    montant = champ_montant("Montant à répartir (€) ; l'argent fléché vers ce département part en premier.")


class SituationSerializer(serializers.Serializer):
    """R8: a fund's balances for one budget year, each a sum over the ledger."""

    annee = serializers.IntegerField(help_text="Année budgétaire.")
    contributions = champ_montant("Abondements de l'année (€).")
    a_repartir = champ_montant("Abondé mais pas encore réparti dans les enveloppes (€).")
    reparti = champ_montant("Réparti dans les enveloppes départementales (€).")
    enveloppes = champ_montant("Solde des enveloppes : réparti, ni réservé ni engagé (€).")
    reservations = champ_montant("Réservé par les campagnes et pas encore engagé (€).")
    engagements = champ_montant("Engagé dans les tranches des conventions et pas encore versé (€).")
    verse = champ_montant("Versé aux bénéficiaires (€).")


class EtatEnveloppeSerializer(serializers.Serializer):
    """R3, R8: one envelope of a département, as the campaign opening checks it; a year with nothing distributed
    yet is projected at the last known amount."""

    annee = serializers.IntegerField(help_text="Année budgétaire.")
    repartie = champ_montant("Réparti par l'équipe nationale (€).")
    prise = champ_montant("Réservé par les campagnes et engagé par les projets (€).")
    projetee = serializers.BooleanField(help_text="Vrai quand rien n'est encore réparti pour cette année.")
    base = champ_montant("Le montant réparti, ou le dernier montant connu quand l'année est projetée (€).")
    disponible = champ_montant("Ce qui peut encore être réservé ou engagé (€).")


class FiltresEnveloppesDuDepartementSerializer(serializers.Serializer):
    departement = champ_departement("Code du département (obligatoire).")


class FiltresSituationSerializer(serializers.Serializer):
    annee = champ_annee("Seulement cette année budgétaire.", required=False)


# --- The ledger ----------------------------------------------------------------------------------------------


class EcritureSerializer(serializers.ModelSerializer):
    """One line of the fund's double-entry ledger: the lines of one movement sum to zero (R19)."""

    compte_libelle = LibelleChoix(source="get_compte_display", help_text="En lettres.")
    departement = serializers.CharField(
        source="departement_id", read_only=True, allow_null=True, help_text="Code du département, le cas échéant."
    )
    financeur_nom = serializers.CharField(
        source="financeur.nom", read_only=True, allow_null=True, help_text="Nom du financeur, le cas échéant."
    )
    montant = champ_montant("Montant signé (€) : ce que le mouvement ajoute au compte, ou lui retire.", read_only=True)

    class Meta:
        model = EcritureFonds
        fields = [
            "id",
            "mouvement",
            "compte",
            "compte_libelle",
            "fonds",
            "annee",
            "departement",
            "financeur",
            "financeur_nom",
            "abondement",
            "campagne",
            "convention",
            "tranche",
            "montant",
            "libelle",
            "extourne_de",
            "ecrite_le",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "mouvement": {"help_text": "Identifiant du mouvement : ses lignes s'équilibrent."},
            "compte": {"help_text": "Compte du grand livre."},
            "fonds": {"help_text": "Identifiant du fonds."},
            "annee": {"help_text": "Année budgétaire."},
            "financeur": {"help_text": "Identifiant du financeur (abondement)."},
            "abondement": {"help_text": "Identifiant de l'abondement."},
            "campagne": {"help_text": "Identifiant de la campagne (réservation)."},
            "convention": {"help_text": "Identifiant de la convention (engagement, versement)."},
            "tranche": {"help_text": "Identifiant de la tranche (engagement, versement)."},
            "libelle": {"help_text": "Libellé du mouvement."},
            "extourne_de": {"help_text": "Le mouvement que celui-ci annule, le cas échéant."},
            "ecrite_le": {"help_text": "Date et heure d'écriture."},
        }


class FiltresEcrituresSerializer(serializers.Serializer):
    fonds = IdentifiantField(required=False, help_text="Seulement les lignes de ce fonds.")
    annee = champ_annee("Seulement cette année budgétaire.", required=False)
    compte = serializers.ChoiceField(choices=Compte.choices, required=False, help_text="Seulement ce compte.")
    departement = serializers.CharField(required=False, max_length=3, help_text="Seulement ce département (code).")
    convention = IdentifiantField(required=False, help_text="Seulement les lignes de cette convention.")
    campagne = IdentifiantField(required=False, help_text="Seulement les lignes de cette campagne.")


# --- Conventions, tranches and payments ----------------------------------------------------------------------


class VersementResumeSerializer(serializers.ModelSerializer):
    montant = champ_montant("Montant versé (€).", read_only=True)

    class Meta:
        model = Versement
        fields = ["id", "date_versement", "montant", "reference_bancaire"]
        read_only_fields = fields
        extra_kwargs = {
            "date_versement": {"help_text": "Date du virement."},
            "reference_bancaire": {"help_text": "Référence bancaire du virement."},
        }


class TrancheSerializer(serializers.ModelSerializer):
    """A yearly tranche of a convention (R7): prévue, exigible, versée or annulée."""

    convention_reference = serializers.CharField(
        source="convention.reference", read_only=True, help_text="Numéro de la convention."
    )
    montant = champ_montant("Montant de la tranche (€).", read_only=True)
    etat = EtatTrancheField(choices=EtatTranche.choices, read_only=True, help_text="État de la tranche.")
    etat_libelle = LibelleChoix(source="get_etat_display", help_text="En lettres.")
    versement = serializers.SerializerMethodField(help_text="Le versement, une fois la tranche versée.")

    class Meta:
        model = Tranche
        fields = ["id", "convention", "convention_reference", "rang", "annee", "montant", "etat", "etat_libelle"]
        fields += ["versement"]
        read_only_fields = fields
        extra_kwargs = {
            "convention": {"help_text": "Identifiant de la convention."},
            "rang": {"help_text": "Rang de la tranche : 1, 2 ou 3."},
            "annee": {"help_text": "Année budgétaire de la tranche."},
        }

    @extend_schema_field(VersementResumeSerializer(allow_null=True))
    def get_versement(self, tranche: Tranche) -> dict[str, Any] | None:
        versement = getattr(tranche, "versement", None)
        return VersementResumeSerializer(versement).data if versement is not None else None


class TrancheDeConventionSerializer(TrancheSerializer):
    """A tranche inside its convention (the convention's number is the parent's)."""

    class Meta(TrancheSerializer.Meta):
        fields = ["id", "rang", "annee", "montant", "etat", "etat_libelle", "versement"]
        read_only_fields = fields


class ConventionSerializer(serializers.ModelSerializer):
    """A funding convention (R7, R8): a collectif's triannual convention, or a project of another kind."""

    reference = serializers.CharField(read_only=True, help_text="Numéro de la convention (FDS-42-2027-00012).")
    departement = serializers.CharField(source="departement_id", read_only=True, help_text="Code du département.")
    departement_nom = serializers.CharField(source="departement.nom", read_only=True, help_text="Nom du département.")
    nature_beneficiaire = NatureBeneficiaireField(
        choices=NatureBeneficiaire.choices, read_only=True, help_text="Nature du bénéficiaire."
    )
    nature_libelle = LibelleChoix(
        source="get_nature_beneficiaire_display", help_text="Nature du bénéficiaire, en lettres."
    )
    etat = EtatConventionField(
        choices=EtatConvention.choices,
        read_only=True,
        help_text="Active, non conforme (délai de grâce), suspendue ou annulée.",
    )
    etat_libelle = LibelleChoix(source="get_etat_display", help_text="En lettres.")
    montant = champ_montant("Somme des tranches non annulées (€).", read_only=True)
    verse = champ_montant("Somme des versements (€).", read_only=True)
    tranches = TrancheDeConventionSerializer(many=True, read_only=True, help_text="Les tranches, par rang.")

    class Meta:
        model = Convention
        fields = [
            "id",
            "reference",
            "fonds",
            "departement",
            "departement_nom",
            "nature_beneficiaire",
            "nature_libelle",
            "declaration",
            "campagne",
            "beneficiaire",
            "siret_beneficiaire",
            "rna_beneficiaire",
            "objet",
            "date_debut",
            "date_fin",
            "etat",
            "etat_libelle",
            "montant",
            "verse",
            "tranches",
            "signee_le",
            "signataire_beneficiaire",
            "signataire_departement",
            "motifs_annulation",
            "annulee_le",
            "non_conforme_depuis",
            "fin_de_grace",
            "suspendue_le",
            "creee_le",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "fonds": {"help_text": "Identifiant du fonds."},
            "declaration": {"help_text": "Identifiant de la déclaration agréée (collectif seulement)."},
            "campagne": {"help_text": "Identifiant de la campagne (collectif seulement)."},
            "beneficiaire": {"help_text": "Nom du bénéficiaire."},
            "siret_beneficiaire": {"help_text": "SIRET du bénéficiaire, le cas échéant."},
            "rna_beneficiaire": {"help_text": "RNA du bénéficiaire, le cas échéant."},
            "objet": {"help_text": "Objet de la convention."},
            "date_debut": {"help_text": "Début de la période financée."},
            "date_fin": {"help_text": "Fin de la période financée."},
            "signee_le": {"help_text": "Date de signature."},
            "signataire_beneficiaire": {"help_text": "Signataire pour le bénéficiaire."},
            "signataire_departement": {"help_text": "Signataire pour le département."},
            "motifs_annulation": {"help_text": "Motifs de l'annulation, le cas échéant."},
            "annulee_le": {"help_text": "Date et heure de l'annulation."},
            "non_conforme_depuis": {
                "help_text": "R12 : date depuis laquelle la composition du collectif est non conforme."
            },
            "fin_de_grace": {
                "help_text": "R12 : dernier jour du délai de grâce ; ensuite la prochaine tranche est suspendue."
            },
            "suspendue_le": {"help_text": "R12 : date de la suspension, à la fin du délai de grâce."},
            "creee_le": {"help_text": "Date et heure de création."},
        }


class TrancheProjetSerializer(serializers.Serializer):
    annee = champ_annee("Année budgétaire de la tranche.")
    montant = champ_montant("Montant de la tranche (€).")


class ProjetSerializer(serializers.Serializer):
    """A project of another kind of beneficiary of R8, charged to its département's envelopes."""

    departement = champ_departement("Code du département dont les enveloppes financent le projet.")
    nature_beneficiaire = NatureProjetField(
        choices=NATURES_PROJET,
        label="nature du projet",
        help_text="Expérimentation hors normes, projet étudiant, démarche participative, formation-action in situ "
        "ou projet de travail social collectif (un collectif est financé par son agrément en séance).",
    )
    beneficiaire = serializers.CharField(max_length=200, label="bénéficiaire", help_text="Organisme bénéficiaire.")
    siret_beneficiaire = serializers.CharField(
        max_length=20, default="", allow_blank=True, validators=[valider_siret], label="SIRET", help_text="Facultatif."
    )
    rna_beneficiaire = serializers.CharField(
        max_length=12, default="", allow_blank=True, validators=[valider_rna], label="RNA", help_text="Facultatif."
    )
    objet = serializers.CharField(max_length=256, help_text="Objet du projet.")
    date_debut = serializers.DateField(label="début", help_text="Début de la période financée.")
    date_fin = serializers.DateField(label="fin", help_text="Fin de la période financée.")
    tranches = TrancheProjetSerializer(
        many=True, help_text="Une à trois tranches, une par année, dans l'ordre, dans la période du projet."
    )


class SignatureSerializer(serializers.Serializer):
    signee_le = serializers.DateField(label="date de signature", help_text="Date de signature (pas dans le futur).")
    signataire_beneficiaire = serializers.CharField(
        allow_blank=True, help_text="Nom et qualité du ou de la signataire pour le bénéficiaire."
    )
    signataire_departement = serializers.CharField(
        allow_blank=True, help_text="Nom et qualité du ou de la signataire pour le département."
    )


class AnnulationSerializer(serializers.Serializer):
    motifs = serializers.CharField(
        allow_blank=True, help_text="Motifs de l'annulation (obligatoires, 5 000 caractères au plus)."
    )


class VersementSerializer(serializers.ModelSerializer):
    """A payment of a tranche (R7), as read and as recorded."""

    tranche = IdentifiantField(source="tranche_id", help_text="Identifiant de la tranche exigible à verser.")
    rang = serializers.IntegerField(source="tranche.rang", read_only=True, help_text="Rang de la tranche.")
    convention = serializers.IntegerField(
        source="tranche.convention_id", read_only=True, help_text="Identifiant de la convention."
    )
    convention_reference = serializers.CharField(
        source="tranche.convention.reference", read_only=True, help_text="Numéro de la convention."
    )
    montant = champ_montant("Montant versé (€) : celui de la tranche.")
    reference_bancaire = serializers.CharField(
        allow_blank=True, help_text="Référence bancaire du virement (100 caractères au plus)."
    )

    class Meta:
        model = Versement
        fields = [
            "id",
            "tranche",
            "rang",
            "convention",
            "convention_reference",
            "date_versement",
            "montant",
            "reference_bancaire",
            "enregistre_le",
        ]
        read_only_fields = ["id", "enregistre_le"]
        extra_kwargs = {
            "date_versement": {"help_text": "Date du virement (pas dans le futur)."},
            "enregistre_le": {"help_text": "Date et heure d'enregistrement."},
        }


class FiltresConventionsSerializer(serializers.Serializer):
    departement = serializers.CharField(required=False, max_length=3, help_text="Seulement ce département (code).")
    etat = EtatConventionField(choices=EtatConvention.choices, required=False, help_text="Seulement cet état.")
    nature_beneficiaire = NatureBeneficiaireField(
        choices=NatureBeneficiaire.choices, required=False, help_text="Seulement cette nature de bénéficiaire."
    )


class FiltresTranchesSerializer(serializers.Serializer):
    convention = IdentifiantField(required=False, help_text="Seulement les tranches de cette convention.")
    etat = EtatTrancheField(choices=EtatTranche.choices, required=False, help_text="Seulement cet état.")


# --- A funder's view -----------------------------------------------------------------------------------------


class PartSerializer(serializers.Serializer):
    """One funder's share of a convention (financeur null: not yet covered by a contribution)."""

    financeur = serializers.IntegerField(allow_null=True, help_text="Identifiant du financeur.")
    financeur_nom = serializers.CharField(allow_null=True, help_text="Nom du financeur.")
    montant = champ_montant("Sa part (€).")
    fleche = serializers.BooleanField(help_text="Vrai quand sa part vient (au moins en partie) d'argent fléché.")

    @staticmethod
    def de(part: Part) -> dict[str, Any]:
        financeur = part.financeur
        return {
            "financeur": financeur.pk if financeur else None,
            "financeur_nom": financeur.nom if financeur else None,
            "montant": part.montant,
            "fleche": part.fleche,
        }


class PartAnnuelleSerializer(serializers.Serializer):
    annee = serializers.IntegerField(help_text="Année budgétaire.")
    montant = champ_montant("Part du financeur dans la tranche de cette année (€).")


class PartConventionSerializer(serializers.Serializer):
    """R8: what a funder's money financed in one convention, pro rata (earmarked money first)."""

    convention = serializers.IntegerField(help_text="Identifiant de la convention.")
    reference = serializers.CharField(help_text="Numéro de la convention.")
    departement = serializers.CharField(help_text="Code du département.")
    beneficiaire = serializers.CharField(help_text="Bénéficiaire.")
    nature_beneficiaire = NatureBeneficiaireField(choices=NatureBeneficiaire.choices, help_text="Nature.")
    montant_convention = champ_montant("Montant de la convention (tranches non annulées, €).")
    part = champ_montant("Part du financeur (€).")
    part_versee = champ_montant("Part du financeur dans ce qui est déjà versé (€).")
    par_annee = PartAnnuelleSerializer(many=True, help_text="Sa part, année par année.")

    @staticmethod
    def de(ligne: PartConvention) -> dict[str, Any]:
        convention = ligne.convention
        return {
            "convention": convention.pk,
            "reference": convention.reference,
            "departement": convention.departement_id,
            "beneficiaire": convention.beneficiaire,
            "nature_beneficiaire": convention.nature_beneficiaire,
            "montant_convention": ligne.montant_convention,
            "part": ligne.part,
            "part_versee": ligne.part_versee,
            "par_annee": [{"annee": a, "montant": m} for a, m in sorted(ligne.par_annee.items())],
        }
