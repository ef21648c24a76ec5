"""The innovation fund (R8): funders, their yearly contributions, the departmental envelopes, and the
append-only double-entry ledger (R19) from which every balance is computed (ADR 0005)."""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from campagnes.models import Campagne
from collectifs.models import Declaration
from core.permissions import permission_fsm
from fonds import permissions
from fonds.enums import (
    Compte,
    EtatBilan,
    EtatConvention,
    EtatTranche,
    GestionFonds,
    NatureBeneficiaire,
    NatureFinanceur,
)
from fonds.models.bilans import BilanAnnuel
from journal.chaine import Chainee, QuerySetChaine
from territoires.models import Departement

ANNEE_MIN, ANNEE_MAX = 2015, 2100
AJOUT_SEUL = "Le grand livre du fonds est en ajout seul : une écriture se corrige par une extourne (R8, R19)."


def _montant(libelle: str, **options: Any) -> models.DecimalField[Any, Any]:
    """An amount in euros (CONVENTIONS §4)."""
    return models.DecimalField(libelle, max_digits=12, decimal_places=2, **options)


def _annee() -> models.PositiveSmallIntegerField[Any, Any]:
    return models.PositiveSmallIntegerField(
        "année budgétaire", validators=[MinValueValidator(ANNEE_MIN), MaxValueValidator(ANNEE_MAX)]
    )


class Fonds(models.Model):
    """The innovation fund, managed nationally or by one département (R8)."""

    nom = models.CharField(max_length=200, unique=True)
    gestion = models.CharField(max_length=20, choices=GestionFonds.choices, default=GestionFonds.NATIONALE)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="fonds_geres"
    )
    cree_le = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "fonds"
        verbose_name_plural = "fonds"
        constraints = [
            models.CheckConstraint(
                condition=Q(gestion=GestionFonds.NATIONALE, departement__isnull=True)
                | Q(gestion=GestionFonds.DEPARTEMENTALE, departement__isnull=False),
                name="fonds_departement_si_gestion_departementale",
            ),
            models.UniqueConstraint(
                fields=["gestion"], condition=Q(gestion=GestionFonds.NATIONALE), name="un_seul_fonds_national"
            ),
            models.UniqueConstraint(fields=["departement"], name="un_fonds_par_departement"),
        ]

    def __str__(self) -> str:
        return self.nom


class Financeur(models.Model):
    """A public or private funder of the fund (SPEC §3)."""

    nom = models.CharField(max_length=200, unique=True)
    nature = models.CharField(max_length=30, choices=NatureFinanceur.choices)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    cree_le = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "financeur"
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom


class Abondement(models.Model):
    """A funder's contribution to the fund for a budget year, optionally earmarked for one département (R8).
    Its ledger lines are written with it; it is never edited (a correction is a reversing entry)."""

    fonds = models.ForeignKey(Fonds, on_delete=models.PROTECT, related_name="abondements")
    financeur = models.ForeignKey(Financeur, on_delete=models.PROTECT, related_name="abondements")
    annee = _annee()
    montant = _montant("montant (€)", validators=[MinValueValidator(Decimal("0.01"))])
    # Earmarked: this money only funds this département's envelope.
    departement_fleche = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="abondements_fleches"
    )
    enregistre_le = models.DateTimeField(default=timezone.now, editable=False)
    enregistre_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "abondement"
        ordering = ["annee", "pk"]
        constraints = [models.CheckConstraint(condition=Q(montant__gt=0), name="abondement_montant_positif")]

    def __str__(self) -> str:
        return f"{self.financeur} — {self.annee} : {self.montant} €"


class Enveloppe(models.Model):
    """The part of a fund given to a département for a budget year (R8). The row is what a distribution or a
    reservation locks; its amount is the balance of its ledger account, never a stored number."""

    fonds = models.ForeignKey(Fonds, on_delete=models.PROTECT, related_name="enveloppes")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="enveloppes")
    annee = _annee()

    class Meta:
        verbose_name = "enveloppe"
        ordering = ["annee", "departement"]
        constraints = [
            models.UniqueConstraint(fields=["fonds", "departement", "annee"], name="enveloppe_unique_par_annee")
        ]

    def __str__(self) -> str:
        return f"Enveloppe {self.annee} — {self.departement}"


class AccesFinanceur(models.Model):
    """A funder's login (R8): national staff invite a person by e-mail; once accepted, that account reads what
    the funder's money financed, and nothing else."""

    financeur = models.ForeignKey(Financeur, on_delete=models.PROTECT, related_name="acces")
    email = models.EmailField("adresse électronique")
    jeton = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    utilisateur = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="acces_financeur"
    )
    invite_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invite_le = models.DateTimeField(default=timezone.now)
    accepte_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "accès d'un financeur"
        verbose_name_plural = "accès des financeurs"

    def __str__(self) -> str:
        return f"{self.email} → {self.financeur}"


class Reservation(models.Model):
    """What opening a campaign set aside in its département's envelope for one budget year (R3): Y, Y+1, Y+2.
    Its amount is the balance of its ledger account; `projetee` records that the envelope of that year was not
    yet set when the campaign opened, and the reservation was checked against the last known amount."""

    fonds = models.ForeignKey(Fonds, on_delete=models.PROTECT, related_name="reservations")
    campagne = models.ForeignKey(Campagne, on_delete=models.PROTECT, related_name="reservations")
    annee = _annee()
    projetee = models.BooleanField("enveloppe projetée à l'ouverture", default=False)
    reservee_le = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "réservation"
        ordering = ["campagne", "annee"]
        constraints = [
            models.UniqueConstraint(fields=["campagne", "annee"], name="reservation_unique_par_annee"),
        ]

    def __str__(self) -> str:
        return f"Réservation {self.annee} — campagne {self.campagne}"


class Convention(ConcurrentTransitionMixin, models.Model):
    """The funding of one beneficiary (R7, R8): the triannual convention of an agreed declaration, created with
    the agreement, or a project of another kind of R8. Its tranches are charged to the envelopes through the
    ledger; its amount is the sum of its tranches."""

    fonds = models.ForeignKey(Fonds, on_delete=models.PROTECT, related_name="conventions")
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="conventions")
    nature_beneficiaire = models.CharField(
        "nature du bénéficiaire",
        max_length=30,
        choices=NatureBeneficiaire.choices,
        default=NatureBeneficiaire.COLLECTIF,
    )
    # Collectif: the agreed declaration and its campaign (whose reservation the tranches are charged to).
    declaration = models.OneToOneField(
        Declaration, on_delete=models.PROTECT, null=True, blank=True, related_name="convention"
    )
    campagne = models.ForeignKey(Campagne, on_delete=models.PROTECT, null=True, blank=True, related_name="conventions")
    beneficiaire = models.CharField("bénéficiaire", max_length=200)
    siret_beneficiaire = models.CharField("SIRET du bénéficiaire", max_length=14, blank=True)
    rna_beneficiaire = models.CharField("RNA du bénéficiaire", max_length=10, blank=True)
    objet = models.CharField("objet", max_length=256)
    date_debut = models.DateField("début")
    date_fin = models.DateField("fin")
    etat = FSMField("état", default=EtatConvention.ACTIVE, choices=EtatConvention.choices, protected=True)
    signee_le = models.DateField("date de signature", null=True, blank=True)
    signataire_beneficiaire = models.CharField("signataire pour le bénéficiaire", max_length=200, blank=True)
    signataire_departement = models.CharField("signataire pour le département", max_length=200, blank=True)
    motifs_annulation = models.TextField("motifs de l'annulation", blank=True, max_length=5000)
    annulee_le = models.DateTimeField(null=True, blank=True)
    cloturee_le = models.DateTimeField("clôturée le", null=True, blank=True)
    # R12: since when the collectif's composition falls short of R1, and the last day of its grace period.
    non_conforme_depuis = models.DateField("non conforme depuis le", null=True, blank=True)
    fin_de_grace = models.DateField("fin du délai de grâce", null=True, blank=True)
    suspendue_le = models.DateField("suspendue le", null=True, blank=True)
    creee_le = models.DateTimeField(default=timezone.now, editable=False)
    creee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "convention"
        ordering = ["-creee_le", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(nature_beneficiaire=NatureBeneficiaire.COLLECTIF, declaration__isnull=False)
                | (~Q(nature_beneficiaire=NatureBeneficiaire.COLLECTIF) & Q(declaration__isnull=True)),
                name="convention_declaration_si_collectif",
            ),
            models.CheckConstraint(condition=Q(date_fin__gte=models.F("date_debut")), name="convention_periode"),
        ]

    def __str__(self) -> str:
        return f"Convention {self.reference} — {self.beneficiaire}"

    @property
    def reference(self) -> str:
        """The convention's number, shown on its pages, documents and in the SCDL export."""
        return f"FDS-{self.departement_id}-{self.date_debut.year}-{self.pk:05d}"

    @property
    def est_collectif(self) -> bool:
        return self.nature_beneficiaire == NatureBeneficiaire.COLLECTIF

    @transition(
        field=etat,
        source=EtatConvention.ACTIVE,
        target=EtatConvention.ANNULEE,
        permission=permission_fsm(permissions.can_gerer_convention),
    )
    def annuler(self) -> None:
        """R7: cancelled before its first payment (the service checks no tranche was paid)."""
        self.annulee_le = timezone.now()

    @transition(field=etat, source=EtatConvention.ACTIVE, target=EtatConvention.CLOTUREE)
    def cloturer(self) -> None:
        """R14, SPEC §5: the three-year cycle closes once the year-3 check-in is validated and the collectif's
        practice sheet proposed (the service, in `mutualisation`, checks both and names what is missing)."""
        self.cloturee_le = timezone.now()

    # R12: these follow the collectif's composition (a member change, the end of the grace period), not a
    # person's decision: no permission, the service `fonds.services.conformite` is their only caller.
    @transition(field=etat, source=EtatConvention.ACTIVE, target=EtatConvention.NON_CONFORME)
    def declarer_non_conforme(self) -> None:
        """R12: the composition falls short of R1; the service sets the start and end of the grace period."""

    @transition(field=etat, source=EtatConvention.NON_CONFORME, target=EtatConvention.SUSPENDUE)
    def suspendre(self) -> None:
        """R12: the grace period ended without the composition being restored."""

    @transition(
        field=etat, source=[EtatConvention.NON_CONFORME, EtatConvention.SUSPENDUE], target=EtatConvention.ACTIVE
    )
    def retablir(self) -> None:
        """R12: the composition is restored."""
        self.non_conforme_depuis = self.fin_de_grace = self.suspendue_le = None


class Tranche(ConcurrentTransitionMixin, models.Model):
    """One yearly payment of a convention (R7), charged to its budget year."""

    convention = models.ForeignKey(Convention, on_delete=models.PROTECT, related_name="tranches")
    rang = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(3)])
    annee = _annee()
    montant = _montant("montant (€)", validators=[MinValueValidator(Decimal("0.01"))])
    etat = FSMField("état", default=EtatTranche.PREVUE, choices=EtatTranche.choices, protected=True)

    class Meta:
        verbose_name = "tranche"
        ordering = ["convention", "rang"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "rang"], name="tranche_unique_par_rang"),
            models.CheckConstraint(condition=Q(montant__gt=0), name="tranche_montant_positif"),
            models.CheckConstraint(condition=Q(rang__gte=1, rang__lte=3), name="tranche_rang_1_a_3"),
        ]

    def __str__(self) -> str:
        return f"Tranche {self.rang} ({self.annee}) — {self.montant} €"

    def liberable(self) -> bool:
        """R7: tranche 1 is released by the signature. A later tranche needs the previous one paid and, for a
        collectif, the previous year's check-in validated (`bilan_valider` releases it then; when the previous
        tranche is paid only after that validation, `tranche_liberer` does). Never while the convention is
        suspended (R12)."""
        convention = self.convention
        # R12: during the grace period of a non-compliant collectif the tranches still flow; once suspended, not.
        if convention.etat not in (EtatConvention.ACTIVE, EtatConvention.NON_CONFORME) or convention.signee_le is None:
            return False
        if self.rang == 1:
            return True
        precedente = convention.tranches.filter(rang=self.rang - 1).first()
        if precedente is None or precedente.etat != EtatTranche.VERSEE:
            return False
        return not convention.est_collectif or bilan_annuel_valide(convention, self.annee - 1)

    @transition(
        field=etat,
        source=EtatTranche.PREVUE,
        target=EtatTranche.EXIGIBLE,
        conditions=[liberable],  # type: ignore[list-item]
        permission=permission_fsm(permissions.can_liberer_tranche),
    )
    def rendre_exigible(self) -> None:
        """R7: the tranche becomes payable."""

    @transition(
        field=etat,
        source=EtatTranche.EXIGIBLE,
        target=EtatTranche.VERSEE,
        permission=permission_fsm(permissions.can_liberer_tranche),
    )
    def verser(self) -> None:
        """R7: the tranche is paid (the service writes the Versement row and the ledger)."""

    @transition(field=etat, source=EtatTranche.EXIGIBLE, target=EtatTranche.SUSPENDUE)
    def suspendre(self) -> None:
        """R12: the grace period of the non-compliant collectif ended: this payable tranche cannot be paid."""

    @transition(field=etat, source=EtatTranche.SUSPENDUE, target=EtatTranche.EXIGIBLE)
    def reprendre(self) -> None:
        """R12: the composition is restored: the tranche, payable before its suspension, is payable again."""

    @transition(
        field=etat,
        source=[EtatTranche.PREVUE, EtatTranche.EXIGIBLE],
        target=EtatTranche.ANNULEE,
        permission=permission_fsm(permissions.can_liberer_tranche),
    )
    def annuler(self) -> None:
        """R7: the convention is cancelled before its first payment. Tranche 1 may already be payable (signed
        but not paid): SPEC §5 names prevue → annulee; exigible → annulee is the same cancellation a day later."""


def bilan_annuel_valide(convention: Convention, annee: int) -> bool:
    """R7, R11: whether the collectif's yearly check-in covering budget year `annee` (that of the previous tranche)
    is validated."""
    return BilanAnnuel.objects.filter(convention=convention, annee=annee, etat=EtatBilan.VALIDE).exists()


class Versement(models.Model):
    """A payment of a tranche (R7): one per tranche, enforced by the database, of the tranche's amount."""

    tranche = models.OneToOneField(Tranche, on_delete=models.PROTECT, related_name="versement")
    date_versement = models.DateField("date du versement")
    montant = _montant("montant (€)", validators=[MinValueValidator(Decimal("0.01"))])
    reference_bancaire = models.CharField("référence bancaire", max_length=100)
    enregistre_le = models.DateTimeField(default=timezone.now, editable=False)
    enregistre_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "versement"
        ordering = ["-date_versement", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(montant__gt=0), name="versement_montant_positif")]

    def __str__(self) -> str:
        return f"Versement de {self.montant} € le {self.date_versement}"


class EcritureFondsQuerySet(QuerySetChaine["EcritureFonds"]):
    """Bulk writes would bypass the row-level guards below: refuse them too (R19)."""

    def update(self, **kwargs: Any) -> int:
        raise ValueError(AJOUT_SEUL)

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ValueError(AJOUT_SEUL)


class EcritureFonds(Chainee):
    """One line of the fund's double-entry ledger (R8, R19): the lines of one movement share `mouvement` and
    sum to zero; the balance of an account is the sum of its lines. Append-only (a PostgreSQL trigger too) and
    hash-chained (journal.chaine)."""

    CHAMPS_CHAINES = (
        "id",
        "mouvement",
        "compte",
        "fonds",
        "annee",
        "departement",
        "financeur",
        "abondement",
        "campagne",
        "convention",
        "tranche",
        "montant",
        "extourne_de",
        "acteur",
        "ecrite_le",
    )
    TEXTES_LIBRES = ("libelle",)

    mouvement = models.UUIDField(default=uuid.uuid4, db_index=True)
    compte = models.CharField(max_length=20, choices=Compte.choices)
    fonds = models.ForeignKey(Fonds, on_delete=models.PROTECT, related_name="ecritures")
    annee = _annee()
    # The département of an envelope, or the one a contribution is earmarked for (None: not earmarked).
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    financeur = models.ForeignKey(Financeur, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    abondement = models.ForeignKey(
        Abondement, on_delete=models.PROTECT, null=True, blank=True, related_name="ecritures"
    )
    # A reservation line names its campaign; an engagement or payment line its tranche (and convention).
    campagne = models.ForeignKey(Campagne, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    convention = models.ForeignKey(
        Convention, on_delete=models.PROTECT, null=True, blank=True, related_name="ecritures"
    )
    tranche = models.ForeignKey(Tranche, on_delete=models.PROTECT, null=True, blank=True, related_name="ecritures")
    # Signed, in euros: what the movement adds to (or takes from) the account.
    montant = _montant("montant (€)")
    libelle = models.CharField(max_length=200)
    extourne_de = models.UUIDField(null=True, blank=True, help_text="Le mouvement que celui-ci annule.")
    acteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ecrite_le = models.DateTimeField(default=timezone.now, editable=False)

    objects = EcritureFondsQuerySet.as_manager()

    class Meta:
        verbose_name = "écriture du fonds"
        verbose_name_plural = "grand livre du fonds"
        ordering = ["ecrite_le", "pk"]
        indexes = [
            models.Index(fields=["fonds", "compte", "annee", "departement"], name="ecriture_fonds_compte"),
            models.Index(fields=["campagne", "compte", "annee"], name="ecriture_fonds_campagne"),
            models.Index(fields=["tranche", "compte"], name="ecriture_fonds_tranche"),
        ]
        constraints = [models.CheckConstraint(condition=~Q(montant=0), name="ecriture_fonds_montant_non_nul")]

    def __str__(self) -> str:
        return f"{self.get_compte_display()} {self.annee} : {self.montant:+} €"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError(AJOUT_SEUL)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError(AJOUT_SEUL)
