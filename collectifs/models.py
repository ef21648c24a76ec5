"""Collectifs, their members and their declarations (R1, R2, R16)."""

from __future__ import annotations

import secrets
import unicodedata
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from campagnes.models import Campagne
from collectifs import permissions
from collectifs.enums import ETATS_RETRAIT_POSSIBLE, College, EtatDeclaration, ModeConsentement, NatureIndicateur
from core.permissions import permission_fsm
from territoires.models import Departement, QuartierPrioritaire

NOMBRE_MAX_INDICATEURS = 5

# Longest free texts, in characters. A TextField's max_length is not enforced by the database: the forms and the
# API serializers check it (and the forms show it). Long enough for their purpose, short enough that filing and
# its récépissé stay quick (3 MB of text once took 73 s, inside the filing transaction).
LONGUEUR_TEXTE_DECLARATION = 5000  # each of the three texts of a declaration (R2)
LONGUEUR_MOTIF = 5000  # reasons for a withdrawal or a closure without follow-up
LONGUEUR_COMPLEMENTS = 5000  # a request for more, and the collectif's answer (R4)
LONGUEUR_MESSAGE = 2000  # one message of the thread
LONGUEUR_TERRITOIRE = 1000  # the territory of action, in a few words
LONGUEUR_DESCRIPTION_INDICATEUR = 1000  # how an indicator is observed
LONGUEUR_CHARTE = 50000  # the national charter, entered in the admin


def cle_personne(prenom: str, nom: str) -> str:
    """Identity key of a person within a collectif: names without case, accents or extra spaces (R1)."""

    def normaliser(texte: str) -> str:
        sans_accents = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii")
        return " ".join(sans_accents.lower().replace("-", " ").split())

    # Each part on its own, so that spaces around the separator cannot tell two keys apart.
    return f"{normaliser(nom)}|{normaliser(prenom)}"


class Charte(models.Model):
    """A version of the national charter of collectifs (R16). Versions are never edited once used."""

    version = models.PositiveIntegerField(unique=True)
    titre = models.CharField(max_length=200)
    texte = models.TextField(max_length=LONGUEUR_CHARTE, help_text="Texte brut ; un paragraphe par ligne vide.")
    publiee_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "charte"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.titre} (version {self.version})"

    @property
    def paragraphes(self) -> list[str]:
        return [p.strip() for p in self.texte.split("\n\n") if p.strip()]


class Organisation(models.Model):
    """An institution, association or informal group. SIRET/RNA are optional and checked when given."""

    nom = models.CharField("nom", max_length=200)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    rna = models.CharField("RNA", max_length=10, blank=True)

    class Meta:
        verbose_name = "organisation"
        ordering = ["nom"]
        # One organisation per SIRET, and per RNA among those without a SIRET (what `organisation_obtenir` looks
        # up): two référents adding the same association at once must not create it twice.
        constraints = [
            models.UniqueConstraint(fields=["siret"], condition=~models.Q(siret=""), name="organisation_siret_unique"),
            models.UniqueConstraint(
                fields=["rna"], condition=models.Q(siret="") & ~models.Q(rna=""), name="organisation_rna_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.nom


class Collectif(models.Model):
    """A lasting local collectif; it may file again in a later campaign (SPEC §3)."""

    nom = models.CharField("nom du collectif", max_length=200)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="collectifs")
    territoire = models.TextField("territoire d'action", max_length=LONGUEUR_TERRITOIRE)
    # INSEE codes of the communes, space- or comma-separated; each must lie in the département (R2).
    codes_communes = models.CharField("codes INSEE des communes", max_length=500, blank=True)
    institutions_origine = models.ManyToManyField(
        Organisation, related_name="collectifs_portes", verbose_name="institutions d'origine", blank=True
    )
    # R17: the quartiers prioritaires de la politique de la ville where the collectif acts; each lies in the
    # collectif's département (checked by the collectif services).
    quartiers_prioritaires = models.ManyToManyField(
        QuartierPrioritaire,
        related_name="collectifs",
        verbose_name="quartiers prioritaires de la politique de la ville",
        blank=True,
    )
    referents = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="collectifs_referent", blank=True)
    cree_le = models.DateTimeField(default=timezone.now, editable=False)
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = "collectif"
        ordering = ["nom"]

    def __str__(self) -> str:
        return self.nom

    @property
    def liste_codes_communes(self) -> list[str]:
        return [c for c in self.codes_communes.replace(",", " ").upper().split() if c]

    def synchroniser_communes(self, *, creation: bool = False) -> None:
        """Mirror ``codes_communes`` into ``CommuneCollectif`` rows (R17's indexed lookup): adds the new codes,
        removes the dropped ones (``creation``: a new collectif has none yet). Only well-formed five-character
        codes are kept (the services validate them)."""
        codes = {c for c in self.liste_codes_communes if len(c) == 5}
        existants: set[str] = set()
        if not creation:
            self.communes.exclude(code_insee__in=codes).delete()
            existants = set(self.communes.values_list("code_insee", flat=True))
        if nouveaux := sorted(codes - existants):
            CommuneCollectif.objects.bulk_create([CommuneCollectif(collectif=self, code_insee=c) for c in nouveaux])


class CommuneCollectif(models.Model):
    """One INSEE code of a collectif's communes: ``Collectif.codes_communes`` as rows, so that R17 (earlier
    funding on the same territory) finds the collectifs of a commune through an index instead of a LIKE over
    every collectif. Kept in sync by ``Collectif.synchroniser_communes`` (called by the collectif services)."""

    collectif = models.ForeignKey(Collectif, on_delete=models.CASCADE, related_name="communes")
    code_insee = models.CharField("code INSEE", max_length=5)

    class Meta:
        verbose_name = "commune d'un collectif"
        verbose_name_plural = "communes des collectifs"
        constraints = [
            models.UniqueConstraint(fields=["collectif", "code_insee"], name="commune_collectif_unique"),
        ]
        indexes = [models.Index(fields=["code_insee", "collectif"], name="commune_collectif_code_idx")]

    def __str__(self) -> str:
        return self.code_insee


class InvitationReferent(models.Model):
    """An invitation, sent by e-mail, to become a référent of a collectif."""

    collectif = models.ForeignKey(Collectif, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField("adresse électronique")
    jeton = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    invite_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cree_le = models.DateTimeField(default=timezone.now)
    acceptee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "invitation de référent·e"

    def __str__(self) -> str:
        return f"{self.email} → {self.collectif}"


class Membre(models.Model):
    """A person in exactly one college of a collectif. Needs no e-mail and no account (SPEC §2, R20)."""

    collectif = models.ForeignKey(Collectif, on_delete=models.PROTECT, related_name="membres")
    college = models.CharField("collège", max_length=20, choices=College.choices)
    prenom = models.CharField("prénom", max_length=100)
    nom = models.CharField("nom", max_length=100)
    cle = models.CharField(max_length=210, editable=False)  # cle_personne(prenom, nom)
    fonction = models.CharField("fonction ou qualité", max_length=200, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="membres"
    )
    email = models.EmailField("adresse électronique", blank=True)
    telephone = models.CharField("téléphone", max_length=30, blank=True)
    date_debut = models.DateField("membre depuis", default=timezone.localdate)
    date_fin = models.DateField("membre jusqu'au", null=True, blank=True)
    # R20: who entered the record, and that the person agreed to appear in the declaration.
    consentement = models.BooleanField("accord de la personne recueilli", default=False)
    saisi_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    saisi_le = models.DateTimeField(default=timezone.now)
    # R10, R20: set when the last addition or correction was typed on the person's behalf (by the accompagnateur,
    # or a référent for a member without e-mail): the consent of that proxy entry. Empty for an ordinary entry.
    consentement_saisie = models.ForeignKey(
        "Consentement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="accord pour la saisie pour le compte de la personne",
    )

    class Meta:
        verbose_name = "membre"
        ordering = ["college", "nom", "prenom"]
        constraints = [
            models.UniqueConstraint(fields=["collectif", "cle"], name="membre_personne_unique_par_collectif"),
            models.CheckConstraint(
                condition=models.Q(date_fin__isnull=True) | models.Q(date_fin__gte=models.F("date_debut")),
                name="membre_dates_ordonnees",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prenom} {self.nom}"

    def est_actuel(self, jour: Any) -> bool:
        """Counts for R1: started, and end date not past."""
        return self.date_debut <= jour and (self.date_fin is None or self.date_fin >= jour)


class Declaration(ConcurrentTransitionMixin, models.Model):
    """One filing of a collectif in a campaign (auto-proclamation, R2)."""

    collectif = models.ForeignKey(Collectif, on_delete=models.PROTECT, related_name="declarations")
    campagne = models.ForeignKey(Campagne, on_delete=models.PROTECT, related_name="declarations", null=True, blank=True)
    etat = FSMField("état", default=EtatDeclaration.BROUILLON, choices=EtatDeclaration.choices, protected=True)
    dynamique_preexistante = models.TextField(
        "dynamique collaborative préexistante", max_length=LONGUEUR_TEXTE_DECLARATION, blank=True
    )
    projet = models.TextField("projet du collectif", max_length=LONGUEUR_TEXTE_DECLARATION, blank=True)
    additionnalite = models.TextField(
        "ce qui n'existerait pas sans le collectif", max_length=LONGUEUR_TEXTE_DECLARATION, blank=True
    )
    adhesion_charte = models.ForeignKey(
        "AdhesionCharte", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deposee_le = models.DateTimeField("déposée le", null=True, blank=True)
    motif_retrait = models.TextField("motif du retrait", max_length=LONGUEUR_MOTIF, blank=True)
    motifs_classement = models.TextField("motifs du classement sans suite", max_length=LONGUEUR_MOTIF, blank=True)
    # Set when a waitlisted declaration is put back on an agenda because a place freed up; cleared once
    # decided. Such declarations hold the freed place until their séance decides (R5).
    promue_le = models.DateTimeField("remise à l'ordre du jour le", null=True, blank=True)
    cree_le = models.DateTimeField(default=timezone.now, editable=False)
    modifiee_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "déclaration"
        ordering = ["-cree_le"]
        constraints = [
            models.UniqueConstraint(
                fields=["collectif"],
                condition=models.Q(etat="brouillon"),
                name="declaration_un_brouillon_par_collectif",
            ),
            models.UniqueConstraint(
                fields=["collectif", "campagne"],
                condition=~models.Q(etat__in=["brouillon", "retiree", "refusee", "classee_sans_suite"]),
                name="declaration_une_active_par_campagne",
            ),
        ]

    def __str__(self) -> str:
        return f"Déclaration de {self.collectif}"

    @transition(
        field=etat,
        source=EtatDeclaration.BROUILLON,
        target=EtatDeclaration.DEPOSEE,
        permission=permission_fsm(permissions.can_deposer_declaration),
    )
    def deposer(self) -> None:
        """File the declaration (auto-proclamation)."""

    @transition(
        field=etat,
        source=EtatDeclaration.DEPOSEE,
        target=EtatDeclaration.EN_INSTRUCTION,
        permission=permission_fsm(permissions.can_instruire_declaration),
    )
    def instruire(self) -> None:
        """An instructeur takes the filed declaration into instruction (R4)."""

    @transition(
        field=etat,
        source=EtatDeclaration.EN_INSTRUCTION,
        target=EtatDeclaration.A_COMPLETER,
        permission=permission_fsm(permissions.can_instruire_declaration),
    )
    def demander_complements(self) -> None:
        """Ask the collectif for more, with a message and a deadline (R4)."""

    @transition(
        field=etat,
        source=EtatDeclaration.A_COMPLETER,
        target=EtatDeclaration.EN_INSTRUCTION,
        permission=permission_fsm(permissions.can_repondre_complements),
    )
    def completer(self) -> None:
        """The collectif answers and files again: instruction resumes (R4)."""

    @transition(
        field=etat,
        source=EtatDeclaration.EN_INSTRUCTION,
        target=EtatDeclaration.RECEVABLE,
        permission=permission_fsm(permissions.can_instruire_declaration),
    )
    def declarer_recevable(self) -> None:
        """Admissible: it may go before the departmental instance (R4)."""

    @transition(
        field=etat,
        source=[EtatDeclaration.RECEVABLE, EtatDeclaration.EN_ATTENTE],
        target=EtatDeclaration.INSCRITE_EN_SEANCE,
        permission=permission_fsm(permissions.can_instruire_declaration),
    )
    def inscrire_en_seance(self) -> None:
        """Put on a séance's agenda; from the waiting list when a place frees up (R5)."""

    @transition(
        field=etat,
        source=EtatDeclaration.INSCRITE_EN_SEANCE,
        target=EtatDeclaration.AGREEE,
        permission=permission_fsm(permissions.can_instruire_declaration),
    )
    def agreer(self) -> None:
        """Accepted by the instance within the quota (R5)."""

    @transition(
        field=etat,
        source=EtatDeclaration.INSCRITE_EN_SEANCE,
        target=EtatDeclaration.REFUSEE,
        permission=permission_fsm(permissions.can_instruire_declaration),
    )
    def refuser(self) -> None:
        """Refused by the instance, with reasons on a stated ground (R5)."""

    @transition(
        field=etat,
        source=EtatDeclaration.INSCRITE_EN_SEANCE,
        target=EtatDeclaration.EN_ATTENTE,
        permission=permission_fsm(permissions.can_instruire_declaration),
    )
    def mettre_en_attente(self) -> None:
        """Favourable vote but the quota is reached: waiting list, by filing time (R5)."""

    @transition(
        field=etat,
        source=list(ETATS_RETRAIT_POSSIBLE),
        target=EtatDeclaration.RETIREE,
        permission=permission_fsm(permissions.can_retirer_declaration),
    )
    def retirer(self) -> None:
        """Withdrawn by the collectif, with a reason."""

    @transition(
        field=etat,
        source=EtatDeclaration.A_COMPLETER,
        target=EtatDeclaration.CLASSEE_SANS_SUITE,
        permission=permission_fsm(permissions.can_instruire_declaration),
    )
    def classer_sans_suite(self) -> None:
        """No answer after the deadline of the request for more: closed, with reasons (R4)."""

    @property
    def echeance_instruction(self) -> Any:
        """R4: instruction deadline, `delai_instruction_jours` after filing (None before filing)."""
        if self.deposee_le is None or self.campagne is None:
            return None
        return self.deposee_le + timedelta(days=self.campagne.delai_instruction_jours)


class DemandeComplements(models.Model):
    """A request for more sent to the collectif, with a deadline; answered by filing again (R4)."""

    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="demandes_complements")
    message = models.TextField("ce qui est demandé", max_length=LONGUEUR_COMPLEMENTS)
    echeance = models.DateField("à fournir avant le")
    demandee_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    demandee_le = models.DateTimeField(default=timezone.now)
    reponse = models.TextField("réponse du collectif", max_length=LONGUEUR_COMPLEMENTS, blank=True)
    repondue_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    repondue_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "demande de compléments"
        verbose_name_plural = "demandes de compléments"
        ordering = ["-demandee_le", "-pk"]

    def __str__(self) -> str:
        return f"Compléments demandés à {self.declaration.collectif} avant le {self.echeance:%d/%m/%Y}"

    def est_expiree(self, jour: Any) -> bool:
        """Unanswered and past its deadline (R4)."""
        return self.repondue_le is None and jour > self.echeance


class Message(models.Model):
    """A message between the collectif and the département's staff about one declaration, threaded."""

    declaration = models.ForeignKey(Declaration, on_delete=models.PROTECT, related_name="messages")
    auteur = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="reponses")
    texte = models.TextField("message", max_length=LONGUEUR_MESSAGE)
    envoye_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "message"
        ordering = ["envoye_le", "pk"]

    def __str__(self) -> str:
        return f"Message de {self.auteur} le {self.envoye_le:%d/%m/%Y}"


class Indicateur(models.Model):
    """An indicator that the collectif defines for itself (up to 5, qualitative first)."""

    declaration = models.ForeignKey(Declaration, on_delete=models.CASCADE, related_name="indicateurs")
    libelle = models.CharField("intitulé", max_length=200)
    description = models.TextField("comment l'observer", max_length=LONGUEUR_DESCRIPTION_INDICATEUR, blank=True)
    nature = models.CharField(
        "nature", max_length=20, choices=NatureIndicateur.choices, default=NatureIndicateur.QUALITATIF
    )
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "indicateur"
        ordering = ["ordre", "pk"]

    def __str__(self) -> str:
        return self.libelle


class AdhesionCharte(models.Model):
    """A person's adherence to a charter version on behalf of a collectif (R16)."""

    charte = models.ForeignKey(Charte, on_delete=models.PROTECT, related_name="adhesions")
    collectif = models.ForeignKey(Collectif, on_delete=models.PROTECT, related_name="adhesions_charte")
    personne = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    adhere_le = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "adhésion à la charte"
        ordering = ["-adhere_le"]

    def __str__(self) -> str:
        return f"{self.collectif} — charte v{self.charte.version}"


class Consentement(models.Model):
    """R10, R20: a proxy entry's consent. When an accompagnateur or a référent enters data on behalf of someone
    (a member without e-mail, the collectif), the entry points to one of these: who consented, how, when, and who
    typed it. Pages show « saisi par … pour le compte de … ». Never edited: a new entry gets a new record."""

    collectif = models.ForeignKey(Collectif, on_delete=models.PROTECT, related_name="consentements")
    # The person who consented: a member of the collectif when there is one, else their name as given.
    membre = models.ForeignKey("Membre", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    pour_le_compte_de = models.CharField("pour le compte de", max_length=200)
    mode = models.CharField("comment l'accord a été donné", max_length=10, choices=ModeConsentement.choices)
    precision = models.CharField("précision", max_length=200, blank=True)
    recueilli_le = models.DateField("accord recueilli le")
    saisi_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saisi_le = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = "consentement à une saisie pour le compte d'autrui"
        verbose_name_plural = "consentements aux saisies pour le compte d'autrui"
        ordering = ["-saisi_le", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mode=ModeConsentement.AUTRE) | ~models.Q(precision=""),
                name="consentement_autre_precise",
            )
        ]

    def __str__(self) -> str:
        return f"Saisi par {self.saisi_par} pour le compte de {self.pour_le_compte_de}"
