"""Load realistic demo data (Loire and Rhône), idempotently, and print one login per role."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from campagnes import services as campagnes_services
from campagnes.enums import EtatCampagne
from campagnes.models import Campagne
from collectifs import selectors, services
from collectifs.enums import College, EtatDeclaration
from collectifs.models import Collectif, Declaration
from collectifs.services import DonneesIndicateur, DonneesOrganisation
from comptes.models import Instructeur, User
from instances import services as instances_services
from instances.enums import ChoixVote, CollegeInstance, MotifRefus
from instances.models import Accompagnateur, InstanceDepartementale, MembreInstance, Seance
from instances.selectors import presidence_en_cours
from territoires.models import Departement

# A local demonstration password, printed on screen; never use these accounts outside a demo.
MOT_DE_PASSE_DEMO = "demo-collectifs-2027"

COMPTES = {
    "referente": ("amina.benali@demo.collectifs-ds.fr", "Amina", "Benali"),
    "referent_firminy": ("julien.moreau@demo.collectifs-ds.fr", "Julien", "Moreau"),
    "referente_roanne": ("sophie.lambert@demo.collectifs-ds.fr", "Sophie", "Lambert"),
    "instructrice_42": ("claire.dumas@demo.collectifs-ds.fr", "Claire", "Dumas"),
    "instructeur_69": ("marc.giraud@demo.collectifs-ds.fr", "Marc", "Giraud"),
    "national": ("equipe.nationale@demo.collectifs-ds.fr", "Nadia", "Rousseau"),
    "presidente_instance": ("francoise.vernay@demo.collectifs-ds.fr", "Françoise", "Vernay"),
    "membre_instance": ("laurent.bouchet@demo.collectifs-ds.fr", "Laurent", "Bouchet"),
    "accompagnatrice": ("celine.marcoux@demo.collectifs-ds.fr", "Céline", "Marcoux"),
    "referent_rive_de_gier": ("mohamed.cherif@demo.collectifs-ds.fr", "Mohamed", "Chérif"),
    "referente_saint_chamond": ("isabelle.fournier@demo.collectifs-ds.fr", "Isabelle", "Fournier"),
    "referent_feurs": ("pierre.gauthier@demo.collectifs-ds.fr", "Pierre", "Gauthier"),
    "referente_la_ricamarie": ("nadine.bonnet@demo.collectifs-ds.fr", "Nadine", "Bonnet"),
    "referente_montbrison": ("elise.chazal@demo.collectifs-ds.fr", "Élise", "Chazal"),
}

# The departmental instance of the Loire (SPEC §3): rang_rotation → (account key or None, first name, last name,
# institution, college, voting). Rank 1 holds the first presidency (R6); the État's representative does not vote.
MEMBRES_INSTANCE_LOIRE = {
    1: (
        "presidente_instance",
        "Françoise",
        "Vernay",
        "Département de la Loire (vice-présidente chargée de l'action sociale)",
        CollegeInstance.ELUS,
        True,
    ),
    2: (None, "Jean-Luc", "Moulin", "Ville de Saint-Étienne (adjoint aux quartiers)", CollegeInstance.ELUS, True),
    3: (
        "membre_instance",
        "Laurent",
        "Bouchet",
        "CCAS de Roanne (assistant de service social)",
        CollegeInstance.TRAVAILLEURS_SOCIAUX,
        True,
    ),
    4: (
        None,
        "Sandrine",
        "Pras",
        "Département de la Loire (conseillère en économie sociale et familiale)",
        CollegeInstance.TRAVAILLEURS_SOCIAUX,
        True,
    ),
    5: (None, "Yasmina", "Belkacem", "Conseil citoyen de Montreynaud", CollegeInstance.HABITANTS_USAGERS, True),
    6: (
        None,
        "Robert",
        "Chapuis",
        "Association des usagers du centre social de Montbrison",
        CollegeInstance.HABITANTS_USAGERS,
        True,
    ),
    7: (None, "Agnès", "Tardy", "CAF de la Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, True),
    8: (None, "Michel", "Dufour", "MSA Ardèche Drôme Loire", CollegeInstance.PARTENAIRES_INSTITUTIONNELS, True),
    9: (
        None,
        "Hervé",
        "Collomb",
        "État — DDETS de la Loire (voix consultative)",
        CollegeInstance.PARTENAIRES_INSTITUTIONNELS,
        False,
    ),
}

# The département's registry of accompagnateurs (R10): (account key or None, first name, last name, structure).
ACCOMPAGNATEURS_LOIRE = [
    ("accompagnatrice", "Céline", "Marcoux", "Fédération des centres sociaux de la Loire"),
    (None, "Olivier", "Peyron", "Coopérative d'accompagnement Loire Solidaires"),
    (None, "Karine", "Dubœuf", "Maison de l'économie sociale et solidaire, Roanne"),
]

# The past séance of the 2026 Loire campaign (quota 2): two agreed, one refused with reasons, one waitlisted.
QUOTA_2026 = 2
# How the present voting members (by rank) voted on the Collectif du Forum: 2 pour, 4 contre, 1 abstention.
VOTES_FORUM = {
    1: ChoixVote.CONTRE,
    2: ChoixVote.CONTRE,
    3: ChoixVote.POUR,
    4: ChoixVote.CONTRE,
    5: ChoixVote.POUR,
    6: ChoixVote.ABSTENTION,
    7: ChoixVote.CONTRE,
}
MOTIFS_REFUS_FEURS = (
    "L'épicerie solidaire du Forum est déjà portée par le centre social seul, avec un financement de la "
    "Ville de Feurs : la déclaration ne dit pas ce que le collectif ferait qui n'existerait pas sans lui. "
    "L'instance encourage le collectif à déposer de nouveau en précisant son projet commun."
)

MEMBRES_COMPLETS = [
    (College.ELU_RESPONSABLE, "Hélène", "Vial", "Adjointe aux solidarités", "Ville de Saint-Étienne", "21420218600018"),
    (
        College.PROFESSIONNEL,
        "Karim",
        "Haddad",
        "Conseiller en économie sociale et familiale",
        "Département de la Loire",
        "",
    ),
    (College.PROFESSIONNEL, "Élodie", "Perrin", "Animatrice", "Centre social de Montreynaud", ""),
    (
        College.HABITANT,
        "Fatou",
        "Diallo",
        "Habitante, amicale des locataires",
        "Amicale des locataires de Montreynaud",
        "",
    ),
    (College.HABITANT, "Gérard", "Chambon", "Bénévole, jardin partagé", "Les Jardins de la Cotonne", ""),
]


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) et affiche les identifiants."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--force", action="store_true", help="Autoriser hors mode DEBUG.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError("Les données de démonstration ne se chargent qu'en mode DEBUG (ou avec --force).")
        comptes = {cle: self._utilisateur(*valeurs) for cle, valeurs in COMPTES.items()}
        national = comptes["national"]
        if not national.is_superuser:
            national.est_equipe_nationale = national.is_staff = national.is_superuser = True
            national.save(update_fields=["est_equipe_nationale", "is_staff", "is_superuser"])
        loire, rhone = Departement.objects.get(code="42"), Departement.objects.get(code="69")
        instructrice = comptes["instructrice_42"]
        self._instructeur(instructrice, loire)
        self._instructeur(comptes["instructeur_69"], rhone)
        instance, membres = self._instance_loire(instructrice, loire, comptes)
        accompagnateurs = self._accompagnateurs(loire, comptes)
        self._campagne_2026(national, instructrice, loire, comptes, instance, membres, accompagnateurs)
        self._campagne(national, loire, ouvrir=True)
        self._campagne(national, rhone, ouvrir=False)

        self._collectif(
            comptes["referente"],
            loire,
            "Collectif Tarentaize-Beaubrun en transition",
            "Quartiers Tarentaize et Beaubrun, Saint-Étienne",
            "42218",
            membres=MEMBRES_COMPLETS[:2] + MEMBRES_COMPLETS[3:4],
            complet=False,
        )
        self._collectif(
            comptes["referente"],
            loire,
            "Collectif Solidarités Montreynaud",
            "Quartier de Montreynaud, Saint-Étienne",
            "42218",
            membres=MEMBRES_COMPLETS,
            complet=True,
        )
        self._collectif(
            comptes["referent_firminy"],
            loire,
            "Firminy Vert en commun",
            "Quartier de Firminy-Vert, Firminy",
            "42095",
            membres=[
                (College.ELU_RESPONSABLE, "Bernard", "Faure", "Maire adjoint", "Ville de Firminy", ""),
                (College.PROFESSIONNEL, "Nathalie", "Roux", "Éducatrice spécialisée", "ADSEA 42", ""),
                (College.PROFESSIONNEL, "Yann", "Le Goff", "Travailleur social", "CCAS de Firminy", ""),
                (College.HABITANT, "Malika", "Saïdi", "Habitante", "Collectif des mamans de Firminy-Vert", ""),
                (College.HABITANT, "Louis", "Berthon", "Retraité, conseil citoyen", "Conseil citoyen de Firminy", ""),
            ],
            complet=True,
            deposer=True,
        )
        roanne = self._collectif(
            comptes["referente_roanne"],
            loire,
            "Le Parc ensemble",
            "Quartier du Parc, Roanne",
            "42187",
            membres=[
                (College.ELU_RESPONSABLE, "Anne", "Mercier", "Directrice", "CAF de la Loire", ""),
                (College.PROFESSIONNEL, "Thomas", "Blanc", "Animateur jeunesse", "Centre social du Parc", ""),
                (College.PROFESSIONNEL, "Inès", "Garnier", "Assistante sociale", "Département de la Loire", ""),
                (College.HABITANT, "Rachid", "Benamar", "Habitant, association de quartier", "Vivre au Parc", ""),
                (College.HABITANT, "Josiane", "Dupuy", "Usagère de l'épicerie solidaire", "", ""),
            ],
            complet=True,
            deposer=True,
        )
        # R4: the instructrice asks Le Parc ensemble for more; the référente can answer and file again.
        declaration = self._deposee(roanne)
        if declaration is not None and declaration.etat in (EtatDeclaration.DEPOSEE, EtatDeclaration.EN_INSTRUCTION):
            services.complements_demander(
                acteur=instructrice,
                declaration=declaration,
                message=(
                    "Merci de préciser qui, parmi les habitant·es, participera à la gestion de la cuisine "
                    "partagée, et de joindre le compte rendu de votre dernière réunion avec le centre social."
                ),
            )
        montbrison = self._collectif(
            comptes["referente_montbrison"],
            loire,
            "Les Jardins du Vizézy",
            "Quartier de Beauregard, Montbrison",
            "42147",
            membres=[
                (College.ELU_RESPONSABLE, "Christian", "Bayle", "Conseiller municipal", "Ville de Montbrison", ""),
                (College.PROFESSIONNEL, "Aurélie", "Fontvieille", "Animatrice", "Centre social de Montbrison", ""),
                (College.PROFESSIONNEL, "Damien", "Grange", "Éducateur", "Sauvegarde 42", ""),
                (College.HABITANT, "Léa", "Brunon", "Habitante, jardin partagé", "Les Jardins du Vizézy", ""),
                (College.HABITANT, "Ahmed", "Zerrouki", "Habitant, amicale de Beauregard", "", ""),
            ],
            complet=True,
            deposer=True,
        )
        # R4: admissible, ready for the next séance of the instance.
        declaration = self._deposee(montbrison)
        if declaration is not None and declaration.etat in (EtatDeclaration.DEPOSEE, EtatDeclaration.EN_INSTRUCTION):
            services.declaration_declarer_recevable(acteur=instructrice, declaration=declaration)
        self._afficher()

    def _utilisateur(self, email: str, prenom: str, nom: str) -> User:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=MOT_DE_PASSE_DEMO, prenom=prenom, nom=nom)
        return user

    def _instructeur(self, user: User, departement: Departement) -> None:
        instructeur, _ = Instructeur.objects.get_or_create(user=user)
        instructeur.departements.add(departement)

    def _campagne(self, acteur: User, departement: Departement, *, ouvrir: bool) -> Campagne:
        campagne = Campagne.objects.filter(departement=departement, annee=2027).first()
        if campagne is None:
            aujourdhui = timezone.localdate()
            campagne = campagnes_services.campagne_creer(
                acteur=acteur,
                departement=departement,
                annee=2027,
                quota=6,
                enveloppe_annuelle=Decimal("120000.00"),
                montant_minimal_annuel=Decimal("15000.00"),
                date_ouverture=aujourdhui - datetime.timedelta(days=30),
                date_cloture=aujourdhui + datetime.timedelta(days=150),
            )
        if ouvrir and campagne.etat == EtatCampagne.PREPARATION:
            campagne = campagnes_services.campagne_ouvrir(acteur=acteur, campagne=campagne)
        return campagne

    def _collectif(
        self,
        referent: User,
        departement: Departement,
        nom: str,
        territoire: str,
        communes: str,
        *,
        membres: Sequence[tuple[str, str, str, str, str, str]],
        complet: bool,
        deposer: bool = False,
    ) -> Collectif:
        existant = Collectif.objects.filter(nom=nom).first()
        if existant is not None:
            return existant
        institutions = [DonneesOrganisation(nom=m[4], siret=m[5]) for m in membres if m[0] != College.HABITANT and m[4]]
        collectif = services.collectif_creer(
            acteur=referent,
            nom=nom,
            departement=departement,
            territoire=territoire,
            codes_communes=communes,
            institutions=institutions[:2],
        )
        for college, prenom, nom_membre, fonction, organisation, siret in membres:
            services.membre_ajouter(
                acteur=referent,
                collectif=collectif,
                college=college,
                prenom=prenom,
                nom=nom_membre,
                fonction=fonction,
                organisation=DonneesOrganisation(nom=organisation, siret=siret) if organisation else None,
                consentement=True,
                date_debut=timezone.localdate() - datetime.timedelta(days=400),
            )
        declaration = selectors.brouillon_du_collectif(collectif)
        assert declaration is not None
        services.declaration_enregistrer(
            acteur=referent,
            declaration=declaration,
            dynamique_preexistante=(
                "Depuis trois ans, la mairie, le centre social et les habitant·es se retrouvent chaque mois "
                "autour d'un café du quartier. Ensemble, nous avons déjà organisé une fête des voisins et une "
                "bourse aux vêtements."
            ),
            projet=(
                "Ouvrir une cuisine partagée au pied des immeubles, gérée par les habitant·es, pour rompre "
                "l'isolement et préparer des repas à petit prix."
            ),
            additionnalite=""
            if not complet
            else (
                "Aucune des structures ne peut porter seule ce lieu : il faut la salle de la ville, le temps des "
                "professionnel·les et la présence des habitant·es le soir et le week-end."
            ),
        )
        services.indicateurs_enregistrer(
            acteur=referent,
            declaration=declaration,
            indicateurs=[
                DonneesIndicateur("Des habitant·es qui ne venaient pas prennent la parole en réunion"),
                DonneesIndicateur("Nombre de repas partagés par mois", nature="quantitatif"),
            ],
        )
        if complet:
            services.charte_accepter(acteur=referent, declaration=declaration)
        if deposer and declaration.etat == EtatDeclaration.BROUILLON:
            services.declaration_deposer(acteur=referent, declaration=declaration)
        return collectif

    @staticmethod
    def _deposee(collectif: Collectif) -> Declaration | None:
        """The collectif's latest filed declaration."""
        return collectif.declarations.exclude(etat=EtatDeclaration.BROUILLON).order_by("-deposee_le").first()

    def _instance_loire(
        self, instructrice: User, loire: Departement, comptes: dict[str, User]
    ) -> tuple[InstanceDepartementale, dict[int, MembreInstance]]:
        """The Loire instance, its members in the four colleges, and its first presidency (R6)."""
        instance, _ = InstanceDepartementale.objects.get_or_create(
            departement=loire, defaults={"nom": "Instance départementale des collectifs de la Loire"}
        )
        membres = {}
        for rang, (compte, prenom, nom, institution, college, votant) in MEMBRES_INSTANCE_LOIRE.items():
            membres[rang], _ = MembreInstance.objects.get_or_create(
                instance=instance,
                rang_rotation=rang,
                defaults={
                    "user": comptes[compte] if compte else None,
                    "prenom": prenom,
                    "nom": nom,
                    "institution": institution,
                    "college": college,
                    "votant": votant,
                },
            )
        if presidence_en_cours(instance) is None:
            instances_services.presidence_faire_tourner(acteur=instructrice, instance=instance)
        return instance, membres

    def _accompagnateurs(self, loire: Departement, comptes: dict[str, User]) -> list[Accompagnateur]:
        """The département's registry of accompagnateurs (R10)."""
        return [
            Accompagnateur.objects.get_or_create(
                departement=loire,
                nom=nom,
                prenom=prenom,
                defaults={
                    "structure": structure,
                    "user": comptes[compte] if compte else None,
                    "email": comptes[compte].email if compte else "",
                },
            )[0]
            for compte, prenom, nom, structure in ACCOMPAGNATEURS_LOIRE
        ]

    def _campagne_2026(
        self,
        national: User,
        instructrice: User,
        loire: Departement,
        comptes: dict[str, User],
        instance: InstanceDepartementale,
        membres: dict[int, MembreInstance],
        accompagnateurs: list[Accompagnateur],
    ) -> None:
        """The 2026 Loire campaign (quota 2), already decided in a closed séance: two agreed, one refused with
        reasons, one waitlisted. It must be opened, filed in and closed before the 2027 campaign opens."""
        campagne = Campagne.objects.filter(departement=loire, annee=2026).first()
        if campagne is None and Campagne.objects.filter(departement=loire, etat=EtatCampagne.OUVERTE).exists():
            self.stderr.write(
                "La séance passée de la campagne 2026 demande une base neuve "
                "(rm -f var/db.sqlite3 puis make run) : elle n'est pas créée."
            )
            return
        if campagne is None:
            aujourdhui = timezone.localdate()
            campagne = campagnes_services.campagne_creer(
                acteur=national,
                departement=loire,
                annee=2026,
                quota=QUOTA_2026,
                enveloppe_annuelle=Decimal("40000.00"),
                montant_minimal_annuel=Decimal("15000.00"),
                date_ouverture=aujourdhui - datetime.timedelta(days=200),
                date_cloture=aujourdhui,
            )
        if campagne.etat == EtatCampagne.PREPARATION:
            campagne = campagnes_services.campagne_ouvrir(acteur=national, campagne=campagne)
        # Filed in this order: the séance decides in filing order.
        collectifs = [
            self._collectif(
                comptes["referent_rive_de_gier"],
                loire,
                "Grand Pont en commun",
                "Quartier du Grand Pont, Rive-de-Gier",
                "42186",
                membres=[
                    (College.ELU_RESPONSABLE, "Sylvie", "Perret", "Adjointe au maire", "Ville de Rive-de-Gier", ""),
                    (College.PROFESSIONNEL, "Farid", "Amrani", "Médiateur social", "CCAS de Rive-de-Gier", ""),
                    (College.PROFESSIONNEL, "Claire", "Tissot", "Animatrice", "Centre social du Grand Pont", ""),
                    (College.HABITANT, "Nordine", "Slimani", "Habitant, amicale des locataires", "", ""),
                    (College.HABITANT, "Monique", "Dumas", "Retraitée, conseil citoyen", "Conseil citoyen", ""),
                ],
                complet=True,
                deposer=True,
            ),
            self._collectif(
                comptes["referente_saint_chamond"],
                loire,
                "Fonsala en partage",
                "Quartier de Fonsala, Saint-Chamond",
                "42207",
                membres=[
                    (College.ELU_RESPONSABLE, "Valérie", "Chaize", "Responsable territoriale", "CAF de la Loire", ""),
                    (College.PROFESSIONNEL, "Mathieu", "Rolland", "Éducateur de rue", "ADSEA 42", ""),
                    (College.PROFESSIONNEL, "Samia", "Bouzid", "Conseillère ESF", "Département de la Loire", ""),
                    (College.HABITANT, "Jeanne", "Celle", "Habitante, jardin de Fonsala", "", ""),
                    (College.HABITANT, "Kevin", "Morel", "Habitant, club de foot du quartier", "FC Fonsala", ""),
                ],
                complet=True,
                deposer=True,
            ),
            self._collectif(
                comptes["referent_feurs"],
                loire,
                "Collectif du Forum",
                "Quartier du Forum, Feurs",
                "42094",
                membres=[
                    (College.ELU_RESPONSABLE, "Alain", "Berthéas", "Maire adjoint", "Ville de Feurs", ""),
                    (College.PROFESSIONNEL, "Nadia", "Khelifi", "Directrice", "Centre social de Feurs", ""),
                    (College.PROFESSIONNEL, "Éric", "Poncet", "Travailleur social", "MSA Ardèche Drôme Loire", ""),
                    (College.HABITANT, "Gisèle", "Rivollier", "Bénévole de l'épicerie", "", ""),
                    (College.HABITANT, "Antoine", "Guyot", "Habitant du Forum", "", ""),
                ],
                complet=True,
                deposer=True,
            ),
            self._collectif(
                comptes["referente_la_ricamarie"],
                loire,
                "La Montagne solidaire",
                "Quartier de la Montagne, La Ricamarie",
                "42183",
                membres=[
                    (
                        College.ELU_RESPONSABLE,
                        "Gilles",
                        "Ferraton",
                        "Conseiller municipal",
                        "Ville de La Ricamarie",
                        "",
                    ),
                    (College.PROFESSIONNEL, "Hélène", "Coste", "Assistante sociale", "Département de la Loire", ""),
                    (College.PROFESSIONNEL, "Bruno", "Faure", "Animateur", "MJC de La Ricamarie", ""),
                    (College.HABITANT, "Zohra", "Mekki", "Habitante, collectif des parents", "", ""),
                    (College.HABITANT, "Paul", "Vernet", "Ancien mineur, association du puits Pigeot", "", ""),
                ],
                complet=True,
                deposer=True,
            ),
        ]
        declarations = [self._deposee(c) for c in collectifs]
        for declaration in declarations:
            if declaration is not None and declaration.etat in (
                EtatDeclaration.DEPOSEE,
                EtatDeclaration.EN_INSTRUCTION,
            ):
                services.declaration_declarer_recevable(acteur=instructrice, declaration=declaration)
        if not Seance.objects.filter(campagne=campagne).exists():
            self._seance_2026(instructrice, instance, campagne, membres)
        if campagne.etat == EtatCampagne.OUVERTE:
            campagnes_services.campagne_clore(acteur=national, campagne=campagne)
        # R10: each agreed collectif gets an accompagnateur from the registry.
        for collectif, accompagnateur in zip(collectifs[:2], accompagnateurs, strict=False):
            if not collectif.affectations.filter(fin__isnull=True).exists():
                instances_services.accompagnateur_affecter(
                    acteur=instructrice, collectif=collectif, accompagnateur=accompagnateur
                )

    def _seance_2026(
        self,
        instructrice: User,
        instance: InstanceDepartementale,
        campagne: Campagne,
        membres: dict[int, MembreInstance],
    ) -> None:
        """A séance held and closed: attendance with quorum, a conflict of interest, votes, a refusal with
        reasons. Closing it decides in filing order against the quota, then issues the minutes and decisions."""
        maintenant = timezone.localtime().replace(second=0, microsecond=0)
        seance = instances_services.seance_preparer(
            acteur=instructrice,
            instance=instance,
            campagne=campagne,
            date=maintenant,
            lieu="Hôtel du Département, salle des commissions, Saint-Étienne",
        )
        instances_services.seance_ouvrir(acteur=instructrice, seance=seance)
        absent = 8  # the MSA's representative is excused
        presents = [m for rang, m in membres.items() if rang != absent]
        instances_services.seance_enregistrer_presences(acteur=instructrice, seance=seance, presents=presents)
        votants = [m for m in presents if m.votant]
        points = list(seance.points.select_related("declaration__collectif").order_by("rang"))
        grand_pont, fonsala, forum, montagne = points
        # The CAF de la Loire is an originating institution of Fonsala en partage: its member does not vote.
        caf = membres[7]
        instances_services.conflit_declarer(
            acteur=instructrice,
            point=fonsala,
            membre=caf,
            commentaire="La CAF de la Loire est une institution d'origine du collectif.",
        )
        pour = ChoixVote.POUR
        instances_services.votes_enregistrer(acteur=instructrice, point=grand_pont, votes=dict.fromkeys(votants, pour))
        instances_services.votes_enregistrer(
            acteur=instructrice, point=fonsala, votes={m: pour for m in votants if m != caf}
        )
        instances_services.votes_enregistrer(
            acteur=instructrice,
            point=forum,
            votes={membres[rang]: choix for rang, choix in VOTES_FORUM.items()},
        )
        instances_services.point_motiver_refus(
            acteur=instructrice, point=forum, motif_refus=MotifRefus.ADDITIONNALITE, motifs=MOTIFS_REFUS_FEURS
        )
        instances_services.votes_enregistrer(acteur=instructrice, point=montagne, votes=dict.fromkeys(votants, pour))
        instances_services.seance_clore(acteur=instructrice, seance=seance)

    def _afficher(self) -> None:
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Mot de passe de tous les comptes de démonstration : {MOT_DE_PASSE_DEMO}")
        lignes = [
            ("Référente (2 collectifs, dont un prêt à déposer)", COMPTES["referente"][0]),
            ("Référent d'un collectif déposé", COMPTES["referent_firminy"][0]),
            ("Instructrice de la Loire (42)", COMPTES["instructrice_42"][0]),
            ("Instructeur du Rhône (69)", COMPTES["instructeur_69"][0]),
            ("Équipe nationale (et /admin/)", COMPTES["national"][0]),
            ("Présidente de l'instance de la Loire", COMPTES["presidente_instance"][0]),
            ("Membre de l'instance de la Loire", COMPTES["membre_instance"][0]),
            ("Accompagnatrice (registre de la Loire)", COMPTES["accompagnatrice"][0]),
            ("Référente d'un collectif à compléter (Roanne)", COMPTES["referente_roanne"][0]),
        ]
        for role, email in lignes:
            self.stdout.write(f"  {role:<50} {email}")
