"""The benchmark's dataset generator (issue 13): per département, `campagnes` campaigns of consecutive years
(three-year cohorts that overlap), each with `collectifs` collectifs of `membres` members.

What the services write (the representative sample, "real" data, the same calls as `demo.seeders`):
- the national fund, its funder, its contributions and every département's envelopes (`fonds.services`);
- the presidency of each instance (`instances.services.presidence_faire_tourner`);
- every campaign: created, opened (which reserves its envelope), closed (`campagnes.services`);
- `echantillon` collectifs per département and campaign: created with their members, declaration written,
  charter accepted, filed (récépissé, viewflow process started by the receiver), declared admissible; in the decided
  campaigns, a séance prepared, held (attendance, votes) and closed (agreements, conventions, decisions), the
  conventions signed and tranche 1 paid; in the open campaign, a séance prepared with them on its agenda;
- the departmental syntheses of the first campaign's year (`mutualisation.services.syntheses`).

What bulk_create writes (batches of 2,000, no per-row query), copying the shape of the sampled rows:
- the accounts (national staff, one instructeur per département, one référent per collectif), the instances and
  their members (the demo seeder writes those with the ORM too);
- the other collectifs, members, référent links, charter adherences, declarations spread over every state of
  `EtatDeclaration`, their indicators, requests for more, journal rows (`journal.TransitionLog`, one per transition
  the services would have written), récépissés and decisions (`documents.Document` rows: a made-up SHA-256 and size,
  no file), séance points and votes (on the sampled séance of their campaign);
- the viewflow processes and tasks of the filed declarations: copies of the rows the flow wrote for a sampled
  declaration (a running process for the declarations still in instruction or waiting, a finished one for the
  decided, withdrawn or closed ones);
- the conventions of the agreed declarations, their tranches, tranche 1's payment (`fonds.Versement`), the ledger
  lines (`fonds.EcritureFonds`: the engagement movement of the three tranches and the payment movement, balanced as
  `fonds.services.conventions` writes them), their documents, their yearly check-ins (`fonds.BilanAnnuel`,
  « attendu ») with copies of the sampled check-ins' processes; the practice sheets of the first cohort.
Dates: the services date what they write today (a séance, a signature or a payment cannot be dated otherwise); the
bulk rows are dated in their campaign's filing season, the autumn before its year.
The chained tables written in bulk are sealed at the end exactly as `journal.chaine.sceller_table` does (same ranks
and hashes, in primary-key order), with one bulk UPDATE per batch instead of one per row.

This module holds the orchestration and the sample; `generateur_masse` the bulk; `generateur_commun` what both share."""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable, Sequence

from django.db import models, transaction
from django.utils import timezone
from viewflow.workflow.models import Task

from campagnes import services as campagnes_services
from campagnes.models import Campagne
from collectifs import selectors as collectifs_selectors
from collectifs import services as collectifs_services
from collectifs.models import (
    Collectif,
    Declaration,
    DemandeComplements,
    Indicateur,
    Membre,
)
from collectifs.services import DonneesIndicateur, DonneesMembre, DonneesOrganisation
from comptes.models import Instructeur, User
from demo.banc.generateur_commun import (
    CAMPAGNES_MAX,
    EMAIL_NATIONAL,
    LOT,
    MEMBRES_INSTANCE,
    MONTANT_MINIMAL,
    NOM_FONDS,
    NOMS,
    PRENOMS,
    TEXTE_ADDITIONNALITE,
    TEXTE_DYNAMIQUE,
    TEXTE_PROJET,
    E,
    Instantane,
    PartDepartement,
    annees_des_campagnes,
    college,
    instantane_processus,
    quota_des_campagnes,
    utilisateur,
)
from demo.banc.generateur_masse import Masse
from documents.models import Document
from fonds import services as fonds_services
from fonds.enums import NatureFinanceur
from fonds.models import BilanAnnuel, Convention, EcritureFonds, Tranche, Versement
from instances import services as instances_services
from instances.enums import ChoixVote, CollegeInstance
from instances.models import InstanceDepartementale, MembreInstance, PointOrdreDuJour, Seance, Vote
from journal.models import TransitionLog
from mutualisation.models import FichePratique, SyntheseDepartementale
from mutualisation.services import syntheses as syntheses_services
from territoires.models import Departement
from workflow.models import ProcessusDeclaration


def generer(
    codes: Sequence[str] | None,
    *,
    campagnes: int = 3,
    collectifs: int = 30,
    membres: int = 16,
    echantillon: int = 2,
    progression: Callable[[str], None] = lambda _m: None,
) -> dict[str, int]:
    """Build the dataset of the départements `codes` (None: all of them); return the row counts per model label."""
    if not 1 <= campagnes <= CAMPAGNES_MAX:
        raise ValueError(f"Entre 1 et {CAMPAGNES_MAX} campagnes.")
    if not 1 <= echantillon <= collectifs:
        raise ValueError("L'échantillon compte au moins un collectif, et pas plus que les collectifs.")
    if membres < 5:
        raise ValueError("Un collectif compte au moins 5 membres (R1).")
    debut = time.monotonic()

    def etape(message: str) -> None:
        progression(f"[{time.monotonic() - debut:7.1f} s] {message}")

    departements = list(
        Departement.objects.order_by("code") if codes is None else Departement.objects.filter(code__in=codes)
    )
    if codes is not None and len(departements) != len(set(codes)):
        inconnus = sorted(set(codes) - {d.code for d in departements})
        raise ValueError(f"Départements inconnus : {', '.join(inconnus)}.")
    annees = annees_des_campagnes(campagnes)
    quota = quota_des_campagnes(collectifs, echantillon)
    etape(f"{len(departements)} départements, campagnes {annees[0]}–{annees[-1]}, quota {quota}")

    national, parts = _comptes(departements)
    etape("comptes créés")
    _fonds(national, parts, annees, quota)
    etape("fonds, abondements et enveloppes (services)")
    _instances(parts)
    etape("instances et présidences")
    instantanes: dict[str, Instantane] = {}
    for rang, annee in enumerate(annees):
        ouverte = rang == len(annees) - 1
        for part in parts:
            _campagne_echantillon(part, annee, quota, ouverte, echantillon, membres, instantanes)
        etape(f"campagne {annee} et son échantillon (services)")
    with transaction.atomic():
        Masse(parts, annees, collectifs, membres, echantillon, etape, instantanes).ecrire()
    etape("masse écrite et scellée")
    annee_synthese = min(annees[0], timezone.localdate().year)  # a synthesis covers a year that has begun
    for part in parts:
        synthese = syntheses_services.synthese_generer(
            acteur=part.instructeur, departement=part.departement, annee=annee_synthese
        )
        syntheses_services.synthese_rediger(
            acteur=part.instructeur, synthese=synthese, texte="Une année de collectifs, racontée par l'instance."
        )
        syntheses_services.synthese_transmettre(acteur=part.instructeur, synthese=synthese)
    etape("synthèses départementales (services)")
    return compter()


def compter() -> dict[str, int]:
    """Row counts of the generated models, by label."""
    modeles: list[type[models.Model]] = [
        User,
        Instructeur,
        Campagne,
        Collectif,
        Membre,
        Declaration,
        Indicateur,
        DemandeComplements,
        InstanceDepartementale,
        MembreInstance,
        Seance,
        PointOrdreDuJour,
        Vote,
        TransitionLog,
        Document,
        ProcessusDeclaration,
        Task,
        Convention,
        Tranche,
        Versement,
        BilanAnnuel,
        EcritureFonds,
        FichePratique,
        SyntheseDepartementale,
    ]
    return {modele._meta.label: modele._default_manager.count() for modele in modeles}


def _comptes(departements: list[Departement]) -> tuple[User, list[PartDepartement]]:
    """National staff and one instructeur per département (unusable passwords: the measurer uses force_login)."""
    national = User.objects.create_user(
        email=EMAIL_NATIONAL, password=None, prenom="Équipe", nom="Nationale", est_equipe_nationale=True
    )
    instructeurs = User.objects.bulk_create(
        [
            utilisateur(f"instructeur.{d.code}@banc.invalid", "Instruction", f"Département {d.code}")
            for d in departements
        ],
        batch_size=LOT,
    )
    liens = Instructeur.objects.bulk_create([Instructeur(user=u) for u in instructeurs], batch_size=LOT)
    Instructeur.departements.through.objects.bulk_create(
        [
            Instructeur.departements.through(instructeur_id=lien.pk, departement_id=d.code)
            for lien, d in zip(liens, departements, strict=True)
        ],
        batch_size=LOT,
    )
    return national, [PartDepartement(d, u) for d, u in zip(departements, instructeurs, strict=True)]


def _fonds(national: User, parts: list[PartDepartement], annees: list[int], quota: int) -> None:
    """The national fund, one funder, its contributions and the envelopes: up to three cohorts overlap in a year."""
    fonds = fonds_services.fonds_creer(acteur=national, nom=NOM_FONDS)
    financeur = fonds_services.financeur_creer(
        acteur=national, nom="État — ministère des Solidarités (banc)", nature=NatureFinanceur.ETAT
    )
    enveloppe = MONTANT_MINIMAL * quota * len(annees)
    for annee in range(annees[0], annees[-1] + 3):
        fonds_services.abondement_enregistrer(
            acteur=national, fonds=fonds, financeur=financeur, annee=annee, montant=enveloppe * len(parts)
        )
        for part in parts:
            fonds_services.enveloppe_repartir(
                acteur=national, fonds=fonds, departement=part.departement, annee=annee, montant=enveloppe
            )


def _instances(parts: list[PartDepartement]) -> None:
    """One instance per département with its members in the four colleges (the État's without a vote), and its
    first presidency (service)."""
    instances = InstanceDepartementale.objects.bulk_create(
        [
            InstanceDepartementale(
                departement=part.departement,
                nom=f"Instance départementale des collectifs — {part.departement.nom}",
                contact_email=f"collectifs.{part.departement.code}@banc.invalid",
            )
            for part in parts
        ],
        batch_size=LOT,
    )
    colleges = list(CollegeInstance.values)
    membres = MembreInstance.objects.bulk_create(
        [
            MembreInstance(
                instance=instance,
                prenom=PRENOMS[rang % len(PRENOMS)],
                nom=NOMS[rang % len(NOMS)],
                institution=f"Institution {rang}",
                college=colleges[rang % len(colleges)],
                votant=rang < MEMBRES_INSTANCE - 1,
                rang_rotation=rang + 1,
            )
            for instance in instances
            for rang in range(MEMBRES_INSTANCE)
        ],
        batch_size=LOT,
    )
    for rang, (part, instance) in enumerate(zip(parts, instances, strict=True)):
        part.instance = instance
        part.membres_instance = membres[rang * MEMBRES_INSTANCE : (rang + 1) * MEMBRES_INSTANCE]
        instances_services.presidence_faire_tourner(acteur=part.instructeur, instance=instance)


def _instantane(declaration: Declaration) -> Instantane:
    """The viewflow rows of a declaration's process as they stand now: the process, its tasks, their links."""
    return instantane_processus(
        ProcessusDeclaration.objects.filter(declaration=declaration).values_list("pk", flat=True).get()
    )


def _campagne_echantillon(
    part: PartDepartement,
    annee: int,
    quota: int,
    ouverte: bool,
    echantillon: int,
    membres: int,
    instantanes: dict[str, Instantane],
) -> None:
    """One campaign of one département and its sampled collectifs, through the services. In the open campaign, the
    first one is also asked for more and answers before it is declared admissible. The first time, the viewflow
    rows of its process are kept at each step (`instantanes`, by declaration state) for the bulk to copy."""
    aujourdhui = timezone.localdate()
    instructeur = part.instructeur
    campagne = campagnes_services.campagne_creer(
        acteur=instructeur,
        departement=part.departement,
        annee=annee,
        quota=quota,
        enveloppe_annuelle=MONTANT_MINIMAL * quota,
        montant_minimal_annuel=MONTANT_MINIMAL,
        date_ouverture=max(aujourdhui - datetime.timedelta(days=30), datetime.date(annee - 1, 1, 1))
        if ouverte
        else datetime.date(annee - 1, 10, 1),
        date_cloture=aujourdhui + datetime.timedelta(days=150) if ouverte else aujourdhui,
    )
    campagne = campagnes_services.campagne_ouvrir(acteur=instructeur, campagne=campagne)
    part.campagnes.append(campagne)
    declarations = []
    for rang in range(echantillon):
        declaration = _collectif_echantillon(part, campagne, rang, membres)
        if ouverte and rang == 0:
            instantanes.setdefault(E.DEPOSEE, _instantane(declaration))
            collectifs_services.complements_demander(
                acteur=instructeur,
                declaration=declaration,
                message="Merci de joindre le compte rendu de votre dernière réunion.",
            )
            instantanes.setdefault(E.A_COMPLETER, _instantane(declaration))
            declaration = collectifs_services.complements_repondre(
                acteur=declaration.collectif.referents.get(),
                declaration=declaration,
                reponse="Le compte rendu est joint.",
            )
        declaration = collectifs_services.declaration_declarer_recevable(acteur=instructeur, declaration=declaration)
        if ouverte and rang == 0:
            instantanes.setdefault(E.RECEVABLE, _instantane(declaration))
        declarations.append(declaration)
    assert part.instance is not None
    seance = instances_services.seance_preparer(
        acteur=instructeur,
        instance=part.instance,
        campagne=campagne,
        date=timezone.localtime().replace(second=0, microsecond=0),
        lieu=f"Hôtel du Département — {part.departement.nom}",
    )
    part.seances[campagne.pk] = seance
    if ouverte:
        instantanes.setdefault(E.INSCRITE_EN_SEANCE, _instantane(declarations[0]))
        return
    instances_services.seance_ouvrir(acteur=instructeur, seance=seance)
    instances_services.seance_enregistrer_presences(acteur=instructeur, seance=seance, presents=part.membres_instance)
    votants = [m for m in part.membres_instance if m.votant]
    for point in seance.points.order_by("rang"):
        instances_services.votes_enregistrer(
            acteur=instructeur, point=point, votes=dict.fromkeys(votants, ChoixVote.POUR)
        )
    instances_services.seance_clore(acteur=instructeur, seance=seance)
    instantanes.setdefault(E.AGREEE, _instantane(declarations[0]))
    for numero, convention in enumerate(Convention.objects.filter(campagne=campagne).order_by("pk"), start=1):
        convention = fonds_services.convention_signer(
            acteur=instructeur,
            convention=convention,
            signee_le=aujourdhui,
            signataire_beneficiaire="Le ou la référent·e du collectif",
            signataire_departement=f"L'instructeur, pour le Département {part.departement.code}",
        )
        tranche = convention.tranches.get(rang=1)
        fonds_services.versement_enregistrer(
            acteur=instructeur,
            tranche=tranche,
            date_versement=aujourdhui,
            montant=tranche.montant,
            reference_bancaire=f"VIR-{part.departement.code}-{annee}-E{numero:04d}",
        )
    campagnes_services.campagne_clore(acteur=instructeur, campagne=campagne)


def _collectif_echantillon(part: PartDepartement, campagne: Campagne, rang: int, membres: int) -> Declaration:
    """A sampled collectif created, completed and filed by its référent (services); its référent account is
    renamed after the collectif once its number is known."""
    code = part.departement.code
    referent = User.objects.create_user(
        email=f"referent.echantillon.{code}.{campagne.annee}.{rang}@banc.invalid",
        password=None,
        prenom=PRENOMS[rang % len(PRENOMS)],
        nom=NOMS[rang % len(NOMS)],
    )
    collectif = collectifs_services.collectif_creer(
        acteur=referent,
        nom=f"Collectif échantillon {rang + 1} — {code} {campagne.annee}",
        departement=part.departement,
        territoire=f"Quartier {rang + 1}, {part.departement.nom}",
        institutions=[DonneesOrganisation(nom=f"Centre social du quartier {rang + 1} ({code})")],
    )
    User.objects.filter(pk=referent.pk).update(email=f"referent.{collectif.pk}@banc.invalid")
    referent.refresh_from_db()
    for numero in range(membres):
        collectifs_services.membre_ajouter(
            acteur=referent,
            collectif=collectif,
            donnees=DonneesMembre(
                college=college(numero),
                prenom=PRENOMS[numero % len(PRENOMS)],
                nom=f"{NOMS[numero % len(NOMS)]} {numero}",
                fonction="Membre du collectif",
                consentement=True,
                date_debut=timezone.localdate() - datetime.timedelta(days=400),
            ),
        )
    declaration = collectifs_selectors.brouillon_du_collectif(collectif)
    assert declaration is not None
    collectifs_services.declaration_enregistrer(
        acteur=referent,
        declaration=declaration,
        dynamique_preexistante=TEXTE_DYNAMIQUE,
        projet=TEXTE_PROJET,
        additionnalite=TEXTE_ADDITIONNALITE,
    )
    collectifs_services.indicateurs_enregistrer(
        acteur=referent,
        declaration=declaration,
        indicateurs=[
            DonneesIndicateur("Des habitant·es prennent la parole en réunion"),
            DonneesIndicateur("Nombre de repas partagés par mois", nature="quantitatif"),
        ],
    )
    collectifs_services.charte_accepter(acteur=referent, declaration=declaration)
    collectifs_services.declaration_deposer(acteur=referent, declaration=declaration)
    return Declaration.objects.get(pk=declaration.pk)
