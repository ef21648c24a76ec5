"""Load realistic demo data (Loire and Rhône), idempotently, and print one login per role."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from collectifs import selectors, services
from collectifs.enums import College, EtatDeclaration
from collectifs.models import Collectif
from collectifs.services import DonneesIndicateur, DonneesOrganisation
from comptes.models import User
from instances import services as campagnes
from instances.enums import EtatCampagne
from instances.models import Campagne, Instructeur
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
}

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
        self._instructeur(comptes["instructrice_42"], loire)
        self._instructeur(comptes["instructeur_69"], rhone)
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
        self._collectif(
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
            campagne = campagnes.campagne_creer(
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
            campagne = campagnes.campagne_ouvrir(acteur=acteur, campagne=campagne)
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
    ) -> None:
        if Collectif.objects.filter(nom=nom).exists():
            return
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

    def _afficher(self) -> None:
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Mot de passe de tous les comptes de démonstration : {MOT_DE_PASSE_DEMO}")
        lignes = [
            ("Référente (2 collectifs, dont un prêt à déposer)", COMPTES["referente"][0]),
            ("Référent d'un collectif déposé", COMPTES["referent_firminy"][0]),
            ("Instructrice de la Loire (42)", COMPTES["instructrice_42"][0]),
            ("Instructeur du Rhône (69)", COMPTES["instructeur_69"][0]),
            ("Équipe nationale (et /admin/)", COMPTES["national"][0]),
        ]
        for role, email in lignes:
            self.stdout.write(f"  {role:<50} {email}")
