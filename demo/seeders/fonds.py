"""Seeds the innovation fund (R3, R7, R8): a national fund with four funders and their contributions for the
budget years 2026–2029 (the Département de la Loire's earmarked for the Loire), the envelopes of the Loire and the
Rhône distributed by national staff, then, once the 2026 séance has agreed, the signature of the collectifs'
conventions with tranche 1 paid, a student project of the Loire, and a funder's login.

Everything goes through the fund's services, so the ledger is written as in production. The fund and the envelopes
must exist before the demo campaigns open: opening a campaign reserves its yearly envelope (R3)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from campagnes.models import Campagne
from comptes.models import User
from fonds import services as fonds_services
from fonds.enums import EtatConvention, EtatTranche, NatureBeneficiaire, NatureFinanceur
from fonds.models import Abondement, AccesFinanceur, Convention, Financeur, Fonds
from fonds.selectors import enveloppes_du_departement
from fonds.services import financeurs as financeurs_services
from territoires.models import Departement

E = Decimal
NOM_FONDS = "Fonds national d'innovation sociale"
ANNEES = (2026, 2027, 2028, 2029)

# The funders (R8): key → (name, kind, SIRET or "").
FINANCEURS = {
    "etat": ("État — ministère des Solidarités", NatureFinanceur.ETAT, "11000201100044"),
    "loire": ("Département de la Loire", NatureFinanceur.DEPARTEMENT, ""),
    # A CAF is a social-security body; of the kinds of SPEC §3, « autre collectivité » is the closest.
    "caf": ("CAF de la Loire", NatureFinanceur.AUTRE_COLLECTIVITE, ""),
    "fondation": ("Fondation Territoires solidaires", NatureFinanceur.FONDATION, ""),
}
# Each funder's yearly contribution; the Département de la Loire's is earmarked for the Loire.
ABONDEMENTS = {"etat": E("200000.00"), "loire": E("60000.00"), "caf": E("40000.00"), "fondation": E("80000.00")}
FLECHE_LOIRE = "loire"
# The envelopes distributed by national staff, per département and year: 350 000 € of the 380 000 € contributed
# each year; the rest stays to distribute. The Loire's covers its 2026 and 2027 cohorts (40 000 € and 120 000 € a
# year) and the student project; the Rhône's, its 2027 campaign (120 000 € a year) once opened.
ENVELOPPES = {"42": E("200000.00"), "69": E("150000.00")}

# The student project of the Loire (R8), charged to the Loire's envelopes.
PROJET_ETUDIANT = fonds_services.DonneesProjet(
    nature_beneficiaire=NatureBeneficiaire.PROJET_ETUDIANT,
    beneficiaire="IUT de Roanne — Université Jean Monnet",
    objet=(
        "Projet tutoré « Habiter le quartier du Parc » : des étudiant·es en carrières sociales recueillent, avec "
        "les habitant·es, les usages des espaces communs du quartier du Parc à Roanne."
    ),
    date_debut=datetime.date(2026, 9, 1),
    date_fin=datetime.date(2027, 8, 31),
    tranches=[(2026, E("6000.00")), (2027, E("4000.00"))],
)
SIGNATAIRE_DEPARTEMENT = "Claire Dumas, instructrice, par délégation du président du Département de la Loire"
SIGNATAIRE_IUT = "Jean-Marc Rivière, directeur de l'IUT de Roanne"


def fonds_national(national: User, departements: dict[str, Departement]) -> Fonds:
    """The national fund, its four funders, their contributions 2026–2029 and the envelopes of the Loire and the
    Rhône, each written once (what exists is looked up first)."""
    fonds = Fonds.objects.filter(nom=NOM_FONDS).first() or fonds_services.fonds_creer(acteur=national, nom=NOM_FONDS)
    financeurs = {
        cle: Financeur.objects.filter(nom=nom).first()
        or fonds_services.financeur_creer(acteur=national, nom=nom, nature=nature, siret=siret)
        for cle, (nom, nature, siret) in FINANCEURS.items()
    }
    deja = set(Abondement.objects.filter(fonds=fonds).values_list("financeur_id", "annee"))
    for annee in ANNEES:
        for cle, montant in ABONDEMENTS.items():
            if (financeurs[cle].pk, annee) not in deja:
                fonds_services.abondement_enregistrer(
                    acteur=national,
                    fonds=fonds,
                    financeur=financeurs[cle],
                    annee=annee,
                    montant=montant,
                    departement_fleche=departements["42"] if cle == FLECHE_LOIRE else None,
                )
    for code, montant in ENVELOPPES.items():
        etats = enveloppes_du_departement(fonds, code, list(ANNEES))
        for annee in ANNEES:
            if etats[annee].repartie == 0:
                fonds_services.enveloppe_repartir(
                    acteur=national, fonds=fonds, departement=departements[code], annee=annee, montant=montant
                )
    return fonds


def conventions_2026(instructrice: User, campagne: Campagne) -> list[Convention]:
    """R7: the conventions the 2026 séance created with its agreements, signed by both parties and with tranche 1
    paid (today: the séance was held today, and neither can be dated before it nor in the future)."""
    aujourdhui = timezone.localdate()
    conventions = list(
        Convention.objects.filter(campagne=campagne, etat=EtatConvention.ACTIVE)
        .select_related("declaration__collectif")
        .order_by("pk")
    )
    for numero, convention in enumerate(conventions, start=1):
        if convention.signee_le is None:
            referent = convention.declaration.collectif.referents.order_by("pk").first()  # type: ignore[union-attr]
            signataire = f"{referent.nom_complet}, référent·e du collectif" if referent else "Le ou la référent·e"
            convention = fonds_services.convention_signer(
                acteur=instructrice,
                convention=convention,
                signee_le=aujourdhui,
                signataire_beneficiaire=signataire,
                signataire_departement=SIGNATAIRE_DEPARTEMENT,
            )
        _verser_tranche_1(instructrice, convention, f"VIR-42-2026-{numero:04d}")
    return conventions


def projet_etudiant(instructrice: User, fonds: Fonds) -> Convention:
    """R8: a project of another kind of beneficiary, recorded by the Loire's instructrice, signed, tranche 1
    paid."""
    convention = Convention.objects.filter(fonds=fonds, beneficiaire=PROJET_ETUDIANT.beneficiaire).first()
    if convention is None:
        convention = fonds_services.projet_financer(
            acteur=instructrice, fonds=fonds, departement_code="42", donnees=PROJET_ETUDIANT
        )
    if convention.signee_le is None:
        convention = fonds_services.convention_signer(
            acteur=instructrice,
            convention=convention,
            signee_le=timezone.localdate(),
            signataire_beneficiaire=SIGNATAIRE_IUT,
            signataire_departement=SIGNATAIRE_DEPARTEMENT,
        )
    _verser_tranche_1(instructrice, convention, "VIR-42-2026-0100")
    return convention


def acces_financeur(national: User, utilisateur: User) -> AccesFinanceur:
    """R8: the Département de la Loire's login: national staff invite its holder, who accepts."""
    acces = AccesFinanceur.objects.filter(utilisateur=utilisateur).first()
    if acces is not None:
        return acces
    financeur = Financeur.objects.get(nom=FINANCEURS["loire"][0])
    acces = AccesFinanceur.objects.filter(
        financeur=financeur, email=utilisateur.email, accepte_le__isnull=True
    ).first() or financeurs_services.financeur_inviter(acteur=national, financeur=financeur, email=utilisateur.email)
    financeurs_services.acces_financeur_accepter(acteur=utilisateur, acces=acces)
    acces.refresh_from_db()
    return acces


def _verser_tranche_1(instructrice: User, convention: Convention, reference_bancaire: str) -> None:
    tranche = convention.tranches.get(rang=1)
    if tranche.etat == EtatTranche.EXIGIBLE:
        fonds_services.versement_enregistrer(
            acteur=instructrice,
            tranche=tranche,
            date_versement=timezone.localdate(),
            montant=tranche.montant,
            reference_bancaire=reference_bancaire,
        )
