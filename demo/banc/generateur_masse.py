"""The bulk part of the benchmark generator (see `demo.banc.generateur`): bulk_create in batches, no per-row
query, then the chained tables sealed as `journal.chaine` does."""

from __future__ import annotations

import datetime
import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone
from viewflow.workflow.models import Process, Task

from campagnes.models import Campagne
from collectifs.models import (
    AdhesionCharte,
    Charte,
    Collectif,
    Declaration,
    DemandeComplements,
    Indicateur,
    Membre,
    Organisation,
    cle_personne,
)
from comptes.models import User
from demo.banc.generateur_commun import (
    CHEMINS,
    GABARITS,
    LOT,
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
    college,
    instantane_processus,
    plan_de_campagne,
    utilisateur,
)
from documents.enums import TypeDocument
from documents.models import CompteurDocument, Document
from documents.services import formater_numero
from fonds.enums import Compte, EtatConvention, EtatTranche, NatureBeneficiaire
from fonds.models import BilanAnnuel, Convention, EcritureFonds, Fonds, Tranche, Versement
from fonds.services.bilans import echeance_bilan
from instances.enums import ChoixVote, MotifRefus, ResultatPoint
from instances.models import PointOrdreDuJour, Seance, Vote
from journal.chaine import (
    CHAMPS_SCELLEMENT,
    Chainee,
    TeteDeChaine,
    colonnes,
    empreinte_ligne,
    empreinte_texte,
    empreinte_textes,
)
from journal.models import TransitionLog
from mutualisation.enums import EtatFiche
from mutualisation.models import FichePratique
from workflow.models import ProcessusDeclaration


def _sha256(texte: str) -> str:
    return hashlib.sha256(texte.encode()).hexdigest()


def sceller_en_masse(modele: type[Chainee]) -> int:
    """Seal the unsealed rows of one chained table exactly as `journal.chaine.sceller_table` does (pk order, same
    canonical form and hashes, the head row locked and moved on), with one bulk UPDATE per batch. The PostgreSQL
    triggers let this UPDATE through: it only seals unsealed rows."""
    brut: Any = models.QuerySet(model=modele)  # plain QuerySet: the model's own refuses update()
    noms = colonnes(modele, modele.CHAMPS_CHAINES)
    textes = modele.TEXTES_LIBRES
    with transaction.atomic():
        tete: Any
        tete, creee = models.QuerySet(model=TeteDeChaine).select_for_update().get_or_create(table=modele._meta.db_table)
        if creee:
            dernier = brut.filter(rang__isnull=False).order_by("-rang").values("rang", "empreinte").first()
            if dernier is not None:
                tete.rang, tete.empreinte = dernier["rang"], dernier["empreinte"]
        rang, precedente = tete.rang, tete.empreinte
        scellees: list[Any] = []
        lignes = brut.filter(rang__isnull=True).order_by("pk").values("pk", *noms, *colonnes(modele, textes))
        for ligne in lignes.iterator(chunk_size=LOT):
            rang += 1
            textes_h = empreinte_textes({nom: empreinte_texte(ligne[nom]) for nom in textes})
            empreinte = empreinte_ligne({nom: ligne[nom] for nom in noms}, rang, textes_h, precedente)
            scellees.append(
                modele(  # type: ignore[misc]
                    pk=ligne["pk"],
                    rang=rang,
                    empreinte=empreinte,
                    empreinte_precedente=precedente,
                    empreinte_textes=textes_h,
                )
            )
            precedente = empreinte
        brut.bulk_update(scellees, list(CHAMPS_SCELLEMENT), batch_size=LOT)
        models.QuerySet(model=TeteDeChaine).filter(pk=tete.pk).update(rang=rang, empreinte=precedente)
    return len(scellees)


class Masse:
    """The bulk part, in one transaction, stage by stage (see the module's docstring)."""

    def __init__(
        self,
        parts: list[PartDepartement],
        annees: list[int],
        collectifs: int,
        membres: int,
        echantillon: int,
        etape: Callable[[str], None],
        instantanes: dict[str, Instantane],
    ) -> None:
        self.instantanes = instantanes
        self.parts = parts
        self.annees = annees
        self.nombre = collectifs - echantillon
        self.membres = membres
        self.echantillon = echantillon
        self.etape = etape
        self.ct_declaration = ContentType.objects.get_for_model(Declaration)
        self.ct_tranche = ContentType.objects.get_for_model(Tranche)
        self.ct_seance = ContentType.objects.get_for_model(Seance)
        self.ct_convention = ContentType.objects.get_for_model(Convention)
        self.ct_versement = ContentType.objects.get_for_model(Versement)
        self.charte = Charte.objects.order_by("-version")[0]  # the sample adhered to it (migration collectifs 0002)
        self.compteurs: dict[tuple[str, str, int], int] = {
            (c.type, c.departement, c.annee): c.dernier for c in CompteurDocument.objects.all()
        }
        self.documents: list[Document] = []
        self.logs: list[TransitionLog] = []

    # -- helpers ---------------------------------------------------------------------------------------------------

    def _document(
        self, type_: str, code: str, quand: datetime.datetime, titre: str, ct: Any, pk: int, par: Any
    ) -> None:
        cle = (type_, code, quand.year)
        self.compteurs[cle] = sequence = self.compteurs.get(cle, 0) + 1
        numero = formater_numero(type=type_, departement=code, annee=quand.year, sequence=sequence)
        self.documents.append(
            Document(
                numero=numero,
                type=type_,
                departement=code,
                annee=quand.year,
                sequence=sequence,
                fichier=f"documents/{quand.year}/banc-{numero}.pdf",
                sha256=_sha256(numero),
                taille=48_000,
                titre=f"{TypeDocument(type_).label} — {titre}"[:200],
                content_type=ct,
                object_id=pk,
                emis_le=quand,
                emis_par=par,
            )
        )

    def _log(self, ct: Any, pk: int, transition: str, source: str, cible: str, acteur: Any, quand: Any) -> None:
        self.logs.append(
            TransitionLog(
                content_type=ct,
                object_id=pk,
                champ="etat",
                transition=transition,
                source=source,
                cible=cible,
                acteur=acteur,
                horodatage=quand,
            )
        )

    @staticmethod
    def _moment(annee: int, jours: int) -> datetime.datetime:
        """A moment of the campaign's filing season (autumn of the year before), never in the future."""
        quand = datetime.datetime(annee - 1, 10, 1, 9, 0, tzinfo=datetime.UTC) + datetime.timedelta(days=jours)
        return min(quand, timezone.now() - datetime.timedelta(hours=1))

    # -- stages ----------------------------------------------------------------------------------------------------

    def ecrire(self) -> None:
        plans = [
            (
                part,
                campagne,
                plan_de_campagne(self.nombre + self.echantillon, self.echantillon, rang == len(self.annees) - 1),
            )
            for part in self.parts
            for rang, campagne in enumerate(part.campagnes)
        ]
        collectifs = Collectif.objects.bulk_create(
            [
                Collectif(
                    nom=f"Collectif {rang + 1:03d} — {part.departement.code} {campagne.annee}",
                    departement=part.departement,
                    territoire=f"Quartier {rang + 1}, {part.departement.nom}",
                    cree_le=self._moment(campagne.annee, -30),
                )
                for part, campagne, plan in plans
                for rang in range(len(plan))
            ],
            batch_size=LOT,
        )
        referents = User.objects.bulk_create(
            [
                utilisateur(f"referent.{c.pk}@banc.invalid", PRENOMS[c.pk % len(PRENOMS)], NOMS[c.pk % len(NOMS)])
                for c in collectifs
            ],
            batch_size=LOT,
        )
        Collectif.referents.through.objects.bulk_create(
            [
                Collectif.referents.through(collectif_id=c.pk, user_id=u.pk)
                for c, u in zip(collectifs, referents, strict=True)
            ],
            batch_size=LOT,
        )
        organisations = Organisation.objects.bulk_create(
            [Organisation(nom=f"Centre social — {c.nom}"[:200]) for c in collectifs], batch_size=LOT
        )
        Collectif.institutions_origine.through.objects.bulk_create(
            [
                Collectif.institutions_origine.through(collectif_id=c.pk, organisation_id=o.pk)
                for c, o in zip(collectifs, organisations, strict=True)
            ],
            batch_size=LOT,
        )
        self.etape(f"{len(collectifs)} collectifs et leurs référent·es")
        self._membres(collectifs, referents)
        declarations = self._declarations(plans, collectifs, referents)
        self._seances(plans, declarations)
        self._processus(declarations)
        self._conventions(declarations)
        self._sceller()

    def _membres(self, collectifs: list[Collectif], referents: list[User]) -> None:
        debut = timezone.localdate() - datetime.timedelta(days=400)
        total = 0
        lot: list[Membre] = []
        for collectif, referent in zip(collectifs, referents, strict=True):
            for numero in range(self.membres):
                prenom, nom = PRENOMS[numero % len(PRENOMS)], f"{NOMS[numero % len(NOMS)]} {numero}"
                lot.append(
                    Membre(
                        collectif=collectif,
                        college=college(numero),
                        prenom=prenom,
                        nom=nom,
                        cle=cle_personne(prenom, nom),
                        fonction="Membre du collectif",
                        date_debut=debut,
                        consentement=True,
                        saisi_par=referent,
                        saisi_le=collectif.cree_le,
                    )
                )
            if len(lot) >= LOT:
                Membre.objects.bulk_create(lot, batch_size=LOT)
                total += len(lot)
                lot = []
        Membre.objects.bulk_create(lot, batch_size=LOT)
        self.etape(f"{total + len(lot)} membres")

    def _declarations(
        self,
        plans: list[tuple[PartDepartement, Campagne, list[str]]],
        collectifs: list[Collectif],
        referents: list[User],
    ) -> list[tuple[Declaration, PartDepartement, Campagne, User]]:
        lignes: list[tuple[Collectif, User, PartDepartement, Campagne, str, int]] = []
        rangs = iter(zip(collectifs, referents, strict=True))
        for part, campagne, plan in plans:
            for rang, etat in enumerate(plan):
                collectif, referent = next(rangs)
                lignes.append((collectif, referent, part, campagne, etat, rang))
        adhesions = AdhesionCharte.objects.bulk_create(
            [
                AdhesionCharte(
                    charte=self.charte, collectif=c, personne=u, adhere_le=self._moment(campagne.annee, rang)
                )
                for c, u, _p, campagne, _e, rang in lignes
            ],
            batch_size=LOT,
        )
        declarations = Declaration.objects.bulk_create(
            [
                Declaration(
                    collectif=c,
                    campagne=campagne,
                    etat=etat,
                    dynamique_preexistante=TEXTE_DYNAMIQUE,
                    projet=TEXTE_PROJET,
                    additionnalite=TEXTE_ADDITIONNALITE,
                    adhesion_charte=adhesion,
                    deposee_le=None if etat == E.BROUILLON else self._moment(campagne.annee, rang + 1),
                    motif_retrait="Le collectif se retire : il se réorganise." if etat == E.RETIREE else "",
                    motifs_classement="Sans réponse à la demande de compléments dans le délai."
                    if etat == E.CLASSEE_SANS_SUITE
                    else "",
                    cree_le=self._moment(campagne.annee, rang),
                    modifiee_le=self._moment(campagne.annee, rang + 1),
                )
                for (c, _u, _p, campagne, etat, rang), adhesion in zip(lignes, adhesions, strict=True)
            ],
            batch_size=LOT,
        )
        Indicateur.objects.bulk_create(
            [
                Indicateur(declaration=d, libelle=libelle, nature=nature, ordre=ordre)
                for d in declarations
                for ordre, (libelle, nature) in enumerate(
                    (
                        ("Des habitant·es prennent la parole en réunion", "qualitatif"),
                        ("Nombre de repas partagés par mois", "quantitatif"),
                    )
                )
            ],
            batch_size=LOT,
        )
        demandes = []
        resultat = []
        for declaration, (collectif, referent, part, campagne, etat, _rang) in zip(declarations, lignes, strict=True):
            resultat.append((declaration, part, campagne, referent))
            quand = declaration.deposee_le
            if quand is None:
                continue
            code = part.departement.code
            self._document(
                TypeDocument.RECEPISSE, code, quand, collectif.nom, self.ct_declaration, declaration.pk, referent
            )
            for numero, (transition, source, cible) in enumerate(CHEMINS[etat]):
                acteur = referent if transition in ("deposer", "retirer") else part.instructeur
                moment = min(quand + datetime.timedelta(days=numero * 7), timezone.now())
                self._log(self.ct_declaration, declaration.pk, transition, source, cible, acteur, moment)
            if etat in (E.A_COMPLETER, E.CLASSEE_SANS_SUITE):
                demandes.append(
                    DemandeComplements(
                        declaration=declaration,
                        message="Merci de joindre le compte rendu de votre dernière réunion.",
                        echeance=(quand + datetime.timedelta(days=30)).date(),
                        demandee_par=part.instructeur,
                        demandee_le=quand + datetime.timedelta(days=14),
                    )
                )
        DemandeComplements.objects.bulk_create(demandes, batch_size=LOT)
        self.etape(f"{len(declarations)} déclarations, {len(self.logs)} lignes de journal")
        return resultat

    def _seances(self, plans: list[tuple[PartDepartement, Campagne, list[str]]], declarations: list[Any]) -> None:
        """Points and votes on the sampled séance of each campaign: the declarations put on its agenda, and in the
        decided campaigns what the séance decided."""
        resultats = {
            E.AGREEE: ResultatPoint.AGREEE,
            E.REFUSEE: ResultatPoint.REFUSEE,
            E.EN_ATTENTE: ResultatPoint.EN_ATTENTE,
        }
        rangs: dict[int, int] = defaultdict(lambda: self.echantillon)
        points = []
        for declaration, part, campagne, _referent in declarations:
            if declaration.etat not in (E.INSCRITE_EN_SEANCE, *resultats):
                continue
            seance = part.seances[campagne.pk]
            rangs[seance.pk] += 1
            points.append(
                PointOrdreDuJour(
                    seance=seance,
                    declaration=declaration,
                    rang=rangs[seance.pk],
                    resultat=resultats.get(declaration.etat, ""),
                    motif_refus=MotifRefus.ADDITIONNALITE if declaration.etat == E.REFUSEE else "",
                    motifs="Le projet ne dit pas ce qui n'existerait pas sans le collectif."
                    if declaration.etat == E.REFUSEE
                    else "",
                    statue_le=seance.cloturee_le if declaration.etat in resultats else None,
                )
            )
        points = PointOrdreDuJour.objects.bulk_create(points, batch_size=LOT)
        membres = {part.instance.pk: part.membres_instance for part in self.parts if part.instance is not None}
        part_instructeurs = {part.instance.pk: part.instructeur for part in self.parts if part.instance is not None}
        votes = []
        for point in points:
            if not point.resultat:
                continue
            choix = ChoixVote.CONTRE if point.resultat == ResultatPoint.REFUSEE else ChoixVote.POUR
            votes += [Vote(point=point, membre=m, choix=choix) for m in membres[point.seance.instance_id] if m.votant]
            code = point.seance.instance.departement_id
            self._document(
                TypeDocument.DECISION,
                code,
                point.seance.cloturee_le or timezone.now(),
                str(point.declaration.collectif.nom),
                self.ct_declaration,
                point.declaration_id,
                part_instructeurs[point.seance.instance_id],
            )
        Vote.objects.bulk_create(votes, batch_size=LOT)
        self.etape(f"{len(points)} points d'ordre du jour, {len(votes)} votes")

    def _processus(self, declarations: list[Any]) -> None:
        """The viewflow rows of the filed declarations, copied from those of a sampled declaration in the same state
        (`GABARITS`): the flow's rows for the state the bulk declaration is in."""
        par_etat: dict[str, list[tuple[int, datetime.datetime]]] = defaultdict(list)
        for declaration, _part, _campagne, _referent in declarations:
            if declaration.etat != E.BROUILLON:
                par_etat[GABARITS[declaration.etat]].append((declaration.pk, declaration.deposee_le))
        total = sum(
            self._copier_processus(self.instantanes[etat], cibles, declaration=True)
            for etat, cibles in par_etat.items()
        )
        self.etape(f"{total} processus de déclaration copiés")

    def _copier_processus(
        self, gabarit: Instantane, cibles: list[tuple[int, datetime.datetime]], *, declaration: bool
    ) -> int:
        """Copy the process `gabarit` and its tasks (and their links) once per target: for a declaration's process
        the child row names the target declaration; otherwise the target is the process's artifact (a check-in).
        Each copy is moved in time to start at its target's moment, its tasks' delays kept."""
        valeurs, taches, liens = gabarit
        artefact = valeurs["artifact_object_id"]
        communs = {k: v for k, v in valeurs.items() if k != "id"}
        processus = Process.objects.bulk_create(
            [
                Process(
                    **{
                        **communs,
                        "created": moment,
                        "finished": communs["finished"] and communs["finished"] + (moment - communs["created"]),
                        **({} if declaration else {"artifact_object_id": cible}),
                    }
                )
                for cible, moment in cibles
            ],
            batch_size=LOT,
        )
        if declaration:
            table = connection.ops.quote_name(ProcessusDeclaration._meta.db_table)
            with connection.cursor() as curseur:
                curseur.executemany(
                    f"INSERT INTO {table} (process_ptr_id, declaration_id) VALUES (%s, %s)",  # noqa: S608 (a model's table)
                    [(p.pk, cible) for p, (cible, _m) in zip(processus, cibles, strict=True)],
                )
        nouvelles: list[Task] = []
        for copie, (cible, moment) in zip(processus, cibles, strict=True):
            for tache in taches:
                champs = {k: v for k, v in tache.items() if k not in ("id", "process_id")}
                for date in ("created", "assigned", "started", "finished", "scheduled"):
                    if champs.get(date) is not None:  # the template's delays kept (a timer stays as far ahead)
                        champs[date] += moment - valeurs["created"]
                if not declaration and artefact is not None and champs.get("artifact_object_id") == artefact:
                    champs["artifact_object_id"] = cible
                nouvelles.append(Task(process_id=copie.pk, **champs))
        creees = Task.objects.bulk_create(nouvelles, batch_size=LOT)
        nombre = len(taches)
        Task.previous.through.objects.bulk_create(
            [
                Task.previous.through(
                    from_task_id=creees[rang * nombre + positions[lien["from_task_id"]]].pk,
                    to_task_id=creees[rang * nombre + positions[lien["to_task_id"]]].pk,
                )
                for positions in [{tache["id"]: position for position, tache in enumerate(taches)}]
                for rang in range(len(processus))
                for lien in liens
            ],
            batch_size=LOT,
        )
        return len(processus)

    def _bilans(self, conventions: list[Convention]) -> None:
        """R11: the check-ins the signature plans (one per convention year, « attendu »), and their processes,
        copied from those of a sampled convention, rank by rank."""
        modele = (
            Convention.objects.filter(campagne__in=self.parts[0].campagnes, bilans__isnull=False).order_by("pk").first()
        )
        if modele is None:
            return
        bilans = BilanAnnuel.objects.bulk_create(
            [
                BilanAnnuel(
                    convention=convention,
                    rang=tranche.rang,
                    annee=tranche.annee,
                    echeance=echeance_bilan(convention.signee_le, tranche.rang, convention.campagne.delai_bilan_mois),  # type: ignore[arg-type,union-attr]
                    cree_le=convention.creee_le,
                )
                for convention in conventions
                for tranche in self.tranches[convention.pk]
            ],
            batch_size=LOT,
        )
        ct_bilan = ContentType.objects.get_for_model(BilanAnnuel)
        gabarits = {
            rang: Process.objects.filter(artifact_content_type=ct_bilan, artifact_object_id=pk)
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
            for rang, pk in modele.bilans.values_list("rang", "pk")
        }
        par_rang: dict[int, list[tuple[int, datetime.datetime]]] = defaultdict(list)
        for bilan in bilans:
            par_rang[bilan.rang].append((bilan.pk, bilan.cree_le))
        total = sum(
            self._copier_processus(instantane_processus(gabarit), par_rang[rang], declaration=False)
            for rang, gabarit in gabarits.items()
            if gabarit is not None
        )
        self.etape(f"{len(bilans)} bilans annuels, {total} processus de bilan copiés")

    def _conventions(self, declarations: list[Any]) -> None:
        """The agreed declarations' conventions, signed, with tranche 1 paid; the ledger as the services write it;
        the first cohort's practice sheets."""
        agreees = [(d, p, c, r) for d, p, c, r in declarations if d.etat == E.AGREEE]
        fonds = Fonds.objects.get(nom=NOM_FONDS)
        conventions = Convention.objects.bulk_create(
            [
                Convention(
                    fonds=fonds,
                    departement=part.departement,
                    nature_beneficiaire=NatureBeneficiaire.COLLECTIF,
                    declaration=declaration,
                    campagne=campagne,
                    beneficiaire=declaration.collectif.nom,
                    objet=f"Financement triennal du collectif « {declaration.collectif.nom} »"[:256],
                    date_debut=datetime.date(campagne.annee, 1, 1),
                    date_fin=datetime.date(campagne.annee + 2, 12, 31),
                    etat=EtatConvention.ACTIVE,
                    signee_le=(part.seances[campagne.pk].cloturee_le or timezone.now()).date(),
                    signataire_beneficiaire="Le ou la référent·e du collectif",
                    signataire_departement=f"L'instructeur, pour le Département {part.departement.code}",
                    creee_le=part.seances[campagne.pk].cloturee_le or timezone.now(),
                    creee_par=part.instructeur,
                )
                for declaration, part, campagne, _r in agreees
            ],
            batch_size=LOT,
        )
        tranches = Tranche.objects.bulk_create(
            [
                Tranche(
                    convention=convention,
                    rang=rang,
                    annee=campagne.annee + rang - 1,
                    montant=MONTANT_MINIMAL,
                    etat=EtatTranche.VERSEE if rang == 1 else EtatTranche.PREVUE,
                )
                for convention, (_d, _p, campagne, _r) in zip(conventions, agreees, strict=True)
                for rang in (1, 2, 3)
            ],
            batch_size=LOT,
        )
        self.tranches: dict[int, list[Tranche]] = defaultdict(list)
        for tranche in tranches:
            self.tranches[tranche.convention_id].append(tranche)
        versements = Versement.objects.bulk_create(
            [
                Versement(
                    tranche=tranche,
                    date_versement=tranche.convention.signee_le,
                    montant=tranche.montant,
                    reference_bancaire=f"VIR-{tranche.convention.departement_id}-{tranche.pk:07d}",
                    enregistre_par=tranche.convention.creee_par,
                )
                for tranche in tranches
                if tranche.rang == 1
            ],
            batch_size=LOT,
        )
        ecritures = []
        for index, convention in enumerate(conventions):
            siennes = tranches[index * 3 : index * 3 + 3]
            commun = {"fonds_id": convention.fonds_id, "departement_id": convention.departement_id}
            acteur = convention.creee_par
            mouvement = uuid.uuid4()
            libelle = f"Engagement de la convention {convention.reference}"
            for tranche in siennes:
                ecritures += [
                    EcritureFonds(
                        mouvement=mouvement,
                        compte=Compte.RESERVATION,
                        campagne_id=convention.campagne_id,
                        annee=tranche.annee,
                        montant=-tranche.montant,
                        libelle=libelle,
                        acteur=acteur,
                        ecrite_le=convention.creee_le,
                        **commun,
                    ),
                    EcritureFonds(
                        mouvement=mouvement,
                        compte=Compte.ENGAGEMENT,
                        convention=convention,
                        tranche=tranche,
                        annee=tranche.annee,
                        montant=tranche.montant,
                        libelle=libelle,
                        acteur=acteur,
                        ecrite_le=convention.creee_le,
                        **commun,
                    ),
                ]
            premiere = siennes[0]
            mouvement = uuid.uuid4()
            libelle = f"Versement de la tranche 1 de la convention {convention.reference}"
            for compte, signe in ((Compte.ENGAGEMENT, -1), (Compte.VERSE, 1)):
                ecritures.append(
                    EcritureFonds(
                        mouvement=mouvement,
                        compte=compte,
                        convention=convention,
                        tranche=premiere,
                        annee=premiere.annee,
                        montant=signe * premiere.montant,
                        libelle=libelle,
                        acteur=acteur,
                        ecrite_le=convention.creee_le,
                        **commun,
                    )
                )
            quand = convention.creee_le
            self._log(
                self.ct_tranche, premiere.pk, "rendre_exigible", EtatTranche.PREVUE, EtatTranche.EXIGIBLE, acteur, quand
            )
            self._log(self.ct_tranche, premiere.pk, "verser", EtatTranche.EXIGIBLE, EtatTranche.VERSEE, acteur, quand)
            code = convention.departement_id
            self._document(
                TypeDocument.CONVENTION_FINANCEMENT,
                code,
                quand,
                convention.beneficiaire,
                self.ct_convention,
                convention.pk,
                acteur,
            )
        for versement in versements:
            convention = versement.tranche.convention
            self._document(
                TypeDocument.ATTESTATION_VERSEMENT,
                convention.departement_id,
                convention.creee_le,
                convention.beneficiaire,
                self.ct_versement,
                versement.pk,
                convention.creee_par,
            )
        EcritureFonds.objects.bulk_create(ecritures, batch_size=LOT)
        premiere_annee = self.annees[0]
        referents = {d.pk: r for d, _p, _c, r in agreees}
        FichePratique.objects.bulk_create(
            [
                FichePratique(
                    collectif_id=convention.declaration.collectif_id,  # type: ignore[union-attr]
                    convention=convention,
                    departement_id=convention.departement_id,
                    annee=premiere_annee,
                    titre=f"Une cuisine partagée — {convention.beneficiaire}"[:200],
                    resume="Comment les habitant·es ont ouvert et font vivre une cuisine partagée.",
                    contexte="Un quartier où l'on se croisait sans se parler.",
                    demarche="Des réunions mensuelles, un règlement écrit ensemble, des permanences à tour de rôle.",
                    etat=EtatFiche.PUBLIEE,
                    cree_par=referents[convention.declaration_id],  # type: ignore[index]
                    proposee_le=convention.creee_le,
                    publiee_le=convention.creee_le,
                )
                for convention in conventions
                if convention.campagne is not None and convention.campagne.annee == premiere_annee
            ],
            batch_size=LOT,
        )
        self.etape(f"{len(conventions)} conventions, {len(tranches)} tranches, {len(ecritures)} écritures")
        self._bilans(conventions)

    def _sceller(self) -> None:
        Document.objects.bulk_create(self.documents, batch_size=LOT)
        TransitionLog.objects.bulk_create(self.logs, batch_size=LOT)
        existants = set(self.compteurs) & {(c.type, c.departement, c.annee) for c in CompteurDocument.objects.all()}
        a_jour = []
        for compteur in CompteurDocument.objects.all():
            compteur.dernier = self.compteurs[compteur.type, compteur.departement, compteur.annee]
            a_jour.append(compteur)
        CompteurDocument.objects.bulk_update(a_jour, ["dernier"], batch_size=LOT)
        CompteurDocument.objects.bulk_create(
            [
                CompteurDocument(type=t, departement=d, annee=a, dernier=n)
                for (t, d, a), n in self.compteurs.items()
                if (t, d, a) not in existants
            ],
            batch_size=LOT,
        )
        for modele in (Document, TransitionLog, EcritureFonds):
            self.etape(f"{sceller_en_masse(modele)} lignes scellées dans {modele._meta.db_table}")
